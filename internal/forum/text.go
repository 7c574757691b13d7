package forum

import (
	"strings"

	"hearth/internal/kernel"
)

// Text limits, in characters, as the API contract gives them.
const (
	maxTitle          = 200
	maxStoryBody      = 20_000
	maxReplyBody      = 10_000
	maxContentWarning = 100
	maxCircleName     = 100
	maxCircleDesc     = 1_000
)

// title trims a title and checks it.
func title(s string) (string, error) {
	t := strings.TrimSpace(s)
	return t, kernel.CheckText("title", t, 1, maxTitle)
}

package forum

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"hearth/internal/apperr"
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

// CheckText refuses text outside [min, max] characters or holding control
// characters other than newline and tab. field names the JSON field.
func CheckText(field, s string, min, max int) error {
	n := utf8.RuneCountInString(s)
	if n < min || n > max {
		if min == 0 {
			return apperr.Invalid("invalid_"+field, fmt.Sprintf("The %s can be at most %d characters.", human(field), max))
		}
		return apperr.Invalid("invalid_"+field, fmt.Sprintf("The %s must be %d to %d characters.", human(field), min, max))
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return apperr.Invalid("invalid_"+field, fmt.Sprintf("The %s holds a control character; only letters, spaces, newlines and tabs are allowed.", human(field)))
		}
	}
	return nil
}

func human(field string) string { return strings.ReplaceAll(field, "_", " ") }

// title trims a title and checks it.
func title(s string) (string, error) {
	t := strings.TrimSpace(s)
	return t, CheckText("title", t, 1, maxTitle)
}

// opened turns freshly opened plaintext into a string without a copy: the
// bytes are the storage of a blob just read and handed to OpenInPlace,
// which nothing holds or changes afterwards. A page of fifty replies is
// fifty fewer copies for the collector.
func opened(plain []byte) string {
	if len(plain) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(plain), len(plain))
}

package safety

import (
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"hearth/internal/kernel"
)

// MaxCheckChars is the longest text the check reads: a story's body.
const MaxCheckChars = 20000

// CrisisMatcher is what the check asks whether a text reads as a crisis:
// the same matcher writing goes through (moderation's detector), so the
// writer is warned before posting of exactly what would call someone to
// them after.
type CrisisMatcher interface {
	Match(texts ...string) bool
}

// Checker looks at a draft before it is posted, for crisis wording and for
// details that could give away who the writer (or someone else) is. It
// keeps nothing: the text lives only for the length of a call.
type Checker struct {
	crisis    CrisisMatcher
	resources kernel.CrisisResources
	// now places a full date in time: one from the last dozen years reads
	// as a recovery date (a first meeting, a last drink), an older one as
	// a date of birth.
	now func() time.Time
}

// NewChecker builds a Checker that asks crisis for crisis wording and
// answers it with resources.
func NewChecker(crisis CrisisMatcher, resources kernel.CrisisResources) *Checker {
	return &Checker{crisis: crisis, resources: resources, now: kernel.Now}
}

// CheckRequest is the body of POST /checks/text.
type CheckRequest struct {
	Text string `json:"text"`
}

// CheckResult is what the writer is told before posting.
type CheckResult struct {
	Crisis          bool                    `json:"crisis"`
	CrisisResources *kernel.CrisisResources `json:"crisis_resources,omitempty"`
	Identifying     []kernel.Identifying    `json:"identifying"`
}

// Check reads text for crisis wording and identifying details.
func (c *Checker) Check(req CheckRequest) (CheckResult, error) {
	if err := kernel.CheckText("text", req.Text, 0, MaxCheckChars); err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Identifying: c.Identifying(req.Text)}
	if c.crisis != nil && c.crisis.Match(req.Text) {
		res.Crisis = true
		r := kernel.CrisisResources{Message: c.resources.Message, Resources: append([]kernel.CrisisResource(nil), c.resources.Resources...)}
		res.CrisisResources = &r
	}
	return res, nil
}

// Identifying finds the details in text, in order, with UTF-16 offsets.
func (c *Checker) Identifying(text string) []kernel.Identifying {
	spans := findIdentifying(text, c.now().Year())
	out := make([]kernel.Identifying, 0, len(spans))
	if len(spans) == 0 {
		return out
	}
	at := utf16Offsets(text)
	for _, s := range spans {
		out = append(out, kernel.Identifying{Kind: s.kind, Start: at[s.start], End: at[s.end]})
	}
	return out
}

// utf16Offsets maps every byte offset of s that starts a rune (and len(s))
// to the number of UTF-16 code units before it.
func utf16Offsets(s string) []int {
	at := make([]int, len(s)+1)
	n := 0
	for i, r := range s {
		at[i] = n
		if r == utf8.RuneError {
			n++
			continue
		}
		n += utf16.RuneLen(r)
	}
	at[len(s)] = n
	return at
}

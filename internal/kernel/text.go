package kernel

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"hearth/internal/apperr"
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

package auth

import (
	_ "embed"
	"strings"
	"unicode/utf8"

	"hearth/internal/apperr"
)

// Limits from the contract's text table.
const (
	HandleMin   = 3
	HandleMax   = 30
	PasswordMin = 15
	PasswordMax = 256
)

// reserved handles would let someone pose as the people who run the place.
var reserved = map[string]bool{
	"admin": true, "administrator": true, "moderator": true, "moderators": true, "mod": true, "mods": true,
	"hearth": true, "system": true, "support": true, "root": true, "staff": true, "team": true,
	"facilitator": true, "facilitators": true, "help": true, "helpdesk": true, "security": true,
	"official": true, "anonymous": true, "deleted": true, "removed": true, "null": true, "undefined": true,
	"api": true, "me": true, "owner": true, "operator": true, "counsellor": true, "counselor": true,
	"nurse": true, "doctor": true, "crisis": true, "emergency": true, "the-moderation-team": true,
}

// CanonicalHandle validates a handle and returns its stored, lower-case form.
// Handles are unique without regard to case, so "Dawn" and "dawn" are one.
func CanonicalHandle(h string) (string, error) {
	n := utf8.RuneCountInString(h)
	if n < HandleMin || n > HandleMax {
		return "", apperr.Invalid("invalid_handle", "A handle is 3 to 30 characters long.")
	}
	// Check before folding case: strings.ToLower maps some non-ASCII letters
	// (the Kelvin sign, a dotted İ) onto ASCII ones.
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", apperr.Invalid("invalid_handle", "A handle may use only letters a–z, digits, _ and -.")
		}
	}
	h = strings.ToLower(h)
	if reserved[h] {
		return "", apperr.Invalid("handle_reserved", "That handle is reserved. Please choose another.")
	}
	return h, nil
}

//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[squash(line)] = true
		}
	}
	return m
}()

// squash folds case and drops spaces, so "Correct Horse Battery Staple" and
// "correcthorsebatterystaple" are one entry.
func squash(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// CheckPassword enforces the password rules. Length is checked first and on
// bytes too, so an oversized input is refused before anything hashes it.
func CheckPassword(pw, handle string) error {
	if len(pw) > PasswordMax*4 {
		return apperr.Invalid("password_too_long", "A password is at most 256 characters.")
	}
	n := utf8.RuneCountInString(pw)
	if n < PasswordMin {
		return apperr.Invalid("password_too_short", "A password needs at least 15 characters. A few ordinary words in a row make a strong, memorable passphrase.")
	}
	if n > PasswordMax {
		return apperr.Invalid("password_too_long", "A password is at most 256 characters.")
	}
	s, h := squash(pw), strings.ToLower(handle)
	if commonPasswords[s] || repetitive(s) || (h != "" && strings.Contains(s, h) && len(s) < len(h)+8) {
		return apperr.Invalid("password_too_common", "That password is too easy to guess. Try a few unrelated words in a row.")
	}
	return nil
}

// repetitive catches a short unit repeated to reach the length ("aaaaaaaa…",
// "abcabcabc…", "123412341234…").
func repetitive(s string) bool {
	for unit := 1; unit <= 4 && unit < len(s); unit++ {
		if strings.Repeat(s[:unit], len(s)/unit+1)[:len(s)] == s {
			return true
		}
	}
	return false
}

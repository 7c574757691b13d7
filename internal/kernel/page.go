package kernel

import (
	"encoding/base64"
	"strings"

	"hearth/internal/apperr"
)

// Page is one page of a list, keyset-paginated: NextCursor is absent at
// the end.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// EncodeCursor makes a cursor, opaque to clients: a kind letter and the
// keyset position, base64url encoded. Cursors hold ids, times and numbers,
// never text.
func EncodeCursor(kind string, parts ...string) *string {
	s := base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + strings.Join(parts, "|")))
	return &s
}

// ErrCursor answers a cursor that is not one of ours.
var ErrCursor = apperr.Invalid("invalid_cursor", "The cursor is not valid; start again from the first page.")

// DecodeCursor returns the kind and parts of a cursor, checking that the
// kind is one of kinds and every part is made of id characters.
func DecodeCursor(c string, kinds ...string) (string, []string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) > 512 {
		return "", nil, ErrCursor
	}
	parts := strings.Split(string(b), "|")
	for _, p := range parts[1:] {
		if p == "" || strings.IndexFunc(p, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '-') }) >= 0 {
			return "", nil, ErrCursor
		}
	}
	for _, k := range kinds {
		if parts[0] == k && len(parts) > 1 {
			return k, parts[1:], nil
		}
	}
	return "", nil, ErrCursor
}

// Position is where a cursor of kind, with one part, points: "" for no
// cursor, the first page.
func Position(cursor, kind string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	_, parts, err := DecodeCursor(cursor, kind)
	if err != nil {
		return "", err
	}
	return parts[0], nil
}

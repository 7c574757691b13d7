package moderation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerptCutsAtCharactersNotBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", ""},
		{"short", "short"},
		{strings.Repeat("a", excerptChars), strings.Repeat("a", excerptChars)},
		{strings.Repeat("a", excerptChars+1), strings.Repeat("a", excerptChars) + "…"},
		// Two bytes a character: the cut falls after 280 characters, never
		// inside one.
		{strings.Repeat("é", excerptChars+40), strings.Repeat("é", excerptChars) + "…"},
		{strings.Repeat("ö", excerptChars), strings.Repeat("ö", excerptChars)},
	} {
		got := excerpt(tc.in)
		if got != tc.want {
			t.Fatalf("excerpt of %d characters = %d characters, want %d", utf8.RuneCountInString(tc.in), utf8.RuneCountInString(got), utf8.RuneCountInString(tc.want))
		}
		if !utf8.ValidString(got) {
			t.Fatal("excerpt is not valid UTF-8")
		}
	}
}

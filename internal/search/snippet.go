package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// How much of a text a snippet shows, in characters: some context before
// the first match and the rest after it.
const (
	snippetChars  = 200
	snippetBefore = 60
)

// snippet is a short piece of text around the first place one of words
// (normalised, as queryWords gives them) occurs, cut at spaces, with "…"
// where text goes on, and its runs of white space made single spaces. When
// no word is in text (the match was in a story's title), it is the start of
// text.
func snippet(text string, words []string) string {
	at := 0
	eachWord(text, false, func(w string, start, _ int) bool {
		for _, want := range words {
			if w == want {
				// Words come in the order of where they start (a
				// compound before its parts), so the first match is
				// the earliest.
				at = start
				return false
			}
		}
		return true
	})
	from := back(text, at, snippetBefore)
	to := forward(text, from, snippetChars)
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	b.WriteString(strings.Join(strings.Fields(text[from:to]), " "))
	if to < len(text) && strings.TrimSpace(text[to:]) != "" {
		b.WriteString("…")
	}
	return b.String()
}

// back is where a snippet starts: about n characters before byte at, just
// after a space, or the start of text.
func back(text string, at, n int) int {
	i := at
	for ; i > 0 && n > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
	}
	if i == 0 {
		return 0
	}
	if sp := strings.IndexFunc(text[i:at], unicode.IsSpace); sp >= 0 {
		return i + sp
	}
	return at
}

// forward is where a snippet ends: about n characters after byte from, at
// a space, or the end of text.
func forward(text string, from, n int) int {
	i := from
	for ; i < len(text) && n > 0; n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	if i == len(text) {
		return i
	}
	if sp := strings.LastIndexFunc(text[from:i], unicode.IsSpace); sp > 0 {
		return from + sp
	}
	return i
}

package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"hearth/internal/apperr"
)

// What a query may hold.
const (
	maxQueryWords = 8
	// maxQueryChars bounds what is read at all: eight words of 64
	// characters with room between them.
	maxQueryChars = 1000
)

// Errors of a query. They name no word of it.
var (
	errQueryEmpty    = apperr.Invalid("query_empty", "Type a word or two to search for.")
	errQueryTooShort = apperr.Invalid("query_too_short", "Search words need at least 2 letters or digits each.")
	errTooManyWords  = apperr.Invalid("query_too_many_words", "Search for at most 8 words at once.")
	errWordTooLong   = apperr.Invalid("query_word_too_long", "A search word can be at most 64 characters.")
	errQueryTooLong  = apperr.Invalid("query_too_long", "A search can be at most 1,000 characters.")
	errQueryControl  = apperr.Invalid("invalid_query", "The search holds a control character; type only words.")
)

// queryWords are the distinct words of q, normalised as the index holds
// them, in the order they come: every one must match. One-character words
// are left out (the index has none); a query of nothing else, of no word
// at all, of more than eight words, or with a word over 64 characters is
// refused. A hyphenated compound is one word, asked for whole.
func queryWords(q string) ([]string, error) {
	if utf8.RuneCountInString(q) > maxQueryChars {
		return nil, errQueryTooLong
	}
	if strings.IndexFunc(q, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0 {
		return nil, errQueryControl
	}
	var words []string
	short, long := false, false
	seen := map[string]bool{}
	eachWord(q, true, func(w string, _, _ int) bool {
		switch n := utf8.RuneCountInString(w); {
		case n < minWord:
			short = true
		case n > maxWord:
			long = true
		case !seen[w]:
			seen[w] = true
			words = append(words, w)
		}
		return true
	})
	switch {
	case long:
		return nil, errWordTooLong
	case len(words) > maxQueryWords:
		return nil, errTooManyWords
	case len(words) == 0 && short:
		return nil, errQueryTooShort
	case len(words) == 0:
		return nil, errQueryEmpty
	}
	return words, nil
}

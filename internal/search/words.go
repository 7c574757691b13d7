package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// How long a word may be to be indexed or searched for, in characters after
// normalisation. Shorter words ("a", "I") say too little to find anything
// by; longer ones are not words a person types.
const (
	minWord = 2
	maxWord = 64
)

// eachWord calls yield with every word of text, normalised, and the byte
// span it has in text, in order, until yield answers false. Words are
// found at Unicode word boundaries (UAX #29): a segment is a word when it
// holds a letter or a digit. Words joined by hyphens ("well-being") are one
// compound: yield gets the whole (the parts run together, "wellbeing")
// and then, unless wholeOnly, each part. A query asks for compounds whole,
// and the index holds both, so "well-being" and "wellbeing" find each
// other and "being" finds "well-being".
func eachWord(text string, wholeOnly bool, yield func(w string, start, end int) bool) {
	var c compound
	state, pos := -1, 0
	ascii := isASCII(text)
	for rest := text; rest != ""; {
		var seg string
		if ascii {
			n := asciiSegment(rest)
			seg, rest = rest[:n], rest[n:]
		} else {
			seg, rest, state = uniseg.FirstWordInString(rest, state)
		}
		start := pos
		pos += len(seg)
		switch {
		case isWord(seg):
			if !c.hyphen && len(c.parts) > 0 {
				if !c.flush(wholeOnly, yield) {
					return
				}
			}
			c.add(normalise(seg), start, pos)
		case isHyphen(seg) && len(c.parts) > 0 && !c.hyphen && c.end == start:
			c.hyphen = true
		default:
			if !c.flush(wholeOnly, yield) {
				return
			}
		}
	}
	c.flush(wholeOnly, yield)
}

// compound gathers the words of one hyphenated compound (most often just
// one word) until it ends.
type compound struct {
	parts      []string
	starts     []int
	start, end int
	hyphen     bool // the compound's last segment is a hyphen
}

func (c *compound) add(w string, start, end int) {
	if len(c.parts) == 0 {
		c.start = start
	}
	c.parts = append(c.parts, w)
	c.starts = append(c.starts, start)
	c.end, c.hyphen = end, false
}

// flush yields the compound (see eachWord) and empties c.
func (c *compound) flush(wholeOnly bool, yield func(string, int, int) bool) bool {
	defer func() { c.parts, c.starts, c.hyphen = c.parts[:0], c.starts[:0], false }()
	switch {
	case len(c.parts) == 0:
		return true
	case len(c.parts) == 1:
		return yield(c.parts[0], c.start, c.end)
	}
	if !yield(strings.Join(c.parts, ""), c.start, c.end) {
		return false
	}
	if wholeOnly {
		return true
	}
	for i, p := range c.parts {
		// A part ends where the hyphen after it starts: at the next
		// part's start less one hyphen, which is all the spans are used
		// for (a snippet around the first match).
		end := c.end
		if i+1 < len(c.starts) {
			end = c.starts[i+1] - 1
		}
		if !yield(p, c.starts[i], end) {
			return false
		}
	}
	return true
}

// isWord reports whether a segment holds a letter or a digit.
func isWord(seg string) bool {
	for _, r := range seg {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// isHyphen reports whether a segment is one hyphen: the ASCII hyphen-minus,
// or Unicode's hyphen or non-breaking hyphen. Dashes (– —) separate words
// rather than join them.
func isHyphen(seg string) bool {
	return seg == "-" || seg == "\u2010" || seg == "\u2011"
}

// apostrophes are dropped from words: "don't" is "dont", "O’Brien" is
// "obrien". (A fullwidth apostrophe is an ASCII one after NFKC.)
func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

// isAccent reports whether r is a combining diacritical mark: the accents
// of Latin, Greek and Cyrillic letters once they are decomposed. Marks
// that are part of a script's letters (Indic vowel signs, say) stay.
func isAccent(r rune) bool {
	return r >= 0x0300 && r <= 0x036f || r >= 0x1ab0 && r <= 0x1aff || r >= 0x1dc0 && r <= 0x1dff ||
		r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f
}

// normalise is a word as the index holds it: NFKC, case-folded, accents
// removed, apostrophes (and any space compatibility characters bring)
// dropped. No stemming: "walk" and "walking" are different words.
func normalise(seg string) string {
	ascii := true
	for i := 0; i < len(seg); i++ {
		if seg[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// ASCII is its own NFKC and has no accents; folding it is
		// lowering it. Most words take this way, and most are already
		// lower case.
		if !strings.ContainsFunc(seg, func(r rune) bool { return r == '\'' || 'A' <= r && r <= 'Z' }) {
			return seg
		}
		var b strings.Builder
		b.Grow(len(seg))
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case c == '\'':
				continue
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	out, _, err := transform.String(t, seg)
	if err != nil {
		return strings.ToLower(seg) // never for valid UTF-8; a word still
	}
	return out
}

// folders hold the transformers of normalise: a chain keeps state while it
// runs, so each goroutine takes one of its own (transform.String resets it).
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFKC, cases.Fold(), norm.NFD, runes.Remove(runes.Predicate(isAccent)),
		runes.Remove(runes.Predicate(func(r rune) bool { return isApostrophe(r) || unicode.IsSpace(r) })), norm.NFC)
}}

package moderation

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func isASCIIOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func FuzzMatch(f *testing.F) {
	for _, seed := range []string{
		"",
		"suicide",
		"Suicide!",
		"I want to kill myself",
		"kill...myself",
		"self-harm",
		"self_harm",
		"SELF\nHARM",
		"I don’t want to be here anymore",
		"i dont want to be here any more",
		"diet studied died",
		"my heart attack",
		"cancer killed my mother",
		"I'm dying to see you",
		"odd on",
		"OD on",
		"killlll myyyself",
		"sui\u00ADcide",
		"\u212Aill myself",
		"SUİCİDE ſelf harm",
		"\xff\xfe kill \xc3 myself",
		"'''   ---   '''",
		"end it all",
		strings.Repeat("a", 300) + " end my life",
	} {
		f.Add(seed)
	}
	phrases := DefaultPhrases()
	for _, p := range phrases {
		if !isASCIIOnly(p) {
			f.Fatalf("phrase %q is not ASCII: asciiMatch below cannot judge it", p)
		}
	}
	d := NewDetector(phrases)
	f.Fuzz(func(t *testing.T, x string) {
		got := d.Match(x)

		// Where the test can work out the answer on its own, it must be
		// that answer, yes or no.
		if isASCIIOnly(x) {
			if want := asciiMatch(phrases, x); got != want {
				t.Fatalf("Match(%q) = %v, want %v", x, got, want)
			}
		}
		// A text without a letter, digit or mark has no words to match.
		wordless := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == utf8.RuneError {
				return -1
			}
			return r
		}, x)
		if d.Match(wordless) {
			t.Fatalf("Match(%q) = true: it holds no word", wordless)
		}

		if isASCIIOnly(x) {
			if up := d.Match(strings.ToUpper(x)); up != got {
				t.Fatalf("Match(%q) = %v but Match(upper) = %v", x, got, up)
			}
		}
		if got {
			wrapped := "prefix text. " + x + " trailing"
			if !d.Match(wrapped) {
				t.Fatalf("Match(%q) = true but Match(%q) = false", x, wrapped)
			}
		}

		// Any phrase matches itself, and a detector built from arbitrary
		// input never panics.
		self := NewDetector([]string{x})
		m := self.Match(x)
		if len(self.phrases) > 0 && !m {
			t.Fatalf("phrase %q does not match itself", x)
		}
	})
}

// letterRun is one letter (or digit) of a word and how many times it came
// in a row.
type letterRun struct {
	c byte
	n int
}

// asciiWords reads an ASCII text as the detector's rules say, by code of
// the test's own: letters and digits make words, in lower case; ' and `
// vanish (a letter on both sides of one is the same run); anything else
// ends a word. A letter repeated in a row is one run.
func asciiWords(s string) [][]letterRun {
	var words [][]letterRun
	var w []letterRun
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '\'' || c == '`':
			continue
		default:
			if len(w) > 0 {
				words, w = append(words, w), nil
			}
			continue
		}
		if len(w) > 0 && w[len(w)-1].c == c {
			w[len(w)-1].n++
		} else {
			w = append(w, letterRun{c, 1})
		}
	}
	if len(w) > 0 {
		words = append(words, w)
	}
	return words
}

// asciiMatch reports whether some phrase's words are whole words of text,
// one after another, each run of a letter as long as the phrase's, or
// emphasis: three or more, and no shorter than the phrase's.
func asciiMatch(phrases []string, text string) bool {
	words := asciiWords(text)
	for _, p := range phrases {
		pw := asciiWords(p)
		if len(pw) == 0 {
			continue
		}
	starts:
		for start := 0; start+len(pw) <= len(words); start++ {
			for k, want := range pw {
				got := words[start+k]
				if len(got) != len(want) {
					continue starts
				}
				for j := range want {
					g, w := got[j], want[j]
					if g.c != w.c || (g.n != w.n && (g.n < 3 || g.n < w.n)) {
						continue starts
					}
				}
			}
			return true
		}
	}
	return false
}

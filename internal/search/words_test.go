package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// indexed is what the index takes of text: its words, each once.
func indexed(text string) []string {
	var out []string
	eachWord(text, false, func(w string, _, _ int) bool {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
		return true
	})
	return out
}

func TestWordsAreNormalised(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"Hello, WORLD! hello.", []string{"hello", "world"}},
		{"Café CRÈME brûlée", []string{"cafe", "creme", "brulee"}},
		{"cafe\u0301", []string{"cafe"}},                                    // decomposed é
		{"ﬁne ＨＥＬＬＯ ①", []string{"fine", "hello", "1"}},                     // NFKC
		{"Straße İstanbul ΣΟΦΊΑ", []string{"strasse", "istanbul", "σοφια"}}, // full folding
		{"Don't O’Brien rock ʼn' roll", []string{"dont", "obrien", "rock", "n", "roll"}},
		{"mother-in-law", []string{"motherinlaw", "mother", "in", "law"}},
		{"e‐mail (U+2010) e‑mail (U+2011)", []string{"email", "e", "mail", "u", "2010", "2011"}},
		{"well - being, well–being, well--being", []string{"well", "being"}}, // spaced hyphens, dashes
		{"3.5 mg, 1,000 steps, 2024-05-01", []string{"3.5", "mg", "1,000", "steps", "20240501", "2024", "05", "01"}},
		{"walking walked walk", []string{"walking", "walked", "walk"}}, // no stemming
		{"❤️ 🙏 ... — !!!", nil},
		{"", nil},
	} {
		if got := indexed(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

func TestWordSpans(t *testing.T) {
	text := "Ask my mother-in-law, Café."
	var got []string
	eachWord(text, false, func(w string, start, end int) bool {
		got = append(got, w+"="+text[start:end])
		return true
	})
	want := []string{"ask=Ask", "my=my", "motherinlaw=mother-in-law", "mother=mother", "in=in", "law=law", "cafe=Café"}
	if !slices.Equal(got, want) {
		t.Errorf("spans %q, want %q", got, want)
	}
	var whole []string
	eachWord(text, true, func(w string, _, _ int) bool {
		whole = append(whole, w)
		return w != "motherinlaw" // stopping stops
	})
	if !slices.Equal(whole, []string{"ask", "my", "motherinlaw"}) {
		t.Errorf("wholes %q", whole)
	}
}

func TestQueryWords(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []string
		err  error
	}{
		{"River  HERONS river", []string{"river", "herons"}, nil},
		{"a walk in the park", []string{"walk", "in", "the", "park"}, nil},
		{"well-being", []string{"wellbeing"}, nil},
		{"one two three four five six seven eight", []string{"one", "two", "three", "four", "five", "six", "seven", "eight"}, nil},
		{"one two three four five six seven eight eight a", []string{"one", "two", "three", "four", "five", "six", "seven", "eight"}, nil},
		{"one two three four five six seven eight nine", nil, errTooManyWords},
		{strings.Repeat("ö", 64), []string{strings.Repeat("o", 64)}, nil},
		{strings.Repeat("ö", 65), nil, errWordTooLong},
		{"a b c I", nil, errQueryTooShort},
		{"", nil, errQueryEmpty},
		{" \n\t", nil, errQueryEmpty},
		{"?! … —", nil, errQueryEmpty},
		{strings.Repeat("x ", 501), nil, errQueryTooLong},
		{"tab\tand\nnewline", []string{"tab", "and", "newline"}, nil},
		{"nul\x00", nil, errQueryControl},
	} {
		got, err := queryWords(c.q)
		if err != c.err || !slices.Equal(got, c.want) {
			t.Errorf("%.40q: %q, %v; want %q, %v", c.q, got, err, c.want, c.err)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("Before the words. ", 10) + "Here the heron stood still in the river. " + strings.Repeat("After the words. ", 20)
	for _, c := range []struct {
		text  string
		words []string
		want  string
	}{
		{"A heron.", []string{"heron"}, "A heron."},
		{"Nothing here.\n\nBut a title match.", []string{"title"}, "Nothing here. But a title match."},
		{"Words elsewhere.", []string{"absent"}, "Words elsewhere."},
		{long, []string{"river", "heron"}, "…the words. Before the words. Before the words. Here the heron stood still in the river. After the words. After the words. After the words. After the words. After the words. After the words. After…"},
		{"Ask my mother-in-law", []string{"law"}, "Ask my mother-in-law"},
		{strings.Repeat("x", 300), []string{"y"}, strings.Repeat("x", 200) + "…"},
		{"Café " + strings.Repeat("é", 300), []string{"cafe"}, "Café…"},
	} {
		if got := snippet(c.text, c.words); got != c.want {
			t.Errorf("snippet of %.30q for %q:\n got %q\nwant %q", c.text, c.words, got, c.want)
		}
	}
}

// FuzzWords holds the normaliser to what the index and the snippet rely on
// for any text: spans inside the text, in order of where they start, and
// normalised words that normalise to themselves.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Hello, world", "mother-in-law’s café", "ﷺ ﬁ ①", "a--b -c d-", "日本語 текст"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		eachWord(text, false, func(w string, start, end int) bool {
			if start < last || start >= end || end > len(text) {
				t.Fatalf("span %d..%d after %d in %d bytes", start, end, last, len(text))
			}
			last = start
			if w == "" || normalise(w) != w {
				t.Fatalf("word %q of %q is not normalised (%q)", w, text[start:end], normalise(w))
			}
			return true
		})
		_ = snippet(text, []string{"a"})
	})
}

// FuzzASCIISegmentsAreUAX29: asciiSegment cuts ASCII text where uniseg
// does, segment by segment.
func FuzzASCIISegmentsAreUAX29(f *testing.F) {
	for _, s := range []string{
		"Don't stop: e.g. 3.5 mg, 1,000 steps; 10:30 a_b _x x_ 9_9 __",
		"a.b.c 1.2.3 a'b 1'2 a:1 1:a 1;2 a;b 1,a a,b .5 5. 'a a' :a a:",
		"\r\n\n\r\v\f  \t  x\r\ny  -  well-being -- a--b",
		"\"quoted\" (parens) [x] {y} <z> !?#$%&*+/=@\\^`|~",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var b strings.Builder
		for i := 0; i < len(text); i++ {
			b.WriteByte(text[i] & 0x7f)
		}
		ascii := b.String()
		state := -1
		for rest := ascii; rest != ""; {
			var want string
			want, _, state = uniseg.FirstWordInString(rest, state)
			if n := asciiSegment(rest); n != len(want) {
				t.Fatalf("in %q: segment %q, want %q", ascii, rest[:n], want)
			}
			rest = rest[len(want):]
		}
	})
}

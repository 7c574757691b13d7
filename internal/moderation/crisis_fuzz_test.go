package moderation

import (
	"strings"
	"testing"
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
	d := NewDetector(DefaultPhrases())
	f.Fuzz(func(t *testing.T, x string) {
		got := d.Match(x)

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

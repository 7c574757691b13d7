package kernel

import (
	"strings"
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	c := EncodeCursor("p", "1764121234000000000", "06h1b8ecq5734200fygx7qrts8")
	kind, parts, err := DecodeCursor(*c, "p", "s")
	if err != nil || kind != "p" || len(parts) != 2 || parts[1] != "06h1b8ecq5734200fygx7qrts8" {
		t.Fatalf("DecodeCursor = %q %v %v", kind, parts, err)
	}
	for _, bad := range []string{"", "!!", *EncodeCursor("x", "abc"), *EncodeCursor("p"), *EncodeCursor("s", "ABC"), *EncodeCursor("s", "a b"), strings.Repeat("QUFB", 200)} {
		if _, _, err := DecodeCursor(bad, "p", "s"); err != ErrCursor {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

// TestPosition: no cursor is the first page; a cursor of the kind is its
// one part; any other is refused.
func TestPosition(t *testing.T) {
	if at, err := Position("", "n"); at != "" || err != nil {
		t.Errorf(`Position("") = %q, %v`, at, err)
	}
	if at, err := Position(*EncodeCursor("n", "06h1b8ecq5734200fygx7qrts8"), "n"); at != "06h1b8ecq5734200fygx7qrts8" || err != nil {
		t.Errorf("Position = %q, %v", at, err)
	}
	if _, err := Position(*EncodeCursor("m", "06h1b8ecq5734200fygx7qrts8"), "n"); err != ErrCursor {
		t.Errorf("a cursor of another kind gave %v", err)
	}
}

// FuzzDecodeCursor: any input either decodes to a known kind with
// non-empty parts of id characters only, or is refused; never a panic.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{"", "cHxhYmM", *EncodeCursor("s", "06h1b8"), *EncodeCursor("r", "aaa", "bbb"), "////", "cnw"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, parts, err := DecodeCursor(s, "p", "s", "r")
		if err != nil {
			return
		}
		if kind != "p" && kind != "s" && kind != "r" || len(parts) == 0 {
			t.Fatalf("decoded %q to %q %v", s, kind, parts)
		}
		for _, p := range parts {
			if p == "" || strings.ContainsFunc(p, func(r rune) bool { return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '-') }) {
				t.Fatalf("part %q of %q holds other characters", p, s)
			}
		}
	})
}

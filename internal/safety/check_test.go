package safety

import (
	"strings"
	"testing"
	"unicode/utf16"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
)

// crisisWords is a CrisisMatcher for tests: a text is a crisis when it
// holds one of the words.
type crisisWords []string

func (w crisisWords) Match(texts ...string) bool {
	for _, t := range texts {
		for _, p := range w {
			if strings.Contains(t, p) {
				return true
			}
		}
	}
	return false
}

var testResources = kernel.CrisisResources{Message: "You are not alone.", Resources: []kernel.CrisisResource{{Name: "Helpline", Contact: "116 123"}}}

// highlighted is what a browser would highlight: the UTF-16 stretch.
func highlighted(text string, id kernel.Identifying) string {
	u := utf16.Encode([]rune(text))
	return string(utf16.Decode(u[id.Start:id.End]))
}

// TestCheckNamesEachKindWithBrowserOffsets: each kind is found, and its
// offsets count UTF-16 code units, so an emoji (two units) or an accented
// letter (two bytes, one unit) before it moves it as a browser sees it.
func TestCheckNamesEachKindWithBrowserOffsets(t *testing.T) {
	c := NewChecker(crisisWords{"end it"}, testResources)
	for _, tc := range []struct{ text, kind, want string }{
		{"🌱 day 30 🙏 text me on 07700 900123 tonight", KindPhone, "07700 900123"},
		{"Café 😊 +44 7700 900456", KindPhone, "+44 7700 900456"},
		{"🙂 call (555) 123-4567", KindPhone, "(555) 123-4567"},
		{"🙂 mail jo@example.org.", KindEmail, "jo@example.org"},
		{"👉 https://example.org/me, thanks", KindURL, "https://example.org/me"},
		{"👉 see example.org/path", KindURL, "example.org/path"},
		{"🏠 I live at 221B Baker St", KindStreetAddress, "221B Baker St"},
		{"Grüße aus der Hauptstraße 5 🌻", KindStreetAddress, "Hauptstraße 5"},
		{"🎂 born on 4 March", KindDateOfBirth, "4 March"},
		{"🎂 03/04/1985", KindDateOfBirth, "03/04/1985"},
		{"🪪 SSN 123-45-6789", KindIDNumber, "123-45-6789"},
		{"🪪 NHS 943 476 5919", KindIDNumber, "943 476 5919"},
		{"🪪 QQ123456C", KindIDNumber, "QQ123456C"},
	} {
		res, err := c.Check(CheckRequest{Text: tc.text})
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		if len(res.Identifying) != 1 || res.Identifying[0].Kind != tc.kind || highlighted(tc.text, res.Identifying[0]) != tc.want {
			t.Errorf("%q: found %+v, want one %s at %q", tc.text, res.Identifying, tc.kind, tc.want)
		}
		if res.Crisis || res.CrisisResources != nil {
			t.Errorf("%q: crisis %v", tc.text, res.Crisis)
		}
	}
}

// TestCheckOrdersFindingsAndReadsCrisis: several findings come in the
// order of the text, never overlapping; crisis wording brings the
// resources; an ordinary text gets an empty list, not null.
func TestCheckOrdersFindingsAndReadsCrisis(t *testing.T) {
	c := NewChecker(crisisWords{"end it"}, testResources)
	text := "I want to end it. Email me at jo@example.org or ring 07700 900123, I'm at 12 Baker Street."
	res, err := c.Check(CheckRequest{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Crisis || res.CrisisResources == nil || res.CrisisResources.Resources[0].Name != "Helpline" {
		t.Errorf("crisis: %+v", res)
	}
	var got []string
	for _, id := range res.Identifying {
		got = append(got, id.Kind+":"+highlighted(text, id))
	}
	want := []string{"email:jo@example.org", "phone:07700 900123", "street_address:12 Baker Street"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("found %v, want %v", got, want)
	}
	res, err = c.Check(CheckRequest{Text: "Thirty days today. Thank you all."})
	if err != nil || res.Crisis || res.Identifying == nil || len(res.Identifying) != 0 || res.CrisisResources != nil {
		t.Errorf("ordinary text: %+v, %v", res, err)
	}
}

// TestCheckRefusesTooLongText: a story's length is the most it reads,
// counted in characters.
func TestCheckRefusesTooLongText(t *testing.T) {
	c := NewChecker(nil, testResources)
	if _, err := c.Check(CheckRequest{Text: strings.Repeat("é", MaxCheckChars)}); err != nil {
		t.Errorf("20,000 characters: %v", err)
	}
	_, err := c.Check(CheckRequest{Text: strings.Repeat("a", MaxCheckChars+1)})
	if e, ok := apperr.As(err); !ok || e.Status != 400 || e.Code != "invalid_text" {
		t.Errorf("20,001 characters: %v", err)
	}
}

// FuzzCheck: whatever the text, the check answers without failing, with
// findings in order, apart, and inside the text as a browser counts it.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "🌱 07700 900123", "a@b.co", "https://", "www.", "12 Baker St.", "born 31/12", "+1", "0044 20 7946 0958 🙏 x.co/.", "Hauptstraße 5ß", "SSN 123-45-6789"} {
		f.Add(s)
	}
	c := NewChecker(crisisWords{"end it"}, testResources)
	f.Fuzz(func(t *testing.T, s string) {
		res, err := c.Check(CheckRequest{Text: s})
		if err != nil {
			return // too long, or a control character
		}
		n := len(utf16.Encode([]rune(s)))
		at := 0
		for _, id := range res.Identifying {
			if id.Start < at || id.End <= id.Start || id.End > n {
				t.Fatalf("%q: finding %+v out of order or bounds (length %d)", s, id, n)
			}
			at = id.End
		}
	})
}

package moderation

import (
	"encoding/json"
	"errors"
	"fmt"
	"hearth/internal/kernel"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func TestCrisisDefaultPhrases(t *testing.T) {
	p := DefaultPhrases()
	if len(p) < 40 || len(p) > 80 {
		t.Fatalf("built-in list has %d phrases, want 40–80", len(p))
	}
	seen := map[string]bool{}
	for _, s := range p {
		if strings.HasPrefix(s, "#") || strings.TrimSpace(s) != s || s == "" {
			t.Errorf("built-in phrase %q is not clean", s)
		}
		if seen[s] {
			t.Errorf("built-in phrase %q is listed twice", s)
		}
		seen[s] = true
	}
	for _, want := range []string{"suicide", "kill myself", "self harm", "don't want to be here anymore", "overdose", "od on"} {
		if !seen[want] {
			t.Errorf("built-in list lacks %q", want)
		}
	}
	// The returned slice is a copy.
	p[0] = "changed"
	if DefaultPhrases()[0] == "changed" {
		t.Error("DefaultPhrases returns the shared slice")
	}
}

func TestCrisisMatchDefaultPositives(t *testing.T) {
	d := NewDetector(DefaultPhrases())
	cases := []struct{ name, text string }{
		{"plain", "I think about suicide every night."},
		{"upper case", "I AM SUICIDAL"},
		{"mixed case", "Some days I want to Kill Myself"},
		{"trailing punctuation", "suicide."},
		{"exclamation", "Suicide!"},
		{"question", "is it normal to think of suicide?"},
		{"at start", "kill myself is all I think about"},
		{"at end", "tonight I might end my life"},
		{"whole text", "end it all"},
		{"newline between words", "I want to end\nmy\r\nlife"},
		{"tabs and spaces", "better   off\t\tdead"},
		{"punctuation between words", "kill...myself"},
		{"hyphen", "I have been self-harming again"},
		{"self harm hyphen", "my self-harm is back"},
		{"self harm underscore", "self_harm"},
		{"self harm space", "self harm"},
		{"selfharm joined", "#selfharm"},
		{"curly apostrophe", "I don’t want to be here anymore"},
		{"straight apostrophe", "I don't want to be here anymore"},
		{"dropped apostrophe", "i dont want to be here anymore"},
		{"any more two words", "I don't want to be here any more."},
		{"modifier apostrophe", "I donʼt want to live"},
		{"wanna", "honestly i just wanna die"},
		{"no reason", "There is no reason to live."},
		{"take my own life", "I have thought about how to take my own life"},
		{"cutting", "I started cutting myself again"},
		{"hurt", "I want to hurt myself"},
		{"overdose", "I could just overdose on my meds"},
		{"od on", "thinking I should OD on the pills in the cabinet"},
		{"hang", "I want to hang myself"},
		{"bridge", "I keep thinking I'll jump off a bridge"},
		{"quoted", "she said \"I want to die\" and I said me too"},
		{"emphasis repeated letters", "I want to diiiie"},
		{"emphasis double consonant", "I want to killllll myselfff"},
		{"soft hyphen inside word", "sui\u00ADcidal"},
		{"fancy dash", "self—harm"},
		{"unicode case", "SUİCİDE"},
		{"kelvin sign folds to k", "\u212Aill myself"},
		{"inside longer body", strings.Repeat("A long day at the meeting. ", 200) + "I want to die. " + strings.Repeat("Coffee after. ", 200)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !d.Match(c.text) {
				t.Errorf("Match(%q) = false, want true", c.text)
			}
		})
	}
}

func TestCrisisMatchDefaultNegatives(t *testing.T) {
	d := NewDetector(DefaultPhrases())
	cases := []struct{ name, text string }{
		{"empty", ""},
		{"only punctuation", "... !!! ---"},
		// Cardiac recovery.
		{"heart attack", "Six months after my heart attack I walked 5k today."},
		{"cardiac rehab", "Cardiac rehab is hard but the nurses say I'm doing well; I nearly died on the table."},
		{"bypass", "The bypass surgery scared me to death, but I'm home now."},
		// Grief.
		{"death of my father", "It's been a year since the death of my father and I still set his place at the table."},
		{"died", "My wife died in March. I miss her laugh."},
		{"dying to see you", "I'm dying to see you all at the picnic on Saturday!"},
		{"dead tired", "Dead tired after the funeral, but glad I went."},
		// Cancer recovery.
		{"cancer killed", "Cancer killed my mother, and now I'm in remission myself."},
		{"chemo", "Chemo almost killed me but the scan was clear."},
		{"diet", "My oncologist wants me on a new diet."},
		{"studied", "I studied the trial results with my doctor."},
		{"die inside word", "Diesel fumes make me queasy since treatment."},
		// Addiction recovery.
		{"sobriety", "Ninety days sober. My sponsor says one day at a time."},
		{"odd on", "I felt odd on Tuesday but I went to a meeting."},
		{"od inside word", "Methadone dosing starts on Monday."},
		{"killing time", "Killing time before the meeting with a crossword."},
		{"cut back", "I cut back on coffee and I cut my hair myself."},
		{"hurt my back", "I hurt my back moving house, so no gym."},
		{"self in other words", "Self-care and self-compassion are my harm-reduction tools."},
		{"harmless", "It was a harmless slip of the tongue."},
		{"one letter short", "I kil time by reading"},
		{"die within words", "The soldier studied diesel engines."},
		{"suicide within word", "suicidesque is not a word"},
		{"phrase split across lines of a list with other words", "want to\nsee you; die-hard fans"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d.Match(c.text) {
				t.Errorf("Match(%q) = true, want false", c.text)
			}
		})
	}
}

func TestCrisisMatchWordBoundaries(t *testing.T) {
	d := NewDetector([]string{"die"})
	cases := []struct {
		text string
		want bool
	}{
		{"die", true},
		{"Die!", true},
		{"don't die.", true},
		{"(die)", true},
		{"die-hard", true}, // hyphen is a word break
		{"diet", false},
		{"studied", false},
		{"died", false},
		{"indie", false},
		{"d i e", false},
		{"diiie", true}, // emphasis
		{"diie", false}, // a doubled letter is a different word, not emphasis
	}
	for _, c := range cases {
		if got := d.Match(c.text); got != c.want {
			t.Errorf("phrase \"die\": Match(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestCrisisMatchCustomPhrases(t *testing.T) {
	d := NewDetector([]string{"  Can’t Go On  ", "!!!", "", "über müde"})
	cases := []struct {
		text string
		want bool
	}{
		{"I can't go on", true},
		{"i cant go on", true},
		{"I CAN’T GO ON.", true},
		{"I can go on", false},
		{"ÜBER MÜDE", true},
		{"uber mude", false}, // accents are not stripped
		{"!!!", false},       // a phrase without letters is ignored
	}
	for _, c := range cases {
		if got := d.Match(c.text); got != c.want {
			t.Errorf("Match(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestCrisisMatchSeveralTexts(t *testing.T) {
	d := NewDetector([]string{"kill myself"})
	if !d.Match("A title", "", "I want to kill myself") {
		t.Error("a match in the third text was missed")
	}
	if d.Match("I could kill", "myself some days") {
		t.Error("a phrase matched across two texts")
	}
	if d.Match() {
		t.Error("Match() with no texts = true")
	}
	if NewDetector(nil).Match("kill myself") {
		t.Error("a detector without phrases matched")
	}
	var nilDetector *Detector
	if nilDetector.Match("kill myself") {
		t.Error("a nil detector matched")
	}
}

func TestCrisisMatchConcurrent(t *testing.T) {
	d := NewDetector(DefaultPhrases())
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				text := fmt.Sprintf("goroutine %d line %d: ", g, i) + strings.Repeat("x ", i)
				want := i%2 == 0
				if want {
					text += "I want to end my life"
				} else {
					text += "My heart attack was a wake-up call"
				}
				if d.Match(text) != want {
					errs <- text
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("wrong answer under concurrency for %q", e)
	}
}

func writeCrisisFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCrisisLoadPhrases(t *testing.T) {
	cases := []struct {
		name    string
		content string
		want    []string
		errHas  string
	}{
		{"simple", "suicide\nkill myself\n", []string{"suicide", "kill myself"}, ""},
		{"comments and blanks", "# header\n\n  suicide  \n\t\n   # indented comment\nend it all", []string{"suicide", "end it all"}, ""},
		{"crlf and bom", "\uFEFFsuicide\r\nend it all\r\n", []string{"suicide", "end it all"}, ""},
		{"empty file", "", nil, "no phrases"},
		{"only comments", "# nothing\n\n# here\n", nil, "no phrases"},
		{"no letters", "suicide\n---\n", nil, "line 2"},
		{"invalid utf8", "sui\xffcide\n", nil, "UTF-8"},
		{"too long", strings.Repeat("a", maxPhraseChars+1), nil, "longer than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeCrisisFile(t, "phrases.txt", c.content)
			got, err := LoadPhrases(path)
			if c.errHas != "" {
				if err == nil {
					t.Fatalf("LoadPhrases = %q, nil; want an error", got)
				}
				if !strings.Contains(err.Error(), c.errHas) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %q should name the file and contain %q", err, c.errHas)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadPhrases: %v", err)
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Fatalf("LoadPhrases = %q, want %q", got, c.want)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.txt")
		_, err := LoadPhrases(path)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Fatalf("error = %v, want a not-exist error naming the file", err)
		}
	})

	t.Run("loaded list replaces the built-in one", func(t *testing.T) {
		path := writeCrisisFile(t, "phrases.txt", "# ours\nrelapse tonight\n")
		p, err := LoadPhrases(path)
		if err != nil {
			t.Fatal(err)
		}
		d := NewDetector(p)
		if !d.Match("I think I'll relapse tonight") || d.Match("I want to die") {
			t.Fatal("detector does not use exactly the loaded phrases")
		}
	})
}

func TestCrisisLoadResources(t *testing.T) {
	valid := `{"message": "  You are not alone.  ", "resources": [
		{"name": "Samaritans", "contact": "116 123"},
		{"name": "Text line", "contact": "Text SHOUT to 85258"}]}`
	path := writeCrisisFile(t, "res.json", valid)
	got, err := LoadResources(path)
	if err != nil {
		t.Fatalf("LoadResources(valid): %v", err)
	}
	want := kernel.CrisisResources{Message: "You are not alone.", Resources: []kernel.CrisisResource{
		{Name: "Samaritans", Contact: "116 123"}, {Name: "Text line", Contact: "Text SHOUT to 85258"}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("LoadResources = %+v, want %+v", got, want)
	}

	many := make([]kernel.CrisisResource, maxResources+1)
	for i := range many {
		many[i] = kernel.CrisisResource{Name: fmt.Sprintf("R%d", i), Contact: "123"}
	}
	tooMany, _ := json.Marshal(kernel.CrisisResources{Message: "m", Resources: many})
	one := `[{"name":"n","contact":"c"}]`

	cases := []struct {
		name    string
		content string
		errHas  string
	}{
		{"unknown top-level field", `{"message":"m","resources":` + one + `,"secret_extra":1}`, `unknown field "secret_extra"`},
		{"unknown resource field", `{"message":"m","resources":[{"name":"n","contact":"c","url":"x"}]}`, `unknown field "url"`},
		{"empty message", `{"message":"","resources":` + one + `}`, "message is empty"},
		{"blank message", `{"message":"   ","resources":` + one + `}`, "message is empty"},
		{"missing message", `{"resources":` + one + `}`, "message is empty"},
		{"long message", `{"message":"` + strings.Repeat("é", maxMessageChars+1) + `","resources":` + one + `}`, "message is 1001 characters"},
		{"no resources", `{"message":"m","resources":[]}`, "resources: must list 1 to 10"},
		{"missing resources", `{"message":"m"}`, "resources: must list 1 to 10"},
		{"too many resources", string(tooMany), "found 11"},
		{"empty name", `{"message":"m","resources":[{"name":"n","contact":"c"},{"name":"","contact":"c"}]}`, "resources[1].name is empty"},
		{"empty contact", `{"message":"m","resources":[{"name":"n"}]}`, "resources[0].contact is empty"},
		{"long name", `{"message":"m","resources":[{"name":"` + strings.Repeat("n", 101) + `","contact":"c"}]}`, "resources[0].name is 101 characters"},
		{"long contact", `{"message":"m","resources":[{"name":"n","contact":"` + strings.Repeat("c", 301) + `"}]}`, "resources[0].contact is 301 characters"},
		{"control character in name", `{"message":"m","resources":[{"name":"a\u0007b","contact":"c"}]}`, "control character"},
		{"malformed JSON", `{"message": "m", "resources": [ SECRETSTUFF`, "not valid JSON"},
		{"truncated JSON", `{"message": "m", "resources": [`, "not valid JSON"},
		{"wrong type", `{"message": 42, "resources": ` + one + `}`, `field "message" has the wrong type`},
		{"not an object", `["message"]`, "must hold a JSON object"},
		{"trailing data", `{"message":"m","resources":` + one + `} {"x":1}`, "more data after"},
		{"empty file", "  \n", "is empty"},
		{"invalid utf8", "{\"message\":\"\xff\",\"resources\":" + one + "}", "UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeCrisisFile(t, "res.json", c.content)
			r, err := LoadResources(path)
			if err == nil {
				t.Fatalf("LoadResources = %+v, nil; want an error containing %q", r, c.errHas)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.errHas) {
				t.Fatalf("error %q does not contain %q", msg, c.errHas)
			}
			if !strings.Contains(msg, path) {
				t.Fatalf("error %q does not name the file", msg)
			}
			if strings.Contains(msg, "SECRETSTUFF") || strings.Contains(msg, "nnnnnnnn") {
				t.Fatalf("error %q echoes file content", msg)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "nope.json")
		_, err := LoadResources(path)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
			t.Fatalf("error = %v, want a not-exist error naming the file", err)
		}
	})

	t.Run("file too large", func(t *testing.T) {
		path := writeCrisisFile(t, "big.json", `{"message":"`+strings.Repeat("x", maxResourcesFileBytes)+`"}`)
		if _, err := LoadResources(path); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("error = %v, want a size error", err)
		}
	})
}

func TestCrisisDefaultResources(t *testing.T) {
	r := DefaultResources()
	if r.Message == "" || len(r.Resources) != 2 {
		t.Fatalf("DefaultResources = %+v", r)
	}
	if r.Resources[0].Name != "Find a helpline" || !strings.HasPrefix(r.Resources[0].Contact, "findahelpline.com") {
		t.Errorf("first resource = %+v", r.Resources[0])
	}
	if r.Resources[1].Name != "Emergency services" || !strings.Contains(r.Resources[1].Contact, "911") {
		t.Errorf("second resource = %+v", r.Resources[1])
	}
	// Each call returns its own copy.
	r.Resources[0].Name = "changed"
	if DefaultResources().Resources[0].Name == "changed" {
		t.Error("DefaultResources shares its slice")
	}
	// The defaults pass the same checks as a loaded file, and survive a round trip.
	data, err := json.Marshal(DefaultResources())
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadResources(writeCrisisFile(t, "res.json", string(data)))
	if err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(DefaultResources()) {
		t.Errorf("round trip = %+v", got)
	}
	if !utf8.ValidString(r.Message) {
		t.Error("message is not UTF-8")
	}
}

// crisisBenchBody is about 20,000 characters of recovery writing without a crisis
// phrase, so every phrase is searched through the whole text.
func crisisBenchBody() string {
	para := "After my heart attack I went to cardiac rehab three times a week. " +
		"Some days I felt I had died and come back; the death of my father last year still weighs on me, " +
		"and cancer killed my aunt in the spring. I'm dying to see everyone at Thursday's meeting. " +
		"My sponsor says I studied my triggers well and my new diet is helping. Ninety days sober! "
	var b strings.Builder
	for b.Len() < 20000 {
		b.WriteString(para)
	}
	return b.String()[:20000]
}

func BenchmarkMatch20K(b *testing.B) {
	phrases := DefaultPhrases()
	for i := 0; len(phrases) < 80; i++ {
		phrases = append(phrases, fmt.Sprintf("extra phrase number %d", i))
	}
	d := NewDetector(phrases)
	body := crisisBenchBody()
	if d.Match(body) {
		b.Fatal("benchmark body should not match")
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d.Match("A title", body)
	}
}

package moderation

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"hearth/internal/kernel"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Limits on a --crisis-resources file.
const (
	maxResourcesFileBytes = 64 << 10
	maxMessageChars       = 1000
	maxResources          = 10
	maxResourceNameChars  = 100
	maxContactChars       = 300
)

// Limits on a --crisis-phrases file.
const (
	maxPhrasesFileBytes = 1 << 20
	maxPhrases          = 5000
	maxPhraseChars      = 200
)

// DefaultResources returns the built-in crisis message and resources. The
// circle's facilitators are added by the caller.
func DefaultResources() kernel.CrisisResources {
	return kernel.CrisisResources{
		Message: "It sounds like you are carrying a lot right now. You don't have to carry it alone: " +
			"if you are in danger, please reach out now.",
		Resources: []kernel.CrisisResource{
			{Name: "Find a helpline", Contact: "findahelpline.com — free, confidential helplines in your country"},
			{Name: "Emergency services", Contact: "your local emergency number (911 in the US, 112 in the EU, 999 in the UK)"},
		},
	}
}

// LoadResources reads the --crisis-resources JSON file
// ({"message": ..., "resources": [{"name": ..., "contact": ...}]}).
// Unknown fields are refused; the message must be 1–1000 characters and there
// must be 1–10 resources, each with a name of 1–100 and a contact of 1–300
// characters. Surrounding whitespace is trimmed. Errors name the file and
// what is wrong, and never repeat the file's content beyond a field name.
func LoadResources(path string) (kernel.CrisisResources, error) {
	fail := func(format string, args ...any) (kernel.CrisisResources, error) {
		return kernel.CrisisResources{}, fmt.Errorf("crisis resources file %q: "+format, append([]any{path}, args...)...)
	}
	data, err := readCrisisFile(path, maxResourcesFileBytes)
	if err != nil {
		return fail("%w", err)
	}
	if !utf8.Valid(data) {
		return fail("is not valid UTF-8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail("is empty")
	}

	var r kernel.CrisisResources
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return fail("%s", describeJSONError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail("has more data after the JSON object")
	}

	r.Message = strings.TrimSpace(r.Message)
	if msg := checkResourceText("message", r.Message, maxMessageChars, true); msg != "" {
		return fail("%s", msg)
	}
	if len(r.Resources) == 0 || len(r.Resources) > maxResources {
		return fail("resources: must list 1 to %d resources, found %d", maxResources, len(r.Resources))
	}
	for i := range r.Resources {
		res := &r.Resources[i]
		res.Name = strings.TrimSpace(res.Name)
		res.Contact = strings.TrimSpace(res.Contact)
		if msg := checkResourceText(fmt.Sprintf("resources[%d].name", i), res.Name, maxResourceNameChars, false); msg != "" {
			return fail("%s", msg)
		}
		if msg := checkResourceText(fmt.Sprintf("resources[%d].contact", i), res.Contact, maxContactChars, false); msg != "" {
			return fail("%s", msg)
		}
	}
	return r, nil
}

// checkResourceText validates a trimmed text field and returns a description of what
// is wrong, or "" when it is fine. Only message may span several lines.
func checkResourceText(field, s string, maxChars int, multiline bool) string {
	if s == "" {
		return field + " is empty"
	}
	if n := utf8.RuneCountInString(s); n > maxChars {
		return fmt.Sprintf("%s is %d characters long; at most %d are allowed", field, n, maxChars)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			return field + " contains a control character"
		}
	}
	return ""
}

// describeJSONError turns a decoding error into a message that does not
// repeat the file's content (json.SyntaxError quotes the offending character).
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("is not valid JSON (error near byte %d)", syn.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "is not valid JSON (it ends too early)"
	case errors.As(err, &typ):
		if typ.Field == "" {
			return "must hold a JSON object {\"message\": ..., \"resources\": [...]}"
		}
		return fmt.Sprintf("field %q has the wrong type", typ.Field)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if utf8.RuneCountInString(name) > 60 {
			name = string([]rune(name)[:60]) + "…"
		}
		return "unknown field " + name + " (allowed: message, resources, name, contact)"
	}
	return "is not valid JSON"
}

// readCrisisFile reads a whole file of at most limit bytes.
func readCrisisFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cannotRead(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, cannotRead(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("is larger than %d bytes", limit)
	}
	return data, nil
}

// cannotRead drops the path that *fs.PathError repeats (the caller names the
// file) and keeps the cause, so errors.Is(err, fs.ErrNotExist) still works.
func cannotRead(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot be read: %w", err)
}

//go:embed crisis_phrases.txt
var builtinPhrasesFile []byte

var builtinPhrases = func() []string {
	p, err := parsePhrases(builtinPhrasesFile)
	if err != nil {
		panic("moderation: built-in crisis_phrases.txt: " + err.Error())
	}
	return p
}()

// DefaultPhrases returns the built-in list (from crisis_phrases.txt).
func DefaultPhrases() []string {
	return append([]string(nil), builtinPhrases...)
}

// LoadPhrases reads one phrase a line; blank lines and lines starting with #
// are skipped; an empty result is an error. A line without any letter or
// digit is refused rather than silently ignored.
func LoadPhrases(path string) ([]string, error) {
	data, err := readCrisisFile(path, maxPhrasesFileBytes)
	if err == nil {
		var p []string
		if p, err = parsePhrases(data); err == nil {
			return p, nil
		}
	}
	return nil, fmt.Errorf("crisis phrases file %q: %w", path, err)
}

func parsePhrases(data []byte) ([]string, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("is not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var phrases []string
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if utf8.RuneCountInString(line) > maxPhraseChars {
			return nil, fmt.Errorf("line %d: phrase is longer than %d characters", i+1, maxPhraseChars)
		}
		if n := normalizeForMatch(nil, nil, line); len(n.text) <= 2 {
			return nil, fmt.Errorf("line %d: phrase has no letters or digits", i+1)
		}
		if len(phrases) == maxPhrases {
			return nil, fmt.Errorf("has more than %d phrases", maxPhrases)
		}
		phrases = append(phrases, line)
	}
	if len(phrases) == 0 {
		return nil, errors.New("holds no phrases (every line is blank or a comment)")
	}
	return phrases, nil
}

// Detector matches crisis phrases; safe for concurrent use.
//
// Text and phrases are normalised the same way, once per text: case is folded,
// every run of characters that are not letters, digits or marks becomes one
// space, apostrophes vanish ("don’t" = "don't" = "dont"), and the result is
// padded with spaces so that phrases only match whole words. Each run of a
// repeated letter is kept once, with its length on the side: a letter
// repeated three or more times in the text (emphasis) matches the same letter
// once or twice in a phrase, so "kiiilll myself" matches "kill myself", while
// "kil" does not match "kill" nor "od" match "odd".
//
// Matching walks the words of the text once and looks each up among the
// first words of the phrases, so its cost hardly grows with the phrase count.
type Detector struct {
	phrases []normalized
	byFirst map[string][]int // first word of a phrase -> indexes into phrases
}

// NewDetector builds a Detector for phrases. Phrases without any letter or
// digit are ignored.
func NewDetector(phrases []string) *Detector {
	d := &Detector{byFirst: make(map[string][]int)}
	seen := make(map[string]bool, len(phrases))
	for _, p := range phrases {
		n := normalizeForMatch(nil, nil, p)
		if len(n.text) <= 2 { // just the padding
			continue
		}
		key := string(n.text) + "\x00" + string(n.runs)
		if seen[key] {
			continue
		}
		seen[key] = true
		first := string(n.text[1 : 1+bytes.IndexByte(n.text[1:], ' ')])
		d.byFirst[first] = append(d.byFirst[first], len(d.phrases))
		d.phrases = append(d.phrases, n)
	}
	return d
}

// Match reports whether any of texts reads as a crisis. Each text is matched
// on its own, so a phrase never spans two texts.
func (d *Detector) Match(texts ...string) bool {
	if d == nil || len(d.phrases) == 0 {
		return false
	}
	buf := normPool.Get().(*normalized)
	defer normPool.Put(buf)
	for _, t := range texts {
		*buf = normalizeForMatch(buf.text[:0], buf.runs[:0], t)
		if d.matchNormalized(buf) {
			return true
		}
	}
	return false
}

// matchNormalized looks up every word of n among the phrases' first words and
// checks the phrases found there against the text from that word on.
func (d *Detector) matchNormalized(n *normalized) bool {
	text := n.text
	for start := 0; start < len(text)-1; { // text[start] is a space
		end := start + 1 + bytes.IndexByte(text[start+1:], ' ')
		for _, pi := range d.byFirst[string(text[start+1:end])] {
			p := &d.phrases[pi]
			if bytes.HasPrefix(text[start:], p.text) && runsMatch(n.runs[start:start+len(p.runs)], p.runs) {
				return true
			}
		}
		start = end
	}
	return false
}

var normPool = sync.Pool{New: func() any { return new(normalized) }}

// normalized is a text in matching form: it starts and ends with a space and
// holds single spaces between words. runs[i] is the length (capped at 255) of
// the run of repeated letters that text[i] stands for; it is set on every
// byte of a multi-byte letter and is 1 for spaces.
type normalized struct {
	text []byte
	runs []byte
}

// runsMatch reports whether letter runs in a text fit those of a phrase: the
// same length, or emphasis (three or more) in the text.
func runsMatch(text, phrase []byte) bool {
	for j, want := range phrase {
		got := text[j]
		if got != want && (got < 3 || got < want) {
			return false
		}
	}
	return true
}

// normalizeForMatch appends the matching form of s to text and runs (either
// may be nil) and returns both.
func normalizeForMatch(text, runs []byte, s string) normalized {
	text = append(text, ' ')
	runs = append(runs, 1)
	prev := rune(-1) // previous letter of the current word; -1 after a space
	prevAt := 0      // where prev starts in text
	text = slices.Grow(text, len(s)+1)
	runs = slices.Grow(runs, len(s)+1)
	for i := 0; i < len(s); {
		var kind runeKind
		var r rune
		if c := s[i]; c < utf8.RuneSelf {
			kind, r = asciiKind[c], rune(asciiFold[c])
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			kind, r = classifyRune(r)
			i += size
		}
		switch kind {
		case kindIgnored:
		case kindSeparator:
			if text[len(text)-1] != ' ' {
				text = append(text, ' ')
				runs = append(runs, 1)
			}
			prev = -1
		case kindLetter:
			if r == prev { // a repeated letter lengthens the run
				for k := prevAt; k < len(runs); k++ {
					if runs[k] < 255 {
						runs[k]++
					}
				}
				continue
			}
			prev, prevAt = r, len(text)
			text = utf8.AppendRune(text, r)
			for len(runs) < len(text) {
				runs = append(runs, 1)
			}
		}
	}
	if text[len(text)-1] != ' ' {
		text = append(text, ' ')
		runs = append(runs, 1)
	}
	return normalized{text: text, runs: runs}
}

type runeKind uint8

const (
	kindSeparator runeKind = iota // space, punctuation, symbol, invalid UTF-8
	kindLetter                    // letter, digit or mark: part of a word
	kindIgnored                   // apostrophe or invisible format character
)

// asciiKind and asciiFold are classifyRune for ASCII, as tables.
var asciiKind, asciiFold = func() (kind [utf8.RuneSelf]runeKind, fold [utf8.RuneSelf]byte) {
	for c := range utf8.RuneSelf {
		kind[c], fold[c] = kindSeparator, byte(c)
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			kind[c] = kindLetter
		case 'A' <= c && c <= 'Z':
			kind[c], fold[c] = kindLetter, byte(c+'a'-'A')
		case c == '\'' || c == '`':
			kind[c] = kindIgnored
		}
	}
	return kind, fold
}()

// classifyRune tells what a non-ASCII r is for matching and, for a letter, folds
// its case.
func classifyRune(r rune) (runeKind, rune) {
	switch {
	case isApostropheRune(r):
		return kindIgnored, r
	case r == '\u200B': // zero-width space separates words
		return kindSeparator, r
	case r == utf8.RuneError: // also stands for invalid UTF-8
		return kindSeparator, r
	case unicode.Is(unicode.Cf, r): // soft hyphen, zero-width joiner, BOM…
		return kindIgnored, r
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return kindLetter, foldRuneCase(r)
	}
	return kindSeparator, r
}

// foldRuneCase maps r to one representative of its case-folding class: "K", "k"
// and the Kelvin sign fold alike, as do "Σ", "σ" and "ς".
func foldRuneCase(r rune) rune {
	return unicode.ToLower(unicode.ToUpper(r))
}

func isApostropheRune(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u02BC', '\u02BB', '\u00B4', '\u2032', '\uFF07':
		return true
	}
	return false
}

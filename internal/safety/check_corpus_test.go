package safety

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/internal/kernel"
)

// The corpus's targets: of the details people write, the check finds
// nearly all (recall), and of what it names, nearly all is a real detail
// (precision): a warning that cries wolf is one people learn to click
// past.
const (
	wantRecall    = 0.95
	wantPrecision = 0.90
	corpusMinimum = 200
)

// corpusLine is one labelled sentence of testdata/check_corpus.txt.
type corpusLine struct {
	line  int
	kinds []string
	text  string
}

func readCorpus(t *testing.T) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/check_corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		labels, text, ok := strings.Cut(l, " | ")
		if !ok || strings.TrimSpace(text) == "" {
			t.Fatalf("corpus line %d: want \"kinds | sentence\"", n)
		}
		c := corpusLine{line: n, text: text}
		if labels != "-" {
			c.kinds = strings.Split(labels, ",")
		}
		for _, k := range c.kinds {
			if !slices.Contains([]string{KindPhone, KindEmail, KindStreetAddress, KindURL, KindDateOfBirth, KindIDNumber}, k) {
				t.Fatalf("corpus line %d: unknown kind %q", n, k)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCheckCorpusPrecisionRecall measures the check on the corpus, kind by
// kind and sentence by sentence: a kind found in a sentence that holds it
// is a true positive, one found in a sentence that does not (an ordinary
// sentence included) a false positive, one missed a false negative.
func TestCheckCorpusPrecisionRecall(t *testing.T) {
	corpus := readCorpus(t)
	if len(corpus) < corpusMinimum {
		t.Fatalf("the corpus has %d sentences, want at least %d", len(corpus), corpusMinimum)
	}
	c := NewChecker(nil, kernel.CrisisResources{})
	// A fixed today, so "recent" dates stay recent as the years pass.
	c.now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	var tp, fp, fn, clean, quiet int
	for _, s := range corpus {
		res, err := c.Check(CheckRequest{Text: s.text})
		if err != nil {
			t.Fatalf("line %d: %v", s.line, err)
		}
		var found []string
		for _, id := range res.Identifying {
			if !slices.Contains(found, id.Kind) {
				found = append(found, id.Kind)
			}
		}
		for _, k := range found {
			if slices.Contains(s.kinds, k) {
				tp++
			} else {
				fp++
				t.Logf("line %d: false %s in %q", s.line, k, s.text)
			}
		}
		for _, k := range s.kinds {
			if !slices.Contains(found, k) {
				fn++
				t.Logf("line %d: missed %s in %q", s.line, k, s.text)
			}
		}
		if len(s.kinds) == 0 {
			clean++
			if len(found) == 0 {
				quiet++
			}
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("corpus: %d sentences (%d ordinary, %d with details); precision %.3f (%d of %d named), recall %.3f (%d of %d found); ordinary sentences left alone: %d of %d",
		len(corpus), clean, len(corpus)-clean, precision, tp, tp+fp, recall, tp, tp+fn, quiet, clean)
	if recall < wantRecall {
		t.Errorf("recall %.3f, want at least %.2f", recall, wantRecall)
	}
	if precision < wantPrecision {
		t.Errorf("precision %.3f, want at least %.2f", precision, wantPrecision)
	}
}

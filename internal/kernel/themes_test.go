package kernel

import (
	"errors"
	"slices"
	"testing"
)

func TestCheckThemes(t *testing.T) {
	got, err := CheckThemes([]string{"disaster", "suicide", "disaster"})
	if err != nil || !slices.Equal(got, []string{"suicide", "disaster"}) {
		t.Errorf("CheckThemes = %v, %v", got, err)
	}
	if got, err := CheckThemes(nil); err != nil || got == nil || len(got) != 0 {
		t.Errorf("no themes = %#v, %v", got, err)
	}
	if _, err := CheckThemes([]string{"suicide", "Suicide"}); !errors.Is(err, ErrTheme) {
		t.Errorf("an unknown theme: %v", err)
	}
	if s := ParseThemes(""); s.All() == nil || len(s.All()) != 0 || s.Text() != "" {
		t.Errorf("empty %#v", s)
	}
}

// TestWritingThemes: the author's themes and the team's are sealed apart
// and read back apart; All is both, each once, in order; a text from
// before the team's themes is the author's alone.
func TestWritingThemes(t *testing.T) {
	w := WritingThemes{Author: []string{"eating", "disaster"}, Added: []string{"suicide", "disaster"}}
	back := ParseThemes(w.Text())
	if !slices.Equal(back.Author, w.Author) || !slices.Equal(back.Added, w.Added) {
		t.Errorf("round trip %q gives %+v", w.Text(), back)
	}
	if all := back.All(); !slices.Equal(all, []string{"suicide", "eating", "disaster"}) {
		t.Errorf("All = %v", all)
	}
	if old := ParseThemes("eating,death_loss"); !slices.Equal(old.Author, []string{"eating", "death_loss"}) || old.Added != nil {
		t.Errorf("an older text reads %+v", old)
	}
	if only := ParseThemes(WritingThemes{Added: []string{"violence_abuse"}}.Text()); only.Author != nil || !slices.Equal(only.All(), []string{"violence_abuse"}) {
		t.Errorf("the team's alone reads %+v", only)
	}
}

func TestFold(t *testing.T) {
	f := &Folds{ReaderID: "me", Hidden: map[string]bool{"eating": true}, Silenced: map[string]bool{"them": true}}
	for _, c := range []struct {
		author string
		themes []string
		want   string
	}{
		{"other", nil, ""},
		{"other", []string{"suicide"}, ""},
		{"other", []string{"suicide", "eating"}, FoldedThemes},
		{"them", nil, FoldedMuted},
		{"them", []string{"eating"}, FoldedMuted},
		{"me", []string{"eating"}, ""}, // one's own writing never folds
	} {
		got := ""
		if p := f.Fold(c.author, c.themes); p != nil {
			got = *p
		}
		if got != c.want {
			t.Errorf("Fold(%s, %v) = %q, want %q", c.author, c.themes, got, c.want)
		}
	}
	var none *Folds
	if none.Fold("them", []string{"eating"}) != nil {
		t.Error("no folds folded something")
	}
}

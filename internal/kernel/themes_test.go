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
	if s := SplitThemes(JoinThemes([]string{"eating", "death_loss"})); !slices.Equal(s, []string{"eating", "death_loss"}) {
		t.Errorf("round trip %v", s)
	}
	if s := SplitThemes(""); s == nil || len(s) != 0 {
		t.Errorf("empty %#v", s)
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

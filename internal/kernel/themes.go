package kernel

import (
	"slices"
	"strings"

	"hearth/internal/apperr"
)

// Themes are the content warnings a reader can act on, in the order the
// web app shows them.
var Themes = []string{"suicide", "self_harm", "substance_use", "eating", "graphic_medical", "death_loss", "violence_abuse", "disaster"}

// IsTheme reports whether t is one of Themes.
func IsTheme(t string) bool { return slices.Contains(Themes, t) }

// ErrTheme answers a theme that is not one of Themes.
var ErrTheme = apperr.Invalid("invalid_theme", "themes are suicide, self_harm, substance_use, eating, graphic_medical, death_loss, violence_abuse and disaster.")

// CheckThemes returns the themes given, each once, in the order of Themes;
// an unknown one is ErrTheme. Nil is none.
func CheckThemes(in []string) ([]string, error) {
	for _, t := range in {
		if !IsTheme(t) {
			return nil, ErrTheme
		}
	}
	out := []string{}
	for _, t := range Themes {
		if slices.Contains(in, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// WritingThemes are a writing's themes: those its author chose, and those
// the moderation team added (add_themes). An author's edit changes their
// own and keeps the team's: readers who fold a theme stay spared it.
type WritingThemes struct {
	Author, Added []string
}

// Text is how themes are sealed, as one text: the author's,
// comma-separated, then, when the team added any, ";" and theirs.
func (w WritingThemes) Text() string {
	s := strings.Join(w.Author, ",")
	if len(w.Added) > 0 {
		s += ";" + strings.Join(w.Added, ",")
	}
	return s
}

// All is every theme the writing carries, each once, in the order of
// Themes.
func (w WritingThemes) All() []string {
	out := []string{}
	for _, t := range Themes {
		if slices.Contains(w.Author, t) || slices.Contains(w.Added, t) {
			out = append(out, t)
		}
	}
	return out
}

// ParseThemes reads what Text wrote; writing sealed before the team could
// add themes holds the author's alone.
func ParseThemes(s string) WritingThemes {
	author, added, _ := strings.Cut(s, ";")
	return WritingThemes{Author: splitThemes(author), Added: splitThemes(added)}
}

func splitThemes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// How writing is folded for a reader (a story's or reply's "folded").
const (
	FoldedThemes = "themes" // it carries a theme the reader hides
	FoldedMuted  = "muted"  // its author is muted or blocked by the reader
)

// Folds is what folds writing for one reader: the themes they hide and the
// authors they muted or blocked. A nil *Folds folds nothing.
type Folds struct {
	ReaderID string
	Hidden   map[string]bool // themes
	Silenced map[string]bool // author ids
}

// Fold says how writing by authorID carrying themes is folded for the
// reader: nil when it is shown. Nobody's own writing is folded for them.
func (f *Folds) Fold(authorID string, themes []string) *string {
	if f == nil || authorID == f.ReaderID {
		return nil
	}
	if f.Silenced[authorID] {
		s := FoldedMuted
		return &s
	}
	for _, t := range themes {
		if f.Hidden[t] {
			s := FoldedThemes
			return &s
		}
	}
	return nil
}

package moderation

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// addThemes is the action that gives others' writing the themes its
// author left off, so readers who fold them are spared it; nothing is
// hidden.
const addThemes = "add_themes"

var (
	errNoThemes   = apperr.Invalid("invalid_theme", "Name at least one theme to add.")
	errThemesGone = apperr.New(http.StatusConflict, "removed", "Its author deleted this writing; there is nothing to add themes to.")
)

// addThemes adds d.Themes to a story or reply, sealed with its author's key
// beside the themes they chose (an edit of theirs changes only their own);
// logged, and the author told (themes_added). Its flags stay open: adding
// themes settles nothing else.
func (s *Service) addThemes(ctx context.Context, a kernel.Actor, t store.Target, id string, d Decision) (*ItemOutcome, error) {
	add, err := kernel.CheckThemes(d.Themes)
	if err != nil {
		return nil, err
	}
	if len(add) == 0 {
		return nil, errNoThemes
	}
	w, err := s.writings.TargetToModerate(ctx, a, t, id)
	if err != nil {
		return nil, err
	}
	if !w.HasText {
		return nil, errThemesGone
	}
	blob, err := s.st.WritingThemes(ctx, t, w.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var themes kernel.WritingThemes
	if blob != nil {
		plain, err := s.sealer.OpenInPlace(ctx, blob, store.ThemesLocation(t, w.ID))
		if err != nil {
			return nil, apperr.Internal(err)
		}
		themes = kernel.ParseThemes(string(plain))
	}
	// Kept apart from the author's, so their later edits keep these.
	if themes.Added, err = kernel.CheckThemes(append(themes.Added, add...)); err != nil {
		return nil, apperr.Internal(err) // what was stored was checked
	}
	sealed, ok, err := sealFor(ctx, s.st, s.sealer, w.AuthorID, themes.Text(), store.ThemesLocation(t, w.ID))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errThemesGone
	}
	entry, err := s.log.Entry(ctx, a, addThemes, string(t), w.ID, strings.TrimSpace(d.Reason))
	if err != nil {
		return nil, err
	}
	eff := store.Effects{Log: entry, Notices: []*store.Notice{s.notices.About(w.AuthorID, store.NoticeThemesAdded, w, &entry.ID)}}
	err = s.st.SetThemes(ctx, t, w.ID, sealed, eff)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errThemesGone
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &ItemOutcome{TargetType: string(t), TargetID: w.ID, Status: w.Status}, nil
}

package moderation

import (
	"context"
	"errors"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Version is one text of a story or reply as moderators read it, with
// the themes it carried then: title for stories only.
type Version struct {
	Title    *string   `json:"title,omitempty"`
	Body     string    `json:"body"`
	Themes   []string  `json:"themes"`
	EditedAt time.Time `json:"edited_at"`
}

// History is every version of writing under review, oldest first, the
// current one last.
type History struct {
	Versions []Version `json:"versions"`
}

// History shows moderators what a story or reply in their queue said
// before its edits, so a flag about words edited away still makes sense.
// Writing that is not in the queue has no history to show (404).
func (s *Service) History(ctx context.Context, a kernel.Actor, targetType, id string) (*History, error) {
	if err := policy(a, readQueue, on{}); err != nil {
		return nil, err
	}
	t, err := target(targetType)
	if err != nil {
		return nil, err
	}
	h, err := s.st.WritingHistory(ctx, t, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, kernel.ErrNotFound
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if !h.InReview {
		return nil, kernel.ErrNotFound
	}
	out := &History{Versions: make([]Version, 0, len(h.Earlier)+1)}
	for _, v := range h.Earlier {
		lt, lb, lth := store.VersionLocations(v.ID)
		ver, err := s.version(ctx, t, v, lt, lb, lth)
		if err != nil {
			return nil, err
		}
		out.Versions = append(out.Versions, ver)
	}
	lt, lb, _ := store.StoryLocations(h.Current.TargetID)
	if t == store.TargetReply {
		lb = store.ReplyLocation(h.Current.TargetID)
	}
	cur, err := s.version(ctx, t, h.Current, lt, lb, store.ThemesLocation(t, h.Current.TargetID))
	if err != nil {
		return nil, err
	}
	out.Versions = append(out.Versions, cur)
	return out, nil
}

func (s *Service) version(ctx context.Context, t store.Target, v store.WritingVersion, lt, lb, lth seal.Location) (Version, error) {
	out := Version{EditedAt: v.WrittenAt.UTC()}
	body, err := open(ctx, s.sealer, v.Body, lb)
	if err != nil {
		return out, err
	}
	out.Body = body
	// Writing, and versions, from before themes were kept carry none.
	themes, err := open(ctx, s.sealer, v.Themes, lth)
	if err != nil {
		return out, err
	}
	out.Themes = kernel.ParseThemes(themes).All()
	if t == store.TargetStory {
		title, err := open(ctx, s.sealer, v.Title, lt)
		if err != nil {
			return out, err
		}
		out.Title = &title
	}
	return out, nil
}

// SweepVersions erases the earlier versions of writing that are past
// keeping at now (see store.VersionsKept), then scrubs SQLite's WAL of
// them: an author who edited out a detail must not leave it behind.
func (s *Service) SweepVersions(ctx context.Context, now time.Time) (int64, error) {
	n, err := s.st.SweepVersions(ctx, now)
	if err != nil || n == 0 {
		return n, err
	}
	return n, s.st.ScrubWAL(ctx)
}

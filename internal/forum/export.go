package forum

import (
	"context"

	"hearth/internal/apperr"
)

// Export is everything a member wrote, opened, for them to take away.
type Export struct {
	Circles []Circle `json:"circles"`
	Stories []Story  `json:"stories"`
	Replies []Reply  `json:"replies"`
}

// Export gathers the circles a is in and every story and reply they wrote
// that is not removed, oldest first.
func (s *Service) Export(ctx context.Context, a Actor) (*Export, error) {
	circles, err := s.MemberCircles(ctx, a)
	if err != nil {
		return nil, err
	}
	w, err := s.st.MemberWriting(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := &Export{Circles: circles, Stories: []Story{}, Replies: []Reply{}}
	for i := range w.Stories {
		st, err := s.openStory(ctx, a, &w.Stories[i])
		if err != nil {
			return nil, err
		}
		out.Stories = append(out.Stories, *st)
	}
	out.Replies = make([]Reply, len(w.Replies))
	for i := range w.Replies {
		if err := s.openReplyInto(ctx, a, &w.Replies[i], &out.Replies[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

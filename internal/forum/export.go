package forum

import (
	"context"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Export is everything a member wrote, opened, for them to take away.
type Export struct {
	Circles []Circle `json:"circles"`
	Stories []Story  `json:"stories"`
	Replies []Reply  `json:"replies"`
}

// Export gathers the circles a is in and every story and reply they wrote
// that still has its words, oldest first: writing a moderator removed is
// theirs too, and comes with the reason.
func (s *Service) Export(ctx context.Context, a kernel.Actor) (*Export, error) {
	circles, err := s.MemberCircles(ctx, a)
	if err != nil {
		return nil, err
	}
	w, err := s.st.MemberWriting(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := &Export{Circles: circles, Stories: make([]Story, len(w.Stories)), Replies: make([]Reply, len(w.Replies))}
	removedStories, removedReplies := map[string]**string{}, map[string]**string{}
	for i := range w.Stories {
		own := removedOwn(a, w.Stories[i].AuthorID, w.Stories[i].Status, w.Stories[i].Body)
		st, err := s.openStory(ctx, a, &w.Stories[i], nil)
		if err != nil {
			return nil, err
		}
		out.Stories[i] = *st
		if own {
			removedStories[st.ID] = &out.Stories[i].RemovedReason
		}
	}
	for i := range w.Replies {
		own := removedOwn(a, w.Replies[i].AuthorID, w.Replies[i].Status, w.Replies[i].Body)
		if err := s.openReplyInto(ctx, a, &w.Replies[i], &out.Replies[i], nil); err != nil {
			return nil, err
		}
		if own {
			removedReplies[w.Replies[i].ID] = &out.Replies[i].RemovedReason
		}
	}
	if err := s.tellWhyRemoved(ctx, store.TargetStory, removedStories); err != nil {
		return nil, err
	}
	if err := s.tellWhyRemoved(ctx, store.TargetReply, removedReplies); err != nil {
		return nil, err
	}
	return out, nil
}

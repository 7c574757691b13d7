package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Who is told of what. Each function returns rows for the caller to store
// in the transaction of what they tell of, so a change and its notices
// stand or fall together.

// Shared is what a new story brings: its author follows it.
func (s *Service) Shared(st *store.Story) store.Effects {
	return store.Effects{Follows: []*store.Follow{{MemberID: st.AuthorID, StoryID: st.ID, Following: true, SinceID: st.ID, CreatedAt: st.CreatedAt}}}
}

// Replied is what a new reply brings: its author follows the story (from
// this reply on), and, once it is published, the author of the reply it
// answers is told (reply_to_you) unless they wrote it themselves, can no
// longer read the story, or silenced its author. The story's other
// followers hear of it when they next look (see deliver), as a reply
// held for review is heard of once it is approved.
func (s *Service) Replied(ctx context.Context, r *store.Reply, story *store.StoryView, parent *store.Reply) (store.Effects, error) {
	eff := store.Effects{Follows: []*store.Follow{{MemberID: r.AuthorID, StoryID: r.StoryID, Following: true, SinceID: r.ID, CreatedAt: r.CreatedAt}}}
	if r.Status != store.Published || parent == nil {
		return eff, nil
	}
	n, err := s.toParentAuthor(ctx, r, parent.AuthorID, story.CircleID, story.CircleVisibility, r.CreatedAt)
	if n != nil {
		eff.Notices = append(eff.Notices, n)
	}
	return eff, err
}

// Published is what a reply brings when a moderator publishes it after
// review: the author of the reply it answers is told now.
func (s *Service) Published(ctx context.Context, w *store.WritingRef) ([]*store.Notice, error) {
	if w.Target != store.TargetReply {
		return nil, nil
	}
	r, err := s.st.GetReply(ctx, w.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if r.ParentID == nil {
		return nil, nil
	}
	parent, err := s.st.GetReply(ctx, *r.ParentID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	c, err := s.st.GetCircleByID(ctx, w.CircleID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	n, err := s.toParentAuthor(ctx, r, parent.AuthorID, c.ID, c.Visibility, s.now())
	if n == nil || err != nil {
		return nil, err
	}
	return []*store.Notice{n}, nil
}

// toParentAuthor is the reply_to_you notice of reply r to authorID, or
// nil when they are not to be told.
func (s *Service) toParentAuthor(ctx context.Context, r *store.Reply, authorID, circleID, visibility string, at time.Time) (*store.Notice, error) {
	if authorID == r.AuthorID {
		return nil, nil
	}
	reads, err := s.st.CanRead(ctx, authorID, circleID, visibility)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if !reads {
		return nil, nil
	}
	quiet, err := s.silenced(ctx, authorID, []string{r.AuthorID})
	if err != nil {
		return nil, err
	}
	if quiet[r.AuthorID] {
		return nil, nil
	}
	return &store.Notice{ID: store.NewIDAt(at), MemberID: authorID, Kind: store.NoticeReplyToYou, TargetType: string(store.TargetReply), TargetID: r.ID,
		StoryID: &r.StoryID, CircleID: &circleID, ActorID: &r.AuthorID, CreatedAt: at}, nil
}

// About is the notice of a moderation action to memberID: on writing w (a
// story or reply), or, with w nil, on the member themselves. actionID is
// the action's log entry, which the message quotes and an appeal names.
func (s *Service) About(memberID, kind string, w *store.WritingRef, actionID *string) *store.Notice {
	now := s.now()
	n := &store.Notice{ID: store.NewIDAt(now), MemberID: memberID, Kind: kind, ActionID: actionID, CreatedAt: now}
	if w != nil {
		n.TargetType, n.TargetID = string(w.Target), w.ID
		n.StoryID, n.CircleID = &w.StoryID, &w.CircleID
	}
	return n
}

// CrisisInCircle calls each facilitator of the circle writing w is in when
// it reads as a crisis, naming the writing, never its words (the writer
// themselves aside; for a message in a mentorship, only its writer and
// the circle). A facilitator who muted or blocked the writer is not
// called: they asked to hear nothing of them. A circle with no one else
// to call calls the moderation team at once, all of it: the team's work
// is never folded by a mute, and someone must be told.
func (s *Service) CrisisInCircle(ctx context.Context, w kernel.Writing) ([]*store.Notice, error) {
	ids, err := s.st.FacilitatorIDs(ctx, w.CircleID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if ids, err = s.heeding(ctx, w.AuthorID, without(ids, w.AuthorID)); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		if ids, err = s.st.ModeratorIDs(ctx); err != nil {
			return nil, apperr.Internal(err)
		}
		ids = without(ids, w.AuthorID)
	}
	if w.Target == string(store.TargetMessage) {
		return s.crisisInMentorship(ids, w), nil
	}
	storyID := w.StoryID
	if w.Target == string(store.TargetStory) {
		storyID = w.ID
	}
	ref := &store.WritingRef{Target: store.Target(w.Target), ID: w.ID, StoryID: storyID, CircleID: w.CircleID}
	return s.crisisNotices(ids, ref), nil
}

func (s *Service) crisisNotices(ids []string, w *store.WritingRef) []*store.Notice {
	out := make([]*store.Notice, 0, len(ids))
	for _, id := range ids {
		out = append(out, s.About(id, store.NoticeCrisisInCircle, w, nil))
	}
	return out
}

func without(ids []string, id string) []string {
	out := ids[:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

// EscalateOverdue calls every moderator to each crisis that nobody said
// they are with (acknowledged) within target: once each, whichever process
// gets there first. It returns how many it escalated.
func (s *Service) EscalateOverdue(ctx context.Context, target time.Duration) (int, error) {
	mods, err := s.st.ModeratorIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: moderators: %w", err)
	}
	now := s.now()
	n, err := s.st.EscalateOverdue(ctx, now.Add(-target), now, func(o store.Overdue) []*store.Notice {
		ref := &store.WritingRef{Target: store.Target(o.TargetType), ID: o.TargetID, StoryID: o.StoryID, CircleID: o.CircleID}
		return s.crisisNotices(mods, ref)
	})
	if errors.Is(err, context.Canceled) {
		return n, nil
	}
	return n, err
}

// Mentorship is the notice of kind (a mentorship_* kind) about mentorship
// m to member to of what the other member, actorID, did: none when to
// muted or blocked them. It names the mentorship, never what was written.
func (s *Service) Mentorship(ctx context.Context, kind string, m *store.Mentorship, to, actorID string) ([]*store.Notice, error) {
	heard, err := s.heeding(ctx, actorID, []string{to})
	if err != nil || len(heard) == 0 {
		return nil, err
	}
	n := s.MentorshipClosed(kind, m, to)
	n.ActorID = &actorID
	return []*store.Notice{n}, nil
}

// MentorshipClosed is the notice of kind about mentorship m to member to
// when it closed with no answer of the other member's (a safeguard, a
// facilitator's removal, a mentor no longer offering): Hearth tells it,
// naming nobody.
func (s *Service) MentorshipClosed(kind string, m *store.Mentorship, to string) *store.Notice {
	now := s.now()
	circleID := m.CircleID
	return &store.Notice{ID: store.NewIDAt(now), MemberID: to, Kind: kind, TargetType: store.TargetMentorship, TargetID: m.ID, CircleID: &circleID, CreatedAt: now}
}

// targetMember is the target of a notice about a member themselves, kept
// so that each member in crisis calls each facilitator once.
const targetMember = "member"

// crisisInMentorship is the call to ids of a message in a mentorship that
// reads as a crisis. It names only the member and the circle: the message
// stays between the two.
func (s *Service) crisisInMentorship(ids []string, w kernel.Writing) []*store.Notice {
	now := s.now()
	out := make([]*store.Notice, 0, len(ids))
	for _, id := range ids {
		out = append(out, &store.Notice{ID: store.NewIDAt(now), MemberID: id, Kind: store.NoticeCrisisInCircle, TargetType: targetMember,
			TargetID: w.AuthorID, CircleID: &w.CircleID, ActorID: &w.AuthorID, CreatedAt: now})
	}
	return out
}

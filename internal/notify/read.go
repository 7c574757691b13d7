package notify

import (
	"context"
	"slices"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Notice is a notice as its member reads it. Actor is who acted: null for
// the moderation team and for Hearth itself; ActionID the moderation
// action a notice tells of (what an appeal names).
type Notice struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Message    string         `json:"message"`
	TargetType *string        `json:"target_type"` // null for notices about the member
	TargetID   *string        `json:"target_id"`
	StoryID    *string        `json:"story_id"`
	Actor      *kernel.Author `json:"actor"`
	ActionID   *string        `json:"action_id"`
	ReadAt     *time.Time     `json:"read_at"`
	CreatedAt  time.Time      `json:"created_at"`
}

// deliveryLag is how long a reply may take to commit after it takes its
// place in the feed (published_id, a moment before the commit). A reply
// committed late may have an earlier place than one already delivered, so
// a delivery settles the feed only up to this far behind now, and the
// window after it is read once more when it has passed.
const deliveryLag = time.Minute

// deliver tells a of the replies published in the stories they follow
// since they last looked: each once, never their own, never one that
// answers them (they heard of it as reply_to_you), never one by someone
// they silenced, and only where they may still read.
func (s *Service) deliver(ctx context.Context, a kernel.Actor) error {
	feed, err := s.st.FeedSince(ctx, a.ID)
	if err != nil {
		return apperr.Internal(err)
	}
	if feed.Through == "" {
		return nil
	}
	authors := make([]string, 0, len(feed.Replies))
	for _, r := range feed.Replies {
		authors = append(authors, r.AuthorID)
	}
	quiet, err := s.silenced(ctx, a.ID, authors)
	if err != nil {
		return err
	}
	// A notice's id is its place in the member's list, and up_to marks
	// by it: ids from now, not from when the reply was written, so a
	// reply approved or committed after the member's page was shown sorts
	// above everything on it and is never marked read unseen. Sorted, so
	// the batch keeps the feed's order.
	ids := make([]string, len(feed.Replies))
	now := s.now()
	for i := range ids {
		ids[i] = store.NewIDAt(now)
	}
	slices.Sort(ids)
	notices := make([]*store.Notice, 0, len(feed.Replies))
	for i, r := range feed.Replies {
		if quiet[r.AuthorID] || r.ParentAuthorID != nil && *r.ParentAuthorID == a.ID {
			continue
		}
		notices = append(notices, &store.Notice{ID: ids[i], MemberID: a.ID, Kind: store.NoticeReply,
			TargetType: string(store.TargetReply), TargetID: r.ReplyID, StoryID: &r.StoryID, CircleID: &r.CircleID,
			ActorID: &r.AuthorID, CreatedAt: r.CreatedAt})
	}
	if err := s.st.DeliverFeed(ctx, a.ID, notices, feed.Through, min(feed.Through, s.settled())); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// settled is the place in the feed before which every reply has committed.
func (s *Service) settled() string {
	return store.NewIDAt(s.now().Add(-deliveryLag))
}

// List lists a's notices, newest first; with unread, only those not yet
// read.
func (s *Service) List(ctx context.Context, a kernel.Actor, unread bool, limit int, cursor string) (*kernel.Page[Notice], error) {
	before, err := kernel.Position(cursor, "n")
	if err != nil {
		return nil, err
	}
	if cursor == "" {
		if err := s.deliver(ctx, a); err != nil {
			return nil, err
		}
	}
	rows, err := s.st.ListNotices(ctx, store.FindNotices{MemberID: a.ID, Before: before, Unread: unread, Limit: limit + 1})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Notice]{Items: make([]Notice, 0, min(len(rows), limit))}
	if len(rows) > limit {
		page.NextCursor = kernel.EncodeCursor("n", rows[limit-1].ID)
		rows = rows[:limit]
	}
	blobs := make([][]byte, len(rows))
	for i := range rows {
		blobs[i] = rows[i].ActionReason
	}
	if ctx, err = s.sealer.Warm(ctx, blobs...); err != nil {
		return nil, apperr.Internal(err)
	}
	for i := range rows {
		n, err := s.read(ctx, &rows[i])
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, n)
	}
	return page, nil
}

// read turns a stored notice into what its member reads.
func (s *Service) read(ctx context.Context, v *store.NoticeView) (Notice, error) {
	out := Notice{ID: v.ID, Kind: v.Kind, StoryID: v.StoryID, ActionID: v.ActionID, ReadAt: utc(v.ReadAt), CreatedAt: v.CreatedAt.UTC()}
	// A call about a member (crisis wording in a mentorship) names them as
	// its actor, and nothing they wrote.
	if v.TargetID != "" && v.TargetType != targetMember {
		out.TargetType, out.TargetID = &v.TargetType, &v.TargetID
	}
	if v.ActorHandle != nil {
		out.Actor = &kernel.Author{Handle: handleOrGone(*v.ActorHandle)}
	}
	reason, err := s.reason(ctx, v)
	if err != nil {
		return out, err
	}
	out.Message = message(v, out.Actor, reason)
	return out, nil
}

// UnreadCount counts a's unread notices, first delivering the replies that
// wait for them.
func (s *Service) UnreadCount(ctx context.Context, a kernel.Actor) (int64, error) {
	n, waiting, err := s.unread(ctx, a.ID)
	if err != nil || !waiting {
		return n, err
	}
	if err := s.deliver(ctx, a); err != nil {
		return 0, err
	}
	n, _, err = s.unread(ctx, a.ID)
	return n, err
}

// unread asks the store, and when nothing waits remembers up to where.
func (s *Service) unread(ctx context.Context, memberID string) (int64, bool, error) {
	settled := s.settled()
	n, waiting, err := s.st.UnreadNotices(ctx, memberID, settled, s.quiet.get(memberID))
	if err != nil {
		return 0, false, apperr.Internal(err)
	}
	if !waiting {
		s.quiet.set(memberID, settled)
	}
	return n, waiting, nil
}

// MarkRead marks read a's notices among ids, and with upTo that notice and
// every older one. Never "all": a notice that came while the member's page
// was open must not be marked read unseen. Others' ids are ignored.
func (s *Service) MarkRead(ctx context.Context, a kernel.Actor, ids []string, upTo string) error {
	if len(ids) == 0 && upTo == "" {
		return apperr.Invalid("nothing_to_mark", "Send ids, or up_to: the newest notice you have seen.")
	}
	if len(ids) > 100 {
		return apperr.Invalid("too_many_ids", "Mark at most 100 notices by id at once; up_to marks a notice and every older one.")
	}
	if err := s.st.MarkNoticesRead(ctx, a.ID, ids, upTo, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

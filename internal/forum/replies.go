package forum

import (
	"context"
	"errors"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Reply is a reply as a reader sees it; a placeholder has no author or body,
// nor has a reply folded for its reader (Folded), which keeps its themes
// and its place in the thread.
type Reply struct {
	ID            string     `json:"id"`
	StoryID       string     `json:"story_id"`
	ParentID      *string    `json:"parent_id"`
	Depth         int        `json:"depth"`
	Author        *Author    `json:"author"`
	Body          *string    `json:"body,omitempty"`
	Themes        []string   `json:"themes"`
	Folded        *string    `json:"folded"` // as a story's
	Status        string     `json:"status"`
	SupportCount  int        `json:"support_count"`
	SupportedByMe bool       `json:"supported_by_me"`
	CreatedAt     time.Time  `json:"created_at"`
	EditedAt      *time.Time `json:"edited_at"`
	// RemovedReason: as on a story.
	RemovedReason *string `json:"removed_reason,omitempty"`
	// CrisisResources: as on a story.
	CrisisResources *kernel.CrisisResources `json:"crisis_resources,omitempty"`
}

// MaxDepth is the deepest a reply sits: a reply to a reply at MaxDepth
// becomes its sibling, so threads stay readable on a phone. Replies to the
// story itself are at depth 0.
const MaxDepth = 8

// NewReply is the body of POST /stories/{id}/replies.
type NewReply struct {
	Body     string   `json:"body"`
	ParentID *string  `json:"parent_id"`
	Themes   []string `json:"themes"`
}

// ReplyPatch is the body of PATCH /replies/{id}.
type ReplyPatch struct {
	Body   string    `json:"body"`
	Themes *[]string `json:"themes"` // absent: they stay
}

// PlaceUnder hangs r, a reply to parent, in its thread: one level deeper,
// or beside parent (under the parent's own parent) once parent is at
// MaxDepth, with the path that gives thread order.
func PlaceUnder(r, parent *store.Reply) {
	if parent.Depth >= MaxDepth {
		r.ParentID, r.Depth = parent.ParentID, parent.Depth
		r.Path = parent.Path[:len(parent.Path)-len(parent.ID)] + r.ID
		return
	}
	r.ParentID, r.Depth = &parent.ID, parent.Depth+1
	r.Path = parent.Path + r.ID
}

var errParent = apperr.Invalid("invalid_parent", "parent_id must be a reply to this same story.")

// CreateReply replies to a story, or under another reply of it.
func (s *Service) CreateReply(ctx context.Context, a kernel.Actor, storyID string, in NewReply) (*Reply, error) {
	v, err := s.story(ctx, a, storyID, storyReply)
	if err != nil {
		return nil, err
	}
	if err := kernel.CheckText("body", in.Body, 1, maxReplyBody); err != nil {
		return nil, err
	}
	themes, err := kernel.CheckThemes(in.Themes)
	if err != nil {
		return nil, err
	}
	r := store.Reply{ID: store.NewID(), StoryID: v.ID, AuthorID: a.ID, CreatedAt: s.now()}
	r.Path = r.ID
	var parent *store.Reply // the reply it answers, wherever it is placed
	if in.ParentID != nil {
		if parent, err = s.parent(ctx, a, v, *in.ParentID); err != nil {
			return nil, err
		}
		PlaceUnder(&r, parent)
	}
	keyID, err := s.dataKeyID(a)
	if err != nil {
		return nil, err
	}
	c := circleOf(v)
	w := writing(store.TargetReply, r.ID, c, a, in.Body)
	w.StoryID, w.StoryAuthorID = v.ID, v.AuthorID
	if err := s.guidelinesGate(ctx, c.GuidelinesVersion, c.AcceptedVersion, w); err != nil {
		return nil, err
	}
	verdict, crisis, err := s.intake.Receive(ctx, w)
	if err != nil {
		return nil, err
	}
	r.Status = verdict.Status
	if r.Body, err = s.sealer.Seal(ctx, keyID, []byte(in.Body), store.ReplyLocation(r.ID)); err != nil {
		return nil, apperr.Internal(err)
	}
	if r.Themes, err = s.sealThemes(ctx, keyID, store.TargetReply, r.ID, kernel.WritingThemes{Author: themes}); err != nil {
		return nil, err
	}
	told, err := s.notices.Replied(ctx, &r, v, parent)
	if err != nil {
		return nil, err
	}
	eff := verdict.Effects
	eff.Add(told)
	eff.Postings = s.index.Postings(v.CircleID, store.TargetReply, r.ID, in.Body)
	if err := s.st.CreateReply(ctx, &r, eff); err != nil {
		return nil, apperr.Internal(err)
	}
	// Answered from what was written, not read back: on PostgreSQL a read
	// is one more round trip.
	var out Reply
	written := &store.ReplyView{Reply: r, AuthorHandle: a.Handle, AuthorFacilitates: v.ReaderIsFacilitator}
	if err := s.openReplyInto(ctx, a, written, &out, nil); err != nil { // nobody's own writing folds for them
		return nil, err
	}
	out.CrisisResources = crisis
	return &out, nil
}

// parent finds the reply a new reply to story v answers. Writing the
// caller may not see answers 404, as if it did not exist; a reply they can
// see in another thread is a mistake worth naming.
func (s *Service) parent(ctx context.Context, a kernel.Actor, v *store.StoryView, id string) (*store.Reply, error) {
	parent, err := s.st.GetReply(ctx, id)
	if err != nil {
		return nil, storeErr(err)
	}
	if parent.StoryID == v.ID {
		if err := replyPolicy(a, replyRead, v, parent); err != nil {
			return nil, err
		}
		return parent, nil
	}
	if _, _, err := s.reply(ctx, a, id, replyRead); err != nil {
		return nil, err
	}
	return nil, errParent
}

func (s *Service) getReply(ctx context.Context, a kernel.Actor, id string) (*Reply, error) {
	rv, err := s.st.GetReplyView(ctx, id, a.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	var out Reply
	if err := s.openReplyInto(ctx, a, rv, &out, nil); err != nil {
		return nil, err
	}
	return &out, nil
}

// openReplyInto fills out with a reply as a sees it: its body opened, or
// left out for a placeholder or where folds fold it. It fills in place so
// that a page of replies is one allocation, not one per reply.
func (s *Service) openReplyInto(ctx context.Context, a kernel.Actor, rv *store.ReplyView, out *Reply, folds *kernel.Folds) error {
	*out = Reply{ID: rv.ID, StoryID: rv.StoryID, ParentID: rv.ParentID, Depth: rv.Depth, Status: rv.Status,
		SupportCount: rv.SupportCount, SupportedByMe: rv.SupportedByMe, CreatedAt: rv.CreatedAt.UTC(), EditedAt: utc(rv.EditedAt),
		Themes: []string{}}
	if !canReadText(a, rv.AuthorID, rv.Status) || rv.Body == nil {
		return nil
	}
	themes, err := s.openThemes(ctx, store.TargetReply, rv.ID, rv.Themes)
	if errors.Is(err, seal.ErrUnknownKey) {
		out.Status = store.Removed
		return nil
	}
	if err != nil {
		return apperr.Internal(err)
	}
	out.Themes = themes.All()
	if out.Folded = folds.Fold(rv.AuthorID, out.Themes); out.Folded != nil {
		return nil
	}
	// Every caller hands over a view it just read and keeps no blob of.
	plain, err := s.sealer.OpenInPlace(ctx, rv.Body, store.ReplyLocation(rv.ID))
	if errors.Is(err, seal.ErrUnknownKey) {
		out.Status = store.Removed
		return nil
	}
	if err != nil {
		return apperr.Internal(err)
	}
	body := string(plain)
	out.Author, out.Body = &Author{Handle: rv.AuthorHandle, Facilitator: rv.AuthorFacilitates}, &body
	return nil
}

// ListReplies lists a story's replies in thread order: each reply after its
// parent, siblings oldest first. Replies folded for the reader keep their
// place as placeholders, unless reveal.
func (s *Service) ListReplies(ctx context.Context, a kernel.Actor, storyID string, limit int, cursor string, reveal bool) (*kernel.Page[Reply], error) {
	f := store.FindReplies{ReaderID: a.ID, SeePending: a.Moderates(), Limit: limit + 1}
	var err error
	if f.AfterPath, err = kernel.Position(cursor, "r"); err != nil {
		return nil, err
	}
	// The story and the page are read together (one round trip on
	// PostgreSQL); the page is shown only if the story's policy allows.
	v, rows, err := s.st.Thread(ctx, storyID, f)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := s.underReview(ctx, a, v); err != nil {
		return nil, err
	}
	if err := storyPolicy(a, storyRead, v); err != nil {
		return nil, err
	}
	blobs := make([][]byte, len(rows))
	for i := range rows {
		blobs[i] = rows[i].Body
	}
	var folds *kernel.Folds
	if !reveal && len(rows) > 0 {
		if folds, err = s.folds(ctx, a); err != nil {
			return nil, err
		}
	}
	ctx, err = s.sealer.Warm(ctx, blobs...)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Reply]{Items: make([]Reply, 0, min(len(rows), limit))}
	removed := map[string]**string{}
	for i := range rows {
		if i == limit {
			page.NextCursor = kernel.EncodeCursor("r", rows[i-1].Path)
			break
		}
		page.Items = page.Items[:i+1]
		own := removedOwn(a, rows[i].AuthorID, rows[i].Status, rows[i].Body)
		if err := s.openReplyInto(ctx, a, &rows[i], &page.Items[i], folds); err != nil {
			return nil, err
		}
		if own {
			removed[rows[i].ID] = &page.Items[i].RemovedReason
		}
	}
	if err := s.tellWhyRemoved(ctx, store.TargetReply, removed); err != nil {
		return nil, err
	}
	return page, nil
}

// reply loads a reply with its story and applies the policy for act.
func (s *Service) reply(ctx context.Context, a kernel.Actor, id string, act replyAction) (*store.Reply, *store.StoryView, error) {
	r, v, err := s.st.ReplyWithStory(ctx, id, a.ID)
	if err != nil {
		return nil, nil, storeErr(err)
	}
	if err := s.underReview(ctx, a, v); err != nil {
		return nil, nil, err
	}
	if err := replyPolicy(a, act, v, r); err != nil {
		return nil, nil, err
	}
	return r, v, nil
}

// UpdateReply edits a reply (its author).
func (s *Service) UpdateReply(ctx context.Context, a kernel.Actor, id string, p ReplyPatch) (*Reply, error) {
	r, v, err := s.reply(ctx, a, id, replyEdit)
	if err != nil {
		return nil, err
	}
	if err := kernel.CheckText("body", p.Body, 1, maxReplyBody); err != nil {
		return nil, err
	}
	wasThemes, themes, err := s.editThemes(ctx, store.TargetReply, r.ID, r.Themes, p.Themes)
	if err != nil {
		return nil, err
	}
	keyID, err := s.dataKeyID(a)
	if err != nil {
		return nil, err
	}
	blob, err := s.sealer.Seal(ctx, keyID, []byte(p.Body), store.ReplyLocation(id))
	if err != nil {
		return nil, apperr.Internal(err)
	}
	sealedThemes, err := s.sealThemes(ctx, keyID, store.TargetReply, id, themes)
	if err != nil {
		return nil, err
	}
	w := writing(store.TargetReply, id, circleOf(v), a, p.Body)
	w.StoryID, w.StoryAuthorID = r.StoryID, v.AuthorID
	eff, crisis, err := s.intake.Edited(ctx, w)
	if err != nil {
		return nil, err
	}
	eff.Postings = s.index.Postings(v.CircleID, store.TargetReply, id, p.Body)
	if r.Body == nil {
		return nil, errRemoved
	}
	was, err := s.sealer.OpenInPlace(ctx, r.Body, store.ReplyLocation(id))
	if err != nil {
		return nil, apperr.Internal(err)
	}
	now, written := s.now(), r.CreatedAt
	if r.EditedAt != nil {
		written = *r.EditedAt
	}
	if eff.Version, err = s.earlierVersion(ctx, keyID, store.TargetReply, id, a.ID, nil, string(was), wasThemes, written, now); err != nil {
		return nil, err
	}
	if err := s.st.EditReply(ctx, id, blob, sealedThemes, now, eff); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errRemoved // removed while this edit was on its way
		}
		return nil, apperr.Internal(err)
	}
	out, err := s.getReply(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out.CrisisResources = crisis
	return out, nil
}

// DeleteReply removes a reply (its author only). Its place in
// the thread stays, so the replies under it keep their context.
func (s *Service) DeleteReply(ctx context.Context, a kernel.Actor, id string) error {
	r, _, err := s.reply(ctx, a, id, replyDelete)
	if err != nil {
		return err
	}
	if err := s.st.RemoveReply(ctx, r, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// SupportReply gives (on) or withdraws support of a reply.
func (s *Service) SupportReply(ctx context.Context, a kernel.Actor, id string, on bool) error {
	if _, _, err := s.reply(ctx, a, id, replySupport); err != nil {
		return err
	}
	if err := s.st.SetSupport(ctx, store.TargetReply, id, a.ID, on, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

package forum

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Author names who wrote a story or reply: their handle, and whether they
// facilitate its circle as the reader reads it (someone who stopped being
// a facilitator is not marked as one on what they wrote before).
type Author struct {
	Handle      string `json:"handle"`
	Facilitator bool   `json:"facilitator"`
}

// Story is a story as a reader sees it. A placeholder (removed writing, or
// hidden writing of someone else) has no author, title, body or warning;
// nor has writing folded for its reader (Folded), which keeps its themes.
type Story struct {
	ID             string   `json:"id"`
	Circle         string   `json:"circle"`
	Author         *Author  `json:"author"`
	Title          *string  `json:"title,omitempty"`
	Body           *string  `json:"body,omitempty"`
	ContentWarning *string  `json:"content_warning,omitempty"`
	Themes         []string `json:"themes"`
	// Folded is why the reader's own safety settings fold it (a theme
	// they hide, an author they muted or blocked), or nil.
	Folded        *string `json:"folded"`
	Kind          string  `json:"kind"`
	Status        string  `json:"status"`
	Pinned        bool    `json:"pinned"`
	SupportCount  int     `json:"support_count"`
	SupportedByMe bool    `json:"supported_by_me"`
	// Following: the reader follows it, and hears of its replies.
	Following  bool       `json:"following"`
	ReplyCount int        `json:"reply_count"`
	CreatedAt  time.Time  `json:"created_at"`
	EditedAt   *time.Time `json:"edited_at"`
	// RemovedReason tells the author why a moderator removed their story.
	RemovedReason *string `json:"removed_reason,omitempty"`
	// CrisisResources answers writing that reads as a crisis, once, in the
	// response that created it.
	CrisisResources *kernel.CrisisResources `json:"crisis_resources,omitempty"`
}

// Story kinds.
const (
	KindStory    = "story"
	KindGuidance = "guidance"
)

// NewStory is the body of POST /circles/{slug}/stories.
type NewStory struct {
	Title          string   `json:"title"`
	Body           string   `json:"body"`
	ContentWarning string   `json:"content_warning"`
	Themes         []string `json:"themes"`
	Kind           string   `json:"kind"`
}

// StoryPatch is the body of PATCH /stories/{id}; absent fields stay, an
// empty content_warning takes the warning away.
type StoryPatch struct {
	Title          *string   `json:"title"`
	Body           *string   `json:"body"`
	ContentWarning *string   `json:"content_warning"`
	Themes         *[]string `json:"themes"`
}

// sealStory seals the three texts and the themes of story id with the
// author's key.
func (s *Service) sealStory(ctx context.Context, keyID, id string, title, body, warning string, themes kernel.WritingThemes) (store.StoryEdit, error) {
	var e store.StoryEdit
	var err error
	if e.Themes, err = s.sealThemes(ctx, keyID, store.TargetStory, id, themes); err != nil {
		return e, err
	}
	lt, lb, lw := store.StoryLocations(id)
	for _, f := range []struct {
		to   *[]byte
		text string
		at   seal.Location
	}{{&e.Title, title, lt}, {&e.Body, body, lb}, {&e.ContentWarning, warning, lw}} {
		blob, err := s.sealer.Seal(ctx, keyID, []byte(f.text), f.at)
		if err != nil {
			return e, apperr.Internal(err)
		}
		*f.to = blob
	}
	return e, nil
}

// writing is how new or edited writing goes to the intake.
func writing(t store.Target, id string, c *store.CircleView, a kernel.Actor, texts ...string) kernel.Writing {
	return kernel.Writing{Target: string(t), ID: id, CircleID: c.ID, CircleName: c.Name, Premoderation: c.Premoderation,
		AuthorID: a.ID, AuthorFacilitates: c.IsFacilitator, AuthorModerates: a.Moderates(), Texts: texts}
}

// CreateStory shares a story, or guidance from a facilitator, in a circle.
func (s *Service) CreateStory(ctx context.Context, a kernel.Actor, slug string, in NewStory) (*Story, error) {
	c, err := s.circle(ctx, a, slug, circleWrite)
	if err != nil {
		return nil, err
	}
	switch in.Kind {
	case "":
		in.Kind = KindStory
	case KindStory:
	case KindGuidance:
		if !c.IsFacilitator {
			return nil, errNotFacilitator
		}
	default:
		return nil, apperr.Invalid("invalid_kind", "kind is story or guidance.")
	}
	t, err := title(in.Title)
	if err != nil {
		return nil, err
	}
	if err := kernel.CheckText("body", in.Body, 1, maxStoryBody); err != nil {
		return nil, err
	}
	if err := kernel.CheckText("content_warning", in.ContentWarning, 0, maxContentWarning); err != nil {
		return nil, err
	}
	themes, err := kernel.CheckThemes(in.Themes)
	if err != nil {
		return nil, err
	}
	keyID, err := s.dataKeyID(a)
	if err != nil {
		return nil, err
	}
	st := store.Story{ID: store.NewID(), CircleID: c.ID, AuthorID: a.ID, Kind: in.Kind, CreatedAt: s.now()}
	w := writing(store.TargetStory, st.ID, c, a, t, in.Body, in.ContentWarning)
	if err := s.guidelinesGate(ctx, c.GuidelinesVersion, c.AcceptedVersion, w); err != nil {
		return nil, err
	}
	verdict, crisis, err := s.intake.Receive(ctx, w)
	if err != nil {
		return nil, err
	}
	st.Status = verdict.Status
	sealed, err := s.sealStory(ctx, keyID, st.ID, t, in.Body, in.ContentWarning, kernel.WritingThemes{Author: themes})
	if err != nil {
		return nil, err
	}
	st.Title, st.Body, st.ContentWarning, st.Themes = sealed.Title, sealed.Body, sealed.ContentWarning, sealed.Themes
	eff := verdict.Effects
	eff.Add(s.notices.Shared(&st))
	eff.Postings = s.index.Postings(c.ID, store.TargetStory, st.ID, t, in.Body)
	if err := s.st.CreateStory(ctx, &st, eff); err != nil {
		return nil, apperr.Internal(err)
	}
	// Answered from what was written, not read back (a round trip on
	// PostgreSQL): its author follows it, nobody has answered yet, and
	// nobody's own writing is folded for them.
	out, err := s.openStory(ctx, a, &store.StoryView{Story: st, CircleSlug: c.Slug, CircleName: c.Name, CircleVisibility: c.Visibility,
		CirclePremoderation: c.Premoderation, AuthorHandle: a.Handle, AuthorFacilitates: c.IsFacilitator, Following: true,
		ReaderIsMember: c.IsMember, ReaderIsFacilitator: c.IsFacilitator}, nil)
	if err != nil {
		return nil, err
	}
	out.CrisisResources = crisis
	return out, nil
}

// story loads a story as a sees it, its replies not counted, and applies
// the policy for act.
func (s *Service) story(ctx context.Context, a kernel.Actor, id string, act storyAction) (*store.StoryView, error) {
	return s.storyFor(ctx, a, id, act, false)
}

func (s *Service) storyFor(ctx context.Context, a kernel.Actor, id string, act storyAction, counted bool) (*store.StoryView, error) {
	v, err := s.storyView(ctx, a, id, counted)
	if err != nil {
		return nil, err
	}
	if err := storyPolicy(a, act, v); err != nil {
		return nil, err
	}
	return v, nil
}

// storyView loads story id as a sees it. Whether it waits in the queue is
// asked only where the policy needs to know: of a moderator outside its
// private circle.
func (s *Service) storyView(ctx context.Context, a kernel.Actor, id string, counted bool) (*store.StoryView, error) {
	v, err := s.st.GetStoryView(ctx, id, a.ID, counted)
	if err != nil {
		return nil, storeErr(err)
	}
	return v, s.underReview(ctx, a, v)
}

// underReview asks whether story v waits in the queue where the policy
// needs to know: of a moderator outside its private circle.
func (s *Service) underReview(ctx context.Context, a kernel.Actor, v *store.StoryView) error {
	if v.CircleVisibility != store.VisibilityPrivate || v.ReaderIsMember || !a.Moderates() {
		return nil
	}
	var err error
	if v.UnderReview, err = s.st.StoryUnderReview(ctx, v.ID); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// GetStory returns one story, its replies counted, folded as the reader's
// safety settings say unless reveal.
func (s *Service) GetStory(ctx context.Context, a kernel.Actor, id string, reveal bool) (*Story, error) {
	v, err := s.storyFor(ctx, a, id, storyRead, true)
	if err != nil {
		return nil, err
	}
	var folds *kernel.Folds
	if !reveal {
		if folds, err = s.folds(ctx, a); err != nil {
			return nil, err
		}
	}
	removed := removedOwn(a, v.AuthorID, v.Status, v.Body)
	out, err := s.openStory(ctx, a, v, folds)
	if err != nil || !removed {
		return out, err
	}
	if err := s.tellWhyRemoved(ctx, store.TargetStory, map[string]**string{out.ID: &out.RemovedReason}); err != nil {
		return nil, err
	}
	return out, nil
}

// removedOwn reports whether writing is a's own, removed by a moderator
// with its words kept: its author is told why.
func removedOwn(a kernel.Actor, authorID, status string, body []byte) bool {
	return authorID == a.ID && status == store.Removed && body != nil
}

// tellWhyRemoved fills in, for each target id in into, the reason the
// moderator gave when they removed it, in one query for them all.
func (s *Service) tellWhyRemoved(ctx context.Context, t store.Target, into map[string]**string) error {
	if len(into) == 0 {
		return nil
	}
	ids := make([]string, 0, len(into))
	for id := range into {
		ids = append(ids, id)
	}
	entries, err := s.st.RemovalReasons(ctx, t, ids)
	if err != nil {
		return apperr.Internal(err)
	}
	for id, e := range entries {
		plain, err := s.sealer.OpenInPlace(ctx, e.Reason, store.LogReasonLocation(e.ID))
		if errors.Is(err, seal.ErrUnknownKey) {
			continue // the moderator's account is gone, and their words with it
		}
		if err != nil {
			return apperr.Internal(err)
		}
		reason := string(plain)
		*into[id] = &reason
	}
	return nil
}

// openStory opens a story's texts for a, or leaves them out where a may see
// only a placeholder or folds say it is folded for them. A blob whose author
// was erased reads as removed; any other failure to open is a 500, never
// someone else's text.
func (s *Service) openStory(ctx context.Context, a kernel.Actor, v *store.StoryView, folds *kernel.Folds) (*Story, error) {
	out := &Story{ID: v.ID, Circle: v.CircleSlug, Kind: v.Kind, Status: v.Status, Pinned: v.PinnedAt != nil,
		SupportCount: v.SupportCount, SupportedByMe: v.SupportedByMe, Following: v.Following, ReplyCount: v.ReplyCount,
		CreatedAt: v.CreatedAt.UTC(), EditedAt: utc(v.EditedAt), Themes: []string{}}
	if !canReadText(a, v.AuthorID, v.Status) || v.Body == nil {
		return out, nil
	}
	themes, err := s.openThemes(ctx, store.TargetStory, v.ID, v.Themes)
	if errors.Is(err, seal.ErrUnknownKey) {
		out.Status = store.Removed
		return out, nil
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out.Themes = themes.All()
	if out.Folded = folds.Fold(v.AuthorID, out.Themes); out.Folded != nil {
		return out, nil
	}
	texts := make([]*string, 3)
	lt, lb, lw := store.StoryLocations(v.ID)
	for i, f := range []struct {
		blob []byte
		at   seal.Location
	}{{v.Title, lt}, {v.Body, lb}, {v.ContentWarning, lw}} {
		// Every caller hands over a view it just read and stores none of
		// its blobs again.
		plain, err := s.sealer.OpenInPlace(ctx, f.blob, f.at)
		if errors.Is(err, seal.ErrUnknownKey) {
			out.Status = store.Removed
			return out, nil
		}
		if err != nil {
			return nil, apperr.Internal(err)
		}
		t := string(plain)
		texts[i] = &t
	}
	out.Author = &Author{Handle: v.AuthorHandle, Facilitator: v.AuthorFacilitates}
	out.Title, out.Body, out.ContentWarning = texts[0], texts[1], texts[2]
	return out, nil
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ListStories lists a circle's stories: pinned first (newest pin first),
// then newest first. The cursor says which of the two runs the page
// continues and where.
func (s *Service) ListStories(ctx context.Context, a kernel.Actor, slug string, limit int, cursor string) (*kernel.Page[Story], error) {
	f := store.FindStories{ReaderID: a.ID, SeePending: a.Moderates(), Pinned: true, Limit: limit + 1}
	if cursor != "" {
		kind, parts, err := kernel.DecodeCursor(cursor, "p", "s")
		if err != nil {
			return nil, err
		}
		if kind == "p" {
			if len(parts) != 2 {
				return nil, kernel.ErrCursor
			}
			ns, err := strconv.ParseInt(parts[0], 10, 64)
			if err != nil {
				return nil, kernel.ErrCursor
			}
			t := time.Unix(0, ns).UTC()
			f.BeforePinned, f.Before = &t, parts[1]
		} else {
			f.Pinned, f.Before = false, parts[0]
		}
	}
	// The circle comes with the page's first reads, and after it, where
	// the page starts among the pinned, the first of the rest: a page
	// that holds both costs one read.
	pages := []store.FindStories{f}
	if f.Pinned {
		rest := f
		rest.Pinned, rest.Before, rest.BeforePinned = false, "", nil
		pages = append(pages, rest)
	}
	c, read, err := s.st.CircleStories(ctx, slug, a.ID, pages...)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := circlePolicy(a, circleStories, c); err != nil {
		return nil, err
	}
	f.CircleID = c.ID
	// next reads on from where the last read stopped: through the pinned
	// stories, then the rest. Its first call takes what came with the
	// circle.
	next := func(n int) ([]store.StoryView, error) {
		pre := read
		read = nil
		list := func(g store.FindStories) ([]store.StoryView, error) {
			if len(pre) > 0 {
				rows := pre[0]
				pre = pre[1:]
				return rows[:min(len(rows), g.Limit)], nil
			}
			rows, err := s.st.ListStoryViews(ctx, g)
			if err != nil {
				return nil, apperr.Internal(err)
			}
			return rows, nil
		}
		var rows []store.StoryView
		f.Limit = n
		if f.Pinned {
			if rows, err = list(f); err != nil {
				return nil, err
			}
			if len(rows) == n {
				last := rows[n-1]
				f.BeforePinned, f.Before = last.PinnedAt, last.ID
				return rows, nil
			}
			f.Pinned, f.Before, f.BeforePinned = false, "", nil
			f.Limit = n - len(rows)
		}
		more, err := list(f)
		if err != nil {
			return nil, err
		}
		if len(more) > 0 {
			f.Before = more[len(more)-1].ID
		}
		return append(rows, more...), nil
	}
	return s.storyPage(ctx, a, limit, true, next, newestCursor)
}

// ListUnanswered lists a circle's published stories that nobody but their
// author has answered yet, oldest first: the ones waiting longest come
// first.
func (s *Service) ListUnanswered(ctx context.Context, a kernel.Actor, slug string, limit int, cursor string) (*kernel.Page[Story], error) {
	c, err := s.circle(ctx, a, slug, circleStories)
	if err != nil {
		return nil, err
	}
	return s.unanswered(ctx, a, []string{c.ID}, limit, cursor, true)
}

// WaitingForReply lists the stories nobody has answered across the circles
// a looks after: the ones they facilitate, and for the moderation team
// every circle whose stories they may read. Oldest first, each with its
// circle.
func (s *Service) WaitingForReply(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[Story], error) {
	circles, err := s.st.ListCircleViews(ctx, store.FindCircles{MemberID: a.ID, Limit: maxCircles})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var ids []string
	facilitates := false
	for i := range circles {
		c := &circles[i]
		facilitates = facilitates || c.IsFacilitator
		if c.IsFacilitator || a.Moderates() && circlePolicy(a, circleStories, c) == nil {
			ids = append(ids, c.ID)
		}
	}
	if err := waitingPolicy(a, facilitates); err != nil {
		return nil, err
	}
	// What waits for a facilitator is never folded: they look after it.
	return s.unanswered(ctx, a, ids, limit, cursor, false)
}

// maxCircles bounds how many circles one look across them takes in.
const maxCircles = 1000

func (s *Service) unanswered(ctx context.Context, a kernel.Actor, circleIDs []string, limit int, cursor string, fold bool) (*kernel.Page[Story], error) {
	f := store.FindUnanswered{CircleIDs: circleIDs, ReaderID: a.ID, Limit: limit + 1}
	var err error
	if f.After, err = kernel.Position(cursor, "u"); err != nil {
		return nil, err
	}
	next := func(n int) ([]store.StoryView, error) {
		f.Limit = n
		rows, err := s.st.ListUnanswered(ctx, f)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		if len(rows) > 0 {
			f.After = rows[len(rows)-1].ID
		}
		return rows, nil
	}
	return s.storyPage(ctx, a, limit, fold, next, func(last *store.StoryView) *string { return kernel.EncodeCursor("u", last.ID) })
}

// Follow makes a follow a story (on) or stop: whoever may read a story may
// follow it.
func (s *Service) Follow(ctx context.Context, a kernel.Actor, id string, on bool) error {
	if _, err := s.story(ctx, a, id, storyRead); err != nil {
		return err
	}
	if err := s.st.SetFollow(ctx, a.ID, id, on, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// newestCursor is where a page of a circle's stories ends: in its pinned
// stories, or in the rest.
func newestCursor(last *store.StoryView) *string {
	if last.PinnedAt != nil {
		return kernel.EncodeCursor("p", strconv.FormatInt(last.PinnedAt.UnixNano(), 10), last.ID)
	}
	return kernel.EncodeCursor("s", last.ID)
}

// storyPage makes a page of up to limit stories read with next (which
// reads on from where it last stopped, n stories at most), warming the key
// cache a batch at a time, and makes the cursor from the last one shown
// with cursorAt. Stories folded for the reader (with fold) are left out and
// next read again past them, so a page holds limit stories when there are
// that many to show, however many are folded.
func (s *Service) storyPage(ctx context.Context, a kernel.Actor, limit int, fold bool, next func(n int) ([]store.StoryView, error), cursorAt func(*store.StoryView) *string) (*kernel.Page[Story], error) {
	page := &kernel.Page[Story]{Items: []Story{}}
	var lastShown store.StoryView
	removed := map[string]int{}
	for {
		rows, err := next(limit + 1)
		if err != nil {
			return nil, err
		}
		var folds *kernel.Folds
		if fold && len(rows) > 0 {
			if folds, err = s.folds(ctx, a); err != nil {
				return nil, err
			}
		}
		blobs := make([][]byte, 0, len(rows))
		for i := range rows {
			blobs = append(blobs, rows[i].Body)
		}
		wctx, err := s.sealer.Warm(ctx, blobs...)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		for i := range rows {
			own := removedOwn(a, rows[i].AuthorID, rows[i].Status, rows[i].Body)
			st, err := s.openStory(wctx, a, &rows[i], folds)
			if err != nil {
				return nil, err
			}
			if st.Folded != nil {
				continue
			}
			if len(page.Items) == limit { // one more to show: the page goes on
				page.NextCursor = cursorAt(&lastShown)
				break
			}
			if own {
				removed[st.ID] = len(page.Items)
			}
			page.Items = append(page.Items, *st)
			lastShown = rows[i]
		}
		if page.NextCursor != nil || len(rows) < limit+1 {
			break
		}
	}
	into := make(map[string]**string, len(removed))
	for id, i := range removed {
		into[id] = &page.Items[i].RemovedReason
	}
	if err := s.tellWhyRemoved(ctx, store.TargetStory, into); err != nil {
		return nil, err
	}
	return page, nil
}

// UpdateStory edits a story (its author).
func (s *Service) UpdateStory(ctx context.Context, a kernel.Actor, id string, p StoryPatch) (*Story, error) {
	v, err := s.story(ctx, a, id, storyEdit)
	if err != nil {
		return nil, err
	}
	sealedThemes := bytes.Clone(v.Themes) // openStory opens v's blobs in place
	cur, err := s.openStory(ctx, a, v, nil)
	if err != nil {
		return nil, err
	}
	if cur.Title == nil {
		return nil, errRemoved
	}
	t, body, warning := *cur.Title, *cur.Body, *cur.ContentWarning
	if p.Title != nil {
		if t, err = title(*p.Title); err != nil {
			return nil, err
		}
	}
	if p.Body != nil {
		if err := kernel.CheckText("body", *p.Body, 1, maxStoryBody); err != nil {
			return nil, err
		}
		body = *p.Body
	}
	if p.ContentWarning != nil {
		if err := kernel.CheckText("content_warning", *p.ContentWarning, 0, maxContentWarning); err != nil {
			return nil, err
		}
		warning = *p.ContentWarning
	}
	was, themes, err := s.editThemes(ctx, store.TargetStory, id, sealedThemes, p.Themes)
	if err != nil {
		return nil, err
	}
	keyID, err := s.dataKeyID(a)
	if err != nil {
		return nil, err
	}
	edit, err := s.sealStory(ctx, keyID, id, t, body, warning, themes)
	if err != nil {
		return nil, err
	}
	edit.EditedAt = s.now()
	eff, crisis, err := s.intake.Edited(ctx, writing(store.TargetStory, id, circleOf(v), a, t, body, warning))
	if err != nil {
		return nil, err
	}
	eff.Postings = s.index.Postings(v.CircleID, store.TargetStory, id, t, body)
	written := v.CreatedAt
	if v.EditedAt != nil {
		written = *v.EditedAt
	}
	if eff.Version, err = s.earlierVersion(ctx, keyID, store.TargetStory, id, a.ID, cur.Title, *cur.Body, was, written, edit.EditedAt); err != nil {
		return nil, err
	}
	if err := s.st.EditStory(ctx, id, edit, eff); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errRemoved // removed while this edit was on its way
		}
		return nil, apperr.Internal(err)
	}
	out, err := s.GetStory(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	out.CrisisResources = crisis
	return out, nil
}

// earlierVersion seals the text an edit replaces (title nil for a reply),
// with the themes it carried, for moderators to read while the writing is
// under review: a flag may be about words, or a theme, edited away since.
func (s *Service) earlierVersion(ctx context.Context, keyID string, t store.Target, id, authorID string, title *string, body string, themes kernel.WritingThemes, written, replaced time.Time) (*store.WritingVersion, error) {
	v := &store.WritingVersion{ID: store.NewIDAt(replaced), TargetType: string(t), TargetID: id, AuthorID: authorID,
		WrittenAt: written, ReplacedAt: replaced}
	lt, lb, lth := store.VersionLocations(v.ID)
	var err error
	if title != nil {
		if v.Title, err = s.sealer.Seal(ctx, keyID, []byte(*title), lt); err != nil {
			return nil, apperr.Internal(err)
		}
	}
	if v.Body, err = s.sealer.Seal(ctx, keyID, []byte(body), lb); err != nil {
		return nil, apperr.Internal(err)
	}
	if v.Themes, err = s.sealer.Seal(ctx, keyID, []byte(themes.Text()), lth); err != nil {
		return nil, apperr.Internal(err)
	}
	return v, nil
}

// circleOf is the circle of a story as its reader sees it, for the intake.
func circleOf(v *store.StoryView) *store.CircleView {
	return &store.CircleView{Circle: store.Circle{ID: v.CircleID, Slug: v.CircleSlug, Name: v.CircleName, Visibility: v.CircleVisibility,
		Premoderation: v.CirclePremoderation, GuidelinesVersion: v.CircleGuidelines},
		IsMember: v.ReaderIsMember, IsFacilitator: v.ReaderIsFacilitator, AcceptedVersion: v.ReaderAccepted}
}

// DeleteStory removes a story (its author only): its text is
// destroyed and it reads as removed.
func (s *Service) DeleteStory(ctx context.Context, a kernel.Actor, id string) error {
	if _, err := s.story(ctx, a, id, storyDelete); err != nil {
		return err
	}
	if err := s.st.RemoveStory(ctx, id, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// Pin pins (on) or unpins a story in its circle (the circle's facilitators).
func (s *Service) Pin(ctx context.Context, a kernel.Actor, id string, on bool) error {
	v, err := s.story(ctx, a, id, storyPin)
	if err != nil {
		return err
	}
	err = s.st.PinStory(ctx, id, v.CircleID, on, s.now())
	if errors.Is(err, store.ErrPinLimit) {
		return apperr.New(http.StatusConflict, "pin_limit", "A circle can pin at most 5 stories; unpin one first.")
	}
	if err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// SupportStory gives (on) or withdraws support of a story; doing it twice
// is the same as once.
func (s *Service) SupportStory(ctx context.Context, a kernel.Actor, id string, on bool) error {
	if _, err := s.story(ctx, a, id, storySupport); err != nil {
		return err
	}
	if err := s.st.SetSupport(ctx, store.TargetStory, id, a.ID, on, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

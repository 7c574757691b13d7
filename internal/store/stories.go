package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Story is a story or a facilitator's guidance in a circle. Title, Body and
// ContentWarning are sealed blobs; a removed story has none.
type Story struct {
	ID             string `gorm:"primaryKey"`
	CircleID       string
	AuthorID       string
	Kind           string
	Status         string
	Title          []byte
	Body           []byte
	ContentWarning []byte
	// Themes is the sealed list of its themes (kernel.JoinThemes); nil on
	// writing from before themes, and on removed writing.
	Themes       []byte
	PinnedAt     *time.Time
	SupportCount int
	CreatedAt    time.Time
	EditedAt     *time.Time
	// AnsweredAt is when someone other than its author first answered it
	// with a reply that is published; nil while nobody has.
	AnsweredAt *time.Time
}

// Writing statuses, shared by stories and replies.
const (
	Published = "published"
	Pending   = "pending"
	Hidden    = "hidden"
	Removed   = "removed"
)

// StoryView is a story with what a reader needs around it: its circle, its
// author's handle, and the reader's own relation to both.
type StoryView struct {
	Story
	CircleSlug          string
	CircleName          string
	CircleVisibility    string
	CirclePremoderation bool
	AuthorHandle        string
	// AuthorFacilitates: its author facilitates its circle, as of now.
	AuthorFacilitates bool
	SupportedByMe     bool
	// Following: the reader follows it.
	Following  bool
	ReplyCount int // see replyCount; 0 where not counted
	// ReaderIsMember and ReaderIsFacilitator are the reader's place in the
	// story's circle.
	ReaderIsMember      bool
	ReaderIsFacilitator bool
	// CircleGuidelines is the version of the circle's guidelines (0: none)
	// and ReaderAccepted the one the reader accepted, read with the story
	// so that a reply's check of them costs no second look.
	CircleGuidelines, ReaderAccepted int
	// UnderReview is not read with the view: the forum asks StoryUnderReview
	// only for a moderator outside the story's private circle.
	UnderReview bool
}

// MaxPins is how many stories a circle may pin.
const MaxPins = 5

// ErrPinLimit means the circle already has MaxPins pinned stories.
var ErrPinLimit = errors.New("store: pin limit reached")

// replyCount counts the replies to story s that every reader of its thread
// finds there, published or as a hidden placeholder: a pending reply is
// seen only by its author and the moderators, a removed one by nobody. It
// is counted as it is read, off idx_replies_count, not kept on the story's
// row: every reply would then lock that one row until its transaction
// ended, and on PostgreSQL replies to a busy story waited for each other.
// The count reads an index entry per reply, so only a story to be shown is
// counted, never one loaded to check a write against (see GetStoryView).
const replyCount = `(SELECT COUNT(*) FROM replies r WHERE r.story_id = s.id AND r.status IN ('` + Published + `', '` + Hidden + `'))`

// storyViewSelect lists its columns in the order scanStoryView reads them:
// pages of stories are scanned by hand, without reflection.
const storyViewSelect = storyViewHead + replyCount + storyViewTail

// storyUncountedSelect is storyViewSelect with ReplyCount left 0.
const storyUncountedSelect = storyViewHead + "0" + storyViewTail

const storyViewHead = `SELECT s.id, s.circle_id, s.author_id, s.kind, s.status, s.title, s.body, s.content_warning, s.themes,
	s.pinned_at, s.support_count, `

const storyViewTail = `, s.created_at, s.edited_at,
	c.slug, c.name, c.visibility, c.premoderation, m.handle, COALESCE(acm.facilitator, false), ss.member_id IS NOT NULL,
	cm.member_id IS NOT NULL, COALESCE(cm.facilitator, false), COALESCE(fw.following, false),
	c.guidelines_version, COALESCE(cm.guidelines_accepted, 0)
	FROM stories s
	JOIN circles c ON c.id = s.circle_id
	JOIN members m ON m.id = s.author_id
	LEFT JOIN circle_members acm ON acm.circle_id = s.circle_id AND acm.member_id = s.author_id
	LEFT JOIN story_supports ss ON ss.story_id = s.id AND ss.member_id = ?
	LEFT JOIN circle_members cm ON cm.circle_id = s.circle_id AND cm.member_id = ?
	LEFT JOIN follows fw ON fw.story_id = s.id AND fw.member_id = ?`

// scanStoryView scans into v in place (nullable columns straight into
// their pointers), so a page of views costs one allocation, not several a
// row.
func scanStoryView(row rowScanner, v *StoryView) error {
	return row.Scan(&v.ID, &v.CircleID, &v.AuthorID, &v.Kind, &v.Status, &v.Title, &v.Body, &v.ContentWarning, &v.Themes,
		&v.PinnedAt, &v.SupportCount, &v.ReplyCount, &v.CreatedAt, &v.EditedAt,
		&v.CircleSlug, &v.CircleName, &v.CircleVisibility, &v.CirclePremoderation, &v.AuthorHandle, &v.AuthorFacilitates,
		&v.SupportedByMe, &v.ReaderIsMember, &v.ReaderIsFacilitator, &v.Following, &v.CircleGuidelines, &v.ReaderAccepted)
}

// CreateStory inserts a story with its effects in one transaction, so no
// story is ever held without its place in the queue; on PostgreSQL the
// transaction is one pipelined round trip (see pipelined).
func (s *Store) CreateStory(ctx context.Context, st *Story, eff Effects) error {
	return s.pipelined(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(st).Error; err != nil {
			return fmt.Errorf("store: create story: %w", err)
		}
		return eff.write(tx)
	})
}

// GetStoryView returns story id as readerID sees it, or ErrNotFound. Its
// replies are counted only when counted: a story loaded to check a write
// against (a reply, say) is not shown, and counting costs a busy story the
// most (see replyCount).
func (s *Store) GetStoryView(ctx context.Context, id, readerID string, counted bool) (*StoryView, error) {
	q := storyUncountedSelect
	if counted {
		q = storyViewSelect
	}
	var v StoryView
	err := scanStoryView(s.queryRow(ctx, q+" WHERE s.id = ?", readerID, readerID, readerID, id), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get story: %w", err)
	}
	return &v, nil
}

// FindStories filters ListStoryViews. Stories come newest first; Pinned
// picks the pinned ones (newest pin first) instead of the rest.
type FindStories struct {
	CircleID string
	// CircleSlug names the circle where its id is not known yet (see
	// CircleStories).
	CircleSlug string
	ReaderID   string
	// SeePending shows pending stories of others (moderators); a reader
	// always sees their own.
	SeePending bool
	Pinned     bool
	// Before is the id (or, for pinned, the pin time and id) the page
	// starts after.
	Before       string
	BeforePinned *time.Time
	Limit        int
}

// ListStoryViews lists one page of a circle's stories in one query.
func (s *Store) ListStoryViews(ctx context.Context, f FindStories) ([]StoryView, error) {
	q, args := storyPage(f)
	out, err := queryRows(ctx, s, f.Limit, scanStoryView, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list stories: %w", err)
	}
	return out, nil
}

// CircleStories reads a circle as readerID sees it and the pages of its
// stories that pages describe (their CircleSlug the circle's), for a
// reader the caller will hold to the circle's policy before showing any.
// On PostgreSQL they travel as one pipelined batch, one round trip; SQLite
// runs them one after the other at no such cost. A circle that is not
// there gives ErrNotFound.
func (s *Store) CircleStories(ctx context.Context, slug, readerID string, pages ...FindStories) (*CircleView, [][]StoryView, error) {
	out := make([][]StoryView, len(pages))
	if s.dialect != Postgres {
		c, err := s.GetCircleView(ctx, slug, readerID)
		if err != nil {
			return nil, nil, err
		}
		for i, f := range pages {
			f.CircleID = c.ID
			if out[i], err = s.ListStoryViews(ctx, f); err != nil {
				return nil, nil, err
			}
		}
		return c, out, nil
	}
	var c CircleView
	err := s.readBatch(ctx, func(b *pgx.Batch) {
		b.Queue(numbered(circleViewSelect+" WHERE c.slug = ?"), readerID, slug).QueryRow(func(row pgx.Row) error { return scanCircleView(row, &c) })
		for i, f := range pages {
			f.CircleID, f.CircleSlug = "", slug
			out[i] = make([]StoryView, 0, f.Limit)
			q, args := storyPage(f)
			queueRows(b, &out[i], scanStoryView, q, args...)
		}
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: circle stories: %w", err)
	}
	return &c, out, nil
}

// storyPage is the query for one page of a circle's stories.
func storyPage(f FindStories) (string, []any) {
	q := storyViewSelect + " WHERE s.circle_id = ? AND (s.status <> ? OR s.author_id = ? OR ?)"
	var circle any = f.CircleID
	if f.CircleID == "" {
		q = storyViewSelect + " WHERE s.circle_id = (SELECT id FROM circles WHERE slug = ?) AND (s.status <> ? OR s.author_id = ? OR ?)"
		circle = f.CircleSlug
	}
	args := []any{f.ReaderID, f.ReaderID, f.ReaderID, circle, Pending, f.ReaderID, f.SeePending}
	if f.Pinned {
		q += " AND s.pinned_at IS NOT NULL"
		if f.BeforePinned != nil {
			q += " AND (s.pinned_at < ? OR (s.pinned_at = ? AND s.id < ?))"
			args = append(args, *f.BeforePinned, *f.BeforePinned, f.Before)
		}
		q += " ORDER BY s.pinned_at DESC, s.id DESC LIMIT ?"
	} else {
		q += " AND s.pinned_at IS NULL"
		if f.Before != "" {
			q += " AND s.id < ?"
			args = append(args, f.Before)
		}
		q += " ORDER BY s.id DESC LIMIT ?"
	}
	return q, append(args, f.Limit)
}

// unanswered is the condition of idx_stories_unanswered and
// idx_stories_unanswered_all, written out so SQLite sees the query implies
// it: published stories (guidance asks for no answer) nobody but their
// author has answered.
const unanswered = " s.answered_at IS NULL AND s.status = '" + Published + "' AND s.kind = 'story'"

// FindUnanswered filters ListUnanswered: the stories of the circles named
// that wait for a reply, oldest first, after the id given.
type FindUnanswered struct {
	CircleIDs []string
	ReaderID  string
	After     string
	Limit     int
}

// ListUnanswered lists one page of stories nobody has answered, read off
// the unanswered indexes: the cost is the page's, not the circles'.
func (s *Store) ListUnanswered(ctx context.Context, f FindUnanswered) ([]StoryView, error) {
	if len(f.CircleIDs) == 0 {
		return nil, nil
	}
	q, args := unansweredPage(f)
	out, err := queryRows(ctx, s, f.Limit, scanStoryView, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list unanswered: %w", err)
	}
	return out, nil
}

func unansweredPage(f FindUnanswered) (string, []any) {
	q := storyViewSelect + " WHERE s.circle_id IN ? AND" + unanswered
	args := []any{f.ReaderID, f.ReaderID, f.ReaderID, f.CircleIDs}
	if f.After != "" {
		q += " AND s.id > ?"
		args = append(args, f.After)
	}
	return q + " ORDER BY s.id LIMIT ?", append(args, f.Limit)
}

// StoryEdit is an author's edit of a story: its texts sealed anew, and
// when.
type StoryEdit struct {
	Title, Body, ContentWarning, Themes []byte
	EditedAt                            time.Time
}

// EditStory writes an edit with its effects (a crisis flag it raised, its
// words in the index in place of the old ones) in one transaction. A
// removed story is never written to again, so an edit racing a delete
// cannot put destroyed text back: that edit gives ErrNotFound.
func (s *Store) EditStory(ctx context.Context, id string, e StoryEdit, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Story{}).Where("id = ? AND status <> ?", id, Removed).
			Select("Title", "Body", "ContentWarning", "Themes", "EditedAt").
			Updates(&Story{Title: e.Title, Body: e.Body, ContentWarning: e.ContentWarning, Themes: e.Themes, EditedAt: &e.EditedAt})
		if res.Error != nil {
			return fmt.Errorf("store: edit story: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := dropPostings(tx, id); err != nil {
			return err
		}
		return eff.write(tx)
	})
}

// RemoveStory marks a story removed and destroys its text (secure_delete
// zeroes the freed bytes), its earlier versions and its words in the
// index; it also loses its pin, and leaves the queue.
func (s *Store) RemoveStory(ctx context.Context, id string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Model(&Story{}).Where("id = ?", id).
			Select("Status", "Title", "Body", "ContentWarning", "Themes", "PinnedAt").Updates(&Story{Status: Removed}).Error
		if err != nil {
			return fmt.Errorf("store: remove story: %w", err)
		}
		if err := dropPostings(tx, id); err != nil {
			return err
		}
		if err := dropVersions(tx, id); err != nil {
			return err
		}
		return closeItem(tx, TargetStory, id, now)
	})
}

// PinStory pins or unpins a story; pinning past MaxPins in its circle gives
// ErrPinLimit. Pinning a pinned story keeps its first pin time.
func (s *Store) PinStory(ctx context.Context, id, circleID string, on bool, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if !on {
			return tx.Model(&Story{}).Where("id = ?", id).Update("pinned_at", nil).Error
		}
		// Lock the circle's row (PostgreSQL) so two pins cannot both count
		// four; SQLite has one writer already.
		if err := tx.Model(&Circle{}).Where("id = ?", circleID).Update("updated_at", gorm.Expr("updated_at")).Error; err != nil {
			return fmt.Errorf("store: lock circle: %w", err)
		}
		var n int64
		if err := tx.Model(&Story{}).Where("circle_id = ? AND pinned_at IS NOT NULL AND id <> ?", circleID, id).Count(&n).Error; err != nil {
			return fmt.Errorf("store: count pins: %w", err)
		}
		if n >= MaxPins {
			return ErrPinLimit
		}
		return tx.Model(&Story{}).Where("id = ? AND pinned_at IS NULL", id).Update("pinned_at", now).Error
	})
}

// SetSupport records or withdraws memberID's support of a story or reply
// (table "story_supports" or "reply_supports"), keeping the target's
// support_count exact: the count moves only when a row really came or went.
func (s *Store) SetSupport(ctx context.Context, target Target, targetID, memberID string, on bool, now time.Time) error {
	t := supportTables[target]
	if s.dialect == Postgres {
		// One statement, so one round trip: the count moves only when the
		// row was added or taken away.
		change, delta := "INSERT INTO "+t.supports+" ("+t.column+", member_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1", "+ 1"
		args := []any{targetID, memberID, now, targetID}
		if !on {
			change, delta = "DELETE FROM "+t.supports+" WHERE "+t.column+" = ? AND member_id = ? RETURNING 1", "- 1"
			args = []any{targetID, memberID, targetID}
		}
		err := s.w.WithContext(ctx).Exec("WITH changed AS ("+change+") UPDATE "+t.targets+" SET support_count = support_count "+delta+
			" WHERE id = ? AND EXISTS (SELECT 1 FROM changed)", args...).Error
		if err != nil {
			return fmt.Errorf("store: set support: %w", err)
		}
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var res *gorm.DB
		delta := "support_count + 1"
		if on {
			res = tx.Exec("INSERT INTO "+t.supports+" ("+t.column+", member_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", targetID, memberID, now)
		} else {
			res = tx.Exec("DELETE FROM "+t.supports+" WHERE "+t.column+" = ? AND member_id = ?", targetID, memberID)
			delta = "support_count - 1"
		}
		if res.Error != nil {
			return fmt.Errorf("store: set support: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return tx.Exec("UPDATE "+t.targets+" SET support_count = "+delta+" WHERE id = ?", targetID).Error
	})
}

// Target is a kind of writing that can be supported or flagged.
type Target string

// Targets.
const (
	TargetStory Target = "story"
	TargetReply Target = "reply"
)

// supportTables are fixed table names, never input, for SetSupport's SQL.
var supportTables = map[Target]struct{ supports, column, targets string }{
	TargetStory: {"story_supports", "story_id", "stories"},
	TargetReply: {"reply_supports", "reply_id", "replies"},
}

// CountPublished counts the stories and replies of a member in a circle
// that readers can see as published, for pre-moderation of newcomers: only
// writing a moderator approved, or that went out published, shows the
// member is past their first steps. Held, removed or deleted writing does
// not count, or three spam posts a moderator removed would let the fourth
// straight through.
func (s *Store) CountPublished(ctx context.Context, authorID, circleID string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM stories WHERE author_id = ? AND circle_id = ? AND status = ?) +
		(SELECT COUNT(*) FROM replies r JOIN stories s ON s.id = r.story_id WHERE r.author_id = ? AND s.circle_id = ? AND r.status = ?)`,
		authorID, circleID, Published, authorID, circleID, Published).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count published writing: %w", err)
	}
	return n, nil
}

// WritingRef is where a story or reply sits and how it stands: what
// moderation needs to act on it.
type WritingRef struct {
	Target                            Target
	ID, StoryID, CircleID, CircleSlug string
	AuthorID, Status                  string
	// HasText is false once its author deleted it or was erased.
	HasText bool
	// ReaderFacilitates: the one who looked it up facilitates its circle.
	ReaderFacilitates bool
}

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

// Reply is one reply in a story's thread. Body is a sealed blob; a removed
// reply has none.
type Reply struct {
	ID       string `gorm:"primaryKey"`
	StoryID  string
	ParentID *string
	Depth    int
	// Path is the chain of ids from the top of the thread to this reply;
	// ordering by it gives thread order.
	Path         string
	AuthorID     string
	Status       string
	Body         []byte
	Themes       []byte // as a story's
	SupportCount int
	CreatedAt    time.Time
	EditedAt     *time.Time
	// PublishedID is the reply's place in the stream its story's
	// followers hear of: set when it is first published, which for a
	// reply held for review is when a moderator approves it.
	PublishedID *string
}

// ReplyView is a reply with its author's handle, whether they facilitate
// its circle (as of now), and the reader's support.
type ReplyView struct {
	Reply
	AuthorHandle      string
	AuthorFacilitates bool
	SupportedByMe     bool
}

// replyViewSelect lists its columns in the order scanReplyView reads them.
const replyViewSelect = `SELECT r.id, r.story_id, r.parent_id, r.depth, r.path, r.author_id, r.status, r.body, r.themes,
	r.support_count, r.created_at, r.edited_at, m.handle, COALESCE(acm.facilitator, false), rs.member_id IS NOT NULL
	FROM replies r
	JOIN members m ON m.id = r.author_id
	JOIN stories st ON st.id = r.story_id
	LEFT JOIN circle_members acm ON acm.circle_id = st.circle_id AND acm.member_id = r.author_id
	LEFT JOIN reply_supports rs ON rs.reply_id = r.id AND rs.member_id = ?`

// scanReplyView scans into v in place, as scanStoryView does.
func scanReplyView(row rowScanner, v *ReplyView) error {
	return row.Scan(&v.ID, &v.StoryID, &v.ParentID, &v.Depth, &v.Path, &v.AuthorID, &v.Status, &v.Body, &v.Themes,
		&v.SupportCount, &v.CreatedAt, &v.EditedAt, &v.AuthorHandle, &v.AuthorFacilitates, &v.SupportedByMe)
}

// CreateReply inserts a reply with its effects, as CreateStory does. It
// never counts the reply on its story's row (see replyCount); the first
// published answer from someone other than the story's author marks the
// story answered, and no reply after it touches the row again.
func (s *Store) CreateReply(ctx context.Context, r *Reply, eff Effects) error {
	if r.Status == Published {
		r.PublishedID = &r.ID
	}
	return s.pipelined(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("store: create reply: %w", err)
		}
		if r.Status == Published {
			if err := markAnswered(tx, r.StoryID, r.AuthorID, r.CreatedAt); err != nil {
				return err
			}
		}
		return eff.write(tx)
	})
}

// markAnswered marks a story answered by a published reply of authorID,
// unless its own author wrote it or it was answered before.
func markAnswered(tx *gorm.DB, storyID, authorID string, at time.Time) error {
	err := tx.Exec("UPDATE stories SET answered_at = ? WHERE id = ? AND answered_at IS NULL AND author_id <> ?", at, storyID, authorID).Error
	if err != nil {
		return fmt.Errorf("store: mark answered: %w", err)
	}
	return nil
}

// reconsiderAnswered works out again whether the stories that where
// selects have a published answer, after replies left them (deleted,
// hidden, removed, erased).
func reconsiderAnswered(tx *gorm.DB, where string, args ...any) error {
	err := tx.Exec(`UPDATE stories SET answered_at = (SELECT MIN(r.created_at) FROM replies r
		WHERE r.story_id = stories.id AND r.status = ? AND r.author_id <> stories.author_id) WHERE `+where,
		append([]any{Published}, args...)...).Error
	if err != nil {
		return fmt.Errorf("store: reconsider answered: %w", err)
	}
	return nil
}

// GetReply returns reply id, or ErrNotFound.
func (s *Store) GetReply(ctx context.Context, id string) (*Reply, error) {
	return take[Reply](ctx, s, "reply", "id = ?", id)
}

// replyColumns lists a reply's columns in the order scanReply reads them.
const replyColumns = `r.id, r.story_id, r.parent_id, r.depth, r.path, r.author_id, r.status, r.body, r.themes,
	r.support_count, r.created_at, r.edited_at, r.published_id`

func scanReply(row rowScanner, r *Reply) error {
	return row.Scan(&r.ID, &r.StoryID, &r.ParentID, &r.Depth, &r.Path, &r.AuthorID, &r.Status, &r.Body, &r.Themes,
		&r.SupportCount, &r.CreatedAt, &r.EditedAt, &r.PublishedID)
}

// ReplyWithStory reads a reply and its story as readerID sees it (its
// replies not counted), for a reader the caller will hold to the reply's
// policy before acting on either. On PostgreSQL both travel as one
// pipelined batch, one round trip. A reply that is not there gives
// ErrNotFound.
func (s *Store) ReplyWithStory(ctx context.Context, id, readerID string) (*Reply, *StoryView, error) {
	if s.dialect != Postgres {
		r, err := s.GetReply(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		v, err := s.GetStoryView(ctx, r.StoryID, readerID, false)
		return r, v, err
	}
	var r Reply
	var v StoryView
	err := s.readBatch(ctx, func(b *pgx.Batch) {
		b.Queue(numbered("SELECT "+replyColumns+" FROM replies r WHERE r.id = ?"), id).QueryRow(func(row pgx.Row) error { return scanReply(row, &r) })
		b.Queue(numbered(storyUncountedSelect+" WHERE s.id = (SELECT story_id FROM replies WHERE id = ?)"), readerID, readerID, readerID, id).
			QueryRow(func(row pgx.Row) error { return scanStoryView(row, &v) })
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: reply with its story: %w", err)
	}
	return &r, &v, nil
}

// GetReplyView returns reply id as readerID sees it, or ErrNotFound.
func (s *Store) GetReplyView(ctx context.Context, id, readerID string) (*ReplyView, error) {
	var v ReplyView
	err := scanReplyView(s.queryRow(ctx, replyViewSelect+" WHERE r.id = ?", readerID, id), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get reply: %w", err)
	}
	return &v, nil
}

// FindReplies filters ListReplyViews: one page of a thread in thread order.
type FindReplies struct {
	StoryID    string
	ReaderID   string
	SeePending bool
	AfterPath  string
	Limit      int
}

// ListReplyViews lists one page of a story's replies in thread order, in
// one query.
func (s *Store) ListReplyViews(ctx context.Context, f FindReplies) ([]ReplyView, error) {
	out, err := queryRows(ctx, s, f.Limit, scanReplyView, replyViewSelect+` WHERE r.story_id = ? AND r.path > ? AND (r.status <> ? OR r.author_id = ? OR ?)
		ORDER BY r.path LIMIT ?`, f.ReaderID, f.StoryID, f.AfterPath, Pending, f.ReaderID, f.SeePending, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("store: list replies: %w", err)
	}
	return out, nil
}

// EditReply writes an author's edit of a reply (its body sealed anew) with
// its effects, its words in the index in place of the old ones. As with
// stories, a removed reply is never written to again (ErrNotFound).
func (s *Store) EditReply(ctx context.Context, id string, body, themes []byte, editedAt time.Time, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Reply{}).Where("id = ? AND status <> ?", id, Removed).
			Select("Body", "Themes", "EditedAt").Updates(&Reply{Body: body, Themes: themes, EditedAt: &editedAt})
		if res.Error != nil {
			return fmt.Errorf("store: edit reply: %w", res.Error)
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

// RemoveReply marks a reply removed and destroys its text, its earlier
// versions and its words in the index. Removing a removed reply changes nothing.
func (s *Store) RemoveReply(ctx context.Context, r *Reply, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := closeItem(tx, TargetReply, r.ID, now); err != nil {
			return err
		}
		err := tx.Model(&Reply{}).Where("id = ? AND status <> ?", r.ID, Removed).Select("Status", "Body", "Themes").Updates(&Reply{Status: Removed}).Error
		if err != nil {
			return fmt.Errorf("store: remove reply: %w", err)
		}
		if err := dropPostings(tx, r.ID); err != nil {
			return err
		}
		if err := dropVersions(tx, r.ID); err != nil {
			return err
		}
		return reconsiderAnswered(tx, "id = ?", r.StoryID)
	})
}

// Authored is everything one member wrote, for their export.
type Authored struct {
	Stories []StoryView
	Replies []ReplyView
}

// MemberWriting returns every story and reply of a member that still has
// its words, oldest first: what a moderator removed is still theirs, what
// they deleted is gone.
func (s *Store) MemberWriting(ctx context.Context, memberID string) (*Authored, error) {
	var w Authored
	var err error
	w.Stories, err = queryRows(ctx, s, 0, scanStoryView, storyViewSelect+" WHERE s.author_id = ? AND s.body IS NOT NULL ORDER BY s.id", memberID, memberID, memberID, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: member stories: %w", err)
	}
	w.Replies, err = queryRows(ctx, s, 0, scanReplyView, replyViewSelect+" WHERE r.author_id = ? AND r.body IS NOT NULL ORDER BY r.id", memberID, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: member replies: %w", err)
	}
	return &w, nil
}

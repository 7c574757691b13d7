package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
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
	SupportCount int
	CreatedAt    time.Time
	EditedAt     *time.Time
}

// ReplyView is a reply with its author's handle and the reader's support.
type ReplyView struct {
	Reply
	AuthorHandle  string
	SupportedByMe bool
}

// replyViewSelect lists its columns in the order scanReplyView reads them.
const replyViewSelect = `SELECT r.id, r.story_id, r.parent_id, r.depth, r.path, r.author_id, r.status, r.body,
	r.support_count, r.created_at, r.edited_at, m.handle, rs.member_id IS NOT NULL
	FROM replies r
	JOIN members m ON m.id = r.author_id
	LEFT JOIN reply_supports rs ON rs.reply_id = r.id AND rs.member_id = ?`

// scanReplyView scans into v in place, as scanStoryView does.
func scanReplyView(row rowScanner, v *ReplyView) error {
	return row.Scan(&v.ID, &v.StoryID, &v.ParentID, &v.Depth, &v.Path, &v.AuthorID, &v.Status, &v.Body,
		&v.SupportCount, &v.CreatedAt, &v.EditedAt, &v.AuthorHandle, &v.SupportedByMe)
}

// CreateReply inserts a reply, stores the rows in also with it (as
// CreateStory does) and counts it on its story. The count comes last: on
// PostgreSQL it locks the story's row until commit, and every reply to the
// story waits for that lock, so it is held for as short a time as can be.
func (s *Store) CreateReply(ctx context.Context, r *Reply, also ...any) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("store: create reply: %w", err)
		}
		if err := createAll(tx, also); err != nil {
			return err
		}
		if !countedReply(r.Status) {
			return nil
		}
		return tx.Model(&Story{}).Where("id = ?", r.StoryID).Update("reply_count", gorm.Expr("reply_count + 1")).Error
	})
}

// GetReply returns reply id, or ErrNotFound.
func (s *Store) GetReply(ctx context.Context, id string) (*Reply, error) {
	var r Reply
	res := s.r.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("store: get reply: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &r, nil
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

// UpdateReply changes the named columns of a reply.
// As with stories, a removed reply is never written to again (ErrNotFound).
func (s *Store) UpdateReply(ctx context.Context, id string, cols map[string]any, also ...any) error {
	return s.updateWriting(ctx, TargetReply, id, cols, also)
}

// RemoveReply marks a reply removed, destroys its text and takes it off its
// story's count if it was on it. Removing a removed reply changes nothing.
func (s *Store) RemoveReply(ctx context.Context, r *Reply, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		// The status it has now, not the one the caller read, decides the
		// count: a moderator may have approved it since. On PostgreSQL the
		// row stays locked until the end, as the moderator's action locks
		// it, reply before story, so neither waits on the other in a cycle.
		q := tx.Model(&Reply{}).Select("status").Where("id = ?", r.ID)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var was Reply
		if err := q.Take(&was).Error; err != nil {
			return fmt.Errorf("store: reply status: %w", err)
		}
		if was.Status == Removed {
			return nil
		}
		if err := closeItem(tx, TargetReply, r.ID, now); err != nil {
			return err
		}
		if err := tx.Model(&Reply{}).Where("id = ?", r.ID).Updates(map[string]any{"status": Removed, "body": nil}).Error; err != nil {
			return fmt.Errorf("store: remove reply: %w", err)
		}
		if !countedReply(was.Status) {
			return nil
		}
		return tx.Model(&Story{}).Where("id = ?", r.StoryID).Update("reply_count", gorm.Expr("reply_count - 1")).Error
	})
}

// Writing is everything one member wrote, for their export.
type Writing struct {
	Stories []StoryView
	Replies []ReplyView
}

// MemberWriting returns every story and reply of a member that is not
// removed, oldest first.
func (s *Store) MemberWriting(ctx context.Context, memberID string) (*Writing, error) {
	var w Writing
	var err error
	w.Stories, err = queryRows(ctx, s, 0, scanStoryView, storyViewSelect+" WHERE s.author_id = ? AND s.status <> ? ORDER BY s.id", memberID, memberID, memberID, Removed)
	if err != nil {
		return nil, fmt.Errorf("store: member stories: %w", err)
	}
	w.Replies, err = queryRows(ctx, s, 0, scanReplyView, replyViewSelect+" WHERE r.author_id = ? AND r.status <> ? ORDER BY r.id", memberID, memberID, Removed)
	if err != nil {
		return nil, fmt.Errorf("store: member replies: %w", err)
	}
	return &w, nil
}

// eraseWriting, inside an account's erasure, removes everything the member
// wrote (the text is destroyed, the places in threads stay as "removed")
// and takes them out of their circles.
func eraseWriting(tx *gorm.DB, memberID string) error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE stories SET reply_count = reply_count - (SELECT COUNT(*) FROM replies r
			WHERE r.story_id = stories.id AND r.author_id = ? AND r.status IN ?)
			WHERE id IN (SELECT story_id FROM replies WHERE author_id = ? AND status IN ?)`, []any{memberID, countedStatuses, memberID, countedStatuses}},
		{`UPDATE moderation_items SET status = ? WHERE author_id = ?`, []any{FlagClosed, memberID}},
		{`UPDATE flags SET status = ? WHERE status = ? AND target_id IN (SELECT id FROM stories WHERE author_id = ? UNION SELECT id FROM replies WHERE author_id = ?)`,
			[]any{FlagClosed, FlagOpen, memberID, memberID}},
		{`UPDATE replies SET status = ?, body = NULL WHERE author_id = ?`, []any{Removed, memberID}},
		{`UPDATE stories SET status = ?, title = NULL, body = NULL, content_warning = NULL, pinned_at = NULL WHERE author_id = ?`, []any{Removed, memberID}},
		{`UPDATE circles SET member_count = member_count - 1 WHERE id IN (SELECT circle_id FROM circle_members WHERE member_id = ?)`, []any{memberID}},
		{`DELETE FROM circle_members WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM notices WHERE member_id = ?`, []any{memberID}},
		{`UPDATE flags SET note = NULL WHERE reporter_id = ?`, []any{memberID}},
	} {
		if err := tx.Exec(q.sql, q.args...).Error; err != nil {
			return fmt.Errorf("store: erase writing: %w", err)
		}
	}
	return nil
}

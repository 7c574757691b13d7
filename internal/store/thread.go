package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Thread reads a story as readerID sees it (its replies not counted) and a
// page of its replies, for a reader the caller will hold to the story's
// policy before showing either. On PostgreSQL both queries travel as one
// pipelined batch, one round trip; SQLite runs them one after the other
// at no such cost. A story that is not there gives ErrNotFound.
func (s *Store) Thread(ctx context.Context, storyID string, f FindReplies) (*StoryView, []ReplyView, error) {
	storyQ, storyArgs := storyUncountedSelect+" WHERE s.id = ?", []any{f.ReaderID, f.ReaderID, f.ReaderID, storyID}
	repliesQ, repliesArgs := replyViewSelect+` WHERE r.story_id = ? AND r.path > ? AND (r.status <> ? OR r.author_id = ? OR ?)
		ORDER BY r.path LIMIT ?`, []any{f.ReaderID, storyID, f.AfterPath, Pending, f.ReaderID, f.SeePending, f.Limit}
	if s.dialect != Postgres {
		v, err := s.GetStoryView(ctx, storyID, f.ReaderID, false)
		if err != nil {
			return nil, nil, err
		}
		f.StoryID = storyID
		rows, err := s.ListReplyViews(ctx, f)
		return v, rows, err
	}
	var v StoryView
	rows := make([]ReplyView, 0, f.Limit)
	err := s.readBatch(ctx, func(b *pgx.Batch) {
		b.Queue(numbered(storyQ), storyArgs...).QueryRow(func(row pgx.Row) error { return scanStoryView(row, &v) })
		queueRows(b, &rows, scanReplyView, repliesQ, repliesArgs...)
	})
	if errors.Is(err, pgx.ErrNoRows) || errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: thread: %w", err)
	}
	return &v, rows, nil
}

// readBatch sends the reads queue queues as one pipelined batch on a
// reader connection, in its turn: one round trip for them all. PostgreSQL
// only.
func (s *Store) readBatch(ctx context.Context, queue func(b *pgx.Batch)) error {
	return s.reading(ctx, func(db *gorm.DB) error {
		b := &pgx.Batch{}
		queue(b)
		return sendBatch(ctx, db, b)
	})
}

// queueRows queues q on b, its rows scanned by scan into *out.
func queueRows[T any](b *pgx.Batch, out *[]T, scan func(rowScanner, *T) error, q string, args ...any) {
	b.Queue(numbered(q), args...).Query(func(rs pgx.Rows) error {
		for rs.Next() {
			*out = append(*out, *new(T))
			if err := scan(rs, &(*out)[len(*out)-1]); err != nil {
				return err
			}
		}
		return rs.Err()
	})
}

// numbered writes a query's ? placeholders as PostgreSQL's $1, $2, …, for
// statements sent past GORM (none of Hearth's queries holds a ? in a
// literal).
func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.Split(q, "?") {
		if n > 0 {
			b.WriteString("$" + strconv.Itoa(n))
		}
		b.WriteString(part)
		n++
	}
	return b.String()
}

package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LogEntry is one line of the moderation log; it is only ever appended.
// Reason is sealed with the actor's key; a system entry has no actor.
type LogEntry struct {
	ID         string `gorm:"primaryKey"`
	ActorID    *string
	Action     string
	TargetType string
	TargetID   string
	Reason     []byte
	CreatedAt  time.Time
}

// TableName is the log's table.
func (LogEntry) TableName() string { return "moderation_log" }

// LogView is a log entry with the handles of its actor and, for actions on
// members, its target, or the slug of a circle it changed.
type LogView struct {
	LogEntry
	ActorHandle  *string
	TargetHandle *string
	TargetCircle *string
}

// ListLog lists the moderation log, newest first, before the id given.
func (s *Store) ListLog(ctx context.Context, before string, limit int) ([]LogView, error) {
	q := `SELECT l.*, m.handle AS actor_handle, t.handle AS target_handle, c.slug AS target_circle FROM moderation_log l
		LEFT JOIN members m ON m.id = l.actor_id
		LEFT JOIN members t ON l.target_type = 'member' AND t.id = l.target_id
		LEFT JOIN circles c ON l.target_type = 'circle' AND c.id = l.target_id`
	var args []any
	if before != "" {
		q += " WHERE l.id < ?"
		args = append(args, before)
	}
	q += " ORDER BY l.id DESC LIMIT ?"
	args = append(args, limit)
	var out []LogView
	if err := s.reading(ctx, func(db *gorm.DB) error { return db.Raw(q, args...).Scan(&out).Error }); err != nil {
		return nil, fmt.Errorf("store: list log: %w", err)
	}
	return out, nil
}

// RemovalReasons returns, for each of the given targets a moderator
// removed, the log entry of its latest removal (its reason, sealed with
// the moderator's key), off idx_log_target.
func (s *Store) RemovalReasons(ctx context.Context, t Target, ids []string) (map[string]LogEntry, error) {
	out := map[string]LogEntry{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := queryRows(ctx, s, len(ids), func(row rowScanner, e *LogEntry) error {
		return row.Scan(&e.ID, &e.TargetID, &e.Reason)
	}, `SELECT id, target_id, reason FROM moderation_log WHERE target_type = ? AND target_id IN ? AND action = ? ORDER BY id`,
		t, ids, "remove")
	if err != nil {
		return nil, fmt.Errorf("store: removal reasons: %w", err)
	}
	for _, e := range rows {
		out[e.TargetID] = e // later entries win: ids grow with time
	}
	return out, nil
}

// AppendLog adds a log entry on its own.
func (s *Store) AppendLog(ctx context.Context, e *LogEntry) error {
	if err := s.w.WithContext(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("store: append log: %w", err)
	}
	return nil
}

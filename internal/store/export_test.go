package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// SQLitePragmas reads back the settings the writer connection runs with.
func (s *Store) SQLitePragmas(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete"} {
		var v string
		if err := s.w.WithContext(ctx).Raw("PRAGMA " + p).Scan(&v).Error; err == nil {
			out[p] = v
		}
	}
	return out
}

// TamperWithLog tries to change and then delete a log line, as code that
// should not would; it returns nil only if either succeeded.
func (s *Store) TamperWithLog(ctx context.Context, id string) error {
	upd := s.w.WithContext(ctx).Exec("UPDATE moderation_log SET action = 'nothing' WHERE id = ?", id)
	del := s.w.WithContext(ctx).Exec("DELETE FROM moderation_log WHERE id = ?", id)
	if upd.Error == nil && upd.RowsAffected > 0 || del.Error == nil && del.RowsAffected > 0 {
		return nil
	}
	return errors.Join(upd.Error, del.Error)
}

// WriteTx exposes the write transaction to tests of group commit.
func (s *Store) WriteTx(ctx context.Context, fn func(tx *gorm.DB) error) error { return s.tx(ctx, fn) }

// QueuePlan is how SQLite reads a page of the queue (after a cursor or
// not): one line per step of EXPLAIN QUERY PLAN.
func (s *Store) QueuePlan(ctx context.Context, after bool) ([]string, error) {
	q := queueSelect
	args := []any{string(TargetStory), string(TargetReply), FlagOpen}
	if after {
		q += ` AND (i.priority > ? OR (i.priority = ? AND (i.first_flagged_at > ? OR (i.first_flagged_at = ? AND
			(i.target_type > ? OR (i.target_type = ? AND i.target_id > ?))))))`
		args = append(args, 1, 1, "2026-01-01", "2026-01-01", "story", "story", "x")
	}
	var rows []struct {
		ID, Parent, Notused int
		Detail              string
	}
	err := s.r.WithContext(ctx).Raw("EXPLAIN QUERY PLAN "+q+" ORDER BY i.priority, i.first_flagged_at, i.target_type, i.target_id LIMIT 51", args...).Scan(&rows).Error
	var out []string
	for _, r := range rows {
		out = append(out, r.Detail)
	}
	return out, err
}

// StablePlanConns is how many SQLite connections got the query planner
// stability guarantee.
func StablePlanConns() int64 { return stablePlanConns() }

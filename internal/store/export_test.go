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

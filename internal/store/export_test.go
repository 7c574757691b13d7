package store

import "context"

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

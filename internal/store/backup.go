package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of the SQLite store to path while the
// server runs (VACUUM INTO reads one snapshot) and checks the copy's
// integrity. The file is created here, empty and mode 0600, before a byte of
// the store goes into it, and never replaces an existing one; a copy that
// fails is removed. PostgreSQL is backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("store: on PostgreSQL, back up with pg_dump (for example: pg_dump --format=custom --file hearth.dump \"$DSN\")")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: %s exists; choose a new file", path)
	}
	if err != nil {
		return fmt.Errorf("store: create backup file: %w", err)
	}
	err = f.Chmod(0o600) // exact, whatever the umask
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.backupInto(ctx, path)
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

func (s *Store) backupInto(ctx context.Context, path string) error {
	// VACUUM INTO fills a file that exists only when it is empty.
	if err := s.w.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("store: VACUUM INTO: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return fmt.Errorf("store: check backup: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("store: backup failed its integrity check: %s", result)
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"gorm.io/gorm"

	"hearth/internal/seal"
)

// DataKey is a member's data key, wrapped by the master key.
type DataKey struct {
	ID        string `gorm:"primaryKey"`
	MemberID  string
	Wrapped   []byte
	CreatedAt time.Time
}

// WrappedDataKey fetches a wrapped data key for the sealer. An erased one
// gives an error wrapping seal.ErrUnknownKey.
func (s *Store) WrappedDataKey(ctx context.Context, id string) ([]byte, error) {
	var k DataKey
	err := s.r.WithContext(ctx).Where("id = ?", id).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("%w: data key erased or never made", seal.ErrUnknownKey)
	}
	if err != nil {
		return nil, fmt.Errorf("store: data key: %w", err)
	}
	return k.Wrapped, nil
}

// WrappedKeyIDs counts the data keys and server secrets wrapped under each
// master key, by key id. A blob whose key id cannot be read is an error, so
// callers deciding whether a key may go never decide on partial knowledge.
func (s *Store) WrappedKeyIDs(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, q := range []struct{ table, column string }{{"data_keys", "wrapped"}, {"secrets", "value"}} {
		rows, err := s.r.WithContext(ctx).Table(q.table).Select(q.column).Rows()
		if err != nil {
			return nil, fmt.Errorf("store: read %s: %w", q.table, err)
		}
		for rows.Next() {
			var blob []byte
			if err := rows.Scan(&blob); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: read %s: %w", q.table, err)
			}
			id, err := seal.BlobKeyID(blob)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: a value in %s names no master key: %w", q.table, err)
			}
			out[id]++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: read %s: %w", q.table, err)
		}
	}
	return out, nil
}

// Rewrap is how rotation re-wraps one blob; it returns nil to leave it.
type Rewrap func(blob, aad []byte) ([]byte, error)

// RewrapKeys re-wraps every data key and server secret in one transaction,
// so a crash leaves all under the old master key or all under the new. It
// returns how many rows it changed.
func (s *Store) RewrapKeys(ctx context.Context, dataKeyAAD func(id string) []byte, secretAAD func(name string) []byte, fn Rewrap) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var keys []DataKey
		if err := tx.Find(&keys).Error; err != nil {
			return err
		}
		for _, k := range keys {
			b, err := fn(k.Wrapped, dataKeyAAD(k.ID))
			if err != nil {
				return err
			}
			if b != nil {
				if err := tx.Model(&DataKey{}).Where("id = ?", k.ID).Update("wrapped", b).Error; err != nil {
					return err
				}
				n++
			}
		}
		var secrets []secret
		if err := tx.Find(&secrets).Error; err != nil {
			return err
		}
		for _, sc := range secrets {
			b, err := fn(sc.Value, secretAAD(sc.Name))
			if err != nil {
				return err
			}
			if b != nil {
				if err := tx.Model(&secret{}).Where("name = ?", sc.Name).Update("value", b).Error; err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: re-wrap keys: %w", err)
	}
	return n, nil
}

// EraseMember destroys a member's data key, recovery codes and sessions and
// leaves a tombstone without handle or password, in one transaction. A member
// already erased (or never there) gives ErrNotFound. The destroyed bytes are
// zeroed in their pages by secure_delete, but on SQLite the WAL still holds
// them until ScrubWAL runs: callers run it once the erasure is committed.
func (s *Store) EraseMember(ctx context.Context, memberID string, now time.Time) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := eraseWriting(tx, memberID, now); err != nil {
			return err
		}
		if err := revokeInvitesBy(tx, memberID, "", now); err != nil {
			return err
		}
		for _, q := range []struct {
			model any
			where string
		}{{&DataKey{}, "member_id = ?"}, {&RecoveryCode{}, "member_id = ?"}, {&Session{}, "member_id = ?"}} {
			if err := tx.Where(q.where, memberID).Delete(q.model).Error; err != nil {
				return err
			}
		}
		// "~" never appears in a handle, so the tombstone cannot be signed
		// into or taken; the old handle is free again.
		res := tx.Model(&Member{}).Where("id = ? AND status <> ?", memberID, StatusDeleted).Updates(map[string]any{
			"handle": "~" + memberID, "password_hash": "", "status": StatusDeleted, "deleted_at": now, "data_key_id": nil,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: erase member: %w", err)
	}
	return nil
}

// How ScrubWAL waits. Each attempt may hold SQLite's write lock for at most
// scrubBusy while it waits for readers; between attempts writers go on.
const (
	scrubBusy   = 50 * time.Millisecond
	scrubPause  = 50 * time.Millisecond
	scrubBudget = 2 * time.Second
)

// ScrubWAL folds the WAL into the database file and truncates it, so pages
// an erasure overwrote are gone from both. It runs on a connection of its
// own with a short busy timeout, never on the shared writer connection: a
// truncating checkpoint holds the write lock while it waits for readers,
// and with the writer's long timeout every write in the process would stall
// behind it. It retries while readers hold older snapshots, for at most
// scrubBudget (or until ctx ends), then gives up; the next checkpoint (at
// the latest the one at a clean stop) finishes the job. PostgreSQL has no
// such file: it returns nil there.
func (s *Store) ScrubWAL(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, scrubBudget)
	defer cancel()
	db, err := sql.Open("sqlite3", fmt.Sprintf("file:%s?_busy_timeout=%d", s.path, scrubBusy.Milliseconds()))
	if err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var last error
	for {
		var busy, logFrames, done int
		err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
		switch {
		case err == nil && busy == 0:
			return nil
		case err == nil:
			last = errors.New("readers kept older snapshots")
		default:
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("store: checkpoint gave up: %w", last)
		case <-time.After(scrubPause):
		}
	}
}

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

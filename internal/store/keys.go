package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
// leaves a tombstone without handle or password, then folds the WAL into the
// file so the destroyed bytes (zeroed by secure_delete) are gone from both.
func (s *Store) EraseMember(ctx context.Context, memberID string, now time.Time) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := eraseWriting(tx, memberID); err != nil {
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
	if err != nil {
		return fmt.Errorf("store: erase member: %w", err)
	}
	return s.checkpointAll(ctx)
}

// checkpointAll retries a truncating checkpoint until no reader holds an old
// snapshot, so erased pages leave the WAL.
func (s *Store) checkpointAll(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	for i := 0; i < 50; i++ {
		var busy, logFrames, done int
		row := s.w.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row()
		if err := row.Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("store: checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("store: checkpoint kept finding readers")
}

// Backup writes a consistent copy of the SQLite store to path while the
// server runs (VACUUM INTO reads one snapshot) and checks the copy's
// integrity. PostgreSQL is backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("store: on PostgreSQL, back up with pg_dump (for example: pg_dump --format=custom --file hearth.dump \"$DSN\")")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: %s exists; choose a new file", path)
	}
	if err := s.w.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("store: VACUUM INTO: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		return err
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

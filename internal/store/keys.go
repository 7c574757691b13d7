package store

import (
	"context"
	"errors"
	"fmt"
	"hearth/internal/seal"
	"time"

	"gorm.io/gorm"
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
	k, err := take[DataKey](ctx, s, "data key", "id = ?", id)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("%w: data key erased or never made", seal.ErrUnknownKey)
	}
	if err != nil {
		return nil, err
	}
	return k.Wrapped, nil
}

// WrappedDataKeys fetches many wrapped data keys in one query, for the
// sealer to warm its cache before a page is opened. Erased keys are simply
// absent from the map.
func (s *Store) WrappedDataKeys(ctx context.Context, ids []string) (map[string][]byte, error) {
	var rows []DataKey
	if err := s.reading(ctx, func(db *gorm.DB) error { return db.Where("id IN ?", ids).Find(&rows).Error }); err != nil {
		return nil, fmt.Errorf("store: data keys: %w", err)
	}
	out := make(map[string][]byte, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Wrapped
	}
	return out, nil
}

// WrappedKeyIDs counts the data keys and server secrets wrapped under each
// master key, by key id. A blob whose key id cannot be read is an error, so
// callers deciding whether a key may go never decide on partial knowledge.
func (s *Store) WrappedKeyIDs(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, q := range []string{"SELECT wrapped FROM data_keys", "SELECT value FROM secrets"} {
		blobs, err := queryRows(ctx, s, 0, func(row rowScanner, b *[]byte) error { return row.Scan(b) }, q)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", q, err)
		}
		for _, blob := range blobs {
			id, err := seal.BlobKeyID(blob)
			if err != nil {
				return nil, fmt.Errorf("store: a value of %s names no master key: %w", q, err)
			}
			out[id]++
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

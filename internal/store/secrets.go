package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// secret is a server secret, wrapped by the master key.
type secret struct {
	Name      string `gorm:"primaryKey"`
	Value     []byte
	CreatedAt time.Time
}

// GetSecret returns a stored server secret (wrapped by the master key), or
// ErrNotFound.
func (s *Store) GetSecret(ctx context.Context, name string) ([]byte, error) {
	row, err := take[secret](ctx, s, "secret", "name = ?", name)
	if err != nil {
		return nil, err
	}
	return row.Value, nil
}

// GetSecretVersion returns a stored secret with the time it was made, its
// version.
func (s *Store) GetSecretVersion(ctx context.Context, name string) ([]byte, time.Time, error) {
	row, err := take[secret](ctx, s, "secret", "name = ?", name)
	if err != nil {
		return nil, time.Time{}, err
	}
	return row.Value, row.CreatedAt, nil
}

// SecretVersion returns when the stored secret was made.
func (s *Store) SecretVersion(ctx context.Context, name string) (time.Time, error) {
	var t time.Time
	err := s.queryRow(ctx, "SELECT created_at FROM secrets WHERE name = ?", name).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("store: secret version: %w", err)
	}
	return t, nil
}

// ReplaceSecret puts a new value, made at now, in place of a stored
// secret; ErrNotFound when there is none.
func (s *Store) ReplaceSecret(ctx context.Context, name string, value []byte, now time.Time) error {
	res := s.w.WithContext(ctx).Model(&secret{}).Where("name = ?", name).Select("Value", "CreatedAt").Updates(&secret{Value: value, CreatedAt: now})
	if res.Error != nil {
		return fmt.Errorf("store: replace secret: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// PutSecretIfAbsent stores a secret unless one of that name exists; either
// way it returns the value now stored, so processes starting together agree.
func (s *Store) PutSecretIfAbsent(ctx context.Context, name string, value []byte, now time.Time) ([]byte, error) {
	err := s.w.WithContext(ctx).Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", name, value, now).Error
	if err != nil {
		return nil, fmt.Errorf("store: put secret: %w", err)
	}
	var row secret
	if err := s.w.WithContext(ctx).Where("name = ?", name).Take(&row).Error; err != nil {
		return nil, fmt.Errorf("store: read secret: %w", err)
	}
	return row.Value, nil
}

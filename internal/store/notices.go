package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Notice is a message to one member, sealed with their key.
type Notice struct {
	ID         string `gorm:"primaryKey"`
	MemberID   string
	Kind       string
	Message    []byte
	TargetType string
	TargetID   string
	CreatedAt  time.Time
}

// ListNotices lists a member's notices, newest first, before the id given.
func (s *Store) ListNotices(ctx context.Context, memberID, before string, limit int) ([]Notice, error) {
	var out []Notice
	err := s.reading(ctx, func(db *gorm.DB) error {
		q := db.Where("member_id = ?", memberID)
		if before != "" {
			q = q.Where("id < ?", before)
		}
		return q.Order("id DESC").Limit(limit).Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: list notices: %w", err)
	}
	return out, nil
}

// AddNotices stores notices.
func (s *Store) AddNotices(ctx context.Context, notices ...*Notice) error {
	if len(notices) == 0 {
		return nil
	}
	if err := s.w.WithContext(ctx).Create(notices).Error; err != nil {
		return fmt.Errorf("store: add notices: %w", err)
	}
	return nil
}

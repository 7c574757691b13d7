package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"hearth/internal/kernel"
)

// ErrStale means a newer version of a circle's guidelines exists than the
// one accepted.
var ErrStale = errors.New("store: stale version")

// CircleResources reads a circle's resources; a circle that never had any
// has none.
func (c *Circle) CircleResources() []kernel.CrisisResource {
	out := []kernel.CrisisResource{}
	if c.Resources != "" {
		_ = json.Unmarshal([]byte(c.Resources), &out) // written only by SetResources
	}
	return out
}

// SetGuidelines stores version of a circle's guidelines, which must be the
// one after the current (ErrStale when another was written meanwhile),
// with the log entry that records it; whoever wrote it (writerID) has
// accepted it, when they are in the circle.
func (s *Store) SetGuidelines(ctx context.Context, circleID, writerID, text string, version int, log *LogEntry, now time.Time) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE circles SET guidelines_version = ?, guidelines = ?, guidelines_updated_at = ?
			WHERE id = ? AND guidelines_version = ?`, version, text, now, circleID, version-1)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		if err := tx.Exec("UPDATE circle_members SET guidelines_accepted = ? WHERE circle_id = ? AND member_id = ?",
			version, circleID, writerID).Error; err != nil {
			return err
		}
		return tx.Create(log).Error
	})
	if errors.Is(err, ErrStale) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: set guidelines: %w", err)
	}
	return nil
}

// AcceptGuidelines records that memberID accepted version of a circle's
// guidelines; ErrStale when that is not the current version (a new one
// written meanwhile included), ErrNotFound when they are not in the circle.
func (s *Store) AcceptGuidelines(ctx context.Context, circleID, memberID string, version int) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE circle_members SET guidelines_accepted = ? WHERE circle_id = ? AND member_id = ?
			AND ? = (SELECT guidelines_version FROM circles WHERE id = ?)`, version, circleID, memberID, version, circleID)
		if res.Error != nil {
			return fmt.Errorf("store: accept guidelines: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			return nil
		}
		var in int64
		if err := tx.Model(&CircleMember{}).Where("circle_id = ? AND member_id = ?", circleID, memberID).Count(&in).Error; err != nil {
			return fmt.Errorf("store: accept guidelines: %w", err)
		}
		if in == 0 {
			return ErrNotFound
		}
		return ErrStale
	})
}

// GuidelinesState returns the current version of a circle's guidelines (0:
// none) and the one memberID accepted (0: none, or not in the circle).
func (s *Store) GuidelinesState(ctx context.Context, circleID, memberID string) (current, accepted int, err error) {
	err = s.queryRow(ctx, `SELECT c.guidelines_version, COALESCE(cm.guidelines_accepted, 0) FROM circles c
		LEFT JOIN circle_members cm ON cm.circle_id = c.id AND cm.member_id = ? WHERE c.id = ?`, memberID, circleID).Scan(&current, &accepted)
	if err != nil {
		return 0, 0, fmt.Errorf("store: guidelines state: %w", err)
	}
	return current, accepted, nil
}

// SetResources replaces a circle's resources, with the log entry that
// records it.
func (s *Store) SetResources(ctx context.Context, circleID string, resources []kernel.CrisisResource, log *LogEntry, now time.Time) error {
	b, err := json.Marshal(resources)
	if err != nil {
		return fmt.Errorf("store: set resources: %w", err)
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Circle{}).Where("id = ?", circleID).
			Select("Resources", "UpdatedAt").Updates(&Circle{Resources: string(b), UpdatedAt: now}).Error; err != nil {
			return err
		}
		return tx.Create(log).Error
	})
	if err != nil {
		return fmt.Errorf("store: set resources: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Circle is a group members join to share and reply.
type Circle struct {
	ID            string `gorm:"primaryKey"`
	Slug          string
	Name          string
	Description   string
	Visibility    string
	Premoderation bool
	MemberCount   int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Circle visibilities.
const (
	VisibilityOpen    = "open"
	VisibilityPrivate = "private"
)

// CircleView is a circle as one member sees it.
type CircleView struct {
	Circle
	IsMember      bool
	IsFacilitator bool
}

// CircleMember is one member's place in a circle.
type CircleMember struct {
	CircleID    string `gorm:"primaryKey"`
	MemberID    string `gorm:"primaryKey"`
	Facilitator bool
	JoinedAt    time.Time
}

// Invite lets members into a private circle; only the code's hash is kept.
type Invite struct {
	CodeHash  string `gorm:"primaryKey"`
	CircleID  string
	CreatedBy string
	MaxUses   int
	Uses      int
	ExpiresAt time.Time
	CreatedAt time.Time
}

// ErrInvite means an invite code is unknown, spent, expired or for another
// circle.
var ErrInvite = errors.New("store: invite not valid")

const circleViewSelect = `SELECT c.*, cm.member_id IS NOT NULL AS is_member, COALESCE(cm.facilitator, false) AS is_facilitator
	FROM circles c LEFT JOIN circle_members cm ON cm.circle_id = c.id AND cm.member_id = ?`

// CreateCircle inserts a circle; a taken slug gives ErrConflict.
func (s *Store) CreateCircle(ctx context.Context, c *Circle) error {
	if err := s.w.WithContext(ctx).Create(c).Error; err != nil {
		if isUnique(err) {
			return ErrConflict
		}
		return fmt.Errorf("store: create circle: %w", err)
	}
	return nil
}

// UpdateCircle changes the named columns of a circle.
func (s *Store) UpdateCircle(ctx context.Context, id string, cols map[string]any) error {
	if err := s.w.WithContext(ctx).Model(&Circle{}).Where("id = ?", id).Updates(cols).Error; err != nil {
		return fmt.Errorf("store: update circle: %w", err)
	}
	return nil
}

// GetCircleView returns the circle with slug as memberID sees it, or
// ErrNotFound.
func (s *Store) GetCircleView(ctx context.Context, slug, memberID string) (*CircleView, error) {
	var v CircleView
	res := s.r.WithContext(ctx).Raw(circleViewSelect+" WHERE c.slug = ?", memberID, slug).Scan(&v)
	if res.Error != nil {
		return nil, fmt.Errorf("store: get circle: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &v, nil
}

// FindCircles filters ListCircleViews.
type FindCircles struct {
	MemberID string
	// AllPrivate includes private circles the member is not in.
	AllPrivate bool
	AfterSlug  string
	Limit      int
}

// ListCircleViews lists circles by slug: the open ones, the private ones
// the member is in, and with AllPrivate every private one.
func (s *Store) ListCircleViews(ctx context.Context, f FindCircles) ([]CircleView, error) {
	var out []CircleView
	err := s.r.WithContext(ctx).Raw(circleViewSelect+` WHERE c.slug > ? AND (c.visibility = ? OR cm.member_id IS NOT NULL OR ?)
		ORDER BY c.slug LIMIT ?`, f.MemberID, f.AfterSlug, VisibilityOpen, f.AllPrivate, f.Limit).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: list circles: %w", err)
	}
	return out, nil
}

// MemberCircles lists the circles a member is in, by slug.
func (s *Store) MemberCircles(ctx context.Context, memberID string) ([]CircleView, error) {
	var out []CircleView
	err := s.r.WithContext(ctx).Raw(`SELECT c.*, true AS is_member, cm.facilitator AS is_facilitator
		FROM circles c JOIN circle_members cm ON cm.circle_id = c.id AND cm.member_id = ? ORDER BY c.slug`, memberID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: member circles: %w", err)
	}
	return out, nil
}

// JoinCircle makes memberID a member of circleID. With inviteHash it spends
// one use of that invite, unless the member is already in: a spent,
// expired or foreign invite gives ErrInvite and changes nothing.
func (s *Store) JoinCircle(ctx context.Context, circleID, memberID, inviteHash string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		added, err := addMember(tx, circleID, memberID, false, now)
		if err != nil || !added || inviteHash == "" {
			return err
		}
		res := tx.Model(&Invite{}).Where("code_hash = ? AND circle_id = ? AND uses < max_uses AND expires_at > ?", inviteHash, circleID, now).
			Update("uses", gorm.Expr("uses + 1"))
		if res.Error != nil {
			return fmt.Errorf("store: spend invite: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrInvite // and the membership above is rolled back
		}
		return nil
	})
}

// addMember adds a member to a circle and counts them, once: a join racing
// another join of the same member changes nothing the second time.
func addMember(tx *gorm.DB, circleID, memberID string, facilitator bool, now time.Time) (added bool, err error) {
	res := tx.Exec("INSERT INTO circle_members (circle_id, member_id, facilitator, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
		circleID, memberID, facilitator, now)
	if res.Error != nil {
		return false, fmt.Errorf("store: add circle member: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	return true, tx.Model(&Circle{}).Where("id = ?", circleID).Update("member_count", gorm.Expr("member_count + 1")).Error
}

// LeaveCircle removes memberID from circleID (a facilitator stops being
// one); ErrNotFound when they were not in it.
func (s *Store) LeaveCircle(ctx context.Context, circleID, memberID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("circle_id = ? AND member_id = ?", circleID, memberID).Delete(&CircleMember{})
		if res.Error != nil {
			return fmt.Errorf("store: leave circle: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Model(&Circle{}).Where("id = ?", circleID).Update("member_count", gorm.Expr("member_count - 1")).Error
	})
}

// SetFacilitator appoints memberID facilitator of circleID (joining them to
// it if need be) or, with on false, ends that appointment, and logs it.
func (s *Store) SetFacilitator(ctx context.Context, circleID, memberID string, on bool, log *LogEntry, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&CircleMember{}).Where("circle_id = ? AND member_id = ?", circleID, memberID).Update("facilitator", on)
		if res.Error != nil {
			return fmt.Errorf("store: set facilitator: %w", res.Error)
		}
		if res.RowsAffected == 0 && on {
			if _, err := addMember(tx, circleID, memberID, true, now); err != nil {
				return err
			}
		}
		return tx.Create(log).Error
	})
}

// CreateInvite stores an invite.
func (s *Store) CreateInvite(ctx context.Context, inv *Invite) error {
	if err := s.w.WithContext(ctx).Create(inv).Error; err != nil {
		return fmt.Errorf("store: create invite: %w", err)
	}
	return nil
}

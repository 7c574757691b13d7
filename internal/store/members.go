package store

import (
	"context"
	"errors"
	"fmt"
	"hearth/internal/kernel"
	"time"

	"gorm.io/gorm"
)

// Member is an account. Handle is stored lower-cased: handles are unique
// without regard to case.
type Member struct {
	ID             string `gorm:"primaryKey"`
	Handle         string
	Role           string
	PasswordHash   string
	Status         string
	SuspendedUntil *time.Time
	CreatedAt      time.Time
	DataKeyID      *string
	DeletedAt      *time.Time
}

// Member statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
	StatusBanned    = "banned"
	StatusDeleted   = "deleted"
)

// RecoveryCode is one single-use recovery code, hashed.
type RecoveryCode struct {
	MemberID string `gorm:"primaryKey"`
	Slot     int    `gorm:"primaryKey;autoIncrement:false"`
	Hash     string
	UsedAt   *time.Time
}

// CreateMember inserts a member with its recovery codes and data key in one
// transaction. A taken handle gives ErrConflict.
func (s *Store) CreateMember(ctx context.Context, m *Member, codes []string, key *DataKey) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if key != nil {
			m.DataKeyID = &key.ID
		}
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		if key != nil {
			key.MemberID = m.ID
			if err := tx.Create(key).Error; err != nil {
				return err
			}
		}
		return createCodes(tx, m.ID, codes)
	})
	if isUnique(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: create member: %w", err)
	}
	return nil
}

// FindMember picks one member by exactly one of its fields.
type FindMember struct {
	ID     *string
	Handle *string
}

// GetMember returns the member matching f, or ErrNotFound.
func (s *Store) GetMember(ctx context.Context, f FindMember) (*Member, error) {
	var where string
	var arg any
	switch {
	case f.ID != nil:
		where, arg = "id = ?", *f.ID
	case f.Handle != nil:
		where, arg = "handle = ?", *f.Handle
	default:
		return nil, errors.New("store: GetMember needs a field")
	}
	return take[Member](ctx, s, "member", where, arg)
}

// MemberUpdate changes some of a member's fields; nil ones stay.
type MemberUpdate struct {
	Role     *string
	Standing *Standing
}

// Standing is a member's status with the end of a suspension, which change
// together: a member who is not suspended has no end of one.
type Standing struct {
	Status         string
	SuspendedUntil *time.Time
}

// apply runs u as an UPDATE on q (which picks the members): GORM's Select
// names the fields to write, so a nil end of suspension is written as NULL.
func (u MemberUpdate) apply(q *gorm.DB) *gorm.DB {
	var m Member
	var fields []string
	if u.Role != nil {
		m.Role = *u.Role
		fields = append(fields, "Role")
	}
	if u.Standing != nil {
		m.Status, m.SuspendedUntil = u.Standing.Status, u.Standing.SuspendedUntil
		fields = append(fields, "Status", "SuspendedUntil")
	}
	return q.Model(&Member{}).Select(fields).Updates(&m)
}

// UpdateMember changes one member.
func (s *Store) UpdateMember(ctx context.Context, id string, u MemberUpdate) error {
	res := u.apply(s.w.WithContext(ctx).Where("id = ?", id))
	if res.Error != nil {
		return fmt.Errorf("store: update member: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// RecoveryCodes returns a member's unused recovery codes.
func (s *Store) RecoveryCodes(ctx context.Context, memberID string) ([]RecoveryCode, error) {
	var rows []RecoveryCode
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Where("member_id = ? AND used_at IS NULL", memberID).Order("slot").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: recovery codes: %w", err)
	}
	return rows, nil
}

// ReplaceRecoveryCodes puts new codes (hashed) in place of all of a
// member's codes, spent or not, at once.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, memberID string, codes []string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("member_id = ?", memberID).Delete(&RecoveryCode{}).Error; err != nil {
			return fmt.Errorf("store: drop recovery codes: %w", err)
		}
		return createCodes(tx, memberID, codes)
	})
}

func createCodes(tx *gorm.DB, memberID string, codes []string) error {
	if len(codes) == 0 {
		return nil
	}
	rows := make([]RecoveryCode, len(codes))
	for i, h := range codes {
		rows[i] = RecoveryCode{MemberID: memberID, Slot: i, Hash: h}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("store: recovery codes: %w", err)
	}
	return nil
}

// Recover spends a recovery code, sets a new password hash and revokes every
// session of the member, all at once. It gives ErrConflict when the code was
// spent meanwhile, so one code can never be used twice.
func (s *Store) Recover(ctx context.Context, memberID string, slot int, passwordHash string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&RecoveryCode{}).Where("member_id = ? AND slot = ? AND used_at IS NULL", memberID, slot).Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("store: spend recovery code: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if err := tx.Model(&Member{}).Where("id = ?", memberID).Update("password_hash", passwordHash).Error; err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		return revokeSessions(tx, memberID, "", now)
	})
}

// SetPassword changes a member's password hash and revokes every session but
// keep (which may be empty).
func (s *Store) SetPassword(ctx context.Context, memberID, passwordHash, keep string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Member{}).Where("id = ?", memberID).Update("password_hash", passwordHash).Error; err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		return revokeSessions(tx, memberID, keep, now)
	})
}

// CountMembers counts accounts.
func (s *Store) CountMembers(ctx context.Context) (int64, error) {
	var n int64
	err := s.reading(ctx, func(db *gorm.DB) error { return db.Model(&Member{}).Count(&n).Error })
	return n, err
}

// MemberAction changes a member (u may change nothing, as a warning does)
// with its effects (the log entry, notices), in one transaction. A
// suspension or ban also ends what the member's word let others do: their
// sessions, the invites they made and their mentorships; a ban closes
// their open flags too.
func (s *Store) MemberAction(ctx context.Context, memberID string, u MemberUpdate, eff Effects, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if u != (MemberUpdate{}) {
			// A ban is final, even against an action racing it.
			res := u.apply(tx.Where("id = ? AND status <> ?", memberID, StatusBanned))
			if res.Error != nil {
				return fmt.Errorf("store: member action: %w", res.Error)
			}
			if res.RowsAffected != 1 {
				return ErrConflict
			}
		}
		if u.Standing != nil && u.Standing.Status == StatusBanned {
			// A banned member's flags no longer speak for the community.
			if err := closeFlagsBy(tx, memberID, now); err != nil {
				return err
			}
		}
		if u.Standing != nil && (u.Standing.Status == StatusSuspended || u.Standing.Status == StatusBanned) {
			if err := revokeSessions(tx, memberID, "", now); err != nil {
				return err
			}
			if err := revokeInvitesBy(tx, memberID, "", now); err != nil {
				return err
			}
			if err := endMentorshipsOf(tx, memberID, "", now); err != nil {
				return err
			}
		}
		return eff.write(tx)
	})
}

// ModeratorIDs lists the ids of the moderation team in good standing.
func (s *Store) ModeratorIDs(ctx context.Context) ([]string, error) {
	out, err := queryRows(ctx, s, 0, func(row rowScanner, id *string) error { return row.Scan(id) },
		"SELECT id FROM members WHERE role IN ? AND status IN ?", []string{kernel.RoleModerator, kernel.RoleAdmin}, liveStatuses)
	if err != nil {
		return nil, fmt.Errorf("store: moderators: %w", err)
	}
	return out, nil
}

// LiveHandles maps each of ids whose member has not deleted their account
// to their handle, in one query.
func (s *Store) LiveHandles(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	type pair struct{ id, handle string }
	rows, err := queryRows(ctx, s, len(ids), func(row rowScanner, p *pair) error { return row.Scan(&p.id, &p.handle) },
		"SELECT id, handle FROM members WHERE id IN ? AND status <> ?", ids, StatusDeleted)
	if err != nil {
		return nil, fmt.Errorf("store: live handles: %w", err)
	}
	for _, p := range rows {
		out[p.id] = p.handle
	}
	return out, nil
}

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
	// GuidelinesVersion is 0 while the circle has no guidelines; each new
	// text is one more. Guidelines and Resources (JSON, see
	// CircleResources) are written by facilitators for everyone, in clear.
	GuidelinesVersion   int
	Guidelines          string
	GuidelinesUpdatedAt *time.Time
	Resources           string
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
	// AcceptedVersion is the version of the guidelines the member accepted
	// (0: none).
	AcceptedVersion int
}

// CircleMember is one member's place in a circle.
type CircleMember struct {
	CircleID    string `gorm:"primaryKey"`
	MemberID    string `gorm:"primaryKey"`
	Facilitator bool
	JoinedAt    time.Time
	// FacilitatorSince is set while, and only while, Facilitator is.
	FacilitatorSince *time.Time
}

// Invite lets members into a private circle; only the code's hash is kept.
// An invite lives while it is unrevoked, unexpired and not used up, and
// while its maker still facilitates the circle in good standing: it dies
// with their appointment, suspension, ban or account (see liveInvite).
type Invite struct {
	ID        string `gorm:"primaryKey"`
	CodeHash  string
	CircleID  string
	CreatedBy string
	MaxUses   int
	Uses      int
	ExpiresAt time.Time
	CreatedAt time.Time
	RevokedAt *time.Time
}

// InviteView is an invite with its maker's handle, for the circle's
// facilitators.
type InviteView struct {
	Invite
	MakerHandle string
}

// ErrInvite means an invite code is unknown, spent, expired or for another
// circle.
var ErrInvite = errors.New("store: invite not valid")

// circleViewSelect lists its columns in the order scanCircleView reads
// them, for reads pipelined past GORM; GORM scans it by their names.
const circleViewSelect = `SELECT c.id, c.slug, c.name, c.description, c.visibility, c.premoderation, c.member_count,
	c.created_at, c.updated_at, c.guidelines_version, c.guidelines, c.guidelines_updated_at, c.resources,
	cm.member_id IS NOT NULL AS is_member, COALESCE(cm.facilitator, false) AS is_facilitator,
	COALESCE(cm.guidelines_accepted, 0) AS accepted_version
	FROM circles c LEFT JOIN circle_members cm ON cm.circle_id = c.id AND cm.member_id = ?`

func scanCircleView(row rowScanner, v *CircleView) error {
	return row.Scan(&v.ID, &v.Slug, &v.Name, &v.Description, &v.Visibility, &v.Premoderation, &v.MemberCount,
		&v.CreatedAt, &v.UpdatedAt, &v.GuidelinesVersion, &v.Guidelines, &v.GuidelinesUpdatedAt, &v.Resources,
		&v.IsMember, &v.IsFacilitator, &v.AcceptedVersion)
}

// CreateCircle inserts a circle with the log entry that records it; a
// taken slug gives ErrConflict.
func (s *Store) CreateCircle(ctx context.Context, c *Circle, log *LogEntry) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		return tx.Create(log).Error
	})
	if isUnique(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: create circle: %w", err)
	}
	return nil
}

// CircleUpdate changes some of a circle's settings; nil fields stay.
type CircleUpdate struct {
	Name, Description, Visibility *string
	Premoderation                 *bool
	UpdatedAt                     time.Time
}

// UpdateCircle changes a circle and logs the change, in one transaction.
func (s *Store) UpdateCircle(ctx context.Context, id string, u CircleUpdate, log *LogEntry) error {
	c := Circle{UpdatedAt: u.UpdatedAt}
	fields := []string{"UpdatedAt"}
	set := func(field string, to *string, dst *string) {
		if to != nil {
			*dst = *to
			fields = append(fields, field)
		}
	}
	set("Name", u.Name, &c.Name)
	set("Description", u.Description, &c.Description)
	set("Visibility", u.Visibility, &c.Visibility)
	if u.Premoderation != nil {
		c.Premoderation = *u.Premoderation
		fields = append(fields, "Premoderation")
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Circle{}).Where("id = ?", id).Select(fields).Updates(&c).Error; err != nil {
			return fmt.Errorf("store: update circle: %w", err)
		}
		return tx.Create(log).Error
	})
}

// GetCircleView returns the circle with slug as memberID sees it, or
// ErrNotFound.
func (s *Store) GetCircleView(ctx context.Context, slug, memberID string) (*CircleView, error) {
	var v CircleView
	var found bool
	err := s.reading(ctx, func(db *gorm.DB) error {
		res := db.Raw(circleViewSelect+" WHERE c.slug = ?", memberID, slug).Scan(&v)
		found = res.RowsAffected > 0
		return res.Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: get circle: %w", err)
	}
	if !found {
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
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Raw(circleViewSelect+` WHERE c.slug > ? AND (c.visibility = ? OR cm.member_id IS NOT NULL OR ?)
		ORDER BY c.slug LIMIT ?`, f.MemberID, f.AfterSlug, VisibilityOpen, f.AllPrivate, f.Limit).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: list circles: %w", err)
	}
	return out, nil
}

// OpenAndMemberCircles lists every open circle and the private ones the
// member is in, by slug: all the circles whose stories they may list.
func (s *Store) OpenAndMemberCircles(ctx context.Context, memberID string) ([]CircleView, error) {
	var out []CircleView
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Raw(circleViewSelect+` WHERE c.visibility = ? OR cm.member_id IS NOT NULL ORDER BY c.slug`, memberID, VisibilityOpen).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: open and member circles: %w", err)
	}
	return out, nil
}

// MemberCircles lists the circles a member is in, by slug.
func (s *Store) MemberCircles(ctx context.Context, memberID string) ([]CircleView, error) {
	var out []CircleView
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Raw(`SELECT c.*, true AS is_member, cm.facilitator AS is_facilitator, cm.guidelines_accepted AS accepted_version
		FROM circles c JOIN circle_members cm ON cm.circle_id = c.id AND cm.member_id = ? ORDER BY c.slug`, memberID).Scan(&out).Error
	})
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
		res := tx.Exec("UPDATE invites SET uses = uses + 1 WHERE code_hash = ? AND circle_id = ? AND "+liveInvite,
			inviteHash, circleID, now, now)
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
	var since *time.Time
	if facilitator {
		since = &now
	}
	res := tx.Exec("INSERT INTO circle_members (circle_id, member_id, facilitator, joined_at, facilitator_since) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		circleID, memberID, facilitator, now, since)
	if res.Error != nil {
		return false, fmt.Errorf("store: add circle member: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	return true, tx.Model(&Circle{}).Where("id = ?", circleID).Update("member_count", gorm.Expr("member_count + 1")).Error
}

// liveInvite is the condition (on a row of invites, with now twice) under
// which an invite still lets members in. Revoking an invite when its maker
// loses their place is the record of it; this keeps a path that forgets to
// revoke from ever letting anyone in.
const liveInvite = `invites.revoked_at IS NULL AND invites.uses < invites.max_uses AND invites.expires_at > ? AND EXISTS (
	SELECT 1 FROM circle_members cm JOIN members m ON m.id = cm.member_id
	WHERE cm.circle_id = invites.circle_id AND cm.member_id = invites.created_by AND cm.facilitator
	AND (m.status = 'active' OR m.status = 'suspended' AND m.suspended_until <= ?))`

// LeaveCircle removes memberID from circleID (a facilitator stops being
// one, their invites die and their mentorships there end); ErrNotFound when they were not in it.
func (s *Store) LeaveCircle(ctx context.Context, circleID, memberID string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("circle_id = ? AND member_id = ?", circleID, memberID).Delete(&CircleMember{})
		if res.Error != nil {
			return fmt.Errorf("store: leave circle: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := revokeInvitesBy(tx, memberID, circleID, now); err != nil {
			return err
		}
		if err := endMentorshipsOf(tx, memberID, circleID, now); err != nil {
			return err
		}
		return tx.Model(&Circle{}).Where("id = ?", circleID).Update("member_count", gorm.Expr("member_count - 1")).Error
	})
}

// revokeInvitesBy revokes the live invites memberID made: in circleID, or
// in every circle when circleID is "".
func revokeInvitesBy(tx *gorm.DB, memberID, circleID string, now time.Time) error {
	q := tx.Model(&Invite{}).Where("created_by = ? AND revoked_at IS NULL", memberID)
	if circleID != "" {
		q = q.Where("circle_id = ?", circleID)
	}
	if err := q.Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("store: revoke invites: %w", err)
	}
	return nil
}

// SetFacilitator appoints memberID facilitator of circleID (joining them to
// it if need be) or, with on false, ends that appointment, and logs it.
func (s *Store) SetFacilitator(ctx context.Context, circleID, memberID string, on bool, log *LogEntry, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		// Appointing a facilitator again keeps since when they have been one.
		since := gorm.Expr("NULL")
		if on {
			since = gorm.Expr("COALESCE(facilitator_since, ?)", now)
		}
		res := tx.Model(&CircleMember{}).Where("circle_id = ? AND member_id = ?", circleID, memberID).
			Updates(map[string]any{"facilitator": on, "facilitator_since": since})
		if res.Error != nil {
			return fmt.Errorf("store: set facilitator: %w", res.Error)
		}
		if res.RowsAffected == 0 && on {
			if _, err := addMember(tx, circleID, memberID, true, now); err != nil {
				return err
			}
		}
		if !on {
			if err := revokeInvitesBy(tx, memberID, circleID, now); err != nil {
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

// ListLiveInvites lists a circle's live invites, newest first, after the
// id given.
func (s *Store) ListLiveInvites(ctx context.Context, circleID, before string, limit int, now time.Time) ([]InviteView, error) {
	q := `SELECT invites.id, invites.code_hash, invites.circle_id, invites.created_by, invites.max_uses, invites.uses,
		invites.expires_at, invites.created_at, invites.revoked_at, maker.handle
		FROM invites JOIN members maker ON maker.id = invites.created_by
		WHERE invites.circle_id = ? AND ` + liveInvite
	args := []any{circleID, now, now}
	if before != "" {
		q += " AND invites.id < ?"
		args = append(args, before)
	}
	q += " ORDER BY invites.id DESC LIMIT ?"
	out, err := queryRows(ctx, s, limit, scanInviteView, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list invites: %w", err)
	}
	return out, nil
}

func scanInviteView(row rowScanner, v *InviteView) error {
	return row.Scan(&v.ID, &v.CodeHash, &v.CircleID, &v.CreatedBy, &v.MaxUses, &v.Uses, &v.ExpiresAt, &v.CreatedAt, &v.RevokedAt, &v.MakerHandle)
}

// RevokeInvite revokes invite id of circleID; ErrNotFound when there is no
// such live invite.
func (s *Store) RevokeInvite(ctx context.Context, circleID, id string, now time.Time) error {
	res := s.w.WithContext(ctx).Model(&Invite{}).Where("id = ? AND circle_id = ? AND revoked_at IS NULL", id, circleID).Update("revoked_at", now)
	if res.Error != nil {
		return fmt.Errorf("store: revoke invite: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Facilitator is one facilitator of a circle, and since when.
type Facilitator struct {
	Handle string
	Since  time.Time
}

// ListFacilitators lists a circle's facilitators by handle, after the
// handle given; erased accounts are left out.
func (s *Store) ListFacilitators(ctx context.Context, circleID, after string, limit int) ([]Facilitator, error) {
	q := `SELECT m.handle, cm.facilitator_since FROM circle_members cm JOIN members m ON m.id = cm.member_id
		WHERE cm.circle_id = ? AND cm.facilitator AND m.status <> ?`
	args := []any{circleID, StatusDeleted}
	if after != "" {
		q += " AND m.handle > ?"
		args = append(args, after)
	}
	q += " ORDER BY m.handle LIMIT ?"
	out, err := queryRows(ctx, s, limit, func(row rowScanner, f *Facilitator) error { return row.Scan(&f.Handle, &f.Since) }, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list facilitators: %w", err)
	}
	return out, nil
}

// CircleFacilitators lists the handles of a circle's facilitators.
func (s *Store) CircleFacilitators(ctx context.Context, circleID string) ([]string, error) {
	var out []string
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Raw(`SELECT m.handle FROM circle_members cm JOIN members m ON m.id = cm.member_id
		WHERE cm.circle_id = ? AND cm.facilitator ORDER BY m.handle`, circleID).Scan(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: circle facilitators: %w", err)
	}
	return out, nil
}

// FacilitatorIDs lists the ids of a circle's facilitators in good standing.
func (s *Store) FacilitatorIDs(ctx context.Context, circleID string) ([]string, error) {
	out, err := queryRows(ctx, s, 0, func(row rowScanner, id *string) error { return row.Scan(id) },
		`SELECT cm.member_id FROM circle_members cm JOIN members m ON m.id = cm.member_id
		WHERE cm.circle_id = ? AND cm.facilitator AND m.status IN ?`, circleID, liveStatuses)
	if err != nil {
		return nil, fmt.Errorf("store: facilitators: %w", err)
	}
	return out, nil
}

// GetCircleByID returns circle id, or ErrNotFound.
func (s *Store) GetCircleByID(ctx context.Context, id string) (*Circle, error) {
	return take[Circle](ctx, s, "circle", "id = ?", id)
}

// CanRead reports whether memberID may still read the writing of a circle
// (of the visibility given): their account is live, and a private circle
// still has them.
func (s *Store) CanRead(ctx context.Context, memberID, circleID, visibility string) (bool, error) {
	var ok bool
	err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE id = ? AND status IN ?)
		AND (? = ? OR EXISTS (SELECT 1 FROM circle_members WHERE circle_id = ? AND member_id = ?))`,
		memberID, liveStatuses, visibility, VisibilityOpen, circleID, memberID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: can read: %w", err)
	}
	return ok, nil
}

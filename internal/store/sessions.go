package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Session is one signed-in device: it lives until logout, revocation, seven
// idle days or thirty days in all.
type Session struct {
	ID         string `gorm:"primaryKey"`
	MemberID   string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// RefreshToken is the hash of one refresh token of a session. Spent tokens
// are kept so that a replay can be recognised and the session killed.
type RefreshToken struct {
	Hash      string `gorm:"primaryKey"`
	SessionID string
	CreatedAt time.Time
	SpentAt   *time.Time
}

// liveStatuses are the member statuses whose sessions live: a suspended
// member may still sign in and read; a banned or deleted one may not.
var liveStatuses = []string{StatusActive, StatusSuspended}

// ErrMemberBanned is returned when a session is asked for a banned member.
var ErrMemberBanned = errors.New("store: member is banned")

// checkMemberLive reads a member's status in tx: ErrNotFound for a missing
// or deleted member, ErrMemberBanned for a banned one. On PostgreSQL the row
// is share-locked until tx ends, so a ban committed meanwhile waits for this
// transaction and then sees (and revokes) what it wrote.
func checkMemberLive(tx *gorm.DB, dialect, memberID string) error {
	q := tx.Model(&Member{}).Select("status").Where("id = ?", memberID)
	if dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "SHARE"})
	}
	var m Member
	if err := q.Take(&m).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotFound
		}
		return fmt.Errorf("store: member status: %w", err)
	}
	switch {
	case m.Status == StatusBanned:
		return ErrMemberBanned
	case !slices.Contains(liveStatuses, m.Status):
		return ErrNotFound
	}
	return nil
}

// CreateSession stores a new session with its first refresh token. A banned
// member gives ErrMemberBanned, a deleted or missing one ErrNotFound.
func (s *Store) CreateSession(ctx context.Context, sess *Session, refreshHash string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := checkMemberLive(tx, s.dialect, sess.MemberID); err != nil {
			return err
		}
		if err := tx.Create(sess).Error; err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return tx.Create(&RefreshToken{Hash: refreshHash, SessionID: sess.ID, CreatedAt: sess.CreatedAt}).Error
	})
}

// Principal is who a live session belongs to, read in one query on every
// authenticated request so that revocation, role changes and suspension
// count from the very next request.
type Principal struct {
	SessionID string
	MemberID  string
	Handle    string
	// DataKeyID is the member's data key, what their writing is sealed
	// with ("" once erased): read here so a write needs no second look.
	DataKeyID string
	// Safety is the member's sealed reader-safety settings (nil when they
	// set none), read with the session so folding writing for them costs
	// no second look.
	Safety         []byte
	Role           string
	Status         string
	SuspendedUntil *time.Time
	// SigningKeyAt is the version of the token-signing key in the store,
	// read with the session so that a key replaced by another process is
	// noticed at once, at no extra round trip.
	SigningKeyAt time.Time
}

// LiveSession returns the principal of a session that is neither revoked nor
// expired (absolute or idle) at now and whose member is neither banned nor
// deleted, or ErrNotFound.
func (s *Store) LiveSession(ctx context.Context, sessionID, signingSecret string, now, idleSince time.Time) (*Principal, error) {
	// Every request runs this: scanned by hand, without reflection.
	var p Principal
	var until sql.NullTime
	var dataKey sql.NullString
	err := s.queryRow(ctx, `SELECT s.id, m.id, m.handle, m.data_key_id, sp.sealed, m.role, m.status, m.suspended_until,
		(SELECT created_at FROM secrets WHERE name = ?)
		FROM sessions s JOIN members m ON m.id = s.member_id LEFT JOIN safety_preferences sp ON sp.member_id = m.id
		WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? AND m.status IN ?`,
		signingSecret, sessionID, now, idleSince, liveStatuses).Scan(&p.SessionID, &p.MemberID, &p.Handle, &dataKey, &p.Safety, &p.Role, &p.Status, &until, exprTime{&p.SigningKeyAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: live session: %w", err)
	}
	if until.Valid {
		p.SuspendedUntil = &until.Time
	}
	p.DataKeyID = dataKey.String
	return &p, nil
}

// Refresh outcomes.
var (
	// ErrTokenSpent means the refresh token was already used: the session
	// has been revoked as a precaution.
	ErrTokenSpent = errors.New("store: refresh token replayed")
)

// RotateRefresh spends the refresh token with hash oldHash and records
// newHash in its place, in one transaction. An unknown token gives
// ErrNotFound; a spent one revokes its session and gives ErrTokenSpent; a
// revoked or expired session, or a deleted member, gives ErrNotFound; a
// banned member gives ErrMemberBanned. It returns the session.
func (s *Store) RotateRefresh(ctx context.Context, oldHash, newHash string, now, idleSince time.Time) (*Session, error) {
	var sess Session
	var replayed bool
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var rt RefreshToken
		if err := tx.Where("hash = ?", oldHash).Take(&rt).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		if err := tx.Where("id = ?", rt.SessionID).Take(&sess).Error; err != nil {
			return err
		}
		if rt.SpentAt != nil {
			replayed = true
			return revokeSession(tx, sess.ID, now)
		}
		if sess.RevokedAt != nil || !sess.ExpiresAt.After(now) || !sess.LastSeenAt.After(idleSince) {
			return ErrNotFound
		}
		if err := checkMemberLive(tx, s.dialect, sess.MemberID); err != nil {
			return err
		}
		// Spend only a token that is still unspent. On PostgreSQL two
		// requests with one token can both have read it unspent above; the
		// row lock makes the second wait here and then find it spent, and
		// that one is a replay like any other.
		res := tx.Exec("UPDATE refresh_tokens SET spent_at = ? WHERE hash = ? AND spent_at IS NULL", now, oldHash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			replayed = true
			return revokeSession(tx, sess.ID, now)
		}
		if err := tx.Create(&RefreshToken{Hash: newHash, SessionID: sess.ID, CreatedAt: now}).Error; err != nil {
			return err
		}
		sess.LastSeenAt = now
		return tx.Model(&Session{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error
	})
	if replayed && err == nil {
		return nil, ErrTokenSpent
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrMemberBanned) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: rotate refresh token: %w", err)
	}
	return &sess, nil
}

// RevokeSession ends one session.
func (s *Store) RevokeSession(ctx context.Context, sessionID string, now time.Time) error {
	return revokeSession(s.w.WithContext(ctx), sessionID, now)
}

func revokeSession(tx *gorm.DB, sessionID string, now time.Time) error {
	err := tx.Model(&Session{}).Where("id = ? AND revoked_at IS NULL", sessionID).Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("store: revoke session: %w", err)
	}
	return nil
}

func revokeSessions(tx *gorm.DB, memberID, keep string, now time.Time) error {
	q := tx.Model(&Session{}).Where("member_id = ? AND revoked_at IS NULL", memberID)
	if keep != "" {
		q = q.Where("id <> ?", keep)
	}
	if err := q.Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("store: revoke sessions: %w", err)
	}
	return nil
}

// CountLiveSessions counts sessions not revoked and not expired at now.
func (s *Store) CountLiveSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Model(&Session{}).Where("revoked_at IS NULL AND expires_at > ?", now).Count(&n).Error
	})
	return n, err
}

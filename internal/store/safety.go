package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"hearth/internal/seal"
)

// SafetyPreferences is a member's reader-safety settings, sealed with their
// data key as one blob: the themes they fold, and whom they muted and
// blocked (their own list). What someone avoids, and whom, is private. An
// empty Sealed is a row made only to be locked: no settings yet.
type SafetyPreferences struct {
	MemberID  string `gorm:"primaryKey"`
	Sealed    []byte
	UpdatedAt time.Time
}

// TableName is where preferences are kept.
func (SafetyPreferences) TableName() string { return "safety_preferences" }

// SafetyPair is one mute or block, kept only as a keyed hash of who and
// whom (the key is a server secret), so that checks can ask "did this
// reader mute that author?" and nobody reading the table can tell whom. The
// owner is kept so the pair goes with their account.
type SafetyPair struct {
	Hash    []byte `gorm:"primaryKey"`
	OwnerID string
}

// TableName is where pairs are kept.
func (SafetyPair) TableName() string { return "safety_pairs" }

// SafetyLocation is where a member's preferences are sealed.
func SafetyLocation(memberID string) seal.Location {
	return seal.Location{Table: "safety_preferences", Column: "sealed", RowID: memberID}
}

// GetSafety returns memberID's sealed preferences, or ErrNotFound when they
// never set any; an empty Sealed is none either.
func (s *Store) GetSafety(ctx context.Context, memberID string) (*SafetyPreferences, error) {
	return take[SafetyPreferences](ctx, s, "safety preferences", "member_id = ?", memberID)
}

// ChangeSafety changes memberID's sealed preferences: change is given the
// sealed blob (empty when they have none yet) and returns the new one with
// the pairs to add and drop, all written in one transaction that holds the
// member's row, so changes made at once are made one after the other and
// none is lost. A block (blocks names whom) also ends, in the same
// transaction, what the two have together in mentorship.
func (s *Store) ChangeSafety(ctx context.Context, memberID, blocks string, now time.Time, change func(sealed []byte) (next []byte, add, drop [][]byte, err error)) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SafetyPreferences{MemberID: memberID, Sealed: []byte{}, UpdatedAt: now}).Error; err != nil {
			return fmt.Errorf("store: make safety preferences: %w", err)
		}
		// The update locks the row (PostgreSQL); SQLite has one writer.
		if err := tx.Exec("UPDATE safety_preferences SET updated_at = ? WHERE member_id = ?", now, memberID).Error; err != nil {
			return fmt.Errorf("store: lock safety preferences: %w", err)
		}
		var cur []byte
		if err := tx.Raw("SELECT sealed FROM safety_preferences WHERE member_id = ?", memberID).Row().Scan(&cur); err != nil {
			return fmt.Errorf("store: read safety preferences: %w", err)
		}
		next, add, drop, err := change(cur)
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE safety_preferences SET sealed = ? WHERE member_id = ?", next, memberID).Error; err != nil {
			return fmt.Errorf("store: put safety preferences: %w", err)
		}
		for _, h := range add {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SafetyPair{Hash: h, OwnerID: memberID}).Error; err != nil {
				return fmt.Errorf("store: add safety pair: %w", err)
			}
		}
		if len(drop) > 0 {
			if err := tx.Where("hash IN ?", drop).Delete(&SafetyPair{}).Error; err != nil {
				return fmt.Errorf("store: drop safety pairs: %w", err)
			}
		}
		if blocks != "" {
			return endMentorshipsBetween(tx, memberID, blocks, now)
		}
		return nil
	})
}

// SafetyPairsIn returns which of hashes are stored pairs, by their bytes
// as a string.
func (s *Store) SafetyPairsIn(ctx context.Context, hashes [][]byte) (map[string]bool, error) {
	out := map[string]bool{}
	if len(hashes) == 0 {
		return out, nil
	}
	var found [][]byte
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Model(&SafetyPair{}).Where("hash IN ?", hashes).Pluck("hash", &found).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: find safety pairs: %w", err)
	}
	for _, h := range found {
		out[string(h)] = true
	}
	return out, nil
}

// WritingThemes returns the sealed themes of a story or reply (nil when it
// has none stored).
func (s *Store) WritingThemes(ctx context.Context, t Target, id string) ([]byte, error) {
	var b []byte
	err := s.queryRow(ctx, "SELECT themes FROM "+targetTables[t]+" WHERE id = ?", id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: read themes: %w", err)
	}
	return b, nil
}

// SetThemes writes the sealed themes of a story or reply that is not
// removed by its author, with the effects (log entry, notice) in one
// transaction; ErrNotFound when its text is gone.
func (s *Store) SetThemes(ctx context.Context, t Target, id string, themes []byte, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("UPDATE "+targetTables[t]+" SET themes = ? WHERE id = ? AND body IS NOT NULL", themes, id)
		if res.Error != nil {
			return fmt.Errorf("store: set themes: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return eff.write(tx)
	})
}

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
// owner is kept so the pair goes with their account; the pairs naming an
// erased member are found by hashing theirs with every owner's (unlist).
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
// none is lost. other names the member a mute or block is about ("" for
// none); a block (blocks) also ends, in the same transaction, what the two
// have together in mentorship. ErrNotFound when either member's account
// is gone: the change waits for an erasure under way (which holds the
// member's row) and is refused after it, so no pair outlives an account.
func (s *Store) ChangeSafety(ctx context.Context, memberID, other string, blocks bool, now time.Time, change func(sealed []byte) (next []byte, add, drop [][]byte, err error)) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		ids := []string{memberID}
		if other != "" {
			ids = append(ids, other)
		}
		var live []string
		q := tx.Model(&Member{}).Where("id IN ? AND status <> ?", ids, StatusDeleted)
		if tx.Dialector.Name() == "postgres" {
			q = q.Clauses(clause.Locking{Strength: "SHARE"})
		}
		if err := q.Pluck("id", &live).Error; err != nil {
			return fmt.Errorf("store: safety change's members: %w", err)
		}
		if len(live) != len(ids) {
			return ErrNotFound
		}
		cur, err := lockSafety(tx, memberID, now)
		if err != nil {
			return err
		}
		next, add, drop, err := change(cur)
		if err != nil {
			return err
		}
		if err := putSafety(tx, memberID, next); err != nil {
			return err
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
		if blocks {
			return endMentorshipsBetween(tx, memberID, other, now)
		}
		return nil
	})
}

// lockSafety, in tx, makes memberID's preferences row if they have none,
// holds it, and returns its sealed blob (empty for none).
func lockSafety(tx *gorm.DB, memberID string, now time.Time) ([]byte, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SafetyPreferences{MemberID: memberID, Sealed: []byte{}, UpdatedAt: now}).Error; err != nil {
		return nil, fmt.Errorf("store: make safety preferences: %w", err)
	}
	// The update locks the row (PostgreSQL); SQLite has one writer.
	if err := tx.Exec("UPDATE safety_preferences SET updated_at = ? WHERE member_id = ?", now, memberID).Error; err != nil {
		return nil, fmt.Errorf("store: lock safety preferences: %w", err)
	}
	var cur []byte
	if err := tx.Raw("SELECT sealed FROM safety_preferences WHERE member_id = ?", memberID).Row().Scan(&cur); err != nil {
		return nil, fmt.Errorf("store: read safety preferences: %w", err)
	}
	return cur, nil
}

func putSafety(tx *gorm.DB, memberID string, sealed []byte) error {
	if err := tx.Exec("UPDATE safety_preferences SET sealed = ? WHERE member_id = ?", sealed, memberID).Error; err != nil {
		return fmt.Errorf("store: put safety preferences: %w", err)
	}
	return nil
}

// Unlisting is what an account's erasure asks of reader safety, to take
// the erased member off the lists of everyone who muted or blocked them:
// only reader safety can name a pair (a keyed hash) or open a list
// (sealed with its owner's key).
type Unlisting interface {
	// PairsNaming returns the hashes of the pairs by which any of owners
	// would have muted or blocked memberID, each with its owner.
	PairsNaming(memberID string, owners []string) map[string]string
	// Unlist returns owner's sealed preferences without memberID.
	Unlist(ctx context.Context, owner, memberID string, sealed []byte) ([]byte, error)
}

// unlistBatch bounds the hashes asked for in one statement.
const unlistBatch = 1000

// unlist, in an erasure's tx, takes memberID off every other member's
// lists and drops the pairs naming them. Which members silenced them is
// stored nowhere in clear, so every owner of a pair is asked after.
func unlist(ctx context.Context, tx *gorm.DB, memberID string, u Unlisting, now time.Time) error {
	var owners []string
	if err := tx.Model(&SafetyPair{}).Distinct("owner_id").Where("owner_id <> ?", memberID).Pluck("owner_id", &owners).Error; err != nil {
		return fmt.Errorf("store: owners of safety pairs: %w", err)
	}
	naming := u.PairsNaming(memberID, owners)
	hashes := make([][]byte, 0, len(naming))
	for h := range naming {
		hashes = append(hashes, []byte(h))
	}
	var found [][]byte
	for chunk := range slices.Chunk(hashes, unlistBatch) {
		var some [][]byte
		if err := tx.Model(&SafetyPair{}).Where("hash IN ?", chunk).Pluck("hash", &some).Error; err != nil {
			return fmt.Errorf("store: find safety pairs: %w", err)
		}
		found = append(found, some...)
	}
	if len(found) == 0 {
		return nil
	}
	var silencers []string
	for _, h := range found {
		silencers = append(silencers, naming[string(h)])
	}
	// In one order, so erasures at once take the rows in turn.
	slices.Sort(silencers)
	for _, owner := range slices.Compact(silencers) {
		cur, err := lockSafety(tx, owner, now)
		if err != nil {
			return err
		}
		next, err := u.Unlist(ctx, owner, memberID, cur)
		if err != nil {
			return fmt.Errorf("store: unlist: %w", err)
		}
		if err := putSafety(tx, owner, next); err != nil {
			return err
		}
	}
	for chunk := range slices.Chunk(found, unlistBatch) {
		if err := tx.Where("hash IN ?", chunk).Delete(&SafetyPair{}).Error; err != nil {
			return fmt.Errorf("store: drop safety pairs: %w", err)
		}
	}
	return nil
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

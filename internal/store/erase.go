package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// EraseMember destroys a member's data key, recovery codes and sessions and
// leaves a tombstone without handle or password, in one transaction; the
// handle is kept only as retiredHandle, its keyed hash, so it is never
// given out again (see HandleRetired). Others' mutes and blocks of the
// member go too, through unlisting. A member
// already erased (or never there) gives ErrNotFound. The destroyed bytes are
// zeroed in their pages by secure_delete, but on SQLite the WAL still holds
// them until ScrubWAL runs: callers run it once the erasure is committed.
func (s *Store) EraseMember(ctx context.Context, memberID, retiredHandle string, now time.Time, unlisting Unlisting) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// The member's row is held first: a mute or block of them made
		// meanwhile waits, and is refused once they are gone (ChangeSafety).
		var live []string
		if err := tx.Model(&Member{}).Clauses(lockingClause(tx)...).Where("id = ? AND status <> ?", memberID, StatusDeleted).
			Pluck("id", &live).Error; err != nil {
			return err
		}
		if len(live) == 0 {
			return ErrNotFound
		}
		if err := unlist(ctx, tx, memberID, unlisting, now); err != nil {
			return err
		}
		if err := eraseWriting(tx, memberID, now); err != nil {
			return err
		}
		if err := revokeInvitesBy(tx, memberID, "", now); err != nil {
			return err
		}
		for _, q := range []struct {
			model any
			where string
		}{{&DataKey{}, "member_id = ?"}, {&RecoveryCode{}, "member_id = ?"}, {&Session{}, "member_id = ?"}} {
			if err := tx.Where(q.where, memberID).Delete(q.model).Error; err != nil {
				return err
			}
		}
		// "~" never appears in a handle, so the tombstone cannot be signed
		// into or taken; the old handle lives on only as its hash.
		res := tx.Model(&Member{}).Where("id = ? AND status <> ?", memberID, StatusDeleted).Select("Handle", "PasswordHash", "Status", "DeletedAt", "DataKeyID").
			Updates(&Member{Handle: "~" + memberID, Status: StatusDeleted, DeletedAt: &now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Exec("INSERT INTO retired_handles (hash) VALUES (?) ON CONFLICT (hash) DO NOTHING", retiredHandle).Error
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: erase member: %w", err)
	}
	return nil
}

// eraseWriting, inside an account's erasure, removes everything the member
// wrote (the text and its words in the index are destroyed, the places in
// threads stay as "removed") and takes them out of their circles.
func eraseWriting(tx *gorm.DB, memberID string, now time.Time) error {
	if err := endMentorshipsOf(tx, memberID, "", now); err != nil {
		return err
	}
	if p := pendingIn(tx); p != nil {
		if err := p.dropPostingsOf(tx, memberID); err != nil {
			return err
		}
	}
	if err := dropIndexed(tx, "target_id IN (SELECT id FROM stories WHERE author_id = ? UNION ALL SELECT id FROM replies WHERE author_id = ?)", memberID, memberID); err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE moderation_items SET status = ? WHERE author_id = ?`, []any{FlagClosed, memberID}},
		{`UPDATE flags SET status = ? WHERE status = ? AND target_id IN (SELECT id FROM stories WHERE author_id = ? UNION SELECT id FROM replies WHERE author_id = ?)`,
			[]any{FlagClosed, FlagOpen, memberID, memberID}},
		{`DELETE FROM search_backlog WHERE target_id IN (SELECT id FROM stories WHERE author_id = ? UNION ALL SELECT id FROM replies WHERE author_id = ?)`,
			[]any{memberID, memberID}},
		{`UPDATE replies SET status = ?, body = NULL, themes = NULL WHERE author_id = ?`, []any{Removed, memberID}},
		{`UPDATE stories SET status = ?, title = NULL, body = NULL, content_warning = NULL, themes = NULL, pinned_at = NULL WHERE author_id = ?`, []any{Removed, memberID}},
		{`UPDATE circles SET member_count = member_count - 1 WHERE id IN (SELECT circle_id FROM circle_members WHERE member_id = ?)`, []any{memberID}},
		{`DELETE FROM circle_members WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM notices WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM notice_feeds WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM follows WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM safety_preferences WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM safety_pairs WHERE owner_id = ?`, []any{memberID}},
		{`UPDATE flags SET note = NULL WHERE reporter_id = ?`, []any{memberID}},
		{`DELETE FROM appeals WHERE member_id = ?`, []any{memberID}},
		{`DELETE FROM writing_versions WHERE author_id = ?`, []any{memberID}},
		// Their messages read as removed to the other member; their end
		// reasons go too.
		{`UPDATE mentorship_messages SET body = NULL WHERE author_id = ?`, []any{memberID}},
		{`UPDATE mentorships SET end_reason = NULL WHERE ended_by = ?`, []any{memberID}},
	} {
		if err := tx.Exec(q.sql, q.args...).Error; err != nil {
			return fmt.Errorf("store: erase writing: %w", err)
		}
	}
	if err := reconsiderAnswered(tx, "id IN (SELECT story_id FROM replies WHERE author_id = ?)", memberID); err != nil {
		return err
	}
	return closeFlagsBy(tx, memberID, now)
}

// How ScrubWAL waits. Each attempt may hold SQLite's write lock for at most
// scrubBusy while it waits for readers; between attempts writers go on.
const (
	scrubBusy   = 50 * time.Millisecond
	scrubPause  = 50 * time.Millisecond
	scrubBudget = 2 * time.Second
)

// ScrubWAL folds the WAL into the database file and truncates it, so pages
// an erasure overwrote are gone from both. It runs on a connection of its
// own with a short busy timeout, never on the shared writer connection: a
// truncating checkpoint holds the write lock while it waits for readers,
// and with the writer's long timeout every write in the process would stall
// behind it. It retries while readers hold older snapshots, for at most
// scrubBudget (or until ctx ends), then gives up; the next checkpoint (at
// the latest the one at a clean stop) finishes the job. PostgreSQL has no
// such file: it returns nil there.
func (s *Store) ScrubWAL(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, scrubBudget)
	defer cancel()
	db, err := sql.Open("sqlite3", fmt.Sprintf("file:%s?_busy_timeout=%d", s.path, scrubBusy.Milliseconds()))
	if err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var last error
	for {
		var busy, logFrames, done int
		err := db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done)
		switch {
		case err == nil && busy == 0:
			return nil
		case err == nil:
			last = errors.New("readers kept older snapshots")
		default:
			last = err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("store: checkpoint gave up: %w", last)
		case <-time.After(scrubPause):
		}
	}
}

// HandleRetired reports whether hash is the keyed hash of an erased
// account's handle.
func (s *Store) HandleRetired(ctx context.Context, hash string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, "SELECT COUNT(*) FROM retired_handles WHERE hash = ?", hash).Scan(&n); err != nil {
		return false, fmt.Errorf("store: retired handle: %w", err)
	}
	return n > 0, nil
}

package store

import (
	"bytes"
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Unindexed is a story or reply written before the blind index existed
// (migration 20 listed them in search_backlog), with the sealed texts
// search opens to index it.
type Unindexed struct {
	Target   Target
	ID       string
	CircleID string
	// Title is a story's; nil for a reply.
	Title, Body []byte
}

// Unindexed reads up to n writings still waiting for the index, newest
// first (ids are time-ordered): what members look for most is indexed
// first.
func (s *Store) Unindexed(ctx context.Context, n int) ([]Unindexed, error) {
	rows, err := queryRows(ctx, s, n, func(r rowScanner, u *Unindexed) error {
		var reply bool
		if err := r.Scan(&u.ID, &reply, &u.CircleID, &u.Title, &u.Body); err != nil {
			return err
		}
		u.Target = TargetStory
		if reply {
			u.Target, u.Title = TargetReply, nil
		}
		return nil
	}, `SELECT b.target_id, b.reply, s.circle_id, s.title, CASE WHEN b.reply THEN r.body ELSE s.body END
		FROM search_backlog b
		LEFT JOIN replies r ON b.reply AND r.id = b.target_id
		JOIN stories s ON s.id = CASE WHEN b.reply THEN r.story_id ELSE b.target_id END
		ORDER BY b.target_id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("store: unindexed writing: %w", err)
	}
	return rows, nil
}

// IndexUnindexed writes u's postings in place of any it has and takes it
// off the backlog, in one transaction, but only while its texts are still
// the ones search opened: an edit, a removal or an erasure since then has
// indexed it (or taken it out) itself, and old words must not come back.
// It answers whether the postings were written. A writing taken off the
// backlog by another process meanwhile is left to that process.
func (s *Store) IndexUnindexed(ctx context.Context, u Unindexed, ps []Posting) (bool, error) {
	written := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("DELETE FROM search_backlog WHERE target_id = ?", u.ID)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil
		}
		// On PostgreSQL the row is locked until commit, so an edit
		// either came before this read (and is seen) or waits for it
		// (and replaces these postings); SQLite writes one at a time.
		q := "SELECT title, body FROM stories WHERE id = ?"
		if u.Target == TargetReply {
			q = "SELECT NULL, body FROM replies WHERE id = ?"
		}
		if s.dialect == Postgres {
			q += " FOR UPDATE"
		}
		var title, body []byte
		if err := tx.Raw(q, u.ID).Row().Scan(&title, &body); err != nil {
			return err
		}
		if body == nil || !bytes.Equal(body, u.Body) || !bytes.Equal(title, u.Title) {
			return nil
		}
		if err := dropPostings(tx, u.ID); err != nil {
			return err
		}
		written = true
		return indexPostings(tx, ps)
	})
	if err != nil {
		return false, fmt.Errorf("store: index unindexed writing: %w", err)
	}
	return written, nil
}

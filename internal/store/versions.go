package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// WritingVersion is an earlier text of an edited story or reply, saved in
// the edit's transaction so moderators can see what a flag was about. Its
// title (stories only), body and themes are sealed with the author's key;
// a version saved before versions kept their themes has none (nil).
// WrittenAt is when that text was written, ReplacedAt the edit that
// replaced it.
type WritingVersion struct {
	ID         string `gorm:"primaryKey"`
	TargetType string
	TargetID   string
	AuthorID   string
	Title      []byte
	Body       []byte
	Themes     []byte
	WrittenAt  time.Time
	ReplacedAt time.Time
}

// VersionsKept is how long an earlier version is kept after the edit that
// replaced it, at the least: longer while its writing has an open queue
// item or appeal.
const VersionsKept = 7 * 24 * time.Hour

// dropVersions destroys the earlier versions of a story or reply, with it.
func dropVersions(tx *gorm.DB, id string) error {
	if err := tx.Exec("DELETE FROM writing_versions WHERE target_id = ?", id).Error; err != nil {
		return fmt.Errorf("store: drop versions: %w", err)
	}
	return nil
}

// SweepVersions erases the earlier versions replaced before now less
// VersionsKept whose writing has neither an open queue item nor an open
// appeal, and says how many.
func (s *Store) SweepVersions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM writing_versions WHERE replaced_at < ?
			AND NOT EXISTS (SELECT 1 FROM moderation_items i WHERE i.target_type = writing_versions.target_type
				AND i.target_id = writing_versions.target_id AND i.status = ?)
			AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.target_type = writing_versions.target_type
				AND a.target_id = writing_versions.target_id AND a.status = ?)`,
			now.Add(-VersionsKept), FlagOpen, AppealOpen)
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: sweep versions: %w", err)
	}
	return n, nil
}

// History is a story or reply under review with its earlier versions,
// oldest first. Current is its text as it stands, as a version: its
// blobs are sealed where the writing's own are (StoryLocations,
// ReplyLocation, ThemesLocation), not where an earlier version's are.
type History struct {
	Current  WritingVersion
	Earlier  []WritingVersion
	InReview bool
}

// WritingHistory reads the history of a story or reply; ErrNotFound when
// there is no such writing.
func (s *Store) WritingHistory(ctx context.Context, t Target, id string) (*History, error) {
	h := &History{Current: WritingVersion{TargetType: string(t), TargetID: id}}
	var edited *time.Time
	var err error
	if t == TargetStory {
		err = s.queryRow(ctx, `SELECT author_id, title, body, themes, created_at, edited_at FROM stories WHERE id = ?`, id).
			Scan(&h.Current.AuthorID, &h.Current.Title, &h.Current.Body, &h.Current.Themes, &h.Current.WrittenAt, &edited)
	} else {
		err = s.queryRow(ctx, `SELECT author_id, body, themes, created_at, edited_at FROM replies WHERE id = ?`, id).
			Scan(&h.Current.AuthorID, &h.Current.Body, &h.Current.Themes, &h.Current.WrittenAt, &edited)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: writing history: %w", err)
	}
	if edited != nil {
		h.Current.WrittenAt = *edited
	}
	if err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM moderation_items WHERE target_type = ? AND target_id = ? AND status = ?)`,
		t, id, FlagOpen).Scan(&h.InReview); err != nil {
		return nil, fmt.Errorf("store: writing in review: %w", err)
	}
	if !h.InReview {
		return h, nil
	}
	err = s.reading(ctx, func(db *gorm.DB) error {
		return db.Where("target_type = ? AND target_id = ?", t, id).Order("replaced_at, id").Find(&h.Earlier).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: earlier versions: %w", err)
	}
	return h, nil
}

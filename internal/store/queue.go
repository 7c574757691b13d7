package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ModerationItem is one target in the moderation queue, with the highest
// priority (lowest number) of its open flags.
type ModerationItem struct {
	TargetType     string `gorm:"primaryKey"`
	TargetID       string `gorm:"primaryKey"`
	CircleID       string
	AuthorID       string
	Status         string
	Priority       int
	FirstFlaggedAt time.Time
	UpdatedAt      time.Time
	// AcknowledgedBy is who said "I'm with them" on a crisis item, and
	// when; EscalatedAt when every moderator was told it waited too long.
	AcknowledgedBy *string
	AcknowledgedAt *time.Time
	EscalatedAt    *time.Time
}

// QueueItem is an open queue item with what a moderator sees of it: its
// place in the queue, its circle and author, and the writing itself.
type QueueItem struct {
	TargetType     string
	TargetID       string
	Priority       int
	FirstFlaggedAt time.Time
	CircleSlug     string
	AuthorHandle   string
	// StoryID is the story itself or the one a reply answers; Title is a
	// story's (nil for a reply); Body is nil once the text is destroyed.
	StoryID      string
	TargetStatus string
	Title, Body  []byte
	// AcknowledgedBy is the handle of who is with the writer, if anyone.
	AcknowledgedBy *string
	AcknowledgedAt *time.Time
}

// upsertItem opens a queue item, or raises the priority of an open one; a
// closed item reopens as new.
func upsertItem(tx *gorm.DB, it *ModerationItem) error {
	err := tx.Exec(itemUpsert("VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		it.TargetType, it.TargetID, it.CircleID, it.AuthorID, FlagOpen, it.Priority, it.FirstFlaggedAt, it.UpdatedAt).Error
	if err != nil {
		return fmt.Errorf("store: queue item: %w", err)
	}
	return nil
}

// itemUpsert is upsertItem's statement with rows, the VALUES or SELECT
// that gives its columns in order.
func itemUpsert(rows string) string {
	return `INSERT INTO moderation_items (target_type, target_id, circle_id, author_id, status, priority, first_flagged_at, updated_at)
		` + rows + `
		ON CONFLICT (target_type, target_id) DO UPDATE SET
			priority = CASE WHEN moderation_items.status = 'closed' OR excluded.priority < moderation_items.priority
				THEN excluded.priority ELSE moderation_items.priority END,
			first_flagged_at = CASE WHEN moderation_items.status = 'closed'
				THEN excluded.first_flagged_at ELSE moderation_items.first_flagged_at END,
			acknowledged_by = CASE WHEN moderation_items.status = 'closed' THEN NULL ELSE moderation_items.acknowledged_by END,
			acknowledged_at = CASE WHEN moderation_items.status = 'closed' THEN NULL ELSE moderation_items.acknowledged_at END,
			escalated_at = CASE WHEN moderation_items.status = 'closed' THEN NULL ELSE moderation_items.escalated_at END,
			status = 'open', updated_at = excluded.updated_at`
}

// FindQueue pages through the open queue: priority, then oldest.
type FindQueue struct {
	After *QueueItem // the last item of the previous page
	Limit int
}

// queueSelect reads an item with its circle, its author and the writing
// itself, so a page of the queue is this one query and one for its flags.
// Each LEFT JOIN is keyed by a CASE that is NULL for the other kind of
// target, so the database looks up only the table the item's writing is in.
const queueSelect = `SELECT i.target_type, i.target_id, i.priority, i.first_flagged_at, c.slug, m.handle,
	COALESCE(s.id, r.story_id, ''), COALESCE(s.status, r.status, CASE WHEN mm.id IS NULL THEN '' ELSE 'published' END), s.title, COALESCE(s.body, r.body, mm.body),
	ack.handle, i.acknowledged_at
	FROM moderation_items i
	JOIN circles c ON c.id = i.circle_id
	JOIN members m ON m.id = i.author_id
	LEFT JOIN members ack ON ack.id = i.acknowledged_by
	LEFT JOIN stories s ON s.id = CASE WHEN i.target_type = ? THEN i.target_id END
	LEFT JOIN replies r ON r.id = CASE WHEN i.target_type = ? THEN i.target_id END
	LEFT JOIN mentorship_messages mm ON mm.id = CASE WHEN i.target_type = ? THEN i.target_id END
	WHERE i.status = ?`

func scanQueueItem(row rowScanner, q *QueueItem) error {
	return row.Scan(&q.TargetType, &q.TargetID, &q.Priority, &q.FirstFlaggedAt, &q.CircleSlug, &q.AuthorHandle,
		&q.StoryID, &q.TargetStatus, &q.Title, &q.Body, &q.AcknowledgedBy, &q.AcknowledgedAt)
}

// ListQueue lists open queue items with their circle, author and writing.
func (s *Store) ListQueue(ctx context.Context, f FindQueue) ([]QueueItem, error) {
	q, args := queuePage(f)
	out, err := queryRows(ctx, s, f.Limit, scanQueueItem, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list queue: %w", err)
	}
	return out, nil
}

// queuePage is the query for one page of the open queue.
func queuePage(f FindQueue) (string, []any) {
	q := queueSelect
	args := []any{string(TargetStory), string(TargetReply), string(TargetMessage), FlagOpen}
	if f.After != nil {
		a := f.After
		q += ` AND (i.priority > ? OR (i.priority = ? AND (i.first_flagged_at > ? OR (i.first_flagged_at = ? AND
			(i.target_type > ? OR (i.target_type = ? AND i.target_id > ?))))))`
		args = append(args, a.Priority, a.Priority, a.FirstFlaggedAt, a.FirstFlaggedAt, a.TargetType, a.TargetType, a.TargetID)
	}
	q += " ORDER BY i.priority, i.first_flagged_at, i.target_type, i.target_id LIMIT ?"
	return q, append(args, f.Limit)
}

// Decision is what a moderator's action on writing changes, all at once:
// the target's status (if NewStatus is set), its open flags and queue item
// closed, and its effects (a log entry, notices).
type Decision struct {
	Target    Target
	TargetID  string
	OldStatus string
	NewStatus string
	Effects
}

// Decide applies a decision in one transaction. A removed story loses its
// pin (and remembers it: see applyUndo).
func (s *Store) Decide(ctx context.Context, d Decision, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if d.NewStatus != "" {
			// Only from the status the moderator saw: a change since (its
			// author deleted it, another moderator acted) is a conflict.
			res := tx.Exec("UPDATE "+targetTables[d.Target]+" SET status = ? WHERE id = ? AND status = ?", d.NewStatus, d.TargetID, d.OldStatus)
			if res.Error != nil {
				return fmt.Errorf("store: set status: %w", res.Error)
			}
			if res.RowsAffected != 1 {
				return ErrConflict
			}
			if d.Target == TargetStory && d.NewStatus == Removed {
				// Remembered, so that overturning the removal on appeal
				// pins it again.
				if err := tx.Exec("UPDATE stories SET removed_pin_at = pinned_at, pinned_at = NULL WHERE id = ?", d.TargetID).Error; err != nil {
					return fmt.Errorf("store: unpin: %w", err)
				}
			}
			if d.Target == TargetReply {
				if err := replyStatusChanged(tx, d.TargetID, d.NewStatus, now); err != nil {
					return err
				}
			}
		}
		if err := closeItem(tx, d.Target, d.TargetID, now); err != nil {
			return err
		}
		return d.Effects.write(tx)
	})
}

// replyStatusChanged keeps a moderated reply's story right: a reply
// published for the first time takes its place in the followers' stream
// (a reply held for review is heard of when it is approved) and may answer
// the story; one that leaves the circle's sight may leave it unanswered.
func replyStatusChanged(tx *gorm.DB, id, status string, now time.Time) error {
	if status != Published {
		return reconsiderAnswered(tx, "id = (SELECT story_id FROM replies WHERE id = ?)", id)
	}
	if err := tx.Exec("UPDATE replies SET published_id = ? WHERE id = ? AND published_id IS NULL", NewIDAt(now), id).Error; err != nil {
		return fmt.Errorf("store: publish reply: %w", err)
	}
	var r Reply
	if err := tx.Select("story_id", "author_id").Where("id = ?", id).Take(&r).Error; err != nil {
		return fmt.Errorf("store: published reply: %w", err)
	}
	return markAnswered(tx, r.StoryID, r.AuthorID, now)
}

// StoryUnderReview reports whether a story, or a reply in its thread, waits
// in the moderation queue: only then may moderators outside a private
// circle read it.
func (s *Store) StoryUnderReview(ctx context.Context, storyID string) (bool, error) {
	var under bool
	err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM moderation_items WHERE target_type = ? AND target_id = ? AND status = ?)
		OR EXISTS (SELECT 1 FROM replies r JOIN moderation_items i ON i.target_type = ? AND i.target_id = r.id
			WHERE r.story_id = ? AND i.status = ?)`,
		TargetStory, storyID, FlagOpen, TargetReply, storyID, FlagOpen).Scan(&under)
	if err != nil {
		return false, fmt.Errorf("store: story under review: %w", err)
	}
	return under, nil
}

// QueueSizes counts the open queue items at each priority.
func (s *Store) QueueSizes(ctx context.Context) (map[int]int64, error) {
	var rows []struct {
		Priority int
		N        int64
	}
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Raw(`SELECT priority, COUNT(*) AS n FROM moderation_items WHERE status = ? GROUP BY priority`, FlagOpen).Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: queue sizes: %w", err)
	}
	out := make(map[int]int64, len(rows))
	for _, r := range rows {
		out[r.Priority] = r.N
	}
	return out, nil
}

// closeItem takes writing out of the queue and closes its open flags: a
// moderator decided, or its author deleted it and there is nothing left to
// decide.
func closeItem(tx *gorm.DB, t Target, id string, now time.Time) error {
	if err := tx.Model(&Flag{}).Where("target_type = ? AND target_id = ? AND status = ?", t, id, FlagOpen).
		Select("Status", "ClosedAt").Updates(&Flag{Status: FlagClosed, ClosedAt: &now}).Error; err != nil {
		return fmt.Errorf("store: close flags: %w", err)
	}
	return tx.Model(&ModerationItem{}).Where("target_type = ? AND target_id = ?", t, id).
		Select("Status", "UpdatedAt").Updates(&ModerationItem{Status: FlagClosed, UpdatedAt: now}).Error
}

// Acknowledge records that memberID is with the writer of an open crisis
// item, with its log entry; ErrNotFound when there is no such open item.
// A second word from someone else takes the first's place.
func (s *Store) Acknowledge(ctx context.Context, t Target, id, memberID string, log *LogEntry, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&ModerationItem{}).Where("target_type = ? AND target_id = ? AND status = ? AND priority = ?", t, id, FlagOpen, PriorityCrisis).
			Select("AcknowledgedBy", "AcknowledgedAt").Updates(&ModerationItem{AcknowledgedBy: &memberID, AcknowledgedAt: &now})
		if res.Error != nil {
			return fmt.Errorf("store: acknowledge: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Create(log).Error
	})
}

// PriorityCrisis is the queue priority of crisis items.
const PriorityCrisis = 0

// Overdue is an open crisis item nobody acknowledged in time.
type Overdue struct {
	TargetType, TargetID, CircleID string
	StoryID                        string // the story itself, or the one a reply answers
}

// EscalateOverdue marks open crisis items that nobody acknowledged and that
// were first flagged before since as escalated, once each, and stores the
// notices tell makes of each in the same transaction. Every process on a
// database may run it at once: an item goes to whichever marks it first.
func (s *Store) EscalateOverdue(ctx context.Context, since, now time.Time, tell func(Overdue) []*Notice) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		n = 0
		var due []Overdue
		if err := tx.Raw(`SELECT i.target_type, i.target_id, i.circle_id, COALESCE(r.story_id, i.target_id) AS story_id
			FROM moderation_items i LEFT JOIN replies r ON i.target_type = ? AND r.id = i.target_id
			WHERE i.status = ? AND i.priority = ? AND i.acknowledged_at IS NULL AND i.escalated_at IS NULL AND i.first_flagged_at < ?`,
			TargetReply, FlagOpen, PriorityCrisis, since).Scan(&due).Error; err != nil {
			return fmt.Errorf("store: overdue items: %w", err)
		}
		var eff Effects
		for _, o := range due {
			res := tx.Model(&ModerationItem{}).Where("target_type = ? AND target_id = ? AND escalated_at IS NULL", o.TargetType, o.TargetID).
				Update("escalated_at", now)
			if res.Error != nil {
				return fmt.Errorf("store: escalate: %w", res.Error)
			}
			if res.RowsAffected == 1 { // not taken by another process meanwhile
				n++
				eff.Notices = append(eff.Notices, tell(o)...)
			}
		}
		return eff.write(tx)
	})
	return n, err
}

// QueueStanding is how the open queue stands at one priority.
type QueueStanding struct {
	Oldest  *time.Time // nil when none is open
	Overdue int64
}

// QueueLevel reads, off idx_queue_order, when the oldest open item of a
// priority was first flagged and how many were first flagged before
// overdueBefore; unacknowledgedOnly counts only items nobody said they
// are with (crisis).
func (s *Store) QueueLevel(ctx context.Context, priority int, overdueBefore time.Time, unacknowledgedOnly bool) (QueueStanding, error) {
	var q QueueStanding
	var oldest time.Time
	err := s.queryRow(ctx, `SELECT first_flagged_at FROM moderation_items WHERE status = ? AND priority = ?
		ORDER BY first_flagged_at LIMIT 1`, FlagOpen, priority).Scan(&oldest)
	if errors.Is(err, sql.ErrNoRows) {
		return q, nil
	}
	if err != nil {
		return q, fmt.Errorf("store: oldest queue item: %w", err)
	}
	q.Oldest = &oldest
	overdue := `SELECT COUNT(*) FROM moderation_items WHERE status = ? AND priority = ? AND first_flagged_at < ?`
	if unacknowledgedOnly {
		overdue += " AND acknowledged_at IS NULL"
	}
	if err := s.queryRow(ctx, overdue, FlagOpen, priority, overdueBefore).Scan(&q.Overdue); err != nil {
		return q, fmt.Errorf("store: overdue queue items: %w", err)
	}
	return q, nil
}

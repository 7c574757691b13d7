package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Flag is one report on a story or reply. A system flag (crisis detection)
// has no reporter. Note is sealed with the reporter's key.
type Flag struct {
	ID         string `gorm:"primaryKey"`
	TargetType string
	TargetID   string
	ReporterID *string
	Reason     string
	Note       []byte
	Status     string
	CreatedAt  time.Time
	ClosedAt   *time.Time
}

// Flag and queue item statuses.
const (
	FlagOpen   = "open"
	FlagClosed = "closed"
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
}

// LogEntry is one line of the moderation log; it is only ever appended.
// Reason is sealed with the actor's key; a system entry has no actor.
type LogEntry struct {
	ID         string `gorm:"primaryKey"`
	ActorID    *string
	Action     string
	TargetType string
	TargetID   string
	Reason     []byte
	CreatedAt  time.Time
}

// TableName is the log's table.
func (LogEntry) TableName() string { return "moderation_log" }

// LogView is a log entry with the handles of its actor and, for actions on
// members, its target, or the slug of a circle it changed.
type LogView struct {
	LogEntry
	ActorHandle  *string
	TargetHandle *string
	TargetCircle *string
}

// Notice is a message to one member, sealed with their key.
type Notice struct {
	ID         string `gorm:"primaryKey"`
	MemberID   string
	Kind       string
	Message    []byte
	TargetType string
	TargetID   string
	CreatedAt  time.Time
}

func createAll(tx *gorm.DB, rows []any) error {
	for _, r := range rows {
		if item, ok := r.(*ModerationItem); ok {
			if err := upsertItem(tx, item); err != nil {
				return err
			}
			continue
		}
		if f, ok := r.(*Flag); ok && f.ReporterID == nil {
			// One open system flag a target: a crisis edited in again
			// and again is one crisis (idx_flags_open_system).
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(f).Error; err != nil {
				return fmt.Errorf("store: create system flag: %w", err)
			}
			continue
		}
		if err := tx.Create(r).Error; err != nil {
			return fmt.Errorf("store: create %T: %w", r, err)
		}
	}
	return nil
}

// upsertItem opens a queue item, or raises the priority of an open one; a
// closed item reopens as new.
func upsertItem(tx *gorm.DB, it *ModerationItem) error {
	err := tx.Exec(`INSERT INTO moderation_items (target_type, target_id, circle_id, author_id, status, priority, first_flagged_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (target_type, target_id) DO UPDATE SET
			priority = CASE WHEN moderation_items.status = 'closed' OR excluded.priority < moderation_items.priority
				THEN excluded.priority ELSE moderation_items.priority END,
			first_flagged_at = CASE WHEN moderation_items.status = 'closed'
				THEN excluded.first_flagged_at ELSE moderation_items.first_flagged_at END,
			status = 'open', updated_at = excluded.updated_at`,
		it.TargetType, it.TargetID, it.CircleID, it.AuthorID, FlagOpen, it.Priority, it.FirstFlaggedAt, it.UpdatedAt).Error
	if err != nil {
		return fmt.Errorf("store: queue item: %w", err)
	}
	return nil
}

// targetTables are fixed table names, never input.
var targetTables = map[Target]string{TargetStory: "stories", TargetReply: "replies"}

// ReasonCrisis is the flag reason that reaches moderators only: it never
// hides writing, so nothing reaches its author because of it.
const ReasonCrisis = "crisis"

// FileFlag stores a flag and its queue item. When the target then has open
// flags (crisis flags aside) from hideAfter different members and is
// published, it becomes hidden; hidden reports whether this flag did that, so it happens exactly
// once however many flags arrive together. A second open flag by the same
// member on the same target gives ErrConflict.
func (s *Store) FileFlag(ctx context.Context, f *Flag, item *ModerationItem, hideAfter int) (hidden bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(f).Error; err != nil {
			if isUnique(err) {
				return ErrConflict
			}
			return fmt.Errorf("store: file flag: %w", err)
		}
		// The upsert locks the item's row (PostgreSQL), so flags on one
		// target are counted one transaction at a time.
		if err := upsertItem(tx, item); err != nil {
			return err
		}
		var reporters int64
		if err := firstRowOf(tx, `SELECT COUNT(DISTINCT reporter_id) FROM flags
			WHERE target_type = ? AND target_id = ? AND status = ? AND reporter_id IS NOT NULL AND reason <> ?`,
			f.TargetType, f.TargetID, FlagOpen, ReasonCrisis).Scan(&reporters); err != nil {
			return fmt.Errorf("store: count reporters: %w", err)
		}
		if reporters < int64(hideAfter) {
			return nil
		}
		res := tx.Exec("UPDATE "+targetTables[Target(f.TargetType)]+" SET status = ? WHERE id = ? AND status = ?", Hidden, f.TargetID, Published)
		if res.Error != nil {
			return fmt.Errorf("store: hide flagged writing: %w", res.Error)
		}
		hidden = res.RowsAffected == 1
		return nil
	})
	if errors.Is(err, ErrConflict) {
		return false, ErrConflict
	}
	return hidden, err
}

// OpenFlags returns the open flags on one target, oldest first, for an
// action on it to close and answer each reporter.
func (s *Store) OpenFlags(ctx context.Context, t Target, targetID string) ([]Flag, error) {
	out, err := queryRows(ctx, s, 0, scanOpenFlag,
		`SELECT id, target_type, target_id, reporter_id, reason, note, created_at
		FROM flags WHERE status = ? AND target_id = ? AND target_type = ? ORDER BY created_at, id`, FlagOpen, targetID, t)
	if err != nil {
		return nil, fmt.Errorf("store: open flags: %w", err)
	}
	return out, nil
}

func scanOpenFlag(row rowScanner, f *Flag) error {
	f.Status = FlagOpen
	return row.Scan(&f.ID, &f.TargetType, &f.TargetID, &f.ReporterID, &f.Reason, &f.Note, &f.CreatedAt)
}

// FlagGroup is the open flags of one reason on one target, as the queue
// shows them: counted, with only the newest few notes, so an item's size
// never grows with how often it was flagged.
type FlagGroup struct {
	TargetID      string
	Reason        string
	System        bool
	Count         int
	First, Latest time.Time
	Notes         []FlagNote // newest first, at most NotesPerGroup
}

// FlagNote is one flag's sealed note.
type FlagNote struct {
	FlagID string
	Note   []byte
}

// NotesPerGroup is how many notes a flag group carries.
const NotesPerGroup = 3

// FlagGroups returns the open flags on the given targets grouped by target,
// reason and whether the system raised them, in two queries whatever their
// number.
func (s *Store) FlagGroups(ctx context.Context, targetIDs []string) ([]FlagGroup, error) {
	if len(targetIDs) == 0 {
		return nil, nil
	}
	groups, err := queryRows(ctx, s, len(targetIDs), func(row rowScanner, g *FlagGroup) error {
		return row.Scan(&g.TargetID, &g.Reason, &g.System, &g.Count, exprTime{&g.First}, exprTime{&g.Latest})
	}, `SELECT target_id, reason, reporter_id IS NULL, COUNT(*), MIN(created_at), MAX(created_at)
		FROM flags WHERE status = ? AND target_id IN ?
		GROUP BY target_id, reason, reporter_id IS NULL ORDER BY target_id, MIN(created_at)`, FlagOpen, targetIDs)
	if err != nil {
		return nil, fmt.Errorf("store: flag groups: %w", err)
	}
	type note struct {
		TargetID, Reason string
		FlagNote
	}
	notes, err := queryRows(ctx, s, 0, func(row rowScanner, n *note) error {
		return row.Scan(&n.TargetID, &n.Reason, &n.FlagID, &n.Note)
	}, `SELECT target_id, reason, id, note FROM (
			SELECT target_id, reason, id, note, ROW_NUMBER() OVER (PARTITION BY target_id, reason ORDER BY created_at DESC, id DESC) AS nth
			FROM flags WHERE status = ? AND target_id IN ? AND note IS NOT NULL) newest
		WHERE nth <= ? ORDER BY target_id, reason, nth`, FlagOpen, targetIDs, NotesPerGroup)
	if err != nil {
		return nil, fmt.Errorf("store: flag notes: %w", err)
	}
	// A note belongs to the members' group of its reason: the system
	// writes none.
	byReason := make(map[[2]string]*FlagGroup, len(groups))
	for i := range groups {
		if g := &groups[i]; !g.System {
			byReason[[2]string{g.TargetID, g.Reason}] = g
		}
	}
	for _, n := range notes {
		if g := byReason[[2]string{n.TargetID, n.Reason}]; g != nil {
			g.Notes = append(g.Notes, n.FlagNote)
		}
	}
	return groups, nil
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
	COALESCE(s.id, r.story_id, ''), COALESCE(s.status, r.status, ''), s.title, COALESCE(s.body, r.body)
	FROM moderation_items i
	JOIN circles c ON c.id = i.circle_id
	JOIN members m ON m.id = i.author_id
	LEFT JOIN stories s ON s.id = CASE WHEN i.target_type = ? THEN i.target_id END
	LEFT JOIN replies r ON r.id = CASE WHEN i.target_type = ? THEN i.target_id END
	WHERE i.status = ?`

func scanQueueItem(row rowScanner, q *QueueItem) error {
	return row.Scan(&q.TargetType, &q.TargetID, &q.Priority, &q.FirstFlaggedAt, &q.CircleSlug, &q.AuthorHandle,
		&q.StoryID, &q.TargetStatus, &q.Title, &q.Body)
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
	args := []any{string(TargetStory), string(TargetReply), FlagOpen}
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
// closed, a log entry, and notices.
type Decision struct {
	Target    Target
	TargetID  string
	OldStatus string
	NewStatus string
	Log       *LogEntry
	Notices   []*Notice
}

// Decide applies a decision in one transaction. A removed story loses its
// pin.
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
				if err := tx.Exec("UPDATE stories SET pinned_at = NULL WHERE id = ?", d.TargetID).Error; err != nil {
					return fmt.Errorf("store: unpin: %w", err)
				}
			}
		}
		if err := tx.Model(&Flag{}).Where("target_type = ? AND target_id = ? AND status = ?", d.Target, d.TargetID, FlagOpen).
			Updates(map[string]any{"status": FlagClosed, "closed_at": now}).Error; err != nil {
			return fmt.Errorf("store: close flags: %w", err)
		}
		if err := tx.Model(&ModerationItem{}).Where("target_type = ? AND target_id = ?", d.Target, d.TargetID).
			Updates(map[string]any{"status": FlagClosed, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("store: close item: %w", err)
		}
		rows := []any{d.Log}
		for _, n := range d.Notices {
			rows = append(rows, n)
		}
		return createAll(tx, rows)
	})
}

// MemberAction changes a member (u may change nothing, as a warning does),
// ending every session when endSessions, and logs it with its notices, in
// one transaction.
func (s *Store) MemberAction(ctx context.Context, memberID string, u MemberUpdate, endSessions bool, log *LogEntry, notices []*Notice, now time.Time) error {
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
		if endSessions {
			// A suspension or ban also ends what the member's word let
			// others do: their sessions and the invites they made.
			if err := revokeSessions(tx, memberID, "", now); err != nil {
				return err
			}
			if err := revokeInvitesBy(tx, memberID, "", now); err != nil {
				return err
			}
		}
		rows := []any{log}
		for _, n := range notices {
			rows = append(rows, n)
		}
		return createAll(tx, rows)
	})
}

// CountPublished counts the stories and replies of a member in a circle
// that readers can see as published, for pre-moderation of newcomers: only
// writing a moderator approved, or that went out published, shows the
// member is past their first steps. Held, removed or deleted writing does
// not count, or three spam posts a moderator removed would let the fourth
// straight through.
func (s *Store) CountPublished(ctx context.Context, authorID, circleID string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM stories WHERE author_id = ? AND circle_id = ? AND status = ?) +
		(SELECT COUNT(*) FROM replies r JOIN stories s ON s.id = r.story_id WHERE r.author_id = ? AND s.circle_id = ? AND r.status = ?)`,
		authorID, circleID, Published, authorID, circleID, Published).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count published writing: %w", err)
	}
	return n, nil
}

// ListNotices lists a member's notices, newest first, before the id given.
func (s *Store) ListNotices(ctx context.Context, memberID, before string, limit int) ([]Notice, error) {
	q := s.r.WithContext(ctx).Where("member_id = ?", memberID)
	if before != "" {
		q = q.Where("id < ?", before)
	}
	var out []Notice
	if err := q.Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: list notices: %w", err)
	}
	return out, nil
}

// ListLog lists the moderation log, newest first, before the id given.
func (s *Store) ListLog(ctx context.Context, before string, limit int) ([]LogView, error) {
	q := `SELECT l.*, m.handle AS actor_handle, t.handle AS target_handle, c.slug AS target_circle FROM moderation_log l
		LEFT JOIN members m ON m.id = l.actor_id
		LEFT JOIN members t ON l.target_type = 'member' AND t.id = l.target_id
		LEFT JOIN circles c ON l.target_type = 'circle' AND c.id = l.target_id`
	var args []any
	if before != "" {
		q += " WHERE l.id < ?"
		args = append(args, before)
	}
	q += " ORDER BY l.id DESC LIMIT ?"
	args = append(args, limit)
	var out []LogView
	if err := s.r.WithContext(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("store: list log: %w", err)
	}
	return out, nil
}

// RemovalReasons returns, for each of the given targets a moderator
// removed, the log entry of its latest removal (its reason, sealed with
// the moderator's key), off idx_log_target.
func (s *Store) RemovalReasons(ctx context.Context, t Target, ids []string) (map[string]LogEntry, error) {
	out := map[string]LogEntry{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := queryRows(ctx, s, len(ids), func(row rowScanner, e *LogEntry) error {
		return row.Scan(&e.ID, &e.TargetID, &e.Reason)
	}, `SELECT id, target_id, reason FROM moderation_log WHERE target_type = ? AND target_id IN ? AND action = ? ORDER BY id`,
		t, ids, "remove")
	if err != nil {
		return nil, fmt.Errorf("store: removal reasons: %w", err)
	}
	for _, e := range rows {
		out[e.TargetID] = e // later entries win: ids grow with time
	}
	return out, nil
}

// AppendLog adds a log entry on its own.
func (s *Store) AppendLog(ctx context.Context, e *LogEntry) error {
	if err := s.w.WithContext(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("store: append log: %w", err)
	}
	return nil
}

// AddNotices stores notices.
func (s *Store) AddNotices(ctx context.Context, notices ...*Notice) error {
	if len(notices) == 0 {
		return nil
	}
	if err := s.w.WithContext(ctx).Create(notices).Error; err != nil {
		return fmt.Errorf("store: add notices: %w", err)
	}
	return nil
}

// CircleFacilitators lists the handles of a circle's facilitators.
func (s *Store) CircleFacilitators(ctx context.Context, circleID string) ([]string, error) {
	var out []string
	err := s.r.WithContext(ctx).Raw(`SELECT m.handle FROM circle_members cm JOIN members m ON m.id = cm.member_id
		WHERE cm.circle_id = ? AND cm.facilitator ORDER BY m.handle`, circleID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: circle facilitators: %w", err)
	}
	return out, nil
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
	err := s.r.WithContext(ctx).Raw(`SELECT priority, COUNT(*) AS n FROM moderation_items WHERE status = ? GROUP BY priority`, FlagOpen).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: queue sizes: %w", err)
	}
	out := make(map[int]int64, len(rows))
	for _, r := range rows {
		out[r.Priority] = r.N
	}
	return out, nil
}

// FlagsBy lists the flags a member filed, oldest first, for their export.
func (s *Store) FlagsBy(ctx context.Context, reporterID string) ([]Flag, error) {
	var out []Flag
	if err := s.r.WithContext(ctx).Where("reporter_id = ?", reporterID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: flags by member: %w", err)
	}
	return out, nil
}

// closeFlagsBy closes the open flags a reporter filed (they were banned or
// erased): they no longer count toward the three-member hide. An item left
// with no open flag on writing that is plainly published leaves the queue;
// held or hidden writing stays for a moderator to decide.
func closeFlagsBy(tx *gorm.DB, reporterID string, now time.Time) error {
	var targets []struct{ TargetType, TargetID string }
	if err := tx.Raw("SELECT DISTINCT target_type, target_id FROM flags WHERE reporter_id = ? AND status = ?", reporterID, FlagOpen).
		Scan(&targets).Error; err != nil {
		return fmt.Errorf("store: flags by reporter: %w", err)
	}
	if err := tx.Exec("UPDATE flags SET status = ?, closed_at = ? WHERE reporter_id = ? AND status = ?", FlagClosed, now, reporterID, FlagOpen).Error; err != nil {
		return fmt.Errorf("store: close reporter's flags: %w", err)
	}
	for _, t := range targets {
		table, ok := targetTables[Target(t.TargetType)]
		if !ok {
			continue
		}
		err := tx.Exec(`UPDATE moderation_items SET status = ?, updated_at = ? WHERE target_type = ? AND target_id = ? AND status = ?
			AND NOT EXISTS (SELECT 1 FROM flags WHERE target_type = ? AND target_id = ? AND status = ?)
			AND EXISTS (SELECT 1 FROM `+table+` WHERE id = ? AND status = ?)`,
			FlagClosed, now, t.TargetType, t.TargetID, FlagOpen, t.TargetType, t.TargetID, FlagOpen, t.TargetID, Published).Error
		if err != nil {
			return fmt.Errorf("store: close items: %w", err)
		}
	}
	return nil
}

// closeItem takes writing out of the queue and closes its open flags: its
// author deleted it, and there is nothing left to decide.
func closeItem(tx *gorm.DB, t Target, id string, now time.Time) error {
	if err := tx.Model(&Flag{}).Where("target_type = ? AND target_id = ? AND status = ?", t, id, FlagOpen).
		Updates(map[string]any{"status": FlagClosed, "closed_at": now}).Error; err != nil {
		return fmt.Errorf("store: close flags: %w", err)
	}
	return tx.Model(&ModerationItem{}).Where("target_type = ? AND target_id = ?", t, id).
		Updates(map[string]any{"status": FlagClosed, "updated_at": now}).Error
}

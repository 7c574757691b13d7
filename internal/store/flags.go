package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
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

// ReasonCrisis is the flag reason that reaches moderators only: it never
// hides writing, so nothing reaches its author because of it.
const ReasonCrisis = "crisis"

// targetTables are fixed table names, never input.
var targetTables = map[Target]string{TargetStory: "stories", TargetReply: "replies"}

// FileFlag stores a flag and its queue item. When the target then has open
// flags (crisis flags aside) from hideAfter different members and is
// published, it becomes hidden, and onHide (its log entry) is written with
// it; hidden reports whether this flag did that, so it happens exactly once
// however many flags arrive together. A second open flag by the same member
// on the same target gives ErrConflict. Reporters that uncounted names
// (the author blocked them) are not counted; nil counts everyone.
func (s *Store) FileFlag(ctx context.Context, f *Flag, item *ModerationItem, hideAfter int, uncounted func(reporters []string) (map[string]bool, error), onHide Effects) (hidden bool, err error) {
	table := targetTables[Target(f.TargetType)]
	if s.dialect == Postgres && table != "" {
		filed, err := s.fileFlagAlone(ctx, table, f, item, hideAfter)
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return false, ErrConflict
		}
		if err != nil || filed {
			return false, err
		}
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// Every flag on a target waits for the one before it here, so
		// each counts the others (see fileFlagAlone).
		if err := lockTarget(tx, s.dialect, table, f.TargetID); err != nil {
			return err
		}
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
		var ids []string
		if err := tx.Raw(`SELECT DISTINCT reporter_id FROM flags
			WHERE target_type = ? AND target_id = ? AND status = ? AND reporter_id IS NOT NULL AND reason <> ?`,
			f.TargetType, f.TargetID, FlagOpen, ReasonCrisis).Scan(&ids).Error; err != nil {
			return fmt.Errorf("store: count reporters: %w", err)
		}
		if len(ids) < hideAfter {
			return nil
		}
		if uncounted != nil {
			out, err := uncounted(ids)
			if err != nil {
				return err
			}
			ids = slices.DeleteFunc(ids, func(id string) bool { return out[id] })
		}
		if len(ids) < hideAfter {
			return nil
		}
		res := tx.Exec("UPDATE "+targetTables[Target(f.TargetType)]+" SET status = ? WHERE id = ? AND status = ?", Hidden, f.TargetID, Published)
		if res.Error != nil {
			return fmt.Errorf("store: hide flagged writing: %w", res.Error)
		}
		if hidden = res.RowsAffected == 1; hidden {
			return onHide.write(tx)
		}
		return nil
	})
	if errors.Is(err, ErrConflict) {
		return false, ErrConflict
	}
	return hidden, err
}

// lockTarget holds the writing's row until the transaction ends
// (PostgreSQL; a SQLite write transaction holds the whole store).
func lockTarget(tx *gorm.DB, dialect, table, id string) error {
	if dialect != Postgres || table == "" {
		return nil
	}
	if err := tx.Exec("SELECT 1 FROM "+table+" WHERE id = ? FOR UPDATE", id).Error; err != nil {
		return fmt.Errorf("store: lock flagged writing: %w", err)
	}
	return nil
}

// fileFlagAlone files a flag that cannot hide its target, with its queue
// item, in one pipelined round trip: the flag is crisis (which never
// hides), the target is not published, or fewer than hideAfter-1 other
// members have open flags on it, counted after the target's row is locked
// so that no other flag on it is in flight. A flag that might hide is
// left unfiled (false): whether it hides depends on whom the author
// blocked, which only Go can ask, and FileFlag's transaction decides it.
func (s *Store) fileFlagAlone(ctx context.Context, table string, f *Flag, item *ModerationItem, hideAfter int) (filed bool, err error) {
	b := &pgx.Batch{}
	b.Queue("SELECT 1 FROM "+table+" WHERE id = $1 FOR UPDATE", f.TargetID)
	// Parameters carry their types: in INSERT ... SELECT, PostgreSQL
	// would take an untyped one for text.
	b.Queue(`WITH alone AS (
			SELECT $5::text = '`+ReasonCrisis+`'
				OR NOT EXISTS (SELECT 1 FROM `+table+` WHERE id = $3 AND status = '`+Published+`')
				OR (SELECT COUNT(DISTINCT reporter_id) FROM flags WHERE target_type = $2 AND target_id = $3 AND status = '`+FlagOpen+`'
					AND reporter_id IS NOT NULL AND reporter_id <> $4 AND reason <> '`+ReasonCrisis+`') < $12 - 1 AS ok
		), flag AS (
			INSERT INTO flags (id, target_type, target_id, reporter_id, reason, note, status, created_at)
			SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::bytea, '`+FlagOpen+`', $7::timestamptz FROM alone WHERE ok
			RETURNING id
		), item AS (`+itemUpsert("SELECT $2::text, $3::text, $8::text, $9::text, '"+FlagOpen+"', $10::int, $13::timestamptz, $11::timestamptz FROM flag WHERE true")+`)
		SELECT EXISTS (SELECT 1 FROM flag)`,
		f.ID, f.TargetType, f.TargetID, f.ReporterID, f.Reason, f.Note, f.CreatedAt,
		item.CircleID, item.AuthorID, item.Priority, item.UpdatedAt, hideAfter, item.FirstFlaggedAt).
		QueryRow(func(row pgx.Row) error { return row.Scan(&filed) })
	if err := sendBatch(ctx, s.w, b); err != nil {
		return false, fmt.Errorf("store: file flag: %w", err)
	}
	return filed, nil
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

// FlagsBy lists the flags a member filed, oldest first, for their export.
func (s *Store) FlagsBy(ctx context.Context, reporterID string) ([]Flag, error) {
	var out []Flag
	if err := s.reading(ctx, func(db *gorm.DB) error { return db.Where("reporter_id = ?", reporterID).Order("id").Find(&out).Error }); err != nil {
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

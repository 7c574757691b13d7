package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Appeal is a member asking the moderation team to look again at an action
// about them: its log entry (ActionID, once each) and that action's target.
// Text is sealed with the member's key.
type Appeal struct {
	ID         string `gorm:"primaryKey"`
	ActionID   string
	MemberID   string
	TargetType string
	TargetID   string
	Text       []byte
	Status     string
	CreatedAt  time.Time
	DecidedBy  *string
	DecidedAt  *time.Time
	Undone     bool
}

// Appeal statuses.
const (
	AppealOpen       = "open"
	AppealUpheld     = "upheld"
	AppealOverturned = "overturned"
)

// GetLogEntry returns log entry id, or ErrNotFound.
func (s *Store) GetLogEntry(ctx context.Context, id string) (*LogEntry, error) {
	return take[LogEntry](ctx, s, "log entry", "id = ?", id)
}

// WritingAuthor returns the author of a story or reply, or ErrNotFound.
func (s *Store) WritingAuthor(ctx context.Context, t Target, id string) (string, error) {
	var author string
	err := s.queryRow(ctx, "SELECT author_id FROM "+targetTables[t]+" WHERE id = ?", id).Scan(&author)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: writing author: %w", err)
	}
	return author, nil
}

// FileAppeal stores an appeal with its log entry; a second appeal of the
// same action gives ErrConflict.
func (s *Store) FileAppeal(ctx context.Context, a *Appeal, log *LogEntry) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(a).Error; err != nil {
			if isUnique(err) {
				return ErrConflict
			}
			return fmt.Errorf("store: file appeal: %w", err)
		}
		return tx.Create(log).Error
	})
}

// GetAppeal returns appeal id, or ErrNotFound.
func (s *Store) GetAppeal(ctx context.Context, id string) (*Appeal, error) {
	return take[Appeal](ctx, s, "appeal", "id = ?", id)
}

// AppealView is an open appeal with the action it names and who wrote it.
type AppealView struct {
	Appeal
	MemberHandle  string
	Action        string
	ActionActor   *string // the actor's handle; nil for the system
	ActionReason  []byte
	ActionCreated time.Time
}

// ListOpenAppeals lists open appeals, oldest first, after the id given,
// with their actions, in one query.
func (s *Store) ListOpenAppeals(ctx context.Context, after string, limit int) ([]AppealView, error) {
	out, err := queryRows(ctx, s, limit, func(row rowScanner, v *AppealView) error {
		return row.Scan(&v.ID, &v.ActionID, &v.MemberID, &v.TargetType, &v.TargetID, &v.Text, &v.Status, &v.CreatedAt,
			&v.MemberHandle, &v.Action, &v.ActionActor, &v.ActionReason, &v.ActionCreated)
	}, `SELECT a.id, a.action_id, a.member_id, a.target_type, a.target_id, a.text, a.status, a.created_at,
		m.handle, l.action, am.handle, l.reason, l.created_at
		FROM appeals a
		JOIN members m ON m.id = a.member_id
		JOIN moderation_log l ON l.id = a.action_id
		LEFT JOIN members am ON am.id = l.actor_id
		WHERE a.status = ? AND a.id > ? ORDER BY a.id LIMIT ?`, AppealOpen, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list appeals: %w", err)
	}
	return out, nil
}

// AppealsBy lists a member's appeals, oldest first, for their export.
func (s *Store) AppealsBy(ctx context.Context, memberID string) ([]Appeal, error) {
	var out []Appeal
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Where("member_id = ?", memberID).Order("id").Find(&out).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: appeals by: %w", err)
	}
	return out, nil
}

// Undo is what overturning an action takes back, if its target is still
// as the action left it.
type Undo struct {
	Target   string // story, reply or member
	TargetID string
	// From is the status the action left its target in: hidden or
	// removed writing, a suspended member; "" for an action that left
	// nothing to take back (a warning), which is undone by the decision
	// alone.
	From string
	// After is the action's log entry: no later action that changed the
	// target may stand between it and now.
	After string
}

// changes are the logged actions that change how writing or a member
// stands: one of them after an action means its target moved on.
var changes = []string{"dismiss", "approve", "hide", "remove", "restore", "hide_by_flags", "suspend", "unsuspend", "ban", "appeal_overturned"}

// DecideAppeal records a decision on an open appeal and, when undo is set,
// takes the action back if its target still stands as the action left it
// (writing published again with its place in its story, a suspension
// lifted): undone says whether it did. A decided appeal gives ErrConflict.
// The effects (the log entry, the notice) are stored with it.
func (s *Store) DecideAppeal(ctx context.Context, id, outcome, by string, undo *Undo, eff Effects, now time.Time) (undone bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		undone = false
		if undo != nil {
			var err error
			if undone, err = applyUndo(tx, undo, now); err != nil {
				return err
			}
		}
		res := tx.Model(&Appeal{}).Where("id = ? AND status = ?", id, AppealOpen).
			Select("Status", "DecidedBy", "DecidedAt", "Undone").
			Updates(&Appeal{Status: outcome, DecidedBy: &by, DecidedAt: &now, Undone: undone})
		if res.Error != nil {
			return fmt.Errorf("store: decide appeal: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		return eff.write(tx)
	})
	return undone, err
}

func applyUndo(tx *gorm.DB, u *Undo, now time.Time) (bool, error) {
	if u.From == "" {
		return true, nil
	}
	later := ` AND NOT EXISTS (SELECT 1 FROM moderation_log l WHERE l.target_type = ? AND l.target_id = ? AND l.id > ? AND l.action IN ?)`
	if u.Target == "member" {
		res := tx.Exec(`UPDATE members SET status = ?, suspended_until = NULL WHERE id = ? AND status = ? AND suspended_until > ?`+later,
			StatusActive, u.TargetID, StatusSuspended, now, u.Target, u.TargetID, u.After, changes)
		if res.Error != nil {
			return false, fmt.Errorf("store: lift suspension: %w", res.Error)
		}
		return res.RowsAffected == 1, nil
	}
	t := Target(u.Target)
	table, ok := targetTables[t]
	if !ok {
		return false, fmt.Errorf("store: undo on %q", u.Target)
	}
	// Writing its author deleted has no body: there is nothing to publish.
	res := tx.Exec("UPDATE "+table+" SET status = ? WHERE id = ? AND status = ? AND body IS NOT NULL"+later,
		Published, u.TargetID, u.From, u.Target, u.TargetID, u.After, changes)
	if res.Error != nil {
		return false, fmt.Errorf("store: restore writing: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return false, nil
	}
	if t == TargetReply {
		if err := replyStatusChanged(tx, u.TargetID, Published, now); err != nil {
			return false, err
		}
	}
	if t == TargetStory && u.From == Removed {
		// Pinned again where it was, if its circle has room for it still.
		if err := tx.Exec(`UPDATE stories SET pinned_at = removed_pin_at, removed_pin_at = NULL WHERE id = ? AND removed_pin_at IS NOT NULL
			AND (SELECT COUNT(*) FROM stories p WHERE p.circle_id = stories.circle_id AND p.pinned_at IS NOT NULL) < ?`, u.TargetID, MaxPins).Error; err != nil {
			return false, fmt.Errorf("store: pin again: %w", err)
		}
	}
	// Whatever flags it still had were answered by this decision.
	return true, closeItem(tx, t, u.TargetID, now)
}

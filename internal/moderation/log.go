package moderation

import (
	"context"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Logbook writes the moderation log. Every entry is made here, whoever's
// change it records (a moderator's action, an admin's change to a circle, a
// facilitator appointed, the system hiding writing by flags), with its
// reason sealed with the actor's key; the operator and the system write no
// reason. The database refuses to change or delete an entry once written.
type Logbook struct {
	st     *store.Store
	sealer Sealer
	now    func() time.Time
}

// NewLogbook returns the log's writer.
func NewLogbook(st *store.Store, sealer Sealer) *Logbook {
	return &Logbook{st: st, sealer: sealer, now: kernel.Now}
}

// Entry makes the log entry of a's action, for the caller to store in the
// transaction of the change it records.
func (l *Logbook) Entry(ctx context.Context, a kernel.Actor, action, targetType, targetID, reason string) (*store.LogEntry, error) {
	e := &store.LogEntry{ID: store.NewID(), Action: action, TargetType: targetType, TargetID: targetID, CreatedAt: l.now()}
	if a.Operator {
		return e, nil
	}
	e.ActorID = &a.ID
	var err error
	if e.Reason, _, err = sealFor(ctx, l.st, l.sealer, a.ID, reason, store.LogReasonLocation(e.ID)); err != nil {
		return nil, err
	}
	return e, nil
}

// system is an entry of what Hearth did by its own rules.
func (l *Logbook) system(action string, t store.Target, targetID string) *store.LogEntry {
	return &store.LogEntry{ID: store.NewID(), Action: action, TargetType: string(t), TargetID: targetID, CreatedAt: l.now()}
}

// LogLine is one moderation log entry as moderators read it.
type LogLine struct {
	ID        string    `json:"id"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// handleOrGone shows a handle, or "a former member" for an erased one.
func handleOrGone(h *string, none string) string {
	switch {
	case h == nil:
		return none
	case strings.HasPrefix(*h, "~"):
		return "a former member"
	}
	return *h
}

// Log lists every moderation action, role change and facilitator change,
// newest first.
func (s *Service) Log(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[LogLine], error) {
	if err := policy(a, readQueue, on{}); err != nil {
		return nil, err
	}
	before, err := kernel.Position(cursor, "l")
	if err != nil {
		return nil, err
	}
	rows, err := s.st.ListLog(ctx, before, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[LogLine]{Items: []LogLine{}}
	if len(rows) > limit {
		page.NextCursor = kernel.EncodeCursor("l", rows[limit-1].ID)
		rows = rows[:limit]
	}
	blobs := make([][]byte, len(rows))
	for i := range rows {
		blobs[i] = rows[i].Reason
	}
	if ctx, err = s.sealer.Warm(ctx, blobs...); err != nil {
		return nil, apperr.Internal(err)
	}
	for _, r := range rows {
		reason, err := open(ctx, s.sealer, r.Reason, store.LogReasonLocation(r.ID))
		if err != nil {
			return nil, err
		}
		t := r.TargetType + ":" + r.TargetID
		switch {
		case r.TargetType == "member":
			t = "member:" + handleOrGone(r.TargetHandle, "")
		case r.TargetCircle != nil:
			t = "circle:" + *r.TargetCircle
		}
		page.Items = append(page.Items, LogLine{ID: r.ID, Actor: handleOrGone(r.ActorHandle, "system"), Action: r.Action,
			Target: t, Reason: reason, CreatedAt: r.CreatedAt.UTC()})
	}
	return page, nil
}

package moderation

import (
	"context"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/forum"
)

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
func (s *Service) Log(ctx context.Context, a forum.Actor, limit int, cursor string) (*forum.Page[LogLine], error) {
	if err := policy(a, readQueue, nil); err != nil {
		return nil, err
	}
	before := ""
	if cursor != "" {
		_, parts, err := forum.DecodeCursor(cursor, "l")
		if err != nil {
			return nil, err
		}
		before = parts[0]
	}
	rows, err := s.st.ListLog(ctx, before, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &forum.Page[LogLine]{Items: []LogLine{}}
	if len(rows) > limit {
		page.NextCursor = forum.EncodeCursor("l", rows[limit-1].ID)
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
		reason, err := s.open(ctx, r.Reason, forum.LogLocation(r.ID))
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

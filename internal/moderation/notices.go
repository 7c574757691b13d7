package moderation

import (
	"context"
	"fmt"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Notice kinds.
const (
	NoticeHeld        = "held"
	NoticeHidden      = "hidden"
	NoticeRemoved     = "removed"
	NoticeRestored    = "restored"
	NoticeApproved    = "approved"
	NoticeWarned      = "warned"
	NoticeSuspended   = "suspended"
	NoticeFlagOutcome = "flag_outcome"
	NoticeReply       = "reply"
)

const signature = "\n\n— the moderation team"

func word(t store.Target) string {
	if t == store.TargetReply {
		return "reply"
	}
	return "story"
}

// notice makes a sealed notice for memberID, or nil when they have no key
// any more.
func notice(ctx context.Context, st *store.Store, sealer Sealer, memberID, kind, message string, t store.Target, targetID string, now time.Time) (*store.Notice, error) {
	n := &store.Notice{ID: store.NewID(), MemberID: memberID, Kind: kind, TargetType: string(t), TargetID: targetID, CreatedAt: now}
	b, ok, err := sealFor(ctx, st, sealer, memberID, message, store.NoticeLocation(n.ID))
	if err != nil || !ok {
		return nil, err
	}
	n.Message = b
	return n, nil
}

// authorMessage is what an author is told of a decision on their writing.
func authorMessage(kind string, t store.Target, reason string) string {
	w := word(t)
	switch kind {
	case NoticeHeld:
		return fmt.Sprintf("Thank you for sharing. Because you are new to this circle, your %s waits for a moderator to read it before others can see it. You can see it yourself in the meantime.", w) + signature
	case NoticeHidden:
		if reason == "" {
			return fmt.Sprintf("Your %s is hidden from others for now, while the moderation team looks at it. It has not been removed, and you can still see it.", w) + signature
		}
		return fmt.Sprintf("The moderation team has hidden your %s from others. You can still see it. Their reason: %s", w, reason) + signature
	case NoticeRemoved:
		return fmt.Sprintf("The moderation team has removed your %s. Their reason: %s", w, reason) + signature
	case NoticeRestored:
		return fmt.Sprintf("Your %s can be seen by the circle again. %s", w, reason) + signature
	case NoticeApproved:
		return fmt.Sprintf("Your %s has been approved and the circle can see it now. %s", w, reason) + signature
	}
	return reason + signature
}

// outcomes tell a reporter what came of their flag, without the reason
// (which is between the team and the author).
var outcomes = map[string]string{
	"dismiss": "decided it can stay",
	"approve": "decided it can stay",
	"restore": "decided it can stay",
	"hide":    "hid it from the circle",
	"remove":  "removed it",
}

// Notice is a notice as its member reads it.
type Notice struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	Message    string    `json:"message"`
	TargetType *string   `json:"target_type"` // null for notices about the member
	TargetID   *string   `json:"target_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// Notices lists a's notices, newest first.
func (s *Service) Notices(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[Notice], error) {
	before := ""
	if cursor != "" {
		_, parts, err := kernel.DecodeCursor(cursor, "n")
		if err != nil {
			return nil, err
		}
		before = parts[0]
	}
	rows, err := s.st.ListNotices(ctx, a.ID, before, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Notice]{Items: []Notice{}}
	for i, n := range rows {
		if i == limit {
			page.NextCursor = kernel.EncodeCursor("n", rows[i-1].ID)
			break
		}
		msg, err := open(ctx, s.sealer, n.Message, store.NoticeLocation(n.ID))
		if err != nil {
			return nil, err
		}
		out := Notice{ID: n.ID, Kind: n.Kind, Message: msg, CreatedAt: n.CreatedAt.UTC()}
		if n.TargetID != "" {
			out.TargetType, out.TargetID = &n.TargetType, &n.TargetID
		}
		page.Items = append(page.Items, out)
	}
	return page, nil
}

package moderation

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

const (
	// appealWindow is how long after an action it may be appealed.
	appealWindow = 30 * 24 * time.Hour
	maxAppeal    = 2_000
)

// appealable are the actions a member may appeal, with the status each
// left its target in (what overturning it takes back); a warning leaves
// nothing to take back.
var appealable = map[string]string{
	"hide":          store.Hidden,
	"hide_by_flags": store.Hidden,
	"remove":        store.Removed,
	"warn":          "",
	"suspend":       store.StatusSuspended,
}

var (
	errSameModerator   = apperr.New(http.StatusForbidden, "same_moderator", "You took this action, so another moderator decides its appeal: a second pair of eyes is the point of an appeal.")
	errAlreadyAppealed = apperr.New(http.StatusConflict, "already_appealed", "You have already appealed this. The moderation team will look at it and tell you what they decide.")
	errWindowClosed    = apperr.New(http.StatusConflict, "appeal_window_closed", "An action can be appealed for 30 days, and this one is older. If something still weighs on you, you can write to the moderation team another way.")
	errAlreadyDecided  = apperr.New(http.StatusConflict, "already_decided", "Another moderator has decided this appeal already.")
)

// NewAppeal is the body of POST /appeals.
type NewAppeal struct {
	ActionID string `json:"action_id"`
	Text     string `json:"text"`
}

// AppealReceipt is what the member gets back.
type AppealReceipt struct {
	ID        string    `json:"id"`
	ActionID  string    `json:"action_id"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// about is the member an action was about: the author of writing, or the
// member acted on.
func (s *Service) about(ctx context.Context, e *store.LogEntry) (string, error) {
	if e.TargetType == "member" {
		return e.TargetID, nil
	}
	t, err := target(e.TargetType)
	if err != nil {
		return "", kernel.ErrNotFound
	}
	id, err := s.st.WritingAuthor(ctx, t, e.TargetID)
	if errors.Is(err, store.ErrNotFound) {
		return "", kernel.ErrNotFound
	}
	if err != nil {
		return "", apperr.Internal(err)
	}
	return id, nil
}

// action finds an appealable action's log entry and the member it was
// about; anything else is not found.
func (s *Service) action(ctx context.Context, id string) (*store.LogEntry, string, error) {
	e, err := s.st.GetLogEntry(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", kernel.ErrNotFound
	}
	if err != nil {
		return nil, "", apperr.Internal(err)
	}
	if _, ok := appealable[e.Action]; !ok {
		return nil, "", kernel.ErrNotFound
	}
	who, err := s.about(ctx, e)
	return e, who, err
}

// FileAppeal asks the moderation team to look again at an action about a,
// once, within 30 days of it. It is logged, without its words.
func (s *Service) FileAppeal(ctx context.Context, a kernel.Actor, in NewAppeal) (*AppealReceipt, error) {
	if err := kernel.CheckText("text", strings.TrimSpace(in.Text), 1, maxAppeal); err != nil {
		return nil, err
	}
	e, who, err := s.action(ctx, in.ActionID)
	if err != nil {
		return nil, err
	}
	if err := policy(a, appealAction, on{about: who}); err != nil {
		return nil, err
	}
	now := s.now()
	if now.Sub(e.CreatedAt) > appealWindow {
		return nil, errWindowClosed
	}
	ap := &store.Appeal{ID: store.NewIDAt(now), ActionID: e.ID, MemberID: a.ID, TargetType: e.TargetType, TargetID: e.TargetID,
		Status: store.AppealOpen, CreatedAt: now}
	var ok bool
	if ap.Text, ok, err = sealFor(ctx, s.st, s.sealer, a.ID, in.Text, store.AppealTextLocation(ap.ID)); err != nil {
		return nil, err
	} else if !ok {
		return nil, kernel.ErrNotFound
	}
	log, err := s.log.Entry(ctx, a, "appeal", e.TargetType, e.TargetID, "")
	if err != nil {
		return nil, err
	}
	if err := s.st.FileAppeal(ctx, ap, log); errors.Is(err, store.ErrConflict) {
		return nil, errAlreadyAppealed
	} else if err != nil {
		return nil, apperr.Internal(err)
	}
	return &AppealReceipt{ID: ap.ID, ActionID: ap.ActionID, Status: ap.Status, CreatedAt: now.UTC()}, nil
}

// AppealedAction is the action an appeal names, as moderators read it.
type AppealedAction struct {
	ID         string    `json:"id"`
	Action     string    `json:"action"`
	Actor      string    `json:"actor"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
}

// AppealItem is an open appeal in the moderators' list.
type AppealItem struct {
	ID        string         `json:"id"`
	Status    string         `json:"status"`
	Member    kernel.Author  `json:"member"`
	Text      string         `json:"text"`
	Action    AppealedAction `json:"action"`
	CreatedAt time.Time      `json:"created_at"`
}

// Appeals lists open appeals, oldest first, each with the action it names,
// that action's reason and the appeal's words.
func (s *Service) Appeals(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[AppealItem], error) {
	if err := policy(a, readQueue, on{}); err != nil {
		return nil, err
	}
	after, err := kernel.Position(cursor, "a")
	if err != nil {
		return nil, err
	}
	rows, err := s.st.ListOpenAppeals(ctx, after, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[AppealItem]{Items: []AppealItem{}}
	if len(rows) > limit {
		page.NextCursor = kernel.EncodeCursor("a", rows[limit-1].ID)
		rows = rows[:limit]
	}
	blobs := make([][]byte, 0, 2*len(rows))
	for _, r := range rows {
		blobs = append(blobs, r.Text, r.ActionReason)
	}
	if ctx, err = s.sealer.Warm(ctx, blobs...); err != nil {
		return nil, apperr.Internal(err)
	}
	for _, r := range rows {
		text, err := open(ctx, s.sealer, r.Text, store.AppealTextLocation(r.ID))
		if err != nil {
			return nil, err
		}
		reason, err := open(ctx, s.sealer, r.ActionReason, store.LogReasonLocation(r.ActionID))
		if err != nil {
			return nil, err
		}
		page.Items = append(page.Items, AppealItem{ID: r.ID, Status: r.Status, Member: kernel.Author{Handle: handleOrGone(&r.MemberHandle, "")},
			Text: text, CreatedAt: r.CreatedAt.UTC(),
			Action: AppealedAction{ID: r.ActionID, Action: r.Action, Actor: handleOrGone(r.ActionActor, "system"),
				TargetType: r.TargetType, TargetID: r.TargetID, Reason: reason, CreatedAt: r.ActionCreated.UTC()}})
	}
	return page, nil
}

// AppealDecision is the body of POST /moderation/appeals/{id}/decide.
type AppealDecision struct {
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// AppealOutcome is what a decision came to: undone says whether
// overturning took the action back.
type AppealOutcome struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
	Undone  bool   `json:"undone"`
}

// DecideAppeal upholds or overturns the action an appeal names. Overturning
// takes the action back when its target still stands as the action left
// it (writing is published again, a suspension lifted; a warning has
// nothing left to take back); otherwise the outcome is recorded alone. The
// decision is logged, and the member is told.
func (s *Service) DecideAppeal(ctx context.Context, a kernel.Actor, id string, d AppealDecision) (*AppealOutcome, error) {
	if d.Outcome != store.AppealUpheld && d.Outcome != store.AppealOverturned {
		return nil, apperr.Invalid("invalid_outcome", "outcome is upheld or overturned.")
	}
	if err := checkReason(d.Reason); err != nil {
		return nil, err
	}
	ap, err := s.st.GetAppeal(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, kernel.ErrNotFound
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	e, err := s.st.GetLogEntry(ctx, ap.ActionID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if err := policy(a, decideAppeal, on{about: ap.MemberID, actedBy: e.ActorID}); err != nil {
		return nil, err
	}
	if ap.Status != store.AppealOpen {
		return nil, errAlreadyDecided
	}
	log, err := s.log.Entry(ctx, a, "appeal_"+d.Outcome, e.TargetType, e.TargetID, strings.TrimSpace(d.Reason))
	if err != nil {
		return nil, err
	}
	var undo *store.Undo
	if d.Outcome == store.AppealOverturned {
		undo = &store.Undo{Target: e.TargetType, TargetID: e.TargetID, From: appealable[e.Action], After: e.ID}
	}
	var w *store.WritingRef
	if t, err := target(e.TargetType); err == nil {
		if w, err = s.writings.TargetToModerate(ctx, a, t, e.TargetID); err != nil {
			w = nil // gone: the notice tells of the member alone
		}
	}
	eff := store.Effects{Log: log, Notices: []*store.Notice{s.notices.About(ap.MemberID, store.NoticeAppealDecided, w, &log.ID)}}
	undone, err := s.st.DecideAppeal(ctx, ap.ID, d.Outcome, a.ID, undo, eff, s.now())
	if errors.Is(err, store.ErrConflict) {
		return nil, errAlreadyDecided
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &AppealOutcome{ID: ap.ID, Outcome: d.Outcome, Undone: undone}, nil
}

// FiledAppeal is an appeal in its writer's export.
type FiledAppeal struct {
	AppealReceipt
	Text      string     `json:"text"`
	DecidedAt *time.Time `json:"decided_at"`
	Undone    bool       `json:"undone"`
}

// AppealsFiled lists the appeals a wrote, with their words, for GET
// /me/export.
func (s *Service) AppealsFiled(ctx context.Context, a kernel.Actor) ([]FiledAppeal, error) {
	rows, err := s.st.AppealsBy(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := []FiledAppeal{}
	for _, r := range rows {
		text, err := open(ctx, s.sealer, r.Text, store.AppealTextLocation(r.ID))
		if err != nil {
			return nil, err
		}
		f := FiledAppeal{AppealReceipt: AppealReceipt{ID: r.ID, ActionID: r.ActionID, Status: r.Status, CreatedAt: r.CreatedAt.UTC()},
			Text: text, Undone: r.Undone}
		if r.DecidedAt != nil {
			at := r.DecidedAt.UTC()
			f.DecidedAt = &at
		}
		out = append(out, f)
	}
	return out, nil
}

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

// Decision is the body of an action: what to do and why.
type Decision struct {
	Action string     `json:"action"`
	Reason string     `json:"reason"`
	Until  *time.Time `json:"until,omitempty"`
	// Themes are what add_themes adds.
	Themes []string `json:"themes,omitempty"`
}

// ItemOutcome is what an action on writing left.
type ItemOutcome struct {
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	Status     string `json:"status"`
}

func checkReason(reason string) error {
	return kernel.CheckText("reason", strings.TrimSpace(reason), 1, maxReason)
}

// A writingAction decides, from where a story or reply stands, the status
// it moves to ("" to leave it) and what its author is told of ("" for
// nothing), or refuses.
type writingAction func(w *store.WritingRef) (status, tell string, err error)

// writingActions are the actions on writing, by the name a moderator gives.
var writingActions = map[string]writingAction{
	"dismiss": dismiss,
	"approve": approve,
	"hide":    hide,
	"remove":  remove,
	"restore": restore,
}

var (
	errStillPending     = apperr.New(http.StatusConflict, "still_pending", "This writing waits for review: approve it or remove it.")
	errNothingToRestore = apperr.New(http.StatusConflict, "nothing_to_restore", "Its author deleted this writing; there is nothing to restore.")
)

// dismiss: the flags were not needed. Writing the flags hid is shown again.
func dismiss(w *store.WritingRef) (string, string, error) {
	switch w.Status {
	case store.Pending:
		return "", "", errStillPending
	case store.Hidden:
		return store.Published, store.NoticeRestored, nil
	}
	return "", "", nil
}

// approve publishes writing held for review, or hidden by flags.
func approve(w *store.WritingRef) (string, string, error) {
	if w.Status == store.Pending || w.Status == store.Hidden {
		return store.Published, store.NoticeApproved, nil
	}
	return "", "", nil
}

// hide keeps writing from everyone but its author and the moderators.
func hide(*store.WritingRef) (string, string, error) { return store.Hidden, store.NoticeHidden, nil }

// remove takes writing down; its author still reads it, and it can be
// restored.
func remove(*store.WritingRef) (string, string, error) {
	return store.Removed, store.NoticeRemoved, nil
}

// restore publishes hidden or removed writing again.
func restore(w *store.WritingRef) (string, string, error) {
	if !w.HasText {
		return "", "", errNothingToRestore
	}
	if w.Status != store.Published {
		return store.Published, store.NoticeRestored, nil
	}
	return "", "", nil
}

// ActOnWriting dismisses, approves, hides, removes or restores a story or
// reply. Every action closes the item's open flags, is logged with its
// reason, tells the author what changed and each reporter what came of
// their flag.
func (s *Service) ActOnWriting(ctx context.Context, a kernel.Actor, targetType, targetID string, d Decision) (*ItemOutcome, error) {
	if err := policy(a, actOnWriting, on{}); err != nil {
		return nil, err
	}
	t, err := target(targetType)
	if err != nil {
		return nil, err
	}
	if err := checkReason(d.Reason); err != nil {
		return nil, err
	}
	if d.Until != nil {
		return nil, apperr.Invalid("unknown_field", "until belongs to actions on members.")
	}
	// A message in a mentorship is read by two members only: the team
	// closes its flags, and acts on its writer as a member where needed.
	if t == store.TargetMessage && d.Action != "dismiss" {
		return nil, apperr.Invalid("invalid_action", "A flagged message is dismissed; act on its writer with a member action where needed.")
	}
	if d.Action == addThemes {
		return s.addThemes(ctx, a, t, targetID, d)
	}
	if d.Themes != nil {
		return nil, apperr.Invalid("unknown_field", "themes belong to add_themes.")
	}
	act, ok := writingActions[d.Action]
	if !ok {
		return nil, apperr.Invalid("invalid_action", "action is dismiss, approve, hide, remove, restore or add_themes.")
	}
	w, err := s.writings.TargetToModerate(ctx, a, t, targetID)
	if err != nil {
		return nil, err
	}
	status, tell, err := act(w)
	if err != nil {
		return nil, err
	}
	// Writing its author deleted (or erased) stays removed: an action only
	// closes its flags.
	if status == w.Status || !w.HasText {
		status, tell = "", ""
	}
	reason := strings.TrimSpace(d.Reason)
	now := s.now()
	dec := store.Decision{Target: t, TargetID: w.ID, OldStatus: w.Status, NewStatus: status}
	if dec.Log, err = s.log.Entry(ctx, a, d.Action, string(t), w.ID, reason); err != nil {
		return nil, err
	}
	if tell != "" {
		dec.Notices = append(dec.Notices, s.notices.About(w.AuthorID, tell, w, &dec.Log.ID))
	}
	if status == store.Published && w.Status == store.Pending {
		published, err := s.notices.Published(ctx, w)
		if err != nil {
			return nil, err
		}
		dec.Notices = append(dec.Notices, published...)
	}
	if err := s.tellReporters(ctx, &dec.Effects, w, dec.Log.ID); err != nil {
		return nil, err
	}
	if err := s.st.Decide(ctx, dec, now); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errChanged
		}
		return nil, apperr.Internal(err)
	}
	if status == "" {
		status = w.Status
	}
	return &ItemOutcome{TargetType: string(t), TargetID: w.ID, Status: status}, nil
}

// tellReporters tells each member whose flag on w is open what came of it,
// once each.
func (s *Service) tellReporters(ctx context.Context, eff *store.Effects, w *store.WritingRef, actionID string) error {
	flags, err := s.st.OpenFlags(ctx, w.Target, w.ID)
	if err != nil {
		return apperr.Internal(err)
	}
	told := map[string]bool{}
	for _, f := range flags {
		if f.ReporterID == nil || told[*f.ReporterID] {
			continue
		}
		told[*f.ReporterID] = true
		eff.Notices = append(eff.Notices, s.notices.About(*f.ReporterID, store.NoticeFlagOutcome, w, &actionID))
	}
	return nil
}

// MemberOutcome is a member's standing after an action.
type MemberOutcome struct {
	Handle         string     `json:"handle"`
	Status         string     `json:"status"`
	SuspendedUntil *time.Time `json:"suspended_until"`
}

// maxSuspension bounds a suspension; longer is a ban.
const maxSuspension = 365 * 24 * time.Hour

// A memberAction decides, from a member's standing and the decision, their
// new standing (nil to leave it) and the kind of notice they are told of it
// by ("" for none), or refuses.
type memberAction func(m *store.Member, d Decision, now time.Time) (standing *store.Standing, tell string, err error)

// memberActions are the actions on members, by name.
var memberActions = map[string]memberAction{
	"warn":      warn,
	"suspend":   suspend,
	"unsuspend": unsuspend,
	"ban":       ban,
}

// warn writes to the member; nothing else changes.
func warn(*store.Member, Decision, time.Time) (*store.Standing, string, error) {
	return nil, store.NoticeWarned, nil
}

// suspend lets the member read but not write, until a time.
func suspend(_ *store.Member, d Decision, now time.Time) (*store.Standing, string, error) {
	if d.Until == nil || !d.Until.After(now) || d.Until.Sub(now) > maxSuspension {
		return nil, "", apperr.Invalid("invalid_until", "A suspension needs until: a time in the future, at most a year away.")
	}
	until := d.Until.UTC()
	return &store.Standing{Status: store.StatusSuspended, SuspendedUntil: &until}, store.NoticeSuspended, nil
}

// unsuspend ends a suspension early.
func unsuspend(m *store.Member, _ Decision, _ time.Time) (*store.Standing, string, error) {
	if m.Status != store.StatusSuspended {
		return nil, "", apperr.New(http.StatusConflict, "not_suspended", "This member is not suspended.")
	}
	return &store.Standing{Status: store.StatusActive}, "", nil
}

// ban closes the account for good.
func ban(*store.Member, Decision, time.Time) (*store.Standing, string, error) {
	return &store.Standing{Status: store.StatusBanned}, "", nil
}

func (s *Service) member(ctx context.Context, handle string) (*store.Member, error) {
	h := strings.ToLower(handle)
	m, err := s.st.GetMember(ctx, store.FindMember{Handle: &h})
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Status == store.StatusDeleted {
		return nil, kernel.ErrNoMember
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return m, nil
}

// ActOnMember warns, suspends, unsuspends or bans a member. Suspension and
// ban end the member's sessions at once.
func (s *Service) ActOnMember(ctx context.Context, a kernel.Actor, handle string, d Decision) (*MemberOutcome, error) {
	if err := checkReason(d.Reason); err != nil {
		return nil, err
	}
	m, err := s.member(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := policy(a, actOnMember, on{member: m}); err != nil {
		return nil, err
	}
	act, ok := memberActions[d.Action]
	if !ok {
		return nil, apperr.Invalid("invalid_action", "action is warn, suspend, unsuspend or ban.")
	}
	if d.Action != "suspend" && d.Until != nil {
		return nil, apperr.Invalid("invalid_until", "until is only for suspend.")
	}
	if m.Status == store.StatusBanned && d.Action != "warn" {
		// A ban is final: neither suspension nor unsuspension undoes it.
		return nil, errBanned
	}
	now := s.now()
	reason := strings.TrimSpace(d.Reason)
	standing, tell, err := act(m, d, now)
	if err != nil {
		return nil, err
	}
	var eff store.Effects
	if eff.Log, err = s.log.Entry(ctx, a, d.Action, "member", m.ID, reason); err != nil {
		return nil, err
	}
	if tell != "" {
		eff.Notices = append(eff.Notices, s.notices.About(m.ID, tell, nil, &eff.Log.ID))
	}
	if err := s.st.MemberAction(ctx, m.ID, store.MemberUpdate{Standing: standing}, eff, now); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errBanned
		}
		return nil, apperr.Internal(err)
	}
	out := &MemberOutcome{Handle: m.Handle, Status: m.Status, SuspendedUntil: m.SuspendedUntil}
	if standing != nil {
		out.Status, out.SuspendedUntil = standing.Status, standing.SuspendedUntil
	}
	return out, nil
}

// SetRole changes a member's global role and logs it: a is the admin who
// asks, or kernel.Operator at the command line (`hearth admin set-role`),
// logged as the system. The change counts from the member's next request.
func (s *Service) SetRole(ctx context.Context, a kernel.Actor, handle, role string) error {
	if !kernel.ValidRole(role) {
		return kernel.ErrInvalidRole
	}
	m, err := s.member(ctx, handle)
	if err != nil {
		return err
	}
	if err := policy(a, changeRole, on{member: m}); err != nil {
		return err
	}
	log, err := s.log.Entry(ctx, a, "set_role", "member", m.ID, "role "+role)
	if err != nil {
		return err
	}
	if err := s.st.MemberAction(ctx, m.ID, store.MemberUpdate{Role: &role}, store.Effects{Log: log}, s.now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return errBanned
		}
		return apperr.Internal(err)
	}
	return nil
}

// Acknowledgement is who said they are with someone in crisis, and when.
type Acknowledgement struct {
	TargetType     string    `json:"target_type"`
	TargetID       string    `json:"target_id"`
	AcknowledgedBy string    `json:"acknowledged_by"`
	AcknowledgedAt time.Time `json:"acknowledged_at"`
}

var errNoCrisis = apperr.New(http.StatusConflict, "no_open_crisis", "This writing has no open crisis item: there is nothing to acknowledge.")

// Acknowledge records that a (a facilitator of the writing's circle, or
// the moderation team) is with the writer of a story or reply in crisis:
// the queue shows it, the log keeps it, and nobody is called for it as
// overdue. The item stays open until a moderator closes it.
func (s *Service) Acknowledge(ctx context.Context, a kernel.Actor, targetType, targetID string) (*Acknowledgement, error) {
	t, err := target(targetType)
	if err != nil {
		return nil, err
	}
	find := s.writings.Target
	if a.Moderates() {
		find = s.writings.TargetToModerate
	}
	w, err := find(ctx, a, t, targetID)
	if err != nil {
		return nil, err
	}
	if err := policy(a, acknowledge, on{writing: w}); err != nil {
		return nil, err
	}
	log, err := s.log.Entry(ctx, a, "acknowledge", string(t), w.ID, "I'm with them")
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.st.Acknowledge(ctx, t, w.ID, a.ID, log, now); errors.Is(err, store.ErrNotFound) {
		return nil, errNoCrisis
	} else if err != nil {
		return nil, apperr.Internal(err)
	}
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &a.ID})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &Acknowledgement{TargetType: string(t), TargetID: w.ID, AcknowledgedBy: m.Handle, AcknowledgedAt: now.UTC()}, nil
}

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
		return store.Published, NoticeRestored, nil
	}
	return "", "", nil
}

// approve publishes writing held for review, or hidden by flags.
func approve(w *store.WritingRef) (string, string, error) {
	if w.Status == store.Pending || w.Status == store.Hidden {
		return store.Published, NoticeApproved, nil
	}
	return "", "", nil
}

// hide keeps writing from everyone but its author and the moderators.
func hide(*store.WritingRef) (string, string, error) { return store.Hidden, NoticeHidden, nil }

// remove takes writing down; its author still reads it, and it can be
// restored.
func remove(*store.WritingRef) (string, string, error) { return store.Removed, NoticeRemoved, nil }

// restore publishes hidden or removed writing again.
func restore(w *store.WritingRef) (string, string, error) {
	if !w.HasText {
		return "", "", errNothingToRestore
	}
	if w.Status != store.Published {
		return store.Published, NoticeRestored, nil
	}
	return "", "", nil
}

// ActOnWriting dismisses, approves, hides, removes or restores a story or
// reply. Every action closes the item's open flags, is logged with its
// reason, tells the author what changed and each reporter what came of
// their flag.
func (s *Service) ActOnWriting(ctx context.Context, a kernel.Actor, targetType, targetID string, d Decision) (*ItemOutcome, error) {
	if err := policy(a, actOnWriting, nil); err != nil {
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
	act, ok := writingActions[d.Action]
	if !ok {
		return nil, apperr.Invalid("invalid_action", "action is dismiss, approve, hide, remove or restore.")
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
		if err := s.tell(ctx, &dec.Effects, w.AuthorID, tell, authorMessage(tell, t, reason), t, w.ID, now); err != nil {
			return nil, err
		}
	}
	if err := s.tellReporters(ctx, &dec.Effects, t, w.ID, d.Action, now); err != nil {
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

// tell adds a notice to memberID to eff (none when they have no key any
// more).
func (s *Service) tell(ctx context.Context, eff *store.Effects, memberID, kind, message string, t store.Target, targetID string, now time.Time) error {
	n, err := notice(ctx, s.st, s.sealer, memberID, kind, message, t, targetID, now)
	if err != nil {
		return err
	}
	if n != nil {
		eff.Notices = append(eff.Notices, n)
	}
	return nil
}

// tellReporters tells each member whose flag on the writing is open what
// came of it, once each, without the reason (which is between the team and
// the author).
func (s *Service) tellReporters(ctx context.Context, eff *store.Effects, t store.Target, id, action string, now time.Time) error {
	flags, err := s.st.OpenFlags(ctx, t, id)
	if err != nil {
		return apperr.Internal(err)
	}
	told := map[string]bool{}
	for _, f := range flags {
		if f.ReporterID == nil || told[*f.ReporterID] {
			continue
		}
		told[*f.ReporterID] = true
		msg := "Thank you for your flag. The moderation team read the " + word(t) + " you flagged and " + outcomes[action] + "." + signature
		if err := s.tell(ctx, eff, *f.ReporterID, NoticeFlagOutcome, msg, t, id, now); err != nil {
			return err
		}
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
// new standing (nil to leave it) and what they are told (kind "" for
// nothing), or refuses.
type memberAction func(m *store.Member, d Decision, reason string, now time.Time) (standing *store.Standing, kind, message string, err error)

// memberActions are the actions on members, by name.
var memberActions = map[string]memberAction{
	"warn":      warn,
	"suspend":   suspend,
	"unsuspend": unsuspend,
	"ban":       ban,
}

// warn writes to the member; nothing else changes.
func warn(_ *store.Member, _ Decision, reason string, _ time.Time) (*store.Standing, string, string, error) {
	return nil, NoticeWarned, "The moderation team is writing to you about how you take part in Hearth: " + reason + signature, nil
}

// suspend lets the member read but not write, until a time.
func suspend(_ *store.Member, d Decision, reason string, now time.Time) (*store.Standing, string, string, error) {
	if d.Until == nil || !d.Until.After(now) || d.Until.Sub(now) > maxSuspension {
		return nil, "", "", apperr.Invalid("invalid_until", "A suspension needs until: a time in the future, at most a year away.")
	}
	until := d.Until.UTC()
	return &store.Standing{Status: store.StatusSuspended, SuspendedUntil: &until}, NoticeSuspended,
		"Your account is suspended until " + until.Format("2 January 2006, 15:04 MST") + ". You can sign in and read, but not write. The reason: " + reason + signature, nil
}

// unsuspend ends a suspension early.
func unsuspend(m *store.Member, _ Decision, _ string, _ time.Time) (*store.Standing, string, string, error) {
	if m.Status != store.StatusSuspended {
		return nil, "", "", apperr.New(http.StatusConflict, "not_suspended", "This member is not suspended.")
	}
	return &store.Standing{Status: store.StatusActive}, "", "", nil
}

// ban closes the account for good.
func ban(*store.Member, Decision, string, time.Time) (*store.Standing, string, string, error) {
	return &store.Standing{Status: store.StatusBanned}, "", "", nil
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
	if err := policy(a, actOnMember, m); err != nil {
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
	standing, kind, message, err := act(m, d, reason, now)
	if err != nil {
		return nil, err
	}
	var eff store.Effects
	if eff.Log, err = s.log.Entry(ctx, a, d.Action, "member", m.ID, reason); err != nil {
		return nil, err
	}
	if kind != "" {
		if err := s.tell(ctx, &eff, m.ID, kind, message, "", "", now); err != nil {
			return nil, err
		}
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
	if err := policy(a, changeRole, m); err != nil {
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

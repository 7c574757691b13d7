package moderation

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/auth"
	"hearth/internal/forum"
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
	return forum.CheckText("reason", strings.TrimSpace(reason), 1, maxReason)
}

// logEntry makes a log entry with its reason sealed by the actor's key.
func (s *Service) logEntry(ctx context.Context, a forum.Actor, act string, t, targetID, reason string) (*store.LogEntry, error) {
	e := &store.LogEntry{ID: store.NewID(), ActorID: &a.ID, Action: act, TargetType: t, TargetID: targetID, CreatedAt: s.now()}
	var err error
	if e.Reason, _, err = s.sealFor(ctx, a.ID, reason, forum.LogLocation(e.ID)); err != nil {
		return nil, err
	}
	return e, nil
}

// ActOnWriting dismisses, approves, hides, removes or restores a story or
// reply. Every action closes the item's open flags, is logged with its
// reason, tells the author what changed and each reporter what came of
// their flag.
func (s *Service) ActOnWriting(ctx context.Context, a forum.Actor, targetType, targetID string, d Decision) (*ItemOutcome, error) {
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
	info, err := s.forum.TargetToModerate(ctx, a, t, targetID)
	if err != nil {
		return nil, err
	}
	newStatus, authorKind := "", ""
	switch d.Action {
	case "dismiss":
		if info.Status == store.Pending {
			return nil, apperr.New(http.StatusConflict, "still_pending", "This writing waits for review: approve it or remove it.")
		}
		if info.Status == store.Hidden {
			newStatus, authorKind = store.Published, NoticeRestored
		}
	case "approve":
		if info.Status == store.Pending || info.Status == store.Hidden {
			newStatus, authorKind = store.Published, NoticeApproved
		}
	case "hide":
		newStatus, authorKind = store.Hidden, NoticeHidden
	case "remove":
		newStatus, authorKind = store.Removed, NoticeRemoved
	case "restore":
		if !info.HasText {
			return nil, apperr.New(http.StatusConflict, "nothing_to_restore", "Its author deleted this writing; there is nothing to restore.")
		}
		if info.Status != store.Published {
			newStatus, authorKind = store.Published, NoticeRestored
		}
	default:
		return nil, apperr.Invalid("invalid_action", "action is dismiss, approve, hide, remove or restore.")
	}
	// Writing its author deleted (or erased) stays removed: an action only
	// closes its flags.
	if newStatus == info.Status || !info.HasText {
		newStatus, authorKind = "", ""
	}
	reason := strings.TrimSpace(d.Reason)
	now := s.now()
	dec := store.Decision{Target: t, TargetID: info.ID, OldStatus: info.Status, NewStatus: newStatus}
	if dec.Log, err = s.logEntry(ctx, a, d.Action, string(t), info.ID, reason); err != nil {
		return nil, err
	}
	if authorKind != "" {
		n, err := notice(ctx, s.st, s.sealer, info.AuthorID, authorKind, authorMessage(authorKind, t, reason), t, info.ID, now)
		if err != nil {
			return nil, err
		}
		if n != nil {
			dec.Notices = append(dec.Notices, n)
		}
	}
	flags, err := s.st.OpenFlags(ctx, t, info.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	told := map[string]bool{}
	for _, f := range flags {
		if f.ReporterID == nil || told[*f.ReporterID] {
			continue
		}
		told[*f.ReporterID] = true
		msg := "Thank you for your flag. The moderation team read the " + word(t) + " you flagged and " + outcomes[d.Action] + "." + signature
		n, err := notice(ctx, s.st, s.sealer, *f.ReporterID, NoticeFlagOutcome, msg, t, info.ID, now)
		if err != nil {
			return nil, err
		}
		if n != nil {
			dec.Notices = append(dec.Notices, n)
		}
	}
	if err := s.st.Decide(ctx, dec, now); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, errChanged
		}
		return nil, apperr.Internal(err)
	}
	status := info.Status
	if newStatus != "" {
		status = newStatus
	}
	return &ItemOutcome{TargetType: string(t), TargetID: info.ID, Status: status}, nil
}

// MemberOutcome is a member's standing after an action.
type MemberOutcome struct {
	Handle         string     `json:"handle"`
	Status         string     `json:"status"`
	SuspendedUntil *time.Time `json:"suspended_until"`
}

// maxSuspension bounds a suspension; longer is a ban.
const maxSuspension = 365 * 24 * time.Hour

func (s *Service) member(ctx context.Context, handle string) (*store.Member, error) {
	h := strings.ToLower(handle)
	m, err := s.st.GetMember(ctx, store.FindMember{Handle: &h})
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Status == store.StatusDeleted {
		return nil, errNoMember
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return m, nil
}

// ActOnMember warns, suspends, unsuspends or bans a member. Suspension and
// ban end the member's sessions at once.
func (s *Service) ActOnMember(ctx context.Context, a forum.Actor, handle string, d Decision) (*MemberOutcome, error) {
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
	now := s.now()
	reason := strings.TrimSpace(d.Reason)
	var standing *store.Standing
	end := false
	kind, message := "", ""
	if d.Action != "suspend" && d.Until != nil {
		return nil, apperr.Invalid("invalid_until", "until is only for suspend.")
	}
	if m.Status == store.StatusBanned && d.Action != "warn" {
		// A ban is final: neither suspension nor unsuspension undoes it.
		return nil, errBanned
	}
	switch d.Action {
	case "warn":
		kind, message = NoticeWarned, "The moderation team is writing to you about how you take part in Hearth: "+reason+signature
	case "suspend":
		if d.Until == nil || !d.Until.After(now) || d.Until.Sub(now) > maxSuspension {
			return nil, apperr.Invalid("invalid_until", "A suspension needs until: a time in the future, at most a year away.")
		}
		until := d.Until.UTC()
		standing = &store.Standing{Status: store.StatusSuspended, SuspendedUntil: &until}
		end = true
		kind = NoticeSuspended
		message = "Your account is suspended until " + until.Format("2 January 2006, 15:04 MST") + ". You can sign in and read, but not write. The reason: " + reason + signature
	case "unsuspend":
		if m.Status != store.StatusSuspended {
			return nil, apperr.New(http.StatusConflict, "not_suspended", "This member is not suspended.")
		}
		standing = &store.Standing{Status: store.StatusActive}
	case "ban":
		standing = &store.Standing{Status: store.StatusBanned}
		end = true
	default:
		return nil, apperr.Invalid("invalid_action", "action is warn, suspend, unsuspend or ban.")
	}
	log, err := s.logEntry(ctx, a, d.Action, "member", m.ID, reason)
	if err != nil {
		return nil, err
	}
	var notices []*store.Notice
	if kind != "" {
		n, err := notice(ctx, s.st, s.sealer, m.ID, kind, message, "", "", now)
		if err != nil {
			return nil, err
		}
		if n != nil {
			notices = append(notices, n)
		}
	}
	if err := s.st.MemberAction(ctx, m.ID, store.MemberUpdate{Standing: standing}, end, log, notices, now); err != nil {
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

// SetRole changes a member's global role and logs it. a is the admin who
// asks; nil is the operator at the command line (`hearth admin set-role`),
// logged as the system. The change counts from the member's next request.
func (s *Service) SetRole(ctx context.Context, a *forum.Actor, handle, role string) error {
	if !auth.ValidRole(role) {
		return auth.ErrInvalidRole
	}
	m, err := s.member(ctx, handle)
	if err != nil {
		return err
	}
	log := &store.LogEntry{ID: store.NewID(), Action: "set_role", TargetType: "member", TargetID: m.ID, CreatedAt: s.now()}
	if a != nil {
		if err := policy(*a, changeRole, m); err != nil {
			return err
		}
		if log, err = s.logEntry(ctx, *a, "set_role", "member", m.ID, "role "+role); err != nil {
			return err
		}
	}
	if err := s.st.MemberAction(ctx, m.ID, store.MemberUpdate{Role: &role}, false, log, nil, s.now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return errBanned
		}
		return apperr.Internal(err)
	}
	return nil
}

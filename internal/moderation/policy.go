package moderation

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// action is what an actor asks of moderation.
type action int

const (
	flagWriting  action = iota // any member who can read the writing
	readQueue                  // the queue and the log
	actOnWriting               // dismiss, approve, hide, remove, restore
	acknowledge                // say "I'm with them" on writing in crisis
	actOnMember                // warn, suspend, unsuspend, ban
	changeRole                 // admins, and the operator
	appealAction               // the member an action was about, suspended or not
	decideAppeal               // a moderator other than the one who acted
)

// on is what an action is on: a member (actOnMember, changeRole), a
// piece of writing as the actor found it (acknowledge), or a moderation
// action (appeals): the member it was about, and who took it (nil for the
// system).
type on struct {
	member  *store.Member
	writing *store.WritingRef
	about   string
	actedBy *string
}

// policy decides whether a may do act. Moderators act on members; only
// admins act on moderators; nobody acts on an admin, or on themselves, from
// here. The operator at the command line may change anyone's role: they
// hold the machine, and that is how the first admin is made and the last
// one replaced. A facilitator may say they are with someone in crisis in
// their own circle, as the moderation team may anywhere. A member may
// appeal an action about them, suspended or not (a suspension is what they
// may most need to appeal); anyone else is told there is no such action.
// An appeal is decided by a moderator who neither took the action nor is
// the one appealing.
func policy(a kernel.Actor, act action, r on) error {
	switch act {
	case appealAction:
		if r.about != a.ID {
			return kernel.ErrNotFound
		}
		return nil
	case decideAppeal:
		if !a.Moderates() || r.about == a.ID {
			return kernel.ErrForbidden
		}
		if r.actedBy != nil && *r.actedBy == a.ID {
			return errSameModerator
		}
	case flagWriting:
		if a.Suspended {
			return kernel.ErrSuspended
		}
		return nil
	case readQueue:
		if !a.Moderates() {
			return kernel.ErrForbidden
		}
		return nil
	case actOnWriting:
		if !a.Moderates() {
			return kernel.ErrForbidden
		}
	case acknowledge:
		if !a.Moderates() && !r.writing.ReaderFacilitates {
			return kernel.ErrForbidden
		}
	case actOnMember:
		t := r.member
		if !a.Moderates() || t.ID == a.ID || t.Role == kernel.RoleAdmin ||
			t.Role == kernel.RoleModerator && !a.IsAdmin() {
			return kernel.ErrForbidden
		}
	case changeRole:
		if a.Operator {
			return nil
		}
		if !a.IsAdmin() || r.member.ID == a.ID {
			return kernel.ErrForbidden
		}
	default:
		return kernel.ErrForbidden
	}
	// A suspended member may read, like any member, but not act.
	if a.Suspended {
		return kernel.ErrSuspended
	}
	return nil
}

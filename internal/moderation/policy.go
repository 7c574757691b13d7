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
)

// on is what an action is on: a member (actOnMember, changeRole) or a
// piece of writing as the actor found it (acknowledge).
type on struct {
	member  *store.Member
	writing *store.WritingRef
}

// policy decides whether a may do act. Moderators act on members; only
// admins act on moderators; nobody acts on an admin, or on themselves, from
// here. The operator at the command line may change anyone's role: they
// hold the machine, and that is how the first admin is made and the last
// one replaced. A facilitator may say they are with someone in crisis in
// their own circle, as the moderation team may anywhere.
func policy(a kernel.Actor, act action, r on) error {
	switch act {
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

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
	actOnMember                // warn, suspend, unsuspend, ban
	changeRole                 // admins, and the operator
)

// policy decides whether a may do act; target is the member acted on, for
// actOnMember and changeRole. Moderators act on members; only admins act on
// moderators; nobody acts on an admin, or on themselves, from here. The
// operator at the command line may change anyone's role: they hold the
// machine, and that is how the first admin is made and the last one
// replaced.
func policy(a kernel.Actor, act action, target *store.Member) error {
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
	case actOnMember:
		if !a.Moderates() || target.ID == a.ID || target.Role == kernel.RoleAdmin ||
			target.Role == kernel.RoleModerator && !a.IsAdmin() {
			return kernel.ErrForbidden
		}
	case changeRole:
		if a.Operator {
			return nil
		}
		if !a.IsAdmin() || target.ID == a.ID {
			return kernel.ErrForbidden
		}
	default:
		return kernel.ErrForbidden
	}
	// A suspended moderator or admin may read, like any member, but not act.
	if a.Suspended {
		return kernel.ErrSuspended
	}
	return nil
}

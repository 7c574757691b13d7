package moderation

import (
	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/store"
)

// action is what an actor asks of moderation.
type action int

const (
	flagWriting  action = iota // any member who can read the writing
	readQueue                  // the queue and the log
	actOnWriting               // dismiss, approve, hide, remove, restore
	actOnMember                // warn, suspend, unsuspend, ban
	changeRole                 // admins only
)

// policy decides whether a may do act; target is the member acted on, for
// actOnMember and changeRole. Moderators act on members; only admins act on
// moderators; nobody acts on an admin, or on themselves, from here.
func policy(a forum.Actor, act action, target *store.Member) error {
	switch act {
	case flagWriting:
		if a.Suspended {
			return forum.ErrSuspended
		}
		return nil
	case readQueue:
		if !a.Moderates() {
			return errForbidden
		}
		return nil
	case actOnWriting:
		if !a.Moderates() {
			return errForbidden
		}
	case actOnMember:
		if !a.Moderates() || target.ID == a.ID || target.Role == auth.RoleAdmin ||
			target.Role == auth.RoleModerator && a.Role != auth.RoleAdmin {
			return errForbidden
		}
	case changeRole:
		if a.Role != auth.RoleAdmin || target.ID == a.ID {
			return errForbidden
		}
	default:
		return errForbidden
	}
	// A suspended moderator or admin may read, like any member, but not act.
	if a.Suspended {
		return forum.ErrSuspended
	}
	return nil
}

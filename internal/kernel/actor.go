package kernel

import "hearth/internal/apperr"

// Global roles.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// ValidRole reports whether r is a global role.
func ValidRole(r string) bool {
	return r == RoleMember || r == RoleModerator || r == RoleAdmin
}

// Actor is who asks: a signed-in member with their global role, or the
// operator at the command line.
type Actor struct {
	ID   string
	Role string
	// Handle and DataKeyID are the member's, read with their session:
	// what a write names its author by and seals with, at no second
	// look at the store.
	Handle, DataKeyID string
	// Safety is their sealed reader-safety settings as the session check
	// read them (nil for none): what folds writing for them.
	Safety []byte
	// Suspended members may read but not write; authentication decides
	// it, from the suspension's end and the clock.
	Suspended bool
	// Operator is the person at the command line (`hearth admin`), who
	// holds the machine and so every power; they have no account, and the
	// log names them "system".
	Operator bool
}

// Operator is the actor of operator commands.
var Operator = Actor{Role: RoleAdmin, Operator: true}

// Moderates reports whether a is on the moderation team: moderators and
// admins see every circle, read what waits in the queue and act on any
// writing.
func (a Actor) Moderates() bool { return a.Role == RoleModerator || a.Role == RoleAdmin }

// IsAdmin reports whether a is an admin.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// ErrInvalidRole answers a role that is not one of the three.
var ErrInvalidRole = apperr.Invalid("invalid_role", "A role is member, moderator or admin.")

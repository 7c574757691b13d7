package kernel

import (
	"net/http"

	"hearth/internal/apperr"
)

// Errors any service may answer with. Details never hold member text.
var (
	ErrNotFound  = apperr.New(http.StatusNotFound, "not_found", "We could not find that. It may have been removed, or it is in a circle you are not part of.")
	ErrForbidden = apperr.New(http.StatusForbidden, "forbidden", "This needs a role you do not have.")
	ErrNoMember  = apperr.New(http.StatusNotFound, "member_not_found", "No member has that handle.")
	// ErrSuspended answers every write of a suspended member, whatever the
	// service.
	ErrSuspended = apperr.New(http.StatusForbidden, "suspended", "Your account is suspended for now: you can read, but not write. The moderation team has sent you a notice.")
)

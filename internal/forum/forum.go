// Package forum holds the rules of circles, stories, replies, support and
// pins: who may do what (the *_policy.go files), what a text may hold, and
// the sealing of every text a member writes.
package forum

import (
	"context"
	"errors"
	"net/http"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/auth"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Sealer seals and opens member text; *seal.Sealer is one.
type Sealer interface {
	Seal(ctx context.Context, keyID string, plaintext []byte, loc seal.Location) ([]byte, error)
	Open(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
	Warm(ctx context.Context, blobs ...[]byte) (context.Context, error)
}

// Service is the forum.
type Service struct {
	st     *store.Store
	sealer Sealer
	now    func() time.Time
}

// New returns the forum over a store and a sealer.
func New(st *store.Store, sealer Sealer) *Service {
	return &Service{st: st, sealer: sealer, now: auth.Now}
}

// Actor is who asks: a signed-in member with their global role.
type Actor struct {
	ID   string
	Role string
}

// moderates reports whether the actor may read every circle and remove any
// writing.
func (a Actor) moderates() bool {
	return a.Role == auth.RoleModerator || a.Role == auth.RoleAdmin
}

func (a Actor) isAdmin() bool { return a.Role == auth.RoleAdmin }

// Page is one page of a list.
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// Errors the policies and services share. Details never hold member text.
var (
	errNotFound       = apperr.New(http.StatusNotFound, "not_found", "We could not find that. It may have been removed, or it is in a circle you are not part of.")
	errNotMember      = apperr.New(http.StatusForbidden, "not_circle_member", "Join this circle first to write or give support here.")
	errNotAuthor      = apperr.New(http.StatusForbidden, "not_author", "Only the person who wrote this can change it.")
	errNotFacilitator = apperr.New(http.StatusForbidden, "not_facilitator", "Only this circle's facilitators can do that.")
	errNotAdmin       = apperr.New(http.StatusForbidden, "forbidden", "Only an admin can do that.")
	errRemoved        = apperr.New(http.StatusConflict, "removed", "This writing has been removed.")
	errNotPublished   = apperr.New(http.StatusConflict, "not_published", "This writing is not published, so it cannot take replies or support yet.")
)

// storeErr turns a store error into what a client may see.
func storeErr(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	return apperr.Internal(err)
}

// dataKeyID returns the actor's data key id, with which their text is sealed.
func (s *Service) dataKeyID(ctx context.Context, a Actor) (string, error) {
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &a.ID})
	if err != nil {
		return "", storeErr(err)
	}
	if m.DataKeyID == nil {
		return "", apperr.Internal(errors.New("forum: member has no data key"))
	}
	return *m.DataKeyID, nil
}

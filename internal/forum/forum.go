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
	// OpenInPlace: the forum opens only blobs it just read and is done with.
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
	Warm(ctx context.Context, blobs ...[]byte) (context.Context, error)
}

// Intake is told of new writing before it is stored, so moderation can
// hold it for review, flag a crisis and tell the people concerned.
type Intake interface {
	Receive(ctx context.Context, w Writing) (*Received, error)
	// Edited is told of an edit: it may read as a crisis where the first
	// words did not. Its Status is not used.
	Edited(ctx context.Context, w Writing) (*Received, error)
}

// Writing is new writing on its way into the store.
type Writing struct {
	Target   store.Target
	ID       string
	Circle   *store.CircleView // as its author sees it
	AuthorID string
	// StoryID and StoryAuthorID name the story a reply answers.
	StoryID, StoryAuthorID string
	// AuthorModerates: moderators and admins are never held for review.
	AuthorModerates bool
	Texts           []string
}

// Received is what moderation made of new writing.
type Received struct {
	Status string // store.Published or store.Pending
	Also   []any  // rows to store with the writing, in its transaction
	// Crisis, when set, is shown to the author at once (crisis resources).
	Crisis any
}

// Service is the forum.
type Service struct {
	st     *store.Store
	sealer Sealer
	intake Intake
	now    func() time.Time
}

// New returns the forum over a store and a sealer; intake may be nil, and
// then all writing is published as it comes.
func New(st *store.Store, sealer Sealer, intake Intake) *Service {
	return &Service{st: st, sealer: sealer, intake: intake, now: auth.Now}
}

// edited tells the intake of an edit.
func (s *Service) edited(ctx context.Context, w Writing) (*Received, error) {
	if s.intake == nil {
		return &Received{}, nil
	}
	return s.intake.Edited(ctx, w)
}

// receive asks the intake what becomes of new writing.
func (s *Service) receive(ctx context.Context, w Writing) (*Received, error) {
	if s.intake == nil {
		return &Received{Status: store.Published}, nil
	}
	return s.intake.Receive(ctx, w)
}

// Actor is who asks: a signed-in member with their global role.
type Actor struct {
	ID   string
	Role string
	// Suspended members may read but not write.
	Suspended bool
}

// moderates reports whether the actor is on the moderation team: sees every
// circle, reads what waits in the queue and acts on any writing.
func (a Actor) moderates() bool {
	return a.Role == auth.RoleModerator || a.Role == auth.RoleAdmin
}

// Moderates reports whether a is on the moderation team; moderation shares
// the rule.
func (a Actor) Moderates() bool { return a.moderates() }

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
	errNotModerator   = apperr.New(http.StatusForbidden, "forbidden", "Only the moderation team can do that.")
	errMembersOnly    = apperr.New(http.StatusForbidden, "members_only", "Only the members of this private circle read its stories. Its writing reaches the moderation team when it is flagged or held for review.")
	errRemoved        = apperr.New(http.StatusConflict, "removed", "This writing has been removed.")
	errNotPublished   = apperr.New(http.StatusConflict, "not_published", "This writing is not published, so it cannot take replies or support yet.")
)

// ErrSuspended answers every write of a suspended member, in the forum and
// in moderation alike.
var ErrSuspended = apperr.New(http.StatusForbidden, "suspended", "Your account is suspended for now: you can read, but not write. The moderation team has sent you a notice.")

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

// TargetInfo is what moderation needs to know of a story or reply.
type TargetInfo struct {
	Type                              store.Target
	ID, StoryID, CircleID, CircleSlug string
	AuthorID, Status                  string
	// HasText is false once its author deleted it or was erased.
	HasText bool
}

// Target finds a story or reply that a may read, or answers 404.
func (s *Service) Target(ctx context.Context, a Actor, t store.Target, id string) (*TargetInfo, error) {
	return s.target(ctx, a, t, id, storyRead, replyRead)
}

// TargetToModerate finds a story or reply for a moderator to act on, in
// any circle, whether or not they may read it.
func (s *Service) TargetToModerate(ctx context.Context, a Actor, t store.Target, id string) (*TargetInfo, error) {
	return s.target(ctx, a, t, id, storyModerate, replyModerate)
}

func (s *Service) target(ctx context.Context, a Actor, t store.Target, id string, onStory storyAction, onReply replyAction) (*TargetInfo, error) {
	switch t {
	case store.TargetStory:
		v, err := s.story(ctx, a, id, onStory)
		if err != nil {
			return nil, err
		}
		return &TargetInfo{Type: t, ID: v.ID, StoryID: v.ID, CircleID: v.CircleID, CircleSlug: v.CircleSlug,
			AuthorID: v.AuthorID, Status: v.Status, HasText: v.Body != nil}, nil
	case store.TargetReply:
		r, v, err := s.reply(ctx, a, id, onReply)
		if err != nil {
			return nil, err
		}
		return &TargetInfo{Type: t, ID: r.ID, StoryID: r.StoryID, CircleID: v.CircleID, CircleSlug: v.CircleSlug,
			AuthorID: r.AuthorID, Status: r.Status, HasText: r.Body != nil}, nil
	}
	return nil, errNotFound
}

// Package mentorship lets long-standing members walk beside newcomers, one
// to one, inside a circle: offers to mentor and their approval, requests
// and their answers, and the conversation between the two, which nobody
// else reads (moderators only a message flagged to them). Every text a
// member writes here is sealed with their own data key.
package mentorship

import (
	"context"
	"errors"
	"net/http"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Sealer seals and opens member text; *seal.Sealer is one.
type Sealer interface {
	Seal(ctx context.Context, keyID string, plaintext []byte, loc seal.Location) ([]byte, error)
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
}

// Notifier makes the notices of a mentorship; *notify.Service is one. The
// rows are stored with the change they tell of.
type Notifier interface {
	// Mentorship is the notice to member to of what actorID did: none
	// when to muted or blocked them.
	Mentorship(ctx context.Context, kind string, m *store.Mentorship, to, actorID string) ([]*store.Notice, error)
	// MentorshipClosed is the notice, naming nobody, of a mentorship
	// closed with no answer of the other member's.
	MentorshipClosed(kind string, m *store.Mentorship, to string) *store.Notice
}

// Crisis is moderation's care for a message that reads as a crisis: the
// resources its writer is answered with, and what is stored with it (a
// system flag at the head of the queue, a call to the circle's
// facilitators naming only the member and the circle).
type Crisis interface {
	Message(ctx context.Context, w kernel.Writing) (store.Effects, *kernel.CrisisResources, error)
}

// Hints finds what in a text may give away who someone is: the text
// check's detector.
type Hints interface {
	Identifying(text string) []kernel.Identifying
}

// Blocks says whether blocker has blocked other (member ids): a blocked
// member cannot start a mentorship with the blocker. Reader safety
// provides it.
type Blocks interface {
	// BlockersOf says which of blockers blocked other.
	BlockersOf(ctx context.Context, other string, blockers []string) (map[string]bool, error)
}

// Guidelines says whether a has accepted the current guidelines of w's
// circle (nil) or must first (409 guidelines_not_accepted, carrying crisis
// resources when w's words read as a crisis): offering to mentor and
// asking for a mentor wait for it, as new writing does, since the
// guidelines hold mentorship's boundaries. The forum provides it.
type Guidelines interface {
	GuidelinesAccepted(ctx context.Context, a kernel.Actor, w kernel.Writing) error
}

// heldWriting is an intro or a first message as the guidelines' gate sees
// it: nothing is stored when it is held back, so it names no target.
func heldWriting(a kernel.Actor, c *store.CircleView, text string) kernel.Writing {
	return kernel.Writing{CircleID: c.ID, CircleName: c.Name, AuthorID: a.ID, Texts: []string{text}}
}

// Logbook makes the moderation log's entries, sealing their reasons with
// the actor's key; *moderation.Logbook is one.
type Logbook interface {
	Entry(ctx context.Context, a kernel.Actor, action, targetType, targetID, reason string) (*store.LogEntry, error)
}

// Options are the rules set at start.
type Options struct {
	// MinDays is how old an account must be to offer to mentor.
	MinDays int
}

// Service is mentorship.
type Service struct {
	st      *store.Store
	sealer  Sealer
	notices Notifier
	crisis  Crisis
	hints   Hints
	blocks  Blocks
	rules   Guidelines
	log     Logbook
	o       Options
	now     func() time.Time
}

// New returns mentorship over a store and a sealer, with the notices it
// sends, moderation's crisis care, the text check's hints, the blocks
// members set, the circles' guidelines and the moderation log.
func New(st *store.Store, sealer Sealer, notices Notifier, crisis Crisis, hints Hints, blocks Blocks, rules Guidelines, log Logbook, o Options) *Service {
	return &Service{st: st, sealer: sealer, notices: notices, crisis: crisis, hints: hints, blocks: blocks, rules: rules, log: log, o: o, now: kernel.Now}
}

// The safeguards' numbers.
const (
	defaultMaxMentees = 2
	maxIntro          = 500
	maxMessage        = 10000
	maxEndReason      = 500
	maxDecisionReason = 1000
	minWritings       = 3
	standingDays      = 90
	declineHold       = 30 * 24 * time.Hour
)

// Errors of mentorship's rules. Details never hold member text or handles.
var (
	errNotMember      = apperr.New(http.StatusForbidden, "not_circle_member", "Join this circle first to offer or ask for a mentor here.")
	errNotFacilitator = apperr.New(http.StatusForbidden, "not_facilitator", "Only this circle's facilitators can do that.")
	errOwnOffer       = apperr.New(http.StatusForbidden, "own_offer", "Another facilitator of this circle, or an admin, decides on your own offer.")
	errIsMentor       = apperr.New(http.StatusForbidden, "is_mentor", "Mentors of this circle do not ask for a mentor in it.")
	errNotMentor      = apperr.New(http.StatusForbidden, "not_mentor", "Only the mentor answers a request.")
	errNotMentee      = apperr.New(http.StatusForbidden, "not_mentee", "Only the member who asked can withdraw a request.")
	errNoOffer        = apperr.New(http.StatusNotFound, "not_found", "That member is not a mentor in this circle.")
	errRequested      = apperr.New(http.StatusConflict, "already_requested", "You have already asked this mentor. Please give them time, or ask someone else.")
	errMentored       = apperr.New(http.StatusConflict, "already_mentored", "You already have a mentor, or a request waiting, in this circle.")
	errNotAccepting   = apperr.New(http.StatusConflict, "not_accepting", "This mentor is not taking anyone new just now.")
	errNotRequested   = apperr.New(http.StatusConflict, "not_requested", "This request is no longer waiting for an answer.")
	errNotActive      = apperr.New(http.StatusConflict, "not_active", "This mentorship is not active, so it takes no more messages.")
	errMaxMentees     = apperr.Invalid("invalid_max_mentees", "max_mentees is a whole number from 1 to 5.")
	errMaxBelowActive = apperr.New(http.StatusConflict, "max_below_active", "You walk beside more mentees in this circle than that just now. Keep max_mentees at least at their number; it can go lower once a mentorship ends.")
)

// notEligible answers an offer that does not meet the bar, saying why.
func notEligible(detail string) error {
	return apperr.New(http.StatusForbidden, "not_eligible", detail)
}

// storeErr turns a store error (or none) into what a client may see.
func storeErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return kernel.ErrNotFound
	}
	return apperr.Internal(err)
}

// circle finds circle slug as a sees it: a private circle they are not in
// does not exist for them.
func (s *Service) circle(ctx context.Context, a kernel.Actor, slug string) (*store.CircleView, error) {
	c, err := s.st.GetCircleView(ctx, slug, a.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	if c.Visibility == store.VisibilityPrivate && !c.IsMember && !a.Moderates() {
		return nil, kernel.ErrNotFound
	}
	return c, nil
}

// member finds a member in good standing by handle.
func (s *Service) member(ctx context.Context, handle string) (*store.Member, error) {
	m, err := s.st.GetMember(ctx, store.FindMember{Handle: &handle})
	if err != nil || m.Status == store.StatusDeleted {
		return nil, errNoOffer
	}
	return m, nil
}

// keyOf returns a member's data key id, with which their text is sealed.
func (s *Service) keyOf(ctx context.Context, id string) (string, error) {
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &id})
	if err != nil {
		return "", storeErr(err)
	}
	if m.DataKeyID == nil {
		return "", apperr.Internal(errors.New("mentorship: member has no data key"))
	}
	return *m.DataKeyID, nil
}

// open opens a sealed text; one whose key is gone (its writer deleted
// their account) opens as nothing.
func (s *Service) open(ctx context.Context, blob []byte, loc seal.Location) (*string, error) {
	if blob == nil {
		return nil, nil
	}
	p, err := s.sealer.OpenInPlace(ctx, blob, loc)
	if errors.Is(err, seal.ErrUnknownKey) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	t := string(p)
	return &t, nil
}

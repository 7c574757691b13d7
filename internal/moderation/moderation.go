// Package moderation keeps Hearth safe and fair in the open: flags, the
// pre-moderation of newcomers, the queue (crisis first), actions on
// writing and on members, the append-only log, and crisis care; what the
// people concerned are told, notify writes. Who may act is decided in
// policy.go.
package moderation

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

// Sealer seals and opens text; *seal.Sealer is one. Moderation opens only
// rows it has just read, for display.
type Sealer interface {
	Seal(ctx context.Context, keyID string, plaintext []byte, loc seal.Location) ([]byte, error)
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
	Warm(ctx context.Context, blobs ...[]byte) (context.Context, error)
}

// Writings finds the writing moderation acts on, by the rules of who may
// read what: stories and replies by the forum's, messages in a mentorship
// by mentorship's (only its two members find one).
type Writings interface {
	// Target finds a story or reply a may read, or answers 404.
	Target(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error)
	// TargetToModerate finds one for a moderator to act on, read or not.
	TargetToModerate(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error)
}

// Notifier makes the notices moderation sends, for it to store with what
// they tell of; *notify.Service is one.
type Notifier interface {
	// About is the notice of a moderation action to a member: on writing
	// w, or on the member themselves when w is nil.
	About(memberID, kind string, w *store.WritingRef, actionID *string) *store.Notice
	// Published is what writing published after review tells others.
	Published(ctx context.Context, w *store.WritingRef) ([]*store.Notice, error)
	// CrisisInCircle calls the people who look after the circle of writing
	// that reads as a crisis.
	CrisisInCircle(ctx context.Context, w kernel.Writing) ([]*store.Notice, error)
}

// Blocks says which of others a member blocked: their flags on that
// member's writing do not count toward the three-member hide. Reader
// safety provides it.
type Blocks interface {
	BlockedAmong(ctx context.Context, blocker string, others []string) (map[string]bool, error)
}

// Service is moderation: flags, the queue, actions and the log.
type Service struct {
	st       *store.Store
	sealer   Sealer
	writings Writings
	log      *Logbook
	notices  Notifier
	blocks   Blocks
	targets  Targets
	now      func() time.Time
}

// New returns moderation over the writing it moderates, its log, the
// notices it sends, reader safety's blocks, and the service levels it
// keeps the queue to.
func New(st *store.Store, sealer Sealer, writings Writings, log *Logbook, notices Notifier, blocks Blocks, targets Targets) *Service {
	return &Service{st: st, sealer: sealer, writings: writings, log: log, notices: notices, blocks: blocks, targets: targets, now: kernel.Now}
}

// Flag reasons, and the queue priority each gives (lower comes first).
var priorities = map[string]int{
	store.ReasonCrisis: 0,
	"privacy":          1,
	"harassment":       2,
	"spam":             3,
	"misinformation":   3,
	"other":            3,
}

// priorityNames name priorities in the queue.
var priorityNames = map[int]string{0: "crisis", 1: "privacy", 2: "harassment", 3: "normal"}

const (
	// hideAfter is how many members' flags hide writing until a moderator acts.
	hideAfter = 3
	// heldFirst is how many stories or replies of a newcomer to a
	// pre-moderated circle must be published before the rest go out at once.
	heldFirst = 3
	maxNote   = 1_000
	maxReason = 1_000
)

var (
	errChanged        = apperr.New(http.StatusConflict, "changed", "This writing changed while you were looking at it. Reload the queue and look again.")
	errBanned         = apperr.New(http.StatusConflict, "banned", "This member is banned; a ban is final.")
	errFlaggedAlready = apperr.New(http.StatusConflict, "already_flagged", "You have already flagged this, and the moderation team has it. Thank you.")
)

// sealFor seals text with the data key of memberID at loc; ok is false when
// the member has no key any more (erased), and nothing can be sealed for them.
func sealFor(ctx context.Context, st *store.Store, sealer Sealer, memberID, text string, loc seal.Location) ([]byte, bool, error) {
	m, err := st.GetMember(ctx, store.FindMember{ID: &memberID})
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, apperr.Internal(err)
	}
	if m.DataKeyID == nil {
		return nil, false, nil
	}
	b, err := sealer.Seal(ctx, *m.DataKeyID, []byte(text), loc)
	if err != nil {
		return nil, false, apperr.Internal(err)
	}
	return b, true, nil
}

// open opens a sealed value; an erased key or no value gives "". Every
// caller opens rows it just read, for display only, so the blob is theirs
// to open in place.
func open(ctx context.Context, sealer Sealer, blob []byte, loc seal.Location) (string, error) {
	if blob == nil {
		return "", nil
	}
	p, err := sealer.OpenInPlace(ctx, blob, loc)
	if errors.Is(err, seal.ErrUnknownKey) {
		return "", nil
	}
	if err != nil {
		return "", apperr.Internal(err)
	}
	return string(p), nil
}

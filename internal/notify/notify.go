// Package notify decides who is told of what, and lets members read what
// they were told: the notices of replies to the stories they follow and to
// their own replies, of what the moderation team did about their writing
// or their flags, and of someone in a facilitator's circle writing in
// crisis. Forum, moderation and the other services reach it through small
// interfaces of their own; the rules of who hears of what are here.
//
// A notice holds no text: it names its kind, target, actor and the
// moderation action it tells of by id, and its message is written as it
// is read. Replies in followed stories are not written out to every
// follower when they are posted (a story followed by a thousand members
// would make each reply a thousand writes): each member's are delivered
// to them when they next look, from the replies themselves, which are
// durable the moment they are acknowledged.
package notify

import (
	"context"
	"slices"
	"time"

	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Sealer opens the moderation reasons a message quotes.
type Sealer interface {
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
	Warm(ctx context.Context, blobs ...[]byte) (context.Context, error)
}

// Silences says who muted or blocked whom: a member silenced tells the
// one who silenced them nothing. Reader safety provides it; until a member
// can mute anyone, nobody is silenced.
type Silences interface {
	// Silenced says which of others memberID silenced.
	Silenced(ctx context.Context, memberID string, others []string) (map[string]bool, error)
	// SilencersOf says which of members silenced other.
	SilencersOf(ctx context.Context, other string, members []string) (map[string]bool, error)
}

// Service is notices.
type Service struct {
	st       *store.Store
	sealer   Sealer
	silences Silences
	now      func() time.Time
	quiet    quietMarks
}

// New returns notices over the store; silences may be nil until muting
// exists.
func New(st *store.Store, sealer Sealer, silences Silences) *Service {
	return &Service{st: st, sealer: sealer, silences: silences, now: kernel.Now}
}

// silenced asks Silences, when there is one.
func (s *Service) silenced(ctx context.Context, memberID string, others []string) (map[string]bool, error) {
	if s.silences == nil || len(others) == 0 {
		return nil, nil
	}
	return s.silences.Silenced(ctx, memberID, others)
}

// heeding is those of ids who did not silence actorID: the members a
// notice of what actorID did may reach.
func (s *Service) heeding(ctx context.Context, actorID string, ids []string) ([]string, error) {
	if s.silences == nil || len(ids) == 0 {
		return ids, nil
	}
	quiet, err := s.silences.SilencersOf(ctx, actorID, ids)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ids, func(id string) bool { return quiet[id] }), nil
}

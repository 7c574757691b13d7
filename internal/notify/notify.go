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

// Silences says which of others a member has muted or blocked: they tell
// that member nothing. Reader safety provides it; until a member can mute
// anyone, nobody is silenced.
type Silences interface {
	Silenced(ctx context.Context, memberID string, others []string) (map[string]bool, error)
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

// Package app builds Hearth's services and wires them to each other: the
// one place the service graph is made. Services stand side by side and
// reach one another only through the small interfaces each declares;
// this is where those are filled in. cmd/hearth builds the graph here, and
// so does every test that runs a whole Hearth.
package app

import (
	"context"
	"fmt"
	"runtime"

	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/mentorship"
	"hearth/internal/moderation"
	"hearth/internal/notify"
	"hearth/internal/safety"
	"hearth/internal/seal"
	"hearth/internal/search"
	"hearth/internal/store"
)

// Options are what the graph is built with beyond the store and the keys.
type Options struct {
	// Hashing is the argon2id cost; HashSlots how many hashes run at once
	// and HashQueue how many wait before the rest are told to come back.
	Hashing              auth.Params
	HashSlots, HashQueue int
	// DataKeyCache is how many unwrapped member data keys stay in memory.
	DataKeyCache int
	// CrisisPhrases and CrisisResources are the crisis detector's list and
	// what writing that reads as a crisis is answered with.
	CrisisPhrases   []string
	CrisisResources kernel.CrisisResources
	// QueueTargets are the moderation queue's service levels.
	QueueTargets moderation.Targets
	// MentorMinDays is how old an account must be to offer to mentor.
	MentorMinDays int
}

// Defaults are the options of a production Hearth on this machine:
// argon2id at OWASP's cost, hashing on every core but one (so a flood of
// sign-ins cannot starve the members already in) with a short queue, and
// the built-in crisis phrases and resources.
func Defaults() Options {
	n := runtime.NumCPU()
	return Options{
		Hashing:         auth.DefaultParams,
		HashSlots:       max(1, n-1),
		HashQueue:       8 * n,
		DataKeyCache:    10000, // a busy forum's active writers, about 200 bytes each
		CrisisPhrases:   moderation.DefaultPhrases(),
		CrisisResources: moderation.DefaultResources(),
		QueueTargets:    moderation.DefaultTargets,
		MentorMinDays:   30,
	}
}

// Services is the built graph.
type Services struct {
	Store      *store.Store
	Sealer     *seal.Sealer
	Auth       *auth.Service
	Forum      *forum.Service
	Moderation *moderation.Service
	Notify     *notify.Service
	Search     *search.Service
	Safety     *safety.Service
	// Checker reads a draft for crisis wording and identifying details
	// before it is posted.
	Checker    *safety.Checker
	Mentorship *mentorship.Service
}

// Build makes every service over st, with the master keys in kr.
func Build(ctx context.Context, st *store.Store, kr *seal.Keyring, o Options) (*Services, error) {
	sealer := seal.NewSealer(kr, st, o.DataKeyCache)
	signing, err := auth.LoadSigningKeys(ctx, st, kr)
	if err != nil {
		return nil, fmt.Errorf("token-signing key: %w", err)
	}
	devices, err := auth.LoadDevices(ctx, st, kr)
	if err != nil {
		return nil, fmt.Errorf("device-cookie key: %w", err)
	}
	retired, err := auth.LoadRetiredHandles(ctx, st, kr)
	if err != nil {
		return nil, fmt.Errorf("retired-handle key: %w", err)
	}
	pairs, err := auth.LoadSecret(ctx, st, kr, safety.KeyName)
	if err != nil {
		return nil, fmt.Errorf("reader-safety key: %w", err)
	}
	reader := safety.New(st, sealer, pairs)
	accounts, err := auth.NewService(st, sealer, reader, auth.NewHasher(o.Hashing, o.HashSlots, o.HashQueue), signing, devices, retired)
	if err != nil {
		return nil, err
	}
	index, err := LoadIndex(ctx, st, kr)
	if err != nil {
		return nil, err
	}
	notices := notify.New(st, sealer, reader)
	logbook := moderation.NewLogbook(st, sealer)
	crisis := moderation.NewDetector(o.CrisisPhrases)
	intake := moderation.NewIntake(st, notices, crisis, o.CrisisResources)
	fm := forum.New(st, sealer, intake, logbook, notices, index, reader)
	// The check warns of what writing would be answered with: the same
	// crisis matcher and resources; mentorship's messages come back with
	// its hints, and a block keeps a mentorship from starting.
	checker := safety.NewChecker(crisis, o.CrisisResources)
	mt := mentorship.New(st, sealer, notices, intake, checker, reader, fm, logbook, mentorship.Options{MinDays: o.MentorMinDays})
	return &Services{
		Store:      st,
		Sealer:     sealer,
		Auth:       accounts,
		Forum:      fm,
		Moderation: moderation.New(st, sealer, writings{fm, mt}, logbook, notices, reader, o.QueueTargets),
		Notify:     notices,
		Search:     search.New(st, sealer, index, fm, searchScreen{reader}),
		Safety:     reader,
		Checker:    checker,
		Mentorship: mt,
	}, nil
}

// searchScreen gives search reader safety's screen in search's own words.
type searchScreen struct{ s *safety.Service }

func (sc searchScreen) Screen(ctx context.Context, a kernel.Actor, found []store.FoundWriting) ([]search.Screening, error) {
	screened, err := sc.s.Screen(ctx, a, found)
	if err != nil {
		return nil, err
	}
	out := make([]search.Screening, len(screened))
	for i, x := range screened {
		out[i] = search.Screening{Folded: x.Folded, Themes: x.Themes}
	}
	return out, nil
}

// writings finds what moderation acts on: stories and replies through the
// forum, messages through mentorship.
type writings struct {
	forum      *forum.Service
	mentorship *mentorship.Service
}

func (w writings) Target(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error) {
	if t == store.TargetMessage {
		return w.mentorship.MessageRef(ctx, a, id, false)
	}
	return w.forum.Target(ctx, a, t, id)
}

func (w writings) TargetToModerate(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error) {
	if t == store.TargetMessage {
		return w.mentorship.MessageRef(ctx, a, id, true)
	}
	return w.forum.TargetToModerate(ctx, a, t, id)
}

// LoadIndex opens search's blind index with its key, a server secret
// stored wrapped by the master key (made on first start). The benchmark's
// seeder keys its postings with it too, as the server would.
func LoadIndex(ctx context.Context, st *store.Store, kr *seal.Keyring) (*search.Index, error) {
	key, err := auth.LoadSecret(ctx, st, kr, search.KeyName)
	if err != nil {
		return nil, fmt.Errorf("search key: %w", err)
	}
	return search.NewIndex(key)
}

// Package safety is reader safety: what a member chooses not to meet. Each
// member's preferences (per theme show, warn or hide) and whom they muted
// or blocked are sealed with their own data key; a mute or block is also
// kept as a keyed hash of the pair, so the readers of lists and threads
// (the forum, search, notices, moderation's three-member hide) can ask
// whether a reader silenced an author without the store ever saying who
// silenced whom. Nothing here is ever shown to the member muted or
// blocked.
package safety

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// KeyName is the server secret pairs are hashed under.
const KeyName = "safety-pairs"

// Sealer seals and opens a member's preferences; *seal.Sealer is one.
type Sealer interface {
	Seal(ctx context.Context, keyID string, plaintext []byte, loc seal.Location) ([]byte, error)
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
}

// Service is reader safety.
type Service struct {
	st     *store.Store
	sealer Sealer
	key    []byte
	now    func() time.Time
}

// New is reader safety over the store, with pairs hashed under key.
func New(st *store.Store, sealer Sealer, key []byte) *Service {
	return &Service{st: st, sealer: sealer, key: key, now: kernel.Now}
}

// What a member may choose for each theme.
const (
	Show = "show"
	Warn = "warn"
	Hide = "hide"
)

// Preferences are the body of GET and PUT /me/preferences.
type Preferences struct {
	Themes map[string]string `json:"themes"`
}

// Lists of whom a member silenced.
const (
	Muted   = "muted"
	Blocked = "blocked"
)

// settings is what is sealed: the themes chosen (defaults left out) and
// the ids of whom the member muted and blocked, oldest first.
type settings struct {
	Themes  map[string]string `json:"themes,omitempty"`
	Muted   []string          `json:"muted,omitempty"`
	Blocked []string          `json:"blocked,omitempty"`
}

// defaults: a new member is warned of suicide and self-harm.
func defaults() map[string]string {
	out := make(map[string]string, len(kernel.Themes))
	for _, t := range kernel.Themes {
		out[t] = Show
	}
	out["suicide"], out["self_harm"] = Warn, Warn
	return out
}

// load opens memberID's settings; none stored is the defaults.
func (s *Service) load(ctx context.Context, memberID string) (*settings, error) {
	p, err := s.st.GetSafety(ctx, memberID)
	if errors.Is(err, store.ErrNotFound) {
		return &settings{}, nil
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	set, err := s.open(ctx, memberID, p.Sealed)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return set, nil
}

// open opens a sealed blob of settings; an empty one is the defaults.
func (s *Service) open(ctx context.Context, memberID string, sealed []byte) (*settings, error) {
	var out settings
	if len(sealed) == 0 {
		return &out, nil
	}
	plain, err := s.sealer.OpenInPlace(ctx, sealed, store.SafetyLocation(memberID))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(plain, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// keyOf is the id of memberID's data key, which seals their settings.
func (s *Service) keyOf(ctx context.Context, memberID string) (string, error) {
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &memberID})
	if err != nil {
		return "", err
	}
	if m.DataKeyID == nil {
		return "", errors.New("safety: member has no data key")
	}
	return *m.DataKeyID, nil
}

// seal seals memberID's settings with their key.
func (s *Service) seal(ctx context.Context, keyID, memberID string, set *settings) ([]byte, error) {
	plain, err := json.Marshal(set)
	if err != nil {
		return nil, err
	}
	return s.sealer.Seal(ctx, keyID, plain, store.SafetyLocation(memberID))
}

// change lets fn change memberID's settings (returning the pairs to add
// and drop) and seals and saves them, holding the member's row meanwhile,
// so changes made at once are all kept. other is the member a mute or
// block is about ("" for none), and blocks ends what the two have in
// mentorship; either account gone is errUnknown.
func (s *Service) change(ctx context.Context, memberID, other string, blocks bool, fn func(set *settings) (add, drop [][]byte)) (*settings, error) {
	keyID, err := s.keyOf(ctx, memberID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var set *settings
	err = s.st.ChangeSafety(ctx, memberID, other, blocks, s.now(), func(sealed []byte) ([]byte, [][]byte, [][]byte, error) {
		var err error
		if set, err = s.open(ctx, memberID, sealed); err != nil {
			return nil, nil, nil, err
		}
		add, drop := fn(set)
		next, err := s.seal(ctx, keyID, memberID, set)
		return next, add, drop, err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnknown
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return set, nil
}

// themes is every theme's choice: the defaults under what was chosen.
func (set *settings) themes() map[string]string {
	out := defaults()
	for t, v := range set.Themes {
		out[t] = v
	}
	return out
}

// Preferences returns a's preferences, every theme named.
func (s *Service) Preferences(ctx context.Context, a kernel.Actor) (*Preferences, error) {
	set, err := s.load(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return &Preferences{Themes: set.themes()}, nil
}

var errPreference = apperr.Invalid("invalid_preference", "Each theme is show, warn or hide.")

// SetPreferences sets a's choice per theme: the themes named take the
// choice given, the others their defaults.
func (s *Service) SetPreferences(ctx context.Context, a kernel.Actor, in Preferences) (*Preferences, error) {
	if in.Themes == nil {
		return nil, apperr.Invalid("invalid_preference", "themes is required.")
	}
	chosen := map[string]string{}
	def := defaults()
	for t, v := range in.Themes {
		if !kernel.IsTheme(t) {
			return nil, kernel.ErrTheme
		}
		if v != Show && v != Warn && v != Hide {
			return nil, errPreference
		}
		if v != def[t] {
			chosen[t] = v
		}
	}
	set, err := s.change(ctx, a.ID, "", false, func(set *settings) (add, drop [][]byte) {
		set.Themes = chosen
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return &Preferences{Themes: set.themes()}, nil
}

// pair is the keyed hash of a mute or block (list) of other by member.
func (s *Service) pair(list, member, other string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(list))
	m.Write([]byte{0})
	m.Write([]byte(member))
	m.Write([]byte{0})
	m.Write([]byte(other))
	return m.Sum(nil)
}

var (
	errSelf    = apperr.Invalid("cannot_silence_self", "You cannot mute or block yourself.")
	errNoList  = kernel.ErrNotFound
	errUnknown = kernel.ErrNoMember
)

// Silence mutes or blocks (list) the member with handle for a (on), or
// lifts it. Doing it twice is the same as once.
func (s *Service) Silence(ctx context.Context, a kernel.Actor, list, handle string, on bool) error {
	if list != Muted && list != Blocked {
		return errNoList
	}
	m, err := s.st.GetMember(ctx, store.FindMember{Handle: &handle})
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Status == store.StatusDeleted {
		return errUnknown
	}
	if err != nil {
		return apperr.Internal(err)
	}
	if m.ID == a.ID {
		return errSelf
	}
	h := [][]byte{s.pair(list, a.ID, m.ID)}
	_, err = s.change(ctx, a.ID, m.ID, list == Blocked && on, func(set *settings) (add, drop [][]byte) {
		ids := &set.Muted
		if list == Blocked {
			ids = &set.Blocked
		}
		if on {
			if !slices.Contains(*ids, m.ID) {
				*ids = append(*ids, m.ID)
			}
			return h, nil
		}
		*ids = slices.DeleteFunc(*ids, func(id string) bool { return id == m.ID })
		return nil, h
	})
	return err
}

// PairsNaming returns the hashes of the pairs by which any of owners would
// have muted or blocked memberID, each with its owner: what an erasure of
// memberID looks for.
func (s *Service) PairsNaming(memberID string, owners []string) map[string]string {
	out := make(map[string]string, 2*len(owners))
	for _, o := range owners {
		for _, list := range []string{Muted, Blocked} {
			out[string(s.pair(list, o, memberID))] = o
		}
	}
	return out
}

// Unlist returns owner's sealed settings without memberID on their lists,
// sealed again: what an erasure of memberID leaves them.
func (s *Service) Unlist(ctx context.Context, owner, memberID string, sealed []byte) ([]byte, error) {
	set, err := s.open(ctx, owner, sealed)
	if err != nil {
		return nil, err
	}
	gone := func(id string) bool { return id == memberID }
	set.Muted, set.Blocked = slices.DeleteFunc(set.Muted, gone), slices.DeleteFunc(set.Blocked, gone)
	keyID, err := s.keyOf(ctx, owner)
	if err != nil {
		return nil, err
	}
	return s.seal(ctx, keyID, owner, set)
}

// Silenced is one member on a's list.
type Silenced struct {
	Handle string `json:"handle"`
}

// List is a's list of muted or blocked members, oldest first; members who
// have since deleted their account are left out.
func (s *Service) List(ctx context.Context, a kernel.Actor, list string) ([]Silenced, error) {
	set, err := s.load(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	ids := set.Muted
	if list == Blocked {
		ids = set.Blocked
	}
	handles, err := s.st.LiveHandles(ctx, ids)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := []Silenced{}
	for _, id := range ids {
		if h, ok := handles[id]; ok {
			out = append(out, Silenced{Handle: h})
		}
	}
	return out, nil
}

// Lists is what a member's export holds of reader safety.
type Lists struct {
	Preferences Preferences `json:"preferences"`
	Muted       []Silenced  `json:"muted"`
	Blocked     []Silenced  `json:"blocked"`
}

// Export is a's preferences and lists, for their export.
func (s *Service) Export(ctx context.Context, a kernel.Actor) (*Lists, error) {
	p, err := s.Preferences(ctx, a)
	if err != nil {
		return nil, err
	}
	muted, err := s.List(ctx, a, Muted)
	if err != nil {
		return nil, err
	}
	blocked, err := s.List(ctx, a, Blocked)
	if err != nil {
		return nil, err
	}
	return &Lists{Preferences: *p, Muted: muted, Blocked: blocked}, nil
}

// BlockersOf says which of blockers blocked other, in one lookup.
func (s *Service) BlockersOf(ctx context.Context, other string, blockers []string) (map[string]bool, error) {
	return s.lookup(ctx, blockers, []string{Blocked}, func(list, b string) []byte { return s.pair(list, b, other) })
}

// BlockedAmong says which of others blocker blocked.
func (s *Service) BlockedAmong(ctx context.Context, blocker string, others []string) (map[string]bool, error) {
	return s.lookup(ctx, others, []string{Blocked}, func(list, o string) []byte { return s.pair(list, blocker, o) })
}

// Silenced says which of others memberID muted or blocked: they fold for
// memberID, and tell them nothing.
func (s *Service) Silenced(ctx context.Context, memberID string, others []string) (map[string]bool, error) {
	return s.lookup(ctx, others, []string{Muted, Blocked}, func(list, o string) []byte { return s.pair(list, memberID, o) })
}

// SilencersOf says which of members muted or blocked other: other tells
// them nothing.
func (s *Service) SilencersOf(ctx context.Context, other string, members []string) (map[string]bool, error) {
	return s.lookup(ctx, members, []string{Muted, Blocked}, func(list, m string) []byte { return s.pair(list, m, other) })
}

// lookup says which of ids have a pair on any of lists, the pair of each
// made by pair, in one query.
func (s *Service) lookup(ctx context.Context, ids, lists []string, pair func(list, id string) []byte) (map[string]bool, error) {
	hashes := make([][]byte, 0, len(lists)*len(ids))
	whose := make(map[string]string, len(lists)*len(ids))
	for _, id := range ids {
		for _, list := range lists {
			h := pair(list, id)
			if _, seen := whose[string(h)]; !seen {
				hashes = append(hashes, h)
				whose[string(h)] = id
			}
		}
	}
	found, err := s.st.SafetyPairsIn(ctx, hashes)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := make(map[string]bool, len(found))
	for h := range found {
		out[whose[h]] = true
	}
	return out, nil
}

// Folds is what folds writing for reader: the themes they hide and the
// members they silenced, from the settings their session check read
// (their own sealed list, so no pair is looked up).
func (s *Service) Folds(ctx context.Context, reader kernel.Actor) (*kernel.Folds, error) {
	// Opened in a copy: the actor's blob serves every read of the request.
	set, err := s.open(ctx, reader.ID, append([]byte(nil), reader.Safety...))
	if err != nil {
		return nil, apperr.Internal(err)
	}
	f := &kernel.Folds{ReaderID: reader.ID, Hidden: map[string]bool{}, Silenced: map[string]bool{}}
	for t, v := range set.Themes {
		if v == Hide {
			f.Hidden[t] = true
		}
	}
	for _, id := range append(set.Muted, set.Blocked...) {
		f.Silenced[id] = true
	}
	return f, nil
}

// Screened is writing search found as the reader's settings see it.
type Screened struct {
	Folded bool
	Themes []string
}

// Screen tells, for each writing search found (in order), whether it folds
// for a and which themes it carries.
func (s *Service) Screen(ctx context.Context, a kernel.Actor, found []store.FoundWriting) ([]Screened, error) {
	folds, err := s.Folds(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]Screened, len(found))
	for i := range found {
		w := &found[i]
		themes := []string{}
		if w.Themes != nil {
			plain, err := s.sealer.OpenInPlace(ctx, w.Themes, store.ThemesLocation(w.Target, w.ID))
			if errors.Is(err, seal.ErrUnknownKey) {
				out[i] = Screened{Themes: themes} // its author is gone: search leaves it out
				continue
			}
			if err != nil {
				return nil, apperr.Internal(err)
			}
			themes = kernel.ParseThemes(string(plain)).All()
		}
		out[i] = Screened{Folded: folds.Fold(w.AuthorID, themes) != nil, Themes: themes}
	}
	return out, nil
}

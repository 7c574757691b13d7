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
	"hearth/internal/kernel"
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

// Intake is moderation's door, told of writing before it is stored: it
// decides whether new writing waits for review, what is stored with it
// (its place in the queue, a crisis flag, notices), and answers writing
// that reads as a crisis with resources for its author.
type Intake interface {
	Receive(ctx context.Context, w kernel.Writing) (store.Verdict, *kernel.CrisisResources, error)
	// Edited is told of an edit: it may read as a crisis where the first
	// words did not.
	Edited(ctx context.Context, w kernel.Writing) (store.Effects, *kernel.CrisisResources, error)
	// CrisisResources answers the resources for w when it reads as a
	// crisis (nil otherwise), and keeps nothing: for writing that is not
	// stored.
	CrisisResources(ctx context.Context, w kernel.Writing) (*kernel.CrisisResources, error)
}

// Notifier says who hears of new writing; *notify.Service is one. What it
// returns is stored with the writing, in its transaction.
type Notifier interface {
	// Shared is what a new story brings (its author follows it).
	Shared(st *store.Story) store.Effects
	// Replied is what a new reply brings (its author follows the story;
	// the author of the reply it answers is told).
	Replied(ctx context.Context, r *store.Reply, story *store.StoryView, parent *store.Reply) (store.Effects, error)
}

// Recorder makes the log entries of the changes the forum makes that are
// on the moderation log (circles made and changed, facilitators appointed
// and removed, guidelines and resources changed); moderation keeps the log.
type Recorder interface {
	Entry(ctx context.Context, a kernel.Actor, action, targetType, targetID, reason string) (*store.LogEntry, error)
}

// Indexer makes the words of writing into search's blind index: the rows
// stored with the writing, in its transaction, so that what is found is
// always what is written.
type Indexer interface {
	Postings(circleID string, t store.Target, id string, texts ...string) []store.Posting
}

// Screen is reader safety's say in what a reader is shown: the themes they
// hide and the authors they muted or blocked fold writing for them.
type Screen interface {
	Folds(ctx context.Context, reader kernel.Actor) (*kernel.Folds, error)
}

// Service is the forum.
type Service struct {
	st      *store.Store
	sealer  Sealer
	intake  Intake
	log     Recorder
	notices Notifier
	index   Indexer
	screen  Screen
	now     func() time.Time
}

// New returns the forum over a store and a sealer, with moderation's intake
// and log, the notices writing sends, search's index and reader safety's
// screen.
func New(st *store.Store, sealer Sealer, intake Intake, log Recorder, notices Notifier, index Indexer, screen Screen) *Service {
	return &Service{st: st, sealer: sealer, intake: intake, log: log, notices: notices, index: index, screen: screen, now: kernel.Now}
}

// folds asks reader safety what folds writing for a.
func (s *Service) folds(ctx context.Context, a kernel.Actor) (*kernel.Folds, error) {
	if s.screen == nil {
		return nil, nil
	}
	return s.screen.Folds(ctx, a)
}

// sealThemes seals themes with the writer's key: always a blob, none or
// many, so its size tells little.
func (s *Service) sealThemes(ctx context.Context, keyID string, t store.Target, id string, themes kernel.WritingThemes) ([]byte, error) {
	blob, err := s.sealer.Seal(ctx, keyID, []byte(themes.Text()), store.ThemesLocation(t, id))
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return blob, nil
}

// openThemes opens the themes of a story or reply; writing from before
// themes has none.
func (s *Service) openThemes(ctx context.Context, t store.Target, id string, blob []byte) (kernel.WritingThemes, error) {
	if blob == nil {
		return kernel.WritingThemes{}, nil
	}
	plain, err := s.sealer.OpenInPlace(ctx, blob, store.ThemesLocation(t, id))
	if err != nil {
		return kernel.WritingThemes{}, err
	}
	return kernel.ParseThemes(string(plain)), nil
}

// editThemes is how an author's edit leaves the themes of writing id,
// sealed as blob: chosen (nil: unchanged) in place of the author's own,
// and the moderation team's kept, so an edit cannot take back what
// readers were warned of. was is the themes as they stood, for the
// earlier version the edit keeps.
func (s *Service) editThemes(ctx context.Context, t store.Target, id string, blob []byte, chosen *[]string) (was, now kernel.WritingThemes, err error) {
	if was, err = s.openThemes(ctx, t, id, blob); err != nil {
		return was, was, apperr.Internal(err)
	}
	now = was
	if chosen != nil {
		now.Author, err = kernel.CheckThemes(*chosen)
	}
	return was, now, err
}

// Errors of the forum's rules. Details never hold member text.
var (
	errNotMember      = apperr.New(http.StatusForbidden, "not_circle_member", "Join this circle first to write or give support here.")
	errNotAuthor      = apperr.New(http.StatusForbidden, "not_author", "Only the person who wrote this can change it.")
	errNotFacilitator = apperr.New(http.StatusForbidden, "not_facilitator", "Only this circle's facilitators can do that.")
	errNotAdmin       = apperr.New(http.StatusForbidden, "forbidden", "Only an admin can do that.")
	errNotModerator   = apperr.New(http.StatusForbidden, "forbidden", "Only the moderation team can do that.")
	errNotFound       = kernel.ErrNotFound
	errMembersOnly    = apperr.New(http.StatusForbidden, "members_only", "Only the members of this private circle read its stories. Its writing reaches the moderation team when it is flagged or held for review.")
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
func (s *Service) dataKeyID(a kernel.Actor) (string, error) {
	if a.DataKeyID == "" {
		return "", apperr.Internal(errors.New("forum: the actor carries no data key"))
	}
	return a.DataKeyID, nil
}

// Target finds a story or reply that a may read, or answers 404.
func (s *Service) Target(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error) {
	return s.target(ctx, a, t, id, storyRead, replyRead)
}

// TargetToModerate finds a story or reply for a moderator to act on, in
// any circle, whether or not they may read it.
func (s *Service) TargetToModerate(ctx context.Context, a kernel.Actor, t store.Target, id string) (*store.WritingRef, error) {
	return s.target(ctx, a, t, id, storyModerate, replyModerate)
}

func (s *Service) target(ctx context.Context, a kernel.Actor, t store.Target, id string, onStory storyAction, onReply replyAction) (*store.WritingRef, error) {
	switch t {
	case store.TargetStory:
		v, err := s.story(ctx, a, id, onStory)
		if err != nil {
			return nil, err
		}
		return &store.WritingRef{Target: t, ID: v.ID, StoryID: v.ID, CircleID: v.CircleID, CircleSlug: v.CircleSlug,
			AuthorID: v.AuthorID, Status: v.Status, HasText: v.Body != nil, ReaderFacilitates: v.ReaderIsFacilitator}, nil
	case store.TargetReply:
		r, v, err := s.reply(ctx, a, id, onReply)
		if err != nil {
			return nil, err
		}
		return &store.WritingRef{Target: t, ID: r.ID, StoryID: r.StoryID, CircleID: v.CircleID, CircleSlug: v.CircleSlug,
			AuthorID: r.AuthorID, Status: r.Status, HasText: r.Body != nil, ReaderFacilitates: v.ReaderIsFacilitator}, nil
	}
	return nil, errNotFound
}

// Package search finds stories and replies by their words without the
// store ever holding a word in clear: the blind index. Each word of a
// writing is kept only as a keyed hash under its circle's key (index.go),
// with nothing but the writing it is in; a query hashes its words the same
// way for every circle the reader may read, intersects their postings
// newest first, and opens the texts found to show a snippet.
package search

import (
	"context"
	"errors"
	"slices"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Sealer opens the texts found; *seal.Sealer is one.
type Sealer interface {
	OpenInPlace(ctx context.Context, blob []byte, loc seal.Location) ([]byte, error)
	Warm(ctx context.Context, blobs ...[]byte) (context.Context, error)
}

// Circles says where a member may search: the circles whose stories they
// may list. The forum decides it, by the rules of its lists.
type Circles interface {
	ReadableCircles(ctx context.Context, a kernel.Actor) ([]store.CircleView, error)
}

// Screen is the reader's own safety settings as search meets them: the
// themes they hide and the members they muted or blocked fold writing,
// and folded writing is left out of what they find, as out of every list
// of stories. Reader safety provides it; without one nothing is folded and
// writing found carries no themes.
type Screen interface {
	// Screen tells, for each writing found (in order), whether it is
	// folded for a and which themes it carries.
	Screen(ctx context.Context, a kernel.Actor, found []store.FoundWriting) ([]Screening, error)
}

// Screening is one writing as a reader's safety settings see it.
type Screening struct {
	Folded bool
	Themes []string
}

// Service is search.
type Service struct {
	st      *store.Store
	sealer  Sealer
	index   *Index
	circles Circles
	screen  Screen
}

// New is search over st, with the index keyed from the search key, the
// forum's circles, and reader safety's screen (nil until it exists).
func New(st *store.Store, sealer Sealer, index *Index, circles Circles, screen Screen) *Service {
	return &Service{st: st, sealer: sealer, index: index, circles: circles, screen: screen}
}

// Query is the body of POST /search.
type Query struct {
	Q      string `json:"q"`
	Circle string `json:"circle"`
	Cursor string `json:"cursor"`
	Limit  *int   `json:"limit"`
}

// Result is one story or reply found.
type Result struct {
	TargetType string `json:"target_type"`
	ID         string `json:"id"`
	StoryID    string `json:"story_id"`
	Circle     string `json:"circle"`
	// Title is a story's title, or a reply's story's where the reader
	// reads that story in full.
	Title *string `json:"title,omitempty"`
	// ContentWarning is a story's warning, for the snippet to wait
	// behind as the story's excerpt does in its circle's list.
	ContentWarning *string   `json:"content_warning,omitempty"`
	Snippet        string    `json:"snippet"`
	Themes         []string  `json:"themes"`
	CreatedAt      time.Time `json:"created_at"`
}

// Paging of results.
const (
	defaultLimit = 20
	maxLimit     = 100
	// maxRounds bounds how often one page reads the index again for
	// writing that folded out (each round reading twice as far).
	maxRounds = 8
	// sampleSize is how many of a word's newest postings are read to
	// tell a rare word from a common one.
	sampleSize = 64
)

var errLimit = apperr.Invalid("invalid_limit", "limit must be a whole number from 1 to 100.")

// Search finds the stories and replies a may read that hold every word of
// q.Q, newest first, a page at a time.
func (s *Service) Search(ctx context.Context, a kernel.Actor, q Query) (*kernel.Page[Result], error) {
	words, err := queryWords(q.Q)
	if err != nil {
		return nil, err
	}
	limit := defaultLimit
	if q.Limit != nil {
		if *q.Limit < 1 || *q.Limit > maxLimit {
			return nil, errLimit
		}
		limit = *q.Limit
	}
	before := ""
	if q.Cursor != "" {
		_, parts, err := kernel.DecodeCursor(q.Cursor, "f")
		if err != nil {
			return nil, err
		}
		before = parts[0]
	}
	circles, err := s.where(ctx, a, q.Circle)
	if err != nil {
		return nil, err
	}
	f := store.FindPostings{ReaderID: a.ID, Before: before}
	if f.Circles, err = s.plan(ctx, circles, words, before); err != nil {
		return nil, err
	}
	slugs := make(map[string]string, len(circles))
	for _, c := range circles {
		slugs[c.ID] = c.Slug
	}
	return s.page(ctx, a, f, limit, words, slugs)
}

// where lists the circles to search: every circle whose stories a may
// list, or the one slug names (404 when a may not list its stories).
func (s *Service) where(ctx context.Context, a kernel.Actor, slug string) ([]store.CircleView, error) {
	all, err := s.circles.ReadableCircles(ctx, a)
	if err != nil {
		return nil, err
	}
	if slug == "" {
		return all, nil
	}
	for _, c := range all {
		if c.Slug == slug {
			return []store.CircleView{c}, nil
		}
	}
	return nil, kernel.ErrNotFound
}

// plan hashes the words for each circle and puts each circle's tokens in
// the order to read them: the rarest first, so the postings read are as
// few as the rarest word has. A circle where some word has no posting
// (below the cursor) cannot match and is left out.
func (s *Service) plan(ctx context.Context, circles []store.CircleView, words []string, before string) ([][]int64, error) {
	tokens := make([]int64, 0, len(circles)*len(words))
	for _, c := range circles {
		h := s.index.hasher(c.ID)
		for _, w := range words {
			tokens = append(tokens, h.token(w))
		}
	}
	if len(words) == 1 {
		out := make([][]int64, len(tokens))
		for i := range tokens {
			out[i] = tokens[i : i+1]
		}
		return out, nil
	}
	samples, err := s.st.SamplePostings(ctx, tokens, before, sampleSize)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var out [][]int64
	for c := range circles {
		ts, ss := tokens[c*len(words):(c+1)*len(words)], samples[c*len(words):(c+1)*len(words)]
		order := make([]int, len(words))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int { return rarer(ss[i], ss[j]) })
		if ss[order[0]].Count == 0 {
			continue
		}
		mine := make([]int64, len(words))
		for k, i := range order {
			mine[k] = ts[i]
		}
		out = append(out, mine)
	}
	return out, nil
}

// rarer orders two words' samples rarest first: a sample that is not full
// holds all of a word's postings, so it is rarer than a full one; of two
// full ones, the one that reaches further back in time is.
func rarer(a, b store.PostingSample) int {
	fullA, fullB := a.Count == sampleSize, b.Count == sampleSize
	switch {
	case !fullA && !fullB:
		return a.Count - b.Count
	case fullA != fullB:
		if fullB {
			return -1
		}
		return 1
	case a.Oldest < b.Oldest:
		return -1
	case a.Oldest > b.Oldest:
		return 1
	}
	return 0
}

// found is writing found that a finds and that is not folded for them.
type found struct {
	w      *store.FoundWriting
	themes []string
}

// page reads the index until it has limit results and knows whether more
// follow. Writing folded for the reader is left out, and the index read
// again past it (at most maxRounds times), so a page holds limit results
// when there are that many.
func (s *Service) page(ctx context.Context, a kernel.Actor, f store.FindPostings, limit int, words []string, slugs map[string]string) (*kernel.Page[Result], error) {
	var shown []found
	more := false
	for round := 0; len(f.Circles) > 0; round++ {
		// Each round after the first reads twice as far as the one before:
		// where much is folded, few rounds still fill the page.
		f.Limit = (limit + 1 - len(shown)) << round
		hits, err := s.st.FindPostings(ctx, f)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		if len(hits) == 0 {
			break
		}
		kept, err := s.keep(ctx, a, hits)
		if err != nil {
			return nil, err
		}
		shown = append(shown, kept...)
		f.Before = hits[len(hits)-1].ID
		if len(hits) < f.Limit || len(shown) > limit {
			break
		}
		if round+1 == maxRounds {
			more = true // the reader pages on from where this page stopped
			break
		}
	}
	page := &kernel.Page[Result]{Items: []Result{}}
	if len(shown) > limit {
		shown = shown[:limit]
		page.NextCursor = kernel.EncodeCursor("f", shown[limit-1].w.ID)
	} else if more {
		page.NextCursor = kernel.EncodeCursor("f", f.Before)
	}
	items, err := s.open(ctx, a, shown, words, slugs)
	if err != nil {
		return nil, err
	}
	page.Items = items
	return page, nil
}

// keep reads the writing hits name and keeps what a finds (it may have
// changed since the index was read) and what is not folded for them.
func (s *Service) keep(ctx context.Context, a kernel.Actor, hits []store.Found) ([]found, error) {
	ws, err := s.st.FoundWritings(ctx, hits)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var screens []Screening
	if s.screen != nil {
		if screens, err = s.screen.Screen(ctx, a, ws); err != nil {
			return nil, err
		}
	}
	out := make([]found, 0, len(ws))
	for i := range ws {
		if !findable(a, &ws[i]) {
			continue
		}
		f := found{w: &ws[i], themes: []string{}}
		if screens != nil {
			if screens[i].Folded {
				continue
			}
			if screens[i].Themes != nil {
				f.themes = screens[i].Themes
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// open opens the texts of the writing shown and makes each result. Writing
// whose author was erased since the index was read has no words left, and
// is left out.
func (s *Service) open(ctx context.Context, a kernel.Actor, shown []found, words []string, slugs map[string]string) ([]Result, error) {
	blobs := make([][]byte, 0, 2*len(shown))
	for _, f := range shown {
		blobs = append(blobs, f.w.Body, f.w.Title) // a reply's story may be another's
	}
	ctx, err := s.sealer.Warm(ctx, blobs...)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := make([]Result, 0, len(shown))
	for _, f := range shown {
		r, err := s.result(ctx, a, f, words, slugs)
		if errors.Is(err, seal.ErrUnknownKey) {
			continue
		}
		if err != nil {
			return nil, apperr.Internal(err)
		}
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// result opens one writing found; nil when its text is gone.
func (s *Service) result(ctx context.Context, a kernel.Actor, f found, words []string, slugs map[string]string) (*Result, error) {
	w := f.w
	if w.Body == nil {
		return nil, nil
	}
	r := &Result{TargetType: string(w.Target), ID: w.ID, StoryID: w.StoryID, Circle: slugs[w.CircleID], Themes: f.themes, CreatedAt: w.CreatedAt.UTC()}
	title, body, warning := store.StoryLocations(w.StoryID)
	if w.Target == store.TargetReply {
		body = store.ReplyLocation(w.ID)
	}
	text, err := s.sealer.OpenInPlace(ctx, w.Body, body)
	if err != nil {
		return nil, err
	}
	r.Snippet = snippet(string(text), words)
	if w.Title != nil && (w.Target == store.TargetStory || titleShown(a, w)) {
		t, err := s.sealer.OpenInPlace(ctx, w.Title, title)
		if err != nil && (w.Target == store.TargetStory || !errors.Is(err, seal.ErrUnknownKey)) {
			return nil, err
		}
		if err == nil {
			opened := string(t)
			r.Title = &opened
		}
	}
	if len(w.ContentWarning) > 0 {
		cw, err := s.sealer.OpenInPlace(ctx, w.ContentWarning, warning)
		if err != nil {
			return nil, err
		}
		if len(cw) > 0 {
			opened := string(cw)
			r.ContentWarning = &opened
		}
	}
	return r, nil
}

package search

import (
	"context"
	"errors"

	"hearth/internal/seal"
	"hearth/internal/store"
)

// backfillBatch is how many writings one round of the backfill opens and
// indexes: small, so live writes wait for it no longer than for a few
// replies.
const backfillBatch = 100

// Backfill indexes the writing made before the blind index existed,
// newest first, a batch at a time, until none is left or ctx ends; it
// answers how many writings it indexed. Every process on a database may
// run it at once: each writing is indexed by one of them. Writing whose
// author was erased meanwhile cannot be opened, and leaves the backlog
// with its text.
func (s *Service) Backfill(ctx context.Context) (int, error) {
	indexed := 0
	for ctx.Err() == nil {
		batch, err := s.st.Unindexed(ctx, backfillBatch)
		if err != nil || len(batch) == 0 {
			return indexed, err
		}
		for _, u := range batch {
			ok, err := s.backfill(ctx, u)
			if err != nil {
				return indexed, err
			}
			if ok {
				indexed++
			}
		}
	}
	return indexed, ctx.Err()
}

// backfill opens one writing's texts and writes their postings.
func (s *Service) backfill(ctx context.Context, u store.Unindexed) (bool, error) {
	title, body, _ := store.StoryLocations(u.ID)
	if u.Target == store.TargetReply {
		body = store.ReplyLocation(u.ID)
	}
	var texts []string
	for _, t := range []struct {
		blob []byte
		loc  seal.Location
	}{{u.Title, title}, {u.Body, body}} {
		if t.blob == nil {
			continue
		}
		// Opened in a copy: IndexUnindexed compares the sealed bytes
		// with the store's to know the text has not changed since.
		text, err := s.sealer.OpenInPlace(ctx, append([]byte(nil), t.blob...), t.loc)
		if errors.Is(err, seal.ErrUnknownKey) {
			_, err := s.st.IndexUnindexed(ctx, u, nil) // erased: the text is gone, and its place in the backlog with it
			return false, err
		}
		if err != nil {
			return false, err
		}
		texts = append(texts, string(text))
	}
	return s.st.IndexUnindexed(ctx, u, s.index.postings(u.CircleID, u.Target, u.ID, texts...))
}

package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// SQLitePragmas reads back the settings the writer connection runs with.
func (s *Store) SQLitePragmas(ctx context.Context) map[string]string {
	out := map[string]string{}
	for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "secure_delete", "temp_store"} {
		var v string
		if err := s.w.WithContext(ctx).Raw("PRAGMA " + p).Scan(&v).Error; err == nil {
			out[p] = v
		}
	}
	return out
}

// TamperWithLog tries to change and then delete a log line, as code that
// should not would; it returns nil only if either succeeded.
func (s *Store) TamperWithLog(ctx context.Context, id string) error {
	upd := s.w.WithContext(ctx).Exec("UPDATE moderation_log SET action = 'nothing' WHERE id = ?", id)
	del := s.w.WithContext(ctx).Exec("DELETE FROM moderation_log WHERE id = ?", id)
	if upd.Error == nil && upd.RowsAffected > 0 || del.Error == nil && del.RowsAffected > 0 {
		return nil
	}
	return errors.Join(upd.Error, del.Error)
}

// WriteTx exposes the write transaction to tests of group commit.
func (s *Store) WriteTx(ctx context.Context, fn func(tx *gorm.DB) error) error { return s.tx(ctx, fn) }

// Plans is how SQLite reads a page of the queue and of a circle's
// stories (pinned and not, first and later pages): EXPLAIN QUERY PLAN of
// each, one line per step.
func (s *Store) Plans(ctx context.Context) (map[string][]string, error) {
	t := time.Now()
	queries := map[string]func() (string, []any){
		"queue":          func() (string, []any) { return queuePage(FindQueue{Limit: 51}) },
		"queue after":    func() (string, []any) { return queuePage(FindQueue{Limit: 51, After: &QueueItem{}}) },
		"stories":        func() (string, []any) { return storyPage(FindStories{CircleID: "c", Limit: 21}) },
		"stories after":  func() (string, []any) { return storyPage(FindStories{CircleID: "c", Limit: 21, Before: "x"}) },
		"pinned stories": func() (string, []any) { return storyPage(FindStories{CircleID: "c", Limit: 21, Pinned: true}) },
		"pinned stories after": func() (string, []any) {
			return storyPage(FindStories{CircleID: "c", Limit: 21, Pinned: true, Before: "x", BeforePinned: &t})
		},
	}
	return s.explain(ctx, queries)
}

// SearchPlans are SQLite's plans of search's pages: one circle and two,
// first page and later.
func (s *Store) SearchPlans(ctx context.Context) (map[string][]string, error) {
	f := FindPostings{Circles: [][]int64{{1, 2, 3}, {4, 5, 6}}, Limit: 21}
	after := f
	after.Before = "x"
	return s.explain(ctx, map[string]func() (string, []any){
		"one circle":        func() (string, []any) { return findPostingsQuery(f, f.Circles[:1]) },
		"one circle after":  func() (string, []any) { return findPostingsQuery(after, f.Circles[:1]) },
		"two circles":       func() (string, []any) { return findPostingsQuery(f, f.Circles) },
		"two circles after": func() (string, []any) { return findPostingsQuery(after, f.Circles) },
	})
}

// explain is each query's plan, step by step.
func (s *Store) explain(ctx context.Context, queries map[string]func() (string, []any)) (map[string][]string, error) {
	out := map[string][]string{}
	for name, page := range queries {
		q, args := page()
		var rows []struct {
			ID, Parent, Notused int
			Detail              string
		}
		if err := s.reading(ctx, func(db *gorm.DB) error { return db.Raw("EXPLAIN QUERY PLAN "+q, args...).Scan(&rows).Error }); err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[name] = append(out[name], r.Detail)
		}
	}
	return out, nil
}

// StablePlanConns is how many SQLite connections got the query planner
// stability guarantee.
func StablePlanConns() int64 { return stablePlanConns() }

// ReadAroundTheGate reads the reader pool the way a careless new query
// would: without passing the admission point.
func (s *Store) ReadAroundTheGate(ctx context.Context) error {
	var n int64
	return s.readerPool.WithContext(ctx).Raw("SELECT COUNT(*) FROM members").Scan(&n).Error
}

// ErrNotAdmitted is what such a read gets.
var ErrNotAdmitted = errNotAdmitted

// ReadersInUse is how many reader turns are taken now.
func (s *Store) ReadersInUse() int { return len(s.readers) }

// Queued is how many writes wait behind SQLite's writer for their batch.
func (s *Store) Queued() int {
	s.group.mu.Lock()
	defer s.group.mu.Unlock()
	return len(s.group.queue)
}

// FailAfterIndexing is a write that asks for postings and then fails, as
// one whose later statement broke a rule would.
func (s *Store) FailAfterIndexing(ctx context.Context, ps []Posting) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := indexPostings(tx, ps); err != nil {
			return err
		}
		return errors.New("a rule broken after indexing")
	})
}

// WriterPrepared reports whether the SQLite writer holds query prepared,
// how many statements it holds, and whether it still has statements met
// in transactions to prepare.
func (s *Store) WriterPrepared(query string) (held bool, n int, preparing bool) {
	p := s.w.ConnPool.(*preparedPool)
	p.mu.Lock()
	defer p.mu.Unlock()
	_, held = p.stmts[query]
	return held, len(p.stmts), p.preparing || len(p.wanted) > 0
}

// IndexAgrees checks that search_terms holds, for each writing, exactly
// the tokens of its postings, and no row for writing without postings.
func (s *Store) IndexAgrees(ctx context.Context) error {
	postings := map[string][]int64{}
	var ps []Posting
	if err := s.w.WithContext(ctx).Raw("SELECT token, target_id, reply FROM search_postings").Scan(&ps).Error; err != nil {
		return err
	}
	for _, p := range ps {
		postings[p.TargetID] = append(postings[p.TargetID], p.Token)
	}
	var terms []struct {
		TargetID string
		Tokens   []byte
	}
	if err := s.w.WithContext(ctx).Raw("SELECT target_id, tokens FROM search_terms").Scan(&terms).Error; err != nil {
		return err
	}
	if len(terms) != len(postings) {
		return fmt.Errorf("%d writings have terms, %d have postings", len(terms), len(postings))
	}
	for _, t := range terms {
		var tokens []int64
		for b := t.Tokens; len(b) >= 8; b = b[8:] {
			tokens = append(tokens, int64(binary.BigEndian.Uint64(b)))
		}
		want := postings[t.TargetID]
		slices.Sort(tokens)
		slices.Sort(want)
		if len(t.Tokens)%8 != 0 || !slices.Equal(tokens, want) {
			return fmt.Errorf("writing %s: terms %v (%d bytes), postings %v", t.TargetID, tokens, len(t.Tokens), want)
		}
	}
	return nil
}

// UnmigrateSearchTerms puts the index back as it was before migration 31,
// for a test of that migration: no search_terms, the index of postings by
// writing, no record of 31.
func (s *Store) UnmigrateSearchTerms(ctx context.Context) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, q := range []string{
			"DROP TABLE search_terms",
			"CREATE INDEX idx_search_postings_target ON search_postings (target_id)",
			"DELETE FROM schema_migrations WHERE version = 31",
		} {
			if err := tx.Exec(q).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

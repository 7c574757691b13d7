package store_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestSearchReadsOffTheIndex: a page of search reads each circle's
// postings off the primary key in page order (no sort but the merge of
// the circles' short pages), and every other table by key.
func TestSearchReadsOffTheIndex(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	plans, err := st.SearchPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for name, plan := range plans {
		joined := strings.Join(plan, "\n")
		if !strings.Contains(joined, "SEARCH p USING PRIMARY KEY (token=?") {
			t.Errorf("%s: want the first word's postings read off the primary key; plan:\n%s", name, joined)
		}
		for _, step := range plan {
			merge := strings.HasPrefix(name, "two") && (step == "MERGE (UNION ALL)" || step == "LEFT" || step == "RIGHT" ||
				strings.HasPrefix(step, "CO-ROUTINE c") || strings.HasPrefix(step, "SCAN c") || step == "USE TEMP B-TREE FOR ORDER BY")
			if !merge && !strings.HasPrefix(step, "SEARCH ") && !strings.HasPrefix(step, "CORRELATED SCALAR SUBQUERY ") {
				t.Errorf("%s: every table is searched by key, none scanned or sorted; plan:\n%s", name, joined)
				break
			}
		}
	}
	if len(plans) != 4 {
		t.Fatalf("%d plans", len(plans))
	}
}

// TestPostingsGoWithTheWriting: postings are found while their writing is
// findable, newest first, merged across more circles than one statement
// takes; an edit replaces them, deleting or erasing the writing takes them
// away.
func TestPostingsGoWithTheWriting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
		author, reader := newMember(t, st, "author"), newMember(t, st, "reader")
		// 150 circles, a story in each (the newest in the last), and in
		// every third a second word.
		const n = 150
		var circles []store.Circle
		var stories []store.Story
		var postings []store.Posting
		var circleTokens [][]int64
		for i := range n {
			c := store.Circle{ID: store.NewIDAt(at), Slug: "c" + string(rune('a'+i/26)) + string(rune('a'+i%26)), Visibility: store.VisibilityOpen, CreatedAt: at, UpdatedAt: at}
			s := store.Story{ID: store.NewIDAt(at.Add(time.Duration(i) * time.Second)), CircleID: c.ID, AuthorID: author.ID, Kind: "story",
				Status: store.Published, Body: []byte("sealed"), CreatedAt: at.Add(time.Duration(i) * time.Second)}
			word, other := int64(i*10+1), int64(i*10+2)
			circles, stories = append(circles, c), append(stories, s)
			postings = append(postings, store.Posting{Token: word, TargetID: s.ID})
			if i%3 == 0 {
				postings = append(postings, store.Posting{Token: other, TargetID: s.ID})
			}
			circleTokens = append(circleTokens, []int64{word, other})
		}
		if err := st.CreateAll(ctx, circles, stories, postings); err != nil {
			t.Fatal(err)
		}
		find := func(before string, limit int, circles [][]int64) []string {
			t.Helper()
			found, err := st.FindPostings(ctx, store.FindPostings{ReaderID: reader.ID, Circles: circles, Before: before, Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range found {
				if f.Target != store.TargetStory {
					t.Errorf("%s found as a %s", f.ID, f.Target)
				}
				ids = append(ids, f.ID)
			}
			return ids
		}
		var newest []string
		for i := n - 1; i >= 0; i-- {
			if i%3 == 0 {
				newest = append(newest, stories[i].ID)
			}
		}
		// Both words, every circle, a page at a time.
		var got []string
		for before := ""; ; {
			page := find(before, 7, circleTokens)
			got = append(got, page...)
			if len(page) < 7 {
				break
			}
			before = page[len(page)-1]
		}
		if !slices.Equal(got, newest) {
			t.Fatalf("paged through %d of %d, in order: %v", len(got), len(newest), slices.Equal(got[:min(len(got), len(newest))], newest[:min(len(got), len(newest))]))
		}
		// One word (the other read first) finds the same.
		swapped := make([][]int64, n)
		for i, ts := range circleTokens {
			swapped[i] = []int64{ts[1], ts[0]}
		}
		if got := find("", 100, swapped); !slices.Equal(got, newest) {
			t.Errorf("read the other word first: %d found", len(got))
		}

		samples, err := st.SamplePostings(ctx, []int64{1, 2, 11, 12, 991, 999999}, "", 64)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.PostingSample{{1, stories[0].ID}, {1, stories[0].ID}, {1, stories[1].ID}, {}, {1, stories[99].ID}, {}}
		if !slices.Equal(samples, want) {
			t.Errorf("samples %+v, want %+v", samples, want)
		}
		if samples, err = st.SamplePostings(ctx, []int64{1}, stories[0].ID, 64); err != nil || samples[0].Count != 0 {
			t.Errorf("sample below the only posting: %+v %v", samples, err)
		}

		// Hidden writing is its author's to find; removed writing nobody's.
		first := stories[n-1]
		mine := [][]int64{circleTokens[n-1]}
		hide := store.Decision{Target: store.TargetStory, TargetID: first.ID, OldStatus: store.Published, NewStatus: store.Hidden}
		if err := st.Decide(ctx, hide, at); err != nil {
			t.Fatal(err)
		}
		if got := find("", 10, [][]int64{{mine[0][0]}}); len(got) != 0 {
			t.Errorf("hidden writing found by another: %v", got)
		}
		found, err := st.FindPostings(ctx, store.FindPostings{ReaderID: author.ID, Circles: [][]int64{{mine[0][0]}}, Limit: 10})
		if err != nil || len(found) != 1 {
			t.Errorf("hidden writing not found by its author: %v %v", found, err)
		}

		// An edit's postings replace the old ones.
		edited := stories[n-2]
		edit := store.StoryEdit{Title: []byte("t"), Body: []byte("b"), ContentWarning: []byte("w"), EditedAt: at}
		if err := st.EditStory(ctx, edited.ID, edit, store.Effects{Postings: []store.Posting{{Token: 424242, TargetID: edited.ID}}}); err != nil {
			t.Fatal(err)
		}
		if got := find("", 10, [][]int64{circleTokens[n-2][:1]}); len(got) != 0 {
			t.Errorf("an edited-away word still finds: %v", got)
		}
		if got := find("", 10, [][]int64{{424242}}); !slices.Equal(got, []string{edited.ID}) {
			t.Errorf("an edited-in word finds %v", got)
		}
		// Deleting takes them away.
		if err := st.RemoveStory(ctx, edited.ID, at); err != nil {
			t.Fatal(err)
		}
		if s, _ := st.SamplePostings(ctx, []int64{424242}, "", 64); s[0].Count != 0 {
			t.Errorf("a deleted story keeps %d postings", s[0].Count)
		}
		// So does erasing their author.
		if err := st.EraseMember(ctx, author.ID, "hash of "+author.ID, at, storetest.NoPairs{}); err != nil {
			t.Fatal(err)
		}
		all := make([]int64, 0, len(postings))
		for _, p := range postings {
			all = append(all, p.Token)
		}
		left, err := st.SamplePostings(ctx, all, "", 64)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range left {
			if s.Count != 0 {
				t.Fatalf("token %d keeps %d postings after its author's erasure", all[i], s.Count)
			}
		}
		if err := st.IndexAgrees(ctx); err != nil {
			t.Error(err)
		}
	})
}

// TestABatchWritesItsPostingsOnce: on SQLite the writes of one group
// commit leave their postings to be written together before the COMMIT.
// What the batch stores is what the same writes one at a time would: a
// write that fails leaves none, a second edit's replace the first's, and
// an erasure takes those of a reply its member wrote moments before.
func TestABatchWritesItsPostingsOnce(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
	stays, goes := newMember(t, st, "stays"), newMember(t, st, "goes")
	c := store.Circle{ID: store.NewIDAt(at), Slug: "batch", Visibility: store.VisibilityOpen, CreatedAt: at, UpdatedAt: at}
	s := store.Story{ID: store.NewIDAt(at), CircleID: c.ID, AuthorID: stays.ID, Kind: "story", Status: store.Published, Body: []byte("sealed"), CreatedAt: at}
	old := store.Reply{ID: store.NewIDAt(at), StoryID: s.ID, AuthorID: stays.ID, Status: store.Published, Body: []byte("sealed"), CreatedAt: at}
	old.Path = old.ID
	if err := st.CreateAll(ctx, []store.Circle{c}, []store.Story{s}, []store.Reply{old},
		[]store.Posting{{Token: 1001, TargetID: old.ID, Reply: true}, {Token: 1002, TargetID: old.ID, Reply: true}}); err != nil {
		t.Fatal(err)
	}
	reply := func(id string, author *store.Member) *store.Reply {
		return &store.Reply{ID: id, StoryID: s.ID, Path: id, AuthorID: author.ID, Status: store.Published, Body: []byte("sealed"), CreatedAt: time.Now()}
	}
	posting := func(token int64, id string) store.Posting {
		return store.Posting{Token: token, TargetID: id, Reply: true}
	}
	fresh, ofTheErased := store.NewID(), store.NewID()

	// The writer is held while the writes queue up behind it in this
	// order; let go, it commits them as one batch.
	held, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := st.WriteTx(ctx, func(*gorm.DB) error { close(held); <-release; return nil }); err != nil {
			t.Error(err)
		}
	})
	<-held
	writes := []struct {
		name string
		run  func() error
		fail bool
	}{
		{"new reply", func() error {
			return st.CreateReply(ctx, reply(fresh, stays), store.Effects{Postings: []store.Posting{posting(2001, fresh), posting(2002, fresh)}})
		}, false},
		{"first edit", func() error {
			return st.EditReply(ctx, old.ID, []byte("sealed 2"), nil, at, store.Effects{Postings: []store.Posting{posting(1001, old.ID), posting(3001, old.ID)}})
		}, false},
		{"second edit", func() error {
			return st.EditReply(ctx, old.ID, []byte("sealed 3"), nil, at, store.Effects{Postings: []store.Posting{posting(1001, old.ID), posting(3002, old.ID)}})
		}, false},
		{"reply of a member about to go", func() error {
			return st.CreateReply(ctx, reply(ofTheErased, goes), store.Effects{Postings: []store.Posting{posting(4001, ofTheErased)}})
		}, false},
		{"erasure", func() error { return st.EraseMember(ctx, goes.ID, "hash of goes", at, storetest.NoPairs{}) }, false},
		{"a reply under a taken id", func() error {
			return st.CreateReply(ctx, reply(fresh, stays), store.Effects{Postings: []store.Posting{posting(5001, fresh)}})
		}, true},
		{"a write that fails once it asked for postings", func() error {
			return st.FailAfterIndexing(ctx, []store.Posting{posting(5002, fresh)})
		}, true},
	}
	for i, w := range writes {
		wg.Go(func() {
			if err := w.run(); (err != nil) != w.fail {
				t.Errorf("%s: %v", w.name, err)
			}
		})
		for st.Queued() != i+1 {
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()

	tokens := []int64{1001, 1002, 2001, 2002, 3001, 3002, 4001, 5001, 5002}
	samples, err := st.SamplePostings(ctx, tokens, "", 64)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.PostingSample{{1, old.ID}, {}, {1, fresh}, {1, fresh}, {}, {1, old.ID}, {}, {}, {}}
	for i, tok := range tokens {
		if samples[i] != want[i] {
			t.Errorf("token %d: %+v, want %+v", tok, samples[i], want[i])
		}
	}
	if err := st.IndexAgrees(ctx); err != nil {
		t.Error(err)
	}
}

// TestIndexedWritingKeepsItsTerms: migration 31 gives writing indexed
// before it (more than one slice of its backfill, tokens of both signs and
// both ends) a row of terms each that holds its postings' tokens, and by
// them a removal, and an erasure of thousands of writings, takes the
// postings away.
func TestIndexedWritingKeepsItsTerms(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			opts := storetest.Options(t, d)
			st, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
			author := newMember(t, st, "author")
			c := store.Circle{ID: store.NewIDAt(at), Slug: "terms", Visibility: store.VisibilityOpen, CreatedAt: at, UpdatedAt: at}
			// 21 words a story puts the backfill's first slice of 50,000
			// postings' end within story 2,380.
			const stories, words = 3000, 21
			var ss []store.Story
			var ps []store.Posting
			for i := range stories {
				s := store.Story{ID: store.NewIDAt(at.Add(time.Duration(i) * time.Millisecond)), CircleID: c.ID, AuthorID: author.ID, Kind: "story",
					Status: store.Published, Body: []byte("sealed"), CreatedAt: at}
				ss = append(ss, s)
				for j := range words {
					tok := int64(i*words + j + 1)
					if j%2 == 1 {
						tok = -tok
					}
					ps = append(ps, store.Posting{Token: tok, TargetID: s.ID})
				}
			}
			ps[0].Token, ps[1].Token = math.MinInt64, math.MaxInt64
			if err := st.CreateAll(ctx, []store.Circle{c}, ss, ps); err != nil {
				t.Fatal(err)
			}
			if err := st.UnmigrateSearchTerms(ctx); err != nil {
				t.Fatal(err)
			}
			st.Close()
			if st, err = store.Open(ctx, opts); err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.IndexAgrees(ctx); err != nil {
				t.Fatal(err)
			}
			for _, i := range []int{0, 2380, stories - 1} {
				if err := st.RemoveStory(ctx, ss[i].ID, at); err != nil {
					t.Fatal(err)
				}
				var tokens []int64
				for _, p := range ps[i*words : (i+1)*words] {
					tokens = append(tokens, p.Token)
				}
				left, err := st.SamplePostings(ctx, tokens, "", 64)
				if err != nil {
					t.Fatal(err)
				}
				for k, s := range left {
					if s.Count != 0 {
						t.Fatalf("story %d: token %d keeps %d postings after its removal", i, tokens[k], s.Count)
					}
				}
			}
			if err := st.IndexAgrees(ctx); err != nil {
				t.Fatal(err)
			}
			// Erasing their author takes the rest, a statement a writing.
			if err := st.EraseMember(ctx, author.ID, "hash of "+author.ID, at, storetest.NoPairs{}); err != nil {
				t.Fatal(err)
			}
			var some []int64
			for _, i := range []int{1, 2381, stories - 2} {
				for _, p := range ps[i*words : (i+1)*words] {
					some = append(some, p.Token)
				}
			}
			left, err := st.SamplePostings(ctx, some, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			for k, s := range left {
				if s.Count != 0 {
					t.Fatalf("token %d keeps a posting after its author's erasure", some[k])
				}
			}
			if err := st.IndexAgrees(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

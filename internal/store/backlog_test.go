package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestBacklogIndexesWritingAsItWas: writing from before the index is
// read newest first, indexed once, and never with words an edit has
// replaced since it was read; an erased member's writing leaves the
// backlog with them.
func TestBacklogIndexesWritingAsItWas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)
		author, leaving, reader := newMember(t, st, "author"), newMember(t, st, "leaving"), newMember(t, st, "reader")
		c := store.Circle{ID: store.NewIDAt(at), Slug: "old", Visibility: store.VisibilityOpen, CreatedAt: at, UpdatedAt: at}
		var stories []store.Story
		for i, by := range []string{leaving.ID, author.ID, author.ID} {
			stories = append(stories, store.Story{ID: store.NewIDAt(at.Add(time.Duration(i) * time.Second)), CircleID: c.ID, AuthorID: by, Kind: "story",
				Status: store.Published, Title: []byte{'t', byte(i)}, Body: []byte{'b', byte(i)}, CreatedAt: at.Add(time.Duration(i) * time.Second)})
		}
		if err := st.CreateAll(ctx, []store.Circle{c}, stories); err != nil {
			t.Fatal(err)
		}
		// As migration 20 finds writing made before the index.
		err := st.WriteTx(ctx, func(tx *gorm.DB) error {
			for _, s := range stories {
				if err := tx.Exec("INSERT INTO search_backlog (target_id, reply) VALUES (?, ?)", s.ID, false).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		waiting := func(n int) []store.Unindexed {
			t.Helper()
			us, err := st.Unindexed(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			return us
		}
		found := func(token int64) []string {
			t.Helper()
			fs, err := st.FindPostings(ctx, store.FindPostings{ReaderID: reader.ID, Circles: [][]int64{{token}}, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.ID)
			}
			return ids
		}

		batch := waiting(2)
		if len(batch) != 2 || batch[0].ID != stories[2].ID || batch[1].ID != stories[1].ID {
			t.Fatalf("first batch %+v, want the two newest, newest first", batch)
		}
		if string(batch[0].Body) != string(stories[2].Body) || string(batch[0].Title) != string(stories[2].Title) || batch[0].CircleID != c.ID {
			t.Fatalf("the newest came without its sealed texts or circle: %+v", batch[0])
		}
		if ok, err := st.IndexUnindexed(ctx, batch[0], []store.Posting{{Token: 7, TargetID: batch[0].ID}}); err != nil || !ok {
			t.Fatalf("indexing unchanged writing: %v %v", ok, err)
		}
		if ok, err := st.IndexUnindexed(ctx, batch[0], []store.Posting{{Token: 8, TargetID: batch[0].ID}}); err != nil || ok {
			t.Errorf("the same writing indexed twice: %v %v", ok, err)
		}
		// The second is edited after the backfill read it: the edit's
		// words stand, the old ones never come back.
		edit := store.StoryEdit{Title: []byte("t-new"), Body: []byte("b-new"), EditedAt: at.Add(time.Minute)}
		if err := st.EditStory(ctx, batch[1].ID, edit, store.Effects{Postings: []store.Posting{{Token: 9, TargetID: batch[1].ID}}}); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.IndexUnindexed(ctx, batch[1], []store.Posting{{Token: 10, TargetID: batch[1].ID}}); err != nil || ok {
			t.Errorf("writing edited since it was read was indexed with its old words: %v %v", ok, err)
		}
		for token, want := range map[int64][]string{7: {stories[2].ID}, 8: nil, 9: {stories[1].ID}, 10: nil} {
			if got := found(token); !slices.Equal(got, want) {
				t.Errorf("token %d finds %v, want %v", token, got, want)
			}
		}
		if rest := waiting(10); len(rest) != 1 || rest[0].ID != stories[0].ID {
			t.Fatalf("left waiting %+v, want only the oldest", rest)
		}
		if err := st.EraseMember(ctx, leaving.ID, "retired-handle-hash", at.Add(time.Hour), storetest.NoPairs{}); err != nil {
			t.Fatal(err)
		}
		if rest := waiting(10); len(rest) != 0 {
			t.Errorf("an erased member's writing still waits to be indexed: %+v", rest)
		}
	})
}

package store_test

import (
	"errors"
	"sync"
	"testing"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestGuidelinesVersionTakenOnce: a version of a circle's guidelines is
// stored, with its log entry, only over the one before it; writers racing
// for the same number get one version and one entry between them, and the
// rest ErrStale with nothing stored or logged.
func TestGuidelinesVersionTakenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := &store.Circle{ID: store.NewID(), Slug: "kind", Name: "Kind", Visibility: store.VisibilityOpen, CreatedAt: now(), UpdatedAt: now()}
		if err := st.CreateCircle(ctx, c, &store.LogEntry{ID: store.NewID(), Action: "create_circle", TargetType: "circle", TargetID: c.ID, CreatedAt: now()}); err != nil {
			t.Fatal(err)
		}
		writer := newMember(t, st, "writer")
		set := func(text string, version int) error {
			e := &store.LogEntry{ID: store.NewID(), Action: "update_guidelines", TargetType: "circle", TargetID: c.ID, CreatedAt: now()}
			return st.SetGuidelines(ctx, c.ID, writer.ID, text, version, e, now())
		}
		logged := func() int {
			t.Helper()
			rows, err := st.ListLog(ctx, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, r := range rows {
				if r.Action == "update_guidelines" {
					n++
				}
			}
			return n
		}
		if err := set("Be kind.", 1); err != nil {
			t.Fatal(err)
		}
		for _, v := range []int{1, 3} {
			if err := set("Not this.", v); !errors.Is(err, store.ErrStale) {
				t.Errorf("version %d over version 1: %v, want ErrStale", v, err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() { errs[i] = set("Racing.", 2) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrStale):
				t.Errorf("a racing writer: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d writers stored version 2, want 1", won)
		}
		if n := logged(); n != 2 {
			t.Errorf("%d guidelines changes logged, want 2", n)
		}
		got, err := st.GetCircleByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.GuidelinesVersion != 2 || got.Guidelines != "Racing." {
			t.Errorf("circle holds version %d %q", got.GuidelinesVersion, got.Guidelines)
		}
	})
}

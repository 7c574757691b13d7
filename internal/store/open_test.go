package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// With NoCreate a store that does not exist is refused and nothing is left
// behind; one that exists opens as usual.
func TestNoCreate(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			opts := storetest.Options(t, d)
			if d == store.SQLite {
				opts.SQLitePath = filepath.Join(t.TempDir(), "not-yet", "hearth.db")
			}
			opts.NoCreate = true
			if _, err := store.Open(ctx, opts); !errors.Is(err, store.ErrNoStore) {
				t.Fatalf("open of a missing store with NoCreate: %v, want ErrNoStore", err)
			}
			if d == store.SQLite {
				if _, err := os.Stat(filepath.Dir(opts.SQLitePath)); !os.IsNotExist(err) {
					t.Fatalf("NoCreate left a directory or file behind: %v", err)
				}
			}
			opts.NoCreate = false
			st, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			newMember(t, st, "first")
			st.Close()
			opts.NoCreate = true
			st, err = store.Open(ctx, opts)
			if err != nil {
				t.Fatalf("open of an existing store with NoCreate: %v", err)
			}
			defer st.Close()
			if n, _ := st.CountMembers(ctx); n != 1 {
				t.Fatalf("members = %d", n)
			}
		})
	}
}

package store_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// holdSnapshot opens a read transaction on the SQLite file from a connection
// of its own, as a slow reader would, and keeps its snapshot until release.
func holdSnapshot(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM members").Scan(&n); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
			db.Close()
		}
	}
	t.Cleanup(release)
	return release
}

// The checkpoint after an erasure waits for readers on a connection of its
// own, holding the write lock only briefly at a time: writes go on while it
// waits, instead of queueing behind it on the one writer connection.
func TestScrubWALDoesNotStallWriters(t *testing.T) {
	opts := storetest.Options(t, store.SQLite)
	st, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := newMember(t, st, "leaving")
	release := holdSnapshot(t, opts.SQLitePath)
	if err := st.EraseMember(ctx, m.ID, "hash of "+m.ID, now(), storetest.NoPairs{}); err != nil {
		t.Fatal(err)
	}
	scrubbed := make(chan error, 1)
	go func() { scrubbed <- st.ScrubWAL(ctx) }()
	// Write, and time every write, until the checkpoint gives up: whenever
	// its goroutine got going, the writes span the whole of its waiting.
	var (
		scrubErr error
		slowest  time.Duration
		writes   int
	)
	start := time.Now()
	for done := false; !done; {
		t0 := time.Now()
		newMember(t, st, fmt.Sprintf("staying-%d", writes))
		slowest, writes = max(slowest, time.Since(t0)), writes+1
		select {
		case scrubErr = <-scrubbed:
			done = true
		default:
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("checkpoint still waiting after 10 s")
		}
	}
	t.Logf("%d writes while the checkpoint waited %v for a reader; the slowest took %v", writes, time.Since(start).Round(time.Millisecond), slowest.Round(time.Millisecond))
	// A write queued behind a checkpoint that holds the lock while it
	// waits would wait out the checkpoint's budget (2 s).
	if slowest > time.Second {
		t.Errorf("a write took %v while the checkpoint waited for a reader", slowest)
	}
	if writes < 5 {
		t.Errorf("only %d writes while the checkpoint waited", writes)
	}
	// The reader never let go: the checkpoint gave up within its budget.
	if scrubErr == nil {
		t.Fatal("checkpoint claims success while a reader held an older snapshot")
	}
	release()
	if err := st.ScrubWAL(ctx); err != nil {
		t.Fatalf("checkpoint with no reader left: %v", err)
	}
	if fi, err := os.Stat(opts.SQLitePath + "-wal"); err == nil && fi.Size() != 0 {
		t.Fatalf("WAL holds %d bytes after a checkpoint", fi.Size())
	}
}

func TestEraseMemberTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMember(t, st, "gone")
		if err := st.EraseMember(ctx, m.ID, "hash of "+m.ID, now(), storetest.NoPairs{}); err != nil {
			t.Fatal(err)
		}
		if err := st.EraseMember(ctx, m.ID, "hash of "+m.ID, now(), storetest.NoPairs{}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second erasure: %v, want ErrNotFound", err)
		}
		// The handle's hash is kept, and only that.
		for hash, want := range map[string]bool{"hash of " + m.ID: true, "hash of someone else": false} {
			if got, err := st.HandleRetired(ctx, hash); err != nil || got != want {
				t.Errorf("HandleRetired(%q) = %v, %v; want %v", hash, got, err, want)
			}
		}
		if err := st.ScrubWAL(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

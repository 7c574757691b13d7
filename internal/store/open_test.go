package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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

// The backup file is 0600 from its first byte, not made with the umask's
// mode and narrowed afterwards.
func TestBackupFileIsPrivateFromTheStart(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	st := storetest.Open(t, store.SQLite)
	// A few MB, so the copy takes long enough to be watched.
	big := make([]byte, 64<<10)
	for i := 0; i < 80; i++ {
		big[0] = byte(i)
		if _, err := st.PutSecretIfAbsent(ctx, "filler-"+string(rune('A'+i)), big, now()); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	var seenOpen atomic.Bool
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if fi, err := os.Stat(out); err == nil && fi.Mode().Perm()&0o077 != 0 {
				seenOpen.Store(true)
			}
			time.Sleep(10 * time.Microsecond)
		}
	}()
	err := st.Backup(ctx, out)
	close(stop)
	<-watched
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || seenOpen.Load() {
		t.Fatalf("backup mode %v (seen open to others while written: %v), want 0600 throughout", fi.Mode().Perm(), seenOpen.Load())
	}
	if err := st.Backup(ctx, out); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	if fi2, _ := os.Stat(out); fi2.Size() != fi.Size() {
		t.Fatal("a refused backup changed the existing file")
	}
}

// TestSQLiteConnectionsKeepOnePlan: every SQLite connection the store opens
// runs with the query planner stability guarantee, so no statement is
// parsed and planned again on each run (see stableplans.go).
func TestSQLiteConnectionsKeepOnePlan(t *testing.T) {
	before := store.StablePlanConns()
	st := storetest.Open(t, store.SQLite)
	if err := st.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := store.StablePlanConns() - before; got < 2 {
		t.Fatalf("%d connections got the guarantee, want the writer and at least one reader", got)
	}
}

// TestReadsPassTheAdmissionPoint: a read that goes around the admission
// point is refused on both stores, so none can: every read the rest of the
// suite makes came through it.
func TestReadsPassTheAdmissionPoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		if err := st.ReadAroundTheGate(t.Context()); !errors.Is(err, store.ErrNotAdmitted) {
			t.Fatalf("a read around the admission point: %v, want it refused", err)
		}
		if _, err := st.CountMembers(t.Context()); err != nil {
			t.Fatalf("a read through it: %v", err)
		}
	})
}

// TestReaderTurnsAreGivenBack: every read gives its turn back, found or
// not, failed or cancelled; one kept would starve the server in the end.
func TestReaderTurnsAreGivenBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		// A turn kept would make later reads wait: bounded, so that shows
		// as an error rather than a hang.
		ctx, stop := context.WithTimeout(t.Context(), 10*time.Second)
		defer stop()
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		for range 3 * 32 { // more reads than any pool has turns
			if _, err := st.GetStoryView(ctx, "no-such-story", "nobody", false); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("missing story: %v", err)
			}
			if _, err := st.ListReplyViews(ctx, store.FindReplies{StoryID: "no-such-story", Limit: 5}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.LiveSession(cancelled, "no-such-session", "", time.Now(), time.Now()); !errors.Is(err, context.Canceled) {
				t.Fatalf("a cancelled read: %v, want context.Canceled", err)
			}
			if _, err := st.ListQueue(cancelled, store.FindQueue{Limit: 5}); !errors.Is(err, context.Canceled) {
				t.Fatalf("a cancelled list: %v, want context.Canceled", err)
			}
		}
		if n := st.ReadersInUse(); n != 0 {
			t.Fatalf("%d reader turns still taken after every read ended", n)
		}
	})
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hearth/internal/seal"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

var ctx = context.Background()

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func newMember(t *testing.T, st *store.Store, handle string) *store.Member {
	t.Helper()
	m := &store.Member{ID: store.NewID(), Handle: handle, Role: "member", PasswordHash: "h", Status: store.StatusActive, CreatedAt: now()}
	if err := st.CreateMember(ctx, m, []string{"c0", "c1"}, nil); err != nil {
		t.Fatalf("create member: %v", err)
	}
	return m
}

func TestMigrationsRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		v, err := st.AppliedMigrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(v) == 0 || v[0] != 1 {
			t.Fatalf("applied migrations = %v, want to start at 1", v)
		}
	})
}

func TestMigrationsRunOnce(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			opts := storetest.Options(t, d)
			for i := 0; i < 2; i++ {
				st, err := store.Open(ctx, opts)
				if err != nil {
					t.Fatalf("open #%d: %v", i+1, err)
				}
				if i == 0 {
					newMember(t, st, "kept")
				}
				v, _ := st.AppliedMigrations(ctx)
				if i == 1 {
					h := "kept"
					if _, err := st.GetMember(ctx, store.FindMember{Handle: &h}); err != nil {
						t.Fatalf("reopening lost data: %v", err)
					}
					if len(v) != len(store.Migrations()) {
						t.Fatalf("applied %v, want %d migrations", v, len(store.Migrations()))
					}
				}
				st.Close()
			}
		})
	}
}

// TestSQLiteDurabilitySettings: the writer runs with the settings that
// keep acknowledged writes and keep erased text off the disk, and keeps
// its savepoints' journal in memory (temp_store 2, MEMORY).
func TestSQLiteDurabilitySettings(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	got := st.SQLitePragmas(ctx)
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000", "secure_delete": "1", "temp_store": "2"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("PRAGMA %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestMemberHandleUnique(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		newMember(t, st, "river")
		m := &store.Member{ID: store.NewID(), Handle: "river", Role: "member", PasswordHash: "h", Status: store.StatusActive, CreatedAt: now()}
		if err := st.CreateMember(ctx, m, []string{"x"}, nil); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second member with one handle: %v, want ErrConflict", err)
		}
		// The failed insert left nothing behind: not the member, not its codes.
		if _, err := st.GetMember(ctx, store.FindMember{ID: &m.ID}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("half-created member: %v", err)
		}
		if codes, _ := st.RecoveryCodes(ctx, m.ID); len(codes) != 0 {
			t.Fatalf("orphan recovery codes: %d", len(codes))
		}
	})
}

func TestRefreshRotationAndReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMember(t, st, "fern")
		n := now()
		sess := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: n, LastSeenAt: n, ExpiresAt: n.Add(time.Hour)}
		if err := st.CreateSession(ctx, sess, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LiveSession(ctx, sess.ID, "", now(), n.Add(-time.Hour)); err != nil {
			t.Fatalf("new session not live: %v", err)
		}
		if _, err := st.RotateRefresh(ctx, "h1", "h2", now(), n.Add(-time.Hour)); err != nil {
			t.Fatalf("rotate: %v", err)
		}
		if _, err := st.RotateRefresh(ctx, "nope", "h3", now(), n.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		// Replaying h1 kills the session, so h2 no longer works either.
		if _, err := st.RotateRefresh(ctx, "h1", "h4", now(), n.Add(-time.Hour)); !errors.Is(err, store.ErrTokenSpent) {
			t.Fatalf("replay: %v, want ErrTokenSpent", err)
		}
		if _, err := st.RotateRefresh(ctx, "h2", "h5", now(), n.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("token of a killed session: %v", err)
		}
		if _, err := st.LiveSession(ctx, sess.ID, "", now(), n.Add(-time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("killed session still live: %v", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMember(t, st, "moss")
		n := now()
		sess := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: n, LastSeenAt: n, ExpiresAt: n.Add(time.Hour)}
		if err := st.CreateSession(ctx, sess, "a"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.LiveSession(ctx, sess.ID, "", n.Add(2*time.Hour), n); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("past absolute expiry: %v", err)
		}
		if _, err := st.LiveSession(ctx, sess.ID, "", n, n.Add(time.Second)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("idle too long: %v", err)
		}
	})
}

func TestRecoverSpendsCodeOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMember(t, st, "wren")
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = st.Recover(ctx, m.ID, 0, fmt.Sprintf("new%d", i), now())
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrConflict):
				t.Fatalf("recover: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("code spent %d times, want once", ok)
		}
		codes, _ := st.RecoveryCodes(ctx, m.ID)
		if len(codes) != 1 || codes[0].Slot != 1 {
			t.Fatalf("unused codes after recovery = %+v, want only slot 1", codes)
		}
	})
}

// Concurrent writers queue on the one writer connection: none fails with
// "database is locked", and every acknowledged write is there.
func TestConcurrentWritesQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := &store.Member{ID: store.NewID(), Handle: fmt.Sprintf("m%03d", i), Role: "member", PasswordHash: "h", Status: store.StatusActive, CreatedAt: now()}
				errs <- st.CreateMember(ctx, m, []string{"a", "b", "c"}, nil)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent write failed: %v", err)
			}
		}
		if c, _ := st.CountMembers(ctx); c != n {
			t.Fatalf("members = %d, want %d", c, n)
		}
	})
}

// A second process (hearth admin while hearth serve runs) writes to the same
// file; busy_timeout makes it wait instead of failing.
func TestTwoProcessesShareSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	a, err := store.Open(ctx, store.Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(ctx, store.Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	for i, st := range []*store.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 30; j++ {
				m := &store.Member{ID: store.NewID(), Handle: fmt.Sprintf("p%d-%02d", i, j), Role: "member", PasswordHash: "h", Status: store.StatusActive, CreatedAt: now()}
				if err := st.CreateMember(ctx, m, []string{"a"}, nil); err != nil {
					t.Errorf("write from store %d: %v", i, err)
				}
			}
		}()
	}
	wg.Wait()
	if c, _ := a.CountMembers(ctx); c != 60 {
		t.Fatalf("members = %d, want 60", c)
	}
}

func TestIDsSortByCreation(t *testing.T) {
	prev := store.NewID()
	for i := 0; i < 20; i++ {
		time.Sleep(2 * time.Millisecond)
		id := store.NewID()
		if len(id) != 26 || id <= prev {
			t.Fatalf("id %q made after %q does not sort after it", id, prev)
		}
		prev = id
	}
}

func TestSecretFirstWriterWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		v1, err := st.PutSecretIfAbsent(ctx, "k", []byte{1, 2, 3}, now())
		if err != nil {
			t.Fatal(err)
		}
		v2, err := st.PutSecretIfAbsent(ctx, "k", []byte{9}, now())
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.GetSecret(ctx, "k")
		if err != nil || string(v1) != string(got) || string(v2) != string(got) || len(got) != 3 {
			t.Fatalf("secret = %v / %v / %v (%v), want the first value everywhere", v1, v2, got, err)
		}
		if _, err := st.GetSecret(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing secret: %v", err)
		}
	})
}

// One refresh token presented by many requests at once is spent exactly
// once: the losers are replays, never a second new pair.
func TestRefreshSpentOnceUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		m := newMember(t, st, "hazel")
		// Several rounds, each a fresh session, so that a window of a few
		// microseconds between reading and spending the token is hit.
		for round := 0; round < 10; round++ {
			n := now()
			sess := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: n, LastSeenAt: n, ExpiresAt: n.Add(time.Hour)}
			first := fmt.Sprintf("first-%d", round)
			if err := st.CreateSession(ctx, sess, first); err != nil {
				t.Fatal(err)
			}
			const racers = 24
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, racers)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = st.RotateRefresh(ctx, first, fmt.Sprintf("next-%d-%d", round, i), now(), n.Add(-time.Hour))
				}()
			}
			close(start)
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case errors.Is(err, store.ErrTokenSpent), errors.Is(err, store.ErrNotFound):
				default:
					t.Fatalf("rotate: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d of %d concurrent refreshes with one token succeeded, want exactly 1", round, won, racers)
			}
		}
	})
}

// A banned or deleted member's sessions die at once, whatever else forgot to
// revoke them: no request authenticates, no refresh succeeds and no new
// session starts. A suspended member may still sign in and read.
func TestClosedAccountsHaveNoLiveSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, c := range []struct {
			status string
			want   error
		}{
			{store.StatusBanned, store.ErrMemberBanned},
			{store.StatusDeleted, store.ErrNotFound},
			{store.StatusSuspended, nil},
		} {
			t.Run(c.status, func(t *testing.T) {
				m := newMember(t, st, "zombie-"+c.status)
				n := now()
				sess := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: n, LastSeenAt: n, ExpiresAt: n.Add(time.Hour)}
				if err := st.CreateSession(ctx, sess, "r0-"+c.status); err != nil {
					t.Fatal(err)
				}
				if err := st.UpdateMember(ctx, m.ID, store.MemberUpdate{Standing: &store.Standing{Status: c.status}}); err != nil {
					t.Fatal(err)
				}
				_, err := st.LiveSession(ctx, sess.ID, "", now(), n.Add(-time.Hour))
				if c.want == nil && err != nil || c.want != nil && !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("LiveSession: %v", err)
				}
				if _, err := st.RotateRefresh(ctx, "r0-"+c.status, "r1-"+c.status, now(), n.Add(-time.Hour)); !errors.Is(err, c.want) {
					t.Fatalf("RotateRefresh: %v, want %v", err, c.want)
				}
				again := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: n, LastSeenAt: n, ExpiresAt: n.Add(time.Hour)}
				if err := st.CreateSession(ctx, again, "s0-"+c.status); !errors.Is(err, c.want) {
					t.Fatalf("CreateSession: %v, want %v", err, c.want)
				}
			})
		}
	})
}

// Several processes starting at once against one fresh database all come
// up: the first migrates, the others wait for it and find the work done.
func TestConcurrentOpensOfAFreshStore(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			opts := storetest.Options(t, d)
			const n = 6
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, n)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					st, err := store.Open(ctx, opts)
					if err == nil {
						st.Close()
					}
					errs[i] = err
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("open #%d: %v", i, err)
				}
			}
			st, err := store.Open(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if v, _ := st.AppliedMigrations(ctx); len(v) != len(store.Migrations()) {
				t.Fatalf("applied %v, want %d migrations once each", v, len(store.Migrations()))
			}
		})
	}
}

func TestWrappedKeyIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		kr, err := seal.OpenKeyring(t.TempDir(), "", true)
		if err != nil {
			t.Fatal(err)
		}
		sealer := seal.NewSealer(kr, st, 10)
		for _, h := range []string{"one", "two"} {
			id, wrapped, err := sealer.NewDataKey()
			if err != nil {
				t.Fatal(err)
			}
			m := &store.Member{ID: store.NewID(), Handle: h, Role: "member", PasswordHash: "h", Status: store.StatusActive, CreatedAt: now()}
			if err := st.CreateMember(ctx, m, nil, &store.DataKey{ID: id, Wrapped: wrapped, CreatedAt: now()}); err != nil {
				t.Fatal(err)
			}
		}
		blob, _ := kr.Wrap([]byte("secret"), []byte("aad"))
		if _, err := st.PutSecretIfAbsent(ctx, "s", blob, now()); err != nil {
			t.Fatal(err)
		}
		got, err := st.WrappedKeyIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[kr.CurrentID()] != 3 {
			t.Fatalf("wrapped per key = %v, want 3 under %s", got, kr.CurrentID())
		}
		if _, err := st.PutSecretIfAbsent(ctx, "junk", []byte{9, 9}, now()); err != nil {
			t.Fatal(err)
		}
		if _, err := st.WrappedKeyIDs(ctx); err == nil {
			t.Fatal("a blob naming no key was counted as nothing")
		}
	})
}

package auth

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// When the erased pages cannot leave the WAL at once (a reader holds an
// older snapshot), the erasure still succeeds, the cached data key is
// forgotten, and the delay is logged without naming anyone.
func TestEraseWithBusyWAL(t *testing.T) {
	s := newTestService(t, store.SQLite, 2)
	p, keyID := s.signUp(t, "reed-warbler")
	db, err := sql.Open("sqlite3", "file:"+s.opts.SQLitePath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reader, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRow("SELECT count(*) FROM members").Scan(&n); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Erase(context.Background(), p, svcPassword); err != nil {
		t.Fatalf("erase with a busy WAL: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("erase took %v", d)
	}
	if !slices.Contains(s.keys.Forgotten(), keyID) {
		t.Fatal("the erased member's data key is still cached")
	}
	logs := s.logs.String()
	if !strings.Contains(logs, "WAL") || strings.Contains(logs, "reed-warbler") || strings.Contains(logs, p.MemberID) {
		t.Fatalf("log = %q; want the delay noted and nobody named", logs)
	}
	reader.Rollback()
	if err := s.st.ScrubWAL(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A client that hangs up right after the erasure commits does not stop the
// erased pages from leaving the WAL.
func TestEraseSurvivesHangUp(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			s := newTestService(t, d, 2)
			p, keyID := s.signUp(t, "curlew")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.keys.onForget = cancel // runs right after the commit
			if err := s.Erase(ctx, p, svcPassword); err != nil {
				t.Fatalf("erase: %v", err)
			}
			if !slices.Contains(s.keys.Forgotten(), keyID) {
				t.Fatal("data key not forgotten")
			}
			if logs := s.logs.String(); strings.Contains(logs, "WAL") {
				t.Fatalf("checkpoint failed after the hang-up: %s", logs)
			}
			if d == store.SQLite {
				if fi, err := os.Stat(s.opts.SQLitePath + "-wal"); err == nil && fi.Size() != 0 {
					t.Fatalf("WAL holds %d bytes after the erasure", fi.Size())
				}
			}
		})
	}
}

// Two erasures of one account at once (two tabs): one succeeds, the other
// is told the session has ended, never a 500.
func TestConcurrentErase(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			s := newTestService(t, d, 8)
			p, _ := s.signUp(t, "twin-tabs")
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = s.Erase(context.Background(), p, svcPassword)
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
					continue
				}
				if e, isApp := apperr.As(err); !isApp || e.Status != http.StatusUnauthorized {
					t.Fatalf("concurrent erase: %v, want 401", err)
				}
			}
			if ok != 1 {
				t.Fatalf("%d erasures succeeded, want 1", ok)
			}
		})
	}
}

// TestErasedHandleIsNeverGivenOutAgain: after an erasure the handle, in any
// case, is refused to sign-up, to the admin's create-member and to the
// demo as taken, on every store; other handles are not.
func TestErasedHandleIsNeverGivenOutAgain(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			s := newTestService(t, dialect, 2)
			ctx := context.Background()
			p, _ := s.signUp(t, "quiet-heron")
			if err := s.Erase(ctx, p, svcPassword); err != nil {
				t.Fatal(err)
			}
			for name, try := range map[string]func() error{
				"register":      func() error { _, _, err := s.Register(ctx, "Quiet-Heron", svcPassword); return err },
				"create member": func() error { _, _, err := s.CreateMember(ctx, "quiet-heron", svcPassword, "moderator"); return err },
				"demo": func() error {
					_, err := s.CreateDemoMembers(ctx, svcPassword, []Account{{"QUIET-HERON", "member"}})
					return err
				},
			} {
				if err := try(); err != ErrHandleTaken {
					t.Errorf("%s with the erased handle: %v, want handle_taken", name, err)
				}
			}
			if _, _, err := s.Register(ctx, "quiet-heron2", svcPassword); err != nil {
				t.Errorf("another handle: %v", err)
			}
		})
	}
}

package auth

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"hearth/internal/apperr"
	"hearth/internal/store"
)

// Many wrong passwords for one handle at once get no more hashes than the
// per-handle cap: each takes its slot before hashing, not after.
func TestFailedSignInsCappedUnderConcurrency(t *testing.T) {
	s := newTestService(t, store.SQLite, 8)
	// Hashes slow enough (a few ms) that the guesses overlap for real.
	s.hasher = NewHasher(Params{Memory: 4 * 1024, Time: 1, Threads: 1}, 8, 64)
	s.signUp(t, "besieged")
	const attempts = 4 * failedPerHandle
	var wg sync.WaitGroup
	start := make(chan struct{})
	codes := make([]string, attempts)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.Login(context.Background(), "besieged", fmt.Sprintf("wrong passphrase number %d", i))
			codes[i] = codeOf(err)
		}()
	}
	close(start)
	wg.Wait()
	counted := map[string]int{}
	for _, c := range codes {
		counted[c]++
	}
	if counted["invalid_credentials"] > failedPerHandle || counted["invalid_credentials"]+counted["rate_limited"] != attempts {
		t.Fatalf("outcomes %v: more than %d guesses were checked", counted, failedPerHandle)
	}
	// The right password waits too now; another handle does not.
	if _, err := s.Login(context.Background(), "besieged", svcPassword); codeOf(err) != "rate_limited" {
		t.Fatalf("right password after the cap: %v", err)
	}
}

// Successful sign-ins give their slot back: they never lock anyone out.
func TestSuccessfulSignInsAreNotCounted(t *testing.T) {
	s := newTestService(t, store.SQLite, 2)
	s.signUp(t, "regular")
	for i := 0; i < 3*failedPerHandle; i++ {
		if _, err := s.Login(context.Background(), "regular", svcPassword); err != nil {
			t.Fatalf("sign-in %d: %v", i+1, err)
		}
	}
	// Nor do requests refused before any guess was checked.
	for i := 0; i < 3*failedPerHandle; i++ {
		_, err := s.Recover(context.Background(), "regular", "whatever", "short")
		if e, ok := apperr.As(err); !ok || e.Status != http.StatusBadRequest {
			t.Fatalf("recover with a short new password: %v", err)
		}
	}
	if _, err := s.Login(context.Background(), "regular", svcPassword); err != nil {
		t.Fatalf("sign-in after refused recoveries: %v", err)
	}
}

package auth

import (
	"context"
	"fmt"
	"hearth/internal/apperr/apperrtest"
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
			_, err := s.Login(context.Background(), "besieged", fmt.Sprintf("wrong passphrase number %d", i), nil)
			codes[i] = apperrtest.Code(err)
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
	if _, err := s.Login(context.Background(), "besieged", svcPassword, nil); apperrtest.Code(err) != "rate_limited" {
		t.Fatalf("right password after the cap: %v", err)
	}
}

// Successful sign-ins give their slot back: they never lock anyone out.
func TestSuccessfulSignInsAreNotCounted(t *testing.T) {
	s := newTestService(t, store.SQLite, 2)
	s.signUp(t, "regular")
	for i := 0; i < 3*failedPerHandle; i++ {
		if _, err := s.Login(context.Background(), "regular", svcPassword, nil); err != nil {
			t.Fatalf("sign-in %d: %v", i+1, err)
		}
	}
	// Nor do requests refused before any guess was checked.
	for i := 0; i < 3*failedPerHandle; i++ {
		_, err := s.Recover(context.Background(), "regular", "whatever", "short", nil)
		if e, ok := apperr.As(err); !ok || e.Status != http.StatusBadRequest {
			t.Fatalf("recover with a short new password: %v", err)
		}
	}
	if _, err := s.Login(context.Background(), "regular", svcPassword, nil); err != nil {
		t.Fatalf("sign-in after refused recoveries: %v", err)
	}
}

// A browser that signed in to a handle before is not held back by others'
// failures on it, but its own failures still count, against its own limit.
func TestDeviceCookieKeepsTheOwnerIn(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, store.SQLite, 2)
	s.signUp(t, "dawnrider")
	g, err := s.Login(ctx, "dawnrider", svcPassword, nil)
	if err != nil || g.Device == nil {
		t.Fatalf("sign-in: %v, device %v", err, g)
	}
	mine := []string{"not-a-cookie", g.Device.Value}
	for i := 0; i < 5*failedPerHandle; i++ {
		s.Login(ctx, "dawnrider", fmt.Sprintf("an attacker's guess %d", i), nil)
	}
	if _, err := s.Login(ctx, "dawnrider", svcPassword, nil); apperrtest.Code(err) != "rate_limited" {
		t.Fatalf("from a new browser after the attack: %v, want rate_limited", err)
	}
	if _, err := s.Login(ctx, "dawnrider", svcPassword, mine); err != nil {
		t.Fatalf("the owner's browser after the attack: %v", err)
	}
	if _, err := s.Recover(ctx, "dawnrider", "not a code", "a fresh long passphrase here", mine); apperrtest.Code(err) != "invalid_recovery" {
		t.Fatalf("recovery from the owner's browser: %v, want invalid_recovery (not held back)", err)
	}
	// Another handle's cookie, or a forged one, counts for nothing.
	s.signUp(t, "neighbour")
	other, err := s.Login(ctx, "neighbour", svcPassword, nil)
	if err != nil {
		t.Fatal(err)
	}
	forged := g.Device.Value[:len(g.Device.Value)-2] + "AA"
	for _, v := range []string{other.Device.Value, forged} {
		if _, err := s.Login(ctx, "dawnrider", svcPassword, []string{v}); apperrtest.Code(err) != "rate_limited" {
			t.Fatalf("with cookie %q: %v, want rate_limited", v, err)
		}
	}
	// The device's own failures are limited like anyone's.
	for i := 0; i < failedPerHandle; i++ {
		s.Login(ctx, "dawnrider", fmt.Sprintf("the owner mistypes %d", i), mine)
	}
	if _, err := s.Login(ctx, "dawnrider", svcPassword, mine); apperrtest.Code(err) != "rate_limited" {
		t.Fatalf("after the device's own failures: %v, want rate_limited", err)
	}
}

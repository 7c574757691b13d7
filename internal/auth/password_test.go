package auth

import (
	"context"
	"errors"
	"hearth/internal/apperr/apperrtest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testParams keep tests quick under the race detector; the production
// parameters are checked on their own below.
var testParams = Params{Memory: 64, Time: 1, Threads: 1}

func TestDefaultParamsMeetOWASP(t *testing.T) {
	if DefaultParams.Memory < 19*1024 || DefaultParams.Time < 2 || DefaultParams.Threads < 1 {
		t.Fatalf("DefaultParams %+v are weaker than m=19 MiB, t=2, p=1", DefaultParams)
	}
	h := NewHasher(DefaultParams, 1, 1)
	phc, err := h.Hash(context.Background(), "a long enough passphrase here")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("PHC string %q does not record the parameters", phc)
	}
	ok, err := h.Verify(context.Background(), "a long enough passphrase here", phc)
	if err != nil || !ok {
		t.Fatalf("verify with production parameters: %v %v", ok, err)
	}
}

func TestHashVerify(t *testing.T) {
	h := NewHasher(testParams, 2, 2)
	ctx := context.Background()
	a, err := h.Hash(ctx, "correct pony staple battery")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := h.Hash(ctx, "correct pony staple battery")
	if a == b {
		t.Fatal("two hashes of one password are equal: salts are not random")
	}
	for pw, want := range map[string]bool{"correct pony staple battery": true, "correct pony staple batterY": false, "": false} {
		ok, err := h.Verify(ctx, pw, a)
		if err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// Parameters come from the stored hash, not the hasher: an old hash
	// still verifies after the defaults are raised.
	stronger := NewHasher(Params{Memory: 128, Time: 2, Threads: 1}, 1, 1)
	if ok, _ := stronger.Verify(ctx, "correct pony staple battery", a); !ok {
		t.Fatal("a hash made with other parameters no longer verifies")
	}
}

func TestUnicodeNormalised(t *testing.T) {
	h := NewHasher(testParams, 1, 1)
	composed := "café au lait every morning"
	decomposed := "cafe\u0301 au lait every morning"
	phc, _ := h.Hash(context.Background(), composed)
	if ok, _ := h.Verify(context.Background(), decomposed, phc); !ok {
		t.Fatal("the same passphrase typed with a combining accent does not match")
	}
}

func TestMalformedHashes(t *testing.T) {
	h := NewHasher(testParams, 1, 1)
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=0,t=0,p=0$$", "plain", "$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, err := h.Verify(context.Background(), "x", bad); !errors.Is(err, errBadHash) {
			t.Errorf("Verify against %q: %v, want errBadHash", bad, err)
		}
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(Params{Memory: 8 * 1024, Time: 4, Threads: 1}, 1, 2)
	h.maxWait = 10 * time.Second
	var wg sync.WaitGroup
	var mu sync.Mutex
	busy, done := 0, 0
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := h.Hash(context.Background(), "some passphrase to hash")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrBusy):
				busy++
			case err == nil:
				done++
			default:
				t.Errorf("hash: %v", err)
			}
		}()
	}
	wg.Wait()
	// One slot and a queue of two: at least one runs, and at most three
	// can be in or waiting when the others arrive, so most are turned away.
	if done < 1 || busy < 1 || done+busy != 12 {
		t.Fatalf("done=%d busy=%d; want some refused with ErrBusy", done, busy)
	}
}

func TestRecoveryCodesShareOneComputation(t *testing.T) {
	h := NewHasher(testParams, 1, 1)
	ctx := context.Background()
	codes := []string{newRecoveryCode(), newRecoveryCode(), newRecoveryCode()}
	hashes, err := h.HashCodes(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		got, err := h.MatchCode(ctx, strings.ToUpper(strings.ReplaceAll(c, "-", " ")), hashes)
		if err != nil || got != i {
			t.Fatalf("MatchCode(code %d typed in capitals with spaces) = %d, %v", i, got, err)
		}
	}
	if got, _ := h.MatchCode(ctx, "aaaaa-bbbbb-ccccc-ddddd", hashes); got != -1 {
		t.Fatalf("a wrong code matched slot %d", got)
	}
}

func TestRecoveryCodeShape(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c := newRecoveryCode()
		if len(c) != 23 || strings.Count(c, "-") != 3 || strings.ContainsAny(c, "01ilo") {
			t.Fatalf("code %q is not four groups of five unambiguous characters", c)
		}
		if seen[c] {
			t.Fatalf("code %q repeated", c)
		}
		seen[c] = true
	}
}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		pw, code string
	}{
		{"short", "password_too_short"},
		{"fourteen chars", "password_too_short"},
		{strings.Repeat("x", 257), "password_too_long"},
		{strings.Repeat("é", 257), "password_too_long"},
		{strings.Repeat("ab", 4000), "password_too_long"},
		{"passwordpassword", "password_too_common"},
		{"Correct Horse Battery Staple", "password_too_common"},
		{"aaaaaaaaaaaaaaaaaaaa", "password_too_common"},
		{"abcabcabcabcabcabc", "password_too_common"},
		{"river-dawn-12345", "password_too_common"}, // handle plus a few characters
		{"gentle tide returns slowly", ""},
		{"ünïcödé pässphräse ok", ""},
		{strings.Repeat("wxyz", 64), "password_too_common"},
		{"soft light through the kitchen window", ""},
	}
	for _, c := range cases {
		err := CheckPassword(c.pw, "river-dawn")
		got := ""
		if err != nil {
			got = apperrtest.Code(err)
		}
		if got != c.code {
			t.Errorf("CheckPassword(%.20q…) = %q, want %q", c.pw, got, c.code)
		}
	}
}

func TestCanonicalHandle(t *testing.T) {
	cases := map[string]string{
		"Dawn":                       "dawn",
		"river_stone-7":              "river_stone-7",
		"ab":                         "invalid_handle",
		strings.Repeat("a", 31):      "invalid_handle",
		strings.Repeat("a", 30):      strings.Repeat("a", 30),
		"with space":                 "invalid_handle",
		"tab\there":                  "invalid_handle",
		"zero\x00byte":               "invalid_handle",
		"émile":                      "invalid_handle",
		"ADMIN":                      "handle_reserved",
		"moderator":                  "handle_reserved",
		"hearth":                     "handle_reserved",
		"support":                    "handle_reserved",
		"system":                     "handle_reserved",
		"dot.name":                   "invalid_handle",
		"\u212Aelvin":                "invalid_handle", // Kelvin sign lower-cases to k
		"\u0130stanbul":              "invalid_handle",
		"\u0430dmin" /* Cyrillic */ : "invalid_handle",
	}
	for in, want := range cases {
		got, err := CanonicalHandle(in)
		if err != nil {
			got = apperrtest.Code(err)
		}
		if got != want {
			t.Errorf("CanonicalHandle(%q) = %q, want %q", in, got, want)
		}
	}
}

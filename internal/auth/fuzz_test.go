package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"hearth/internal/apperr"
)

// FuzzTokensParse: whatever a client sends as a bearer token, Parse never
// panics, and what it accepts is an access token signed with our key by
// HS256, naming a member and a session.
func FuzzTokensParse(f *testing.F) {
	tok, err := NewTokens(testKey)
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	issued, _ := tok.Issue("m1", "s1", now)
	parts := strings.Split(issued, ".")
	f.Add(issued)
	f.Add(parts[0] + "." + parts[1] + ".")
	f.Add(parts[0] + "." + parts[1])
	f.Add(issued + "." + parts[2])
	f.Add(`eyJhbGciOiJub25lIn0.` + parts[1] + ".")
	f.Add("")
	f.Add("....")
	f.Add(newRefreshToken())
	f.Add(strings.Repeat("A", 5000))
	f.Fuzz(func(t *testing.T, token string) {
		member, session, err := tok.Parse(token)
		if err != nil {
			if member != "" || session != "" {
				t.Fatal("a refused token still named a member or session")
			}
			return
		}
		if member == "" || session == "" || len(token) > maxTokenLength {
			t.Fatalf("accepted token with member %q session %q length %d", member, session, len(token))
		}
		seg := strings.Split(token, ".")
		if len(seg) != 3 {
			t.Fatalf("accepted a token of %d segments", len(seg))
		}
		mac := hmac.New(sha256.New, testKey)
		mac.Write([]byte(seg[0] + "." + seg[1]))
		sig, err := base64.RawURLEncoding.DecodeString(seg[2])
		if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
			t.Fatal("accepted a token not signed with our key by HMAC-SHA256")
		}
		var header struct{ Alg string }
		if b, err := base64.RawURLEncoding.DecodeString(seg[0]); err != nil || json.Unmarshal(b, &header) != nil || header.Alg != "HS256" {
			t.Fatalf("accepted a token whose header is not alg HS256: %v", err)
		}
	})
}

// FuzzDecodePHC: a stored hash, whatever its bytes, never panics the
// decoder; what it accepts has bounded costs (so one bad row cannot ask for
// terabytes of memory) and is in the one canonical form encodePHC writes.
func FuzzDecodePHC(f *testing.F) {
	h := NewHasher(testParams, 1, 1)
	good, err := h.Hash(context.Background(), "seed passphrase for the fuzzer")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=4294967295,t=4294967295,p=255$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("x$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2id$v=19$m=64,t=1,p=1junk$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := decodePHC(s)
		if err != nil {
			return
		}
		if p.Time < 1 || p.Time > maxTime || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
			t.Fatalf("accepted parameters %+v", p)
		}
		if len(salt) < minSaltLen || len(salt) > maxSaltLen || len(key) < minKeyLen || len(key) > maxKeyLen {
			t.Fatalf("accepted a salt of %d and a key of %d bytes", len(salt), len(key))
		}
		if again := encodePHC(p, salt, key); again != s {
			t.Fatalf("accepted %q, which is not canonical (%q)", s, again)
		}
	})
}

// FuzzCanonicalHandle: a handle is accepted only in the contract's
// alphabet and length, comes back lower-cased as it was typed, is never
// reserved, and canonicalising it again changes nothing.
func FuzzCanonicalHandle(f *testing.F) {
	for _, s := range []string{"Quiet_River", "ab", "admin", "ADMIN", "\u212aelvin", "İstanbul", "two words", "a-b_c", strings.Repeat("x", 31), "bell\a", "x\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h, err := CanonicalHandle(in)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Status != http.StatusBadRequest || (e.Code != "invalid_handle" && e.Code != "handle_reserved") {
				t.Fatalf("CanonicalHandle(%q) error %v", in, err)
			}
			return
		}
		if len(h) < HandleMin || len(h) > HandleMax || reserved[h] || h != strings.ToLower(in) {
			t.Fatalf("CanonicalHandle(%q) = %q", in, h)
		}
		for i := 0; i < len(h); i++ {
			if c := h[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				t.Fatalf("CanonicalHandle(%q) = %q holds %q", in, h, c)
			}
		}
		if again, err := CanonicalHandle(h); err != nil || again != h {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", in, h, again, err)
		}
	})
}

// FuzzCheckPassword: the password rules never panic, and each password gets
// exactly the answer the contract's rules give it, worked out here without
// CheckPassword's own helpers: the common list is read from the file on
// disk, and case, spaces and repetition are judged by code of the test's own.
// A rule that refused everything, or nothing, fails.
func FuzzCheckPassword(f *testing.F) {
	common := commonListFromDisk(f)
	seeds := []string{"a calm harbour at dusk", "passwordpassword", "Correct Horse Battery Staple", "abcabcabcabcabcabc", "short",
		strings.Repeat("é", 256), strings.Repeat("é", 257), strings.Repeat("x", 2000), "river river river river", "river-dawn-12345",
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1", "PASSWORD password", "1q2w3e4r5t6y7u8i9o0p"}
	for _, s := range seeds {
		f.Add(s, "river")
	}
	f.Fuzz(func(t *testing.T, pw, handle string) {
		want := passwordVerdict(common, pw, handle)
		code := ""
		if err := CheckPassword(pw, handle); err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Status != http.StatusBadRequest {
				t.Fatalf("CheckPassword(%q, %q) error %v, want a 400", pw, handle, err)
			}
			code = e.Code
		}
		if code != want {
			t.Fatalf("CheckPassword(%q, %q) = %q, want %q", pw, handle, code, want)
		}
	})
}

// passwordVerdict is the code the contract's password rules give pw ("" for
// none): at most 256 characters (and, so that nothing oversized is hashed,
// 1,024 bytes), at least 15, not in the common list and not a unit of 1 to
// 4 bytes repeated, compared without case or white space; and not the
// handle with fewer than 8 characters added.
func passwordVerdict(common map[string]bool, pw, handle string) string {
	runes := 0
	for range pw {
		runes++
	}
	switch {
	case len(pw) > 4*256 || runes > 256:
		return "password_too_long"
	case runes < 15:
		return "password_too_short"
	}
	var b strings.Builder
	for _, r := range pw {
		if !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	folded := strings.ToLower(b.String())
	periodic := false
	for unit := 1; unit <= 4 && unit < len(folded); unit++ {
		same := true
		for i := unit; i < len(folded) && same; i++ {
			same = folded[i] == folded[i-unit]
		}
		periodic = periodic || same
	}
	h := strings.ToLower(handle)
	if common[folded] || periodic || (h != "" && strings.Contains(folded, h) && len(folded) < len(h)+8) {
		return "password_too_common"
	}
	return ""
}

// commonListFromDisk reads common_passwords.txt itself, not the copy the
// package embeds and folds, as lower case without white space.
func commonListFromDisk(f *testing.F) map[string]bool {
	raw, err := os.ReadFile("common_passwords.txt")
	if err != nil {
		f.Fatal(err)
	}
	common := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(line) {
			if !unicode.IsSpace(r) {
				b.WriteRune(r)
			}
		}
		common[b.String()] = true
		// Every entry is refused, however it is typed.
		f.Add(strings.ToUpper(line), "")
		f.Add(" "+strings.Join(strings.Split(line, ""), " ")+" ", "")
	}
	if len(common) < 50 {
		f.Fatalf("common_passwords.txt holds only %d entries", len(common))
	}
	return common
}

// FuzzVerifyPassword: checking a password against its hash never panics
// and succeeds exactly when the two are the same text (after NFC).
func FuzzVerifyPassword(f *testing.F) {
	h := NewHasher(testParams, 1, 1)
	const real = "café au lait every morning"
	phc, err := h.Hash(context.Background(), real)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{real, "cafe\u0301 au lait every morning", "Café au lait every morning", "", "café au lait every morning ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		ok, err := h.Verify(context.Background(), pw, phc)
		if err != nil {
			t.Fatal(err)
		}
		if want := norm.NFC.String(pw) == norm.NFC.String(real); ok != want {
			t.Fatalf("Verify(%q) = %v, want %v", pw, ok, want)
		}
	})
}

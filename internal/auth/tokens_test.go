package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"hash"
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// forge builds a token by hand so every field can be wrong on purpose.
func forge(t *testing.T, header, claims map[string]any, key []byte, h func() hash.Hash) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(header) + "." + enc(claims)
	if h == nil {
		return signing + "."
	}
	mac := hmac.New(h, key)
	mac.Write([]byte(signing))
	return signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func goodClaims(now time.Time) map[string]any {
	return map[string]any{"iss": issuer, "aud": audience, "sub": "m1", "sid": "s1", "typ": accessType,
		"iat": now.Unix(), "exp": now.Add(AccessTTL).Unix()}
}

// with returns a copy of c with k set to v, or removed when v is nil.
func with(c map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for kk, vv := range c {
		out[kk] = vv
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

func TestTokenAttacks(t *testing.T) {
	tok, err := NewTokens(testKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hs256 := map[string]any{"alg": "HS256", "typ": "JWT"}
	good := goodClaims(now)
	issued, _ := tok.Issue("m1", "s1", now)
	parts := strings.Split(issued, ".")
	sig := []byte(parts[2])
	sig[3] ^= 0x01
	flipped := parts[0] + "." + parts[1] + "." + string(sig)

	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"issued token", issued, true},
		{"hand-made valid token", forge(t, hs256, good, testKey, sha256.New), true},
		{"within leeway after expiry", forge(t, hs256, with(good, "exp", now.Add(-20*time.Second).Unix()), testKey, sha256.New), true},
		{"alg none", forge(t, map[string]any{"alg": "none", "typ": "JWT"}, good, nil, nil), false},
		{"alg None", forge(t, map[string]any{"alg": "None", "typ": "JWT"}, good, nil, nil), false},
		{"alg NONE", forge(t, map[string]any{"alg": "NONE", "typ": "JWT"}, good, nil, nil), false},
		{"alg nOnE", forge(t, map[string]any{"alg": "nOnE", "typ": "JWT"}, good, nil, nil), false},
		{"alg none with signature", forge(t, map[string]any{"alg": "none"}, good, testKey, sha256.New), false},
		{"alg HS512", forge(t, map[string]any{"alg": "HS512"}, good, testKey, sha512.New), false},
		{"alg RS256 signed with the HMAC key", forge(t, map[string]any{"alg": "RS256"}, good, testKey, sha256.New), false},
		{"wrong key", forge(t, hs256, good, []byte("another key of thirty-two bytes!"), sha256.New), false},
		{"missing exp", forge(t, hs256, with(good, "exp", nil), testKey, sha256.New), false},
		{"expired", forge(t, hs256, with(good, "exp", now.Add(-time.Minute).Unix()), testKey, sha256.New), false},
		{"lives an hour", forge(t, hs256, with(good, "exp", now.Add(time.Hour).Unix()), testKey, sha256.New), false},
		{"lives a year, issued long ago", forge(t, hs256, with(with(good, "iat", now.Add(-300*24*time.Hour).Unix()), "exp", now.Add(65*24*time.Hour).Unix()), testKey, sha256.New), false},
		{"lives exactly 15 minutes", forge(t, hs256, with(with(good, "iat", now.Add(-time.Minute).Unix()), "exp", now.Add(14*time.Minute).Unix()), testKey, sha256.New), true},
		{"iat in the future", forge(t, hs256, with(good, "iat", now.Add(5*time.Minute).Unix()), testKey, sha256.New), false},
		{"missing iat", forge(t, hs256, with(good, "iat", nil), testKey, sha256.New), false},
		{"wrong aud", forge(t, hs256, with(good, "aud", "someone-else"), testKey, sha256.New), false},
		{"missing aud", forge(t, hs256, with(good, "aud", nil), testKey, sha256.New), false},
		{"wrong iss", forge(t, hs256, with(good, "iss", "evil"), testKey, sha256.New), false},
		{"refresh typ", forge(t, hs256, with(good, "typ", "refresh"), testKey, sha256.New), false},
		{"missing typ", forge(t, hs256, with(good, "typ", nil), testKey, sha256.New), false},
		{"missing sid", forge(t, hs256, with(good, "sid", nil), testKey, sha256.New), false},
		{"missing sub", forge(t, hs256, with(good, "sub", nil), testKey, sha256.New), false},
		{"opaque refresh token", newRefreshToken(), false},
		{"flipped signature", flipped, false},
		{"two segments", parts[0] + "." + parts[1], false},
		{"four segments", issued + "." + parts[2], false},
		{"empty", "", false},
		{"1 MB bearer", strings.Repeat("a", 1<<20), false},
		{"1 MB valid-looking", parts[0] + "." + strings.Repeat("A", 1<<20) + "." + parts[2], false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, s, err := tok.Parse(c.token)
			if c.ok && (err != nil || m != "m1" || s != "s1") {
				t.Fatalf("valid token refused: %v", err)
			}
			if !c.ok && err == nil {
				t.Fatalf("attack accepted: member %q session %q", m, s)
			}
		})
	}
}

func TestShortSigningKeyRefused(t *testing.T) {
	if _, err := NewTokens(make([]byte, 31)); err == nil {
		t.Fatal("a 248-bit signing key was accepted")
	}
}

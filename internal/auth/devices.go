package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Devices makes and checks device cookies, as OWASP describes them for
// slowing online guessing without locking anyone out: a browser that has
// signed in to a handle carries a cookie that proves it, and its failed
// attempts count against a limit of that cookie's own, apart from the
// handle's. Anyone guessing a handle from elsewhere is slowed down by the
// handle's limit; its owner, from a browser they used before, is not.
//
// A cookie is a random nonce and an HMAC of the handle and the nonce under
// a server secret (stored wrapped by the master key, like the signing
// key). Nothing about it is stored: the server recognises its own MAC. Its
// name comes from a MAC of the handle too, so one browser keeps a cookie
// per handle, and the handle itself is in no cookie.
//
// What it does not protect against: someone who has the owner's browser
// (or a copy of its cookies) guesses with the owner's allowance; a browser
// that never signed in, or whose cookies were cleared, waits like anyone.
type Devices struct {
	key []byte
}

// DeviceCookie is a device cookie to set: its name and value.
type DeviceCookie struct {
	Name, Value string
	MaxAge      time.Duration
}

const (
	deviceSecret = "device-cookie-key"
	// DeviceCookiePrefix starts every device cookie's name.
	DeviceCookiePrefix = "hearth_device_"
	// DeviceTTL is how long a browser stays known without signing in.
	DeviceTTL = 180 * 24 * time.Hour
	// maxDeviceCookies bounds how many cookies one attempt looks at.
	maxDeviceCookies = 16
)

// LoadDevices reads the device-cookie key, making it on first start.
func LoadDevices(ctx context.Context, st *store.Store, w Wrapper) (*Devices, error) {
	key, err := LoadSecret(ctx, st, w, deviceSecret)
	if err != nil {
		return nil, err
	}
	return &Devices{key: key}, nil
}

func (d *Devices) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte("hearth device v1"))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)[:16]
}

// cookieName is the name of handle's cookie.
func (d *Devices) cookieName(handle string) string {
	return DeviceCookiePrefix + hex.EncodeToString(d.mac("name", handle)[:8])
}

// issue makes a new device cookie for handle (canonical), for a browser
// that has just proved it knows the handle's secret.
func (d *Devices) issue(handle string) *DeviceCookie {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	n := base64.RawURLEncoding.EncodeToString(nonce)
	v := n + "." + base64.RawURLEncoding.EncodeToString(d.mac("cookie", handle, n))
	return &DeviceCookie{Name: d.cookieName(handle), Value: v, MaxAge: DeviceTTL}
}

// verify finds, among the values of a browser's device cookies, one made
// for handle, and returns its nonce, the key its failures count under.
func (d *Devices) verify(handle string, values []string) (string, bool) {
	h, err := CanonicalHandle(handle)
	if err != nil {
		return "", false
	}
	for i, v := range values {
		if i == maxDeviceCookies {
			break
		}
		n, sig, ok := strings.Cut(v, ".")
		if !ok {
			continue
		}
		got, err := base64.RawURLEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, d.mac("cookie", h, n)) {
			return n, true
		}
	}
	return "", false
}

// LoadSecret reads a random 256-bit server secret, wrapped by the master
// key, making it on first start: the token-signing key, the device-cookie
// key, and (for internal/app) the key of search's blind index. Every
// process on one store reads the same: the first to make it wins.
// `hearth keys rotate` re-wraps them all, and their values never change.
func LoadSecret(ctx context.Context, st *store.Store, w Wrapper, name string) ([]byte, error) {
	aad := SecretAAD(name)
	blob, err := st.GetSecret(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		wrapped, err := w.Wrap(key, aad)
		if err != nil {
			return nil, err
		}
		if blob, err = st.PutSecretIfAbsent(ctx, name, wrapped, kernel.Now()); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	return w.Unwrap(blob, aad)
}

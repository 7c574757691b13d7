package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Wrapper seals small secrets under the master key.
type Wrapper interface {
	Wrap(plain, aad []byte) ([]byte, error)
	Unwrap(blob, aad []byte) ([]byte, error)
}

const signingSecret = "jwt-signing-key"

// SecretAAD is the additional data a server secret is wrapped with.
func SecretAAD(name string) []byte { return []byte("hearth secret v1:" + name) }

var signingAAD = SecretAAD(signingSecret)

// SigningKeys holds the token-signing key as the store has it. The key is
// random (not derived from the master key) and stored wrapped by it, so
// every process on one database signs alike and a master-key rotation
// signs nobody out. `hearth keys rotate-signing` replaces it in the store;
// each process notices at the next request that presents a session (the
// session check reads the key's version), and from then on every access
// token signed with the old key is refused.
type SigningKeys struct {
	st *store.Store
	w  Wrapper
	// cur is the key in use; mu lets one reload run at a time.
	cur atomic.Pointer[Tokens]
	mu  sync.Mutex
	// checked is when the store was last asked about a token this
	// process could not verify (unix nanoseconds).
	checked atomic.Int64
}

// recheckEvery bounds how often a token this process cannot verify makes it
// ask the store whether the key changed: bad tokens must not become a way
// to load the database.
const recheckEvery = time.Second

// LoadSigningKeys reads the token-signing key, making it on first start.
func LoadSigningKeys(ctx context.Context, st *store.Store, w Wrapper) (*SigningKeys, error) {
	if _, err := LoadSecret(ctx, st, w, signingSecret); err != nil {
		return nil, fmt.Errorf("auth: open the token-signing key (is this the master key the store was made with?): %w", err)
	}
	k := &SigningKeys{st: st, w: w}
	if _, err := k.reload(ctx); err != nil {
		return nil, err
	}
	return k, nil
}

// RotateSigningKey puts a new random token-signing key in the store in
// place of the old one. Every access token dies at once in every process;
// sessions and refresh tokens live on, so clients simply refresh.
func RotateSigningKey(ctx context.Context, st *store.Store, w Wrapper) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	wrapped, err := w.Wrap(key, signingAAD)
	if err != nil {
		return err
	}
	return st.ReplaceSecret(ctx, signingSecret, wrapped, kernel.Now())
}

func (k *SigningKeys) current() *Tokens { return k.cur.Load() }

// reload reads the key from the store and puts it in use.
func (k *SigningKeys) reload(ctx context.Context) (*Tokens, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	blob, version, err := k.st.GetSecretVersion(ctx, signingSecret)
	if err != nil {
		return nil, err
	}
	if t := k.cur.Load(); t != nil && t.version.Equal(version) {
		return t, nil // another request reloaded it meanwhile
	}
	key, err := k.w.Unwrap(blob, signingAAD)
	if err != nil {
		return nil, fmt.Errorf("auth: open the token-signing key (is this the master key the store was made with?): %w", err)
	}
	t, err := NewTokens(key)
	if err != nil {
		return nil, err
	}
	t.version = version
	k.cur.Store(t)
	return t, nil
}

// at returns the key of the version the store names, reloading it when this
// process still has another.
func (k *SigningKeys) at(ctx context.Context, version time.Time) (*Tokens, error) {
	if t := k.current(); t.version.Equal(version) {
		return t, nil
	}
	return k.reload(ctx)
}

// fresh returns the key the store has now, for signing: a process that has
// not served a session since a rotation must not hand out tokens that the
// next request would refuse.
func (k *SigningKeys) fresh(ctx context.Context) (*Tokens, error) {
	version, err := k.st.SecretVersion(ctx, signingSecret)
	if err != nil {
		return nil, err
	}
	return k.at(ctx, version)
}

// recheck is for a token this process could not verify: another process
// may have rotated the key. It asks the store at most once a recheckEvery
// and reports whether the key in use changed.
func (k *SigningKeys) recheck(ctx context.Context) (*Tokens, bool) {
	now := time.Now().UnixNano()
	last := k.checked.Load()
	if now-last < int64(recheckEvery) || !k.checked.CompareAndSwap(last, now) {
		return nil, false
	}
	before := k.current()
	t, err := k.fresh(ctx)
	if err != nil || t == before {
		return nil, false
	}
	return t, true
}

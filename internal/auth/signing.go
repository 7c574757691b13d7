package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

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

// LoadSigningKey returns the token-signing key, making it on first start. It
// is random (not derived from the master key) and stored wrapped by it, so
// every process on one database signs alike and a key rotation does not sign
// everyone out.
func LoadSigningKey(ctx context.Context, st *store.Store, w Wrapper) ([]byte, error) {
	blob, err := st.GetSecret(ctx, signingSecret)
	if errors.Is(err, store.ErrNotFound) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		wrapped, err := w.Wrap(key, signingAAD)
		if err != nil {
			return nil, err
		}
		blob, err = st.PutSecretIfAbsent(ctx, signingSecret, wrapped, Now())
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	key, err := w.Unwrap(blob, signingAAD)
	if err != nil {
		return nil, fmt.Errorf("auth: open the token-signing key (is this the master key the store was made with?): %w", err)
	}
	return key, nil
}

package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"hearth/internal/store"
)

// retiredHandleSecret names the key the handles of erased accounts are
// hashed under.
const retiredHandleSecret = "retired-handle-key"

// RetiredHandles hashes handles for the list of erased accounts' handles,
// which are never given out again: someone who once wrote as "willow"
// must not have a stranger answer to that name later. The store keeps
// only the keyed hash, so a thief of the database cannot test guesses
// against it without the key, which is wrapped by the master key.
type RetiredHandles struct {
	key []byte
}

// LoadRetiredHandles reads (or makes, on first start) the key.
func LoadRetiredHandles(ctx context.Context, st *store.Store, w Wrapper) (*RetiredHandles, error) {
	key, err := LoadSecret(ctx, st, w, retiredHandleSecret)
	if err != nil {
		return nil, err
	}
	return &RetiredHandles{key: key}, nil
}

// hash is the keyed hash of a canonical handle, in hex.
func (r *RetiredHandles) hash(handle string) string {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte("retired handle v1:" + handle))
	return hex.EncodeToString(m.Sum(nil))
}

package seal

import (
	"context"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sync/atomic"

	"golang.org/x/crypto/chacha20poly1305"
)

const (
	sealVersion    byte = 1
	dekIDSize           = 16
	sealHeaderSize      = 1 + dekIDSize
)

// Location names where a sealed value is stored. It is bound into the
// seal, so a value copied to another table, column or row fails to open.
type Location struct {
	Table, Column, RowID string
}

// DataKeyLoader fetches a wrapped data key by id; the store implements it.
// When no key has that id (never made, or erased with its account) the
// error should wrap ErrUnknownKey, so callers can tell an erased author
// from a failing store.
type DataKeyLoader interface {
	WrappedDataKey(ctx context.Context, id string) ([]byte, error)
}

// BatchLoader is a DataKeyLoader that can also fetch many wrapped keys in
// one round trip; Warm uses it so a page by fifty authors costs one query.
type BatchLoader interface {
	WrappedDataKeys(ctx context.Context, ids []string) (map[string][]byte, error)
}

// Stats are counters since the Sealer was made. Opens counts every call,
// OpenFailures those that returned an error.
type Stats struct {
	Seals, Opens, OpenFailures, CacheHits, CacheMisses uint64
}

// Sealer seals and opens member text with per-member data keys. It is safe
// for concurrent use.
type Sealer struct {
	kr     *Keyring
	loader DataKeyLoader
	cache  *dekCache

	seals, opens, openFailures, hits, misses atomic.Uint64
}

// NewSealer returns a Sealer that keeps up to cacheSize unwrapped data keys
// in memory (10,000 when cacheSize < 1).
func NewSealer(kr *Keyring, loader DataKeyLoader, cacheSize int) *Sealer {
	return &Sealer{kr: kr, loader: loader, cache: newDEKCache(cacheSize)}
}

// DataKeyAAD is the additional data a data key is wrapped with; rotation
// needs it to re-wrap.
func DataKeyAAD(id string) []byte {
	return []byte("hearth dek v1:" + id)
}

// NewDataKey makes a random data key and returns its id (32 hex digits) and
// the key wrapped under the current master key, for the caller to store.
func (s *Sealer) NewDataKey() (id string, wrapped []byte, err error) {
	var raw dekID
	randomBytes(raw[:])
	id = hex.EncodeToString(raw[:])
	key := make([]byte, keySize)
	defer clear(key)
	randomBytes(key)

	gen := s.cache.generation()
	wrapped, err = s.kr.Wrap(key, DataKeyAAD(id))
	if err != nil {
		return "", nil, err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return "", nil, err
	}
	s.cache.put(raw, aead, gen)
	return id, wrapped, nil
}

// Seal encrypts plaintext with data key keyID for storage at loc. The blob
// is version (1) | 16-byte data key id | 24-byte nonce | ciphertext and tag.
func (s *Sealer) Seal(ctx context.Context, keyID string, plaintext []byte, loc Location) ([]byte, error) {
	id, ok := parseDEKID(keyID)
	if !ok {
		return nil, fmt.Errorf("%w: malformed data key id", ErrUnknownKey)
	}
	aead, err := s.dataKey(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]byte, sealHeaderSize+nonceSize, sealHeaderSize+nonceSize+len(plaintext)+tagSize)
	out[0] = sealVersion
	copy(out[1:], id[:])
	randomBytes(out[sealHeaderSize:])
	nonce := out[sealHeaderSize : sealHeaderSize+nonceSize]
	out = aead.Seal(out, nonce, plaintext, sealAD(out[:sealHeaderSize], loc))
	s.seals.Add(1)
	return out, nil
}

// Open decrypts a Seal blob stored at loc. Malformed, tampered or moved
// blobs give ErrOpen; a data key that cannot be had gives the loader's or
// keyring's error (ErrUnknownKey for an erased one).
func (s *Sealer) Open(ctx context.Context, blob []byte, loc Location) ([]byte, error) {
	return s.count(s.open(ctx, blob, loc, false))
}

// OpenInPlace is Open for a blob the caller owns and is done with: the
// plaintext is written over the blob's own storage (and the blob is
// garbage afterwards, also when opening fails). A page of fifty replies is
// then fifty fewer copies for the collector. Never pass a blob that will
// be stored again.
func (s *Sealer) OpenInPlace(ctx context.Context, blob []byte, loc Location) ([]byte, error) {
	return s.count(s.open(ctx, blob, loc, true))
}

func (s *Sealer) count(plain []byte, err error) ([]byte, error) {
	s.opens.Add(1)
	if err != nil {
		s.openFailures.Add(1)
		return nil, err
	}
	return plain, nil
}

func (s *Sealer) open(ctx context.Context, blob []byte, loc Location, inPlace bool) ([]byte, error) {
	if len(blob) < sealHeaderSize+nonceSize+tagSize || blob[0] != sealVersion {
		return nil, ErrOpen
	}
	aead, err := s.dataKey(ctx, dekID(blob[1:sealHeaderSize]))
	if err != nil {
		return nil, err
	}
	nonce := blob[sealHeaderSize : sealHeaderSize+nonceSize]
	ciphertext := blob[sealHeaderSize+nonceSize:]
	var dst []byte
	if inPlace {
		dst = ciphertext[:0] // the one overlap the AEAD interface allows
	}
	plain, err := aead.Open(dst, nonce, ciphertext, sealAD(blob[:sealHeaderSize], loc))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// Warm readies the data keys of blobs for the request of ctx: keys not
// cached are fetched in one batch, and all of them are held in the
// returned context, so opening a page by fifty authors costs one query even
// when the cache is too small to keep them. Keys it cannot load are left
// for Open to report.
func (s *Sealer) Warm(ctx context.Context, blobs ...[]byte) (context.Context, error) {
	held := warmKeys{}
	var missing []string
	for _, b := range blobs {
		if len(b) < sealHeaderSize || b[0] != sealVersion {
			continue
		}
		id := dekID(b[1:sealHeaderSize])
		if _, ok := held[id]; ok {
			continue
		}
		if aead, ok := s.cache.get(id); ok {
			held[id] = aead
			continue
		}
		held[id] = nil
		missing = append(missing, hex.EncodeToString(id[:]))
	}
	batch, ok := s.loader.(BatchLoader)
	if len(missing) > 0 && ok {
		gen := s.cache.generation()
		wrapped, err := batch.WrappedDataKeys(ctx, missing)
		if err != nil {
			return ctx, fmt.Errorf("seal: warm data keys: %w", err)
		}
		for hexID, w := range wrapped {
			id, ok := parseDEKID(hexID)
			if !ok {
				continue
			}
			aead, err := s.unwrapDataKey(hexID, w)
			if err != nil {
				continue // Open meets the same error and reports it
			}
			s.misses.Add(1)
			s.cache.put(id, aead, gen)
			held[id] = aead
		}
	}
	return context.WithValue(ctx, warmKeysKey{}, held), nil
}

// warmKeys are the data keys Warm readied for one request.
type warmKeys map[dekID]cipher.AEAD

type warmKeysKey struct{}

// Forget drops a data key from the cache, for account erasure: once its
// wrapped copy is deleted from the store nothing can bring it back.
func (s *Sealer) Forget(keyID string) {
	if id, ok := parseDEKID(keyID); ok {
		s.cache.forget(id)
	}
}

// Stats returns the counters, for metrics.
func (s *Sealer) Stats() Stats {
	return Stats{
		Seals:        s.seals.Load(),
		Opens:        s.opens.Load(),
		OpenFailures: s.openFailures.Load(),
		CacheHits:    s.hits.Load(),
		CacheMisses:  s.misses.Load(),
	}
}

func (s *Sealer) dataKey(ctx context.Context, id dekID) (cipher.AEAD, error) {
	if held, ok := ctx.Value(warmKeysKey{}).(warmKeys); ok && held[id] != nil {
		s.hits.Add(1)
		return held[id], nil
	}
	if aead, ok := s.cache.get(id); ok {
		s.hits.Add(1)
		return aead, nil
	}
	s.misses.Add(1)
	gen := s.cache.generation()
	hexID := hex.EncodeToString(id[:])
	if s.loader == nil {
		return nil, fmt.Errorf("%w: data key %s", ErrUnknownKey, hexID)
	}
	wrapped, err := s.loader.WrappedDataKey(ctx, hexID)
	if err != nil {
		return nil, fmt.Errorf("seal: data key %s: %w", hexID, err)
	}
	aead, err := s.unwrapDataKey(hexID, wrapped)
	if err != nil {
		return nil, err
	}
	s.cache.put(id, aead, gen)
	return aead, nil
}

func (s *Sealer) unwrapDataKey(hexID string, wrapped []byte) (cipher.AEAD, error) {
	key, err := s.kr.Unwrap(wrapped, DataKeyAAD(hexID))
	if err != nil {
		return nil, fmt.Errorf("seal: data key %s: %w", hexID, err)
	}
	aead, err := chacha20poly1305.NewX(key)
	clear(key)
	if err != nil {
		return nil, fmt.Errorf("seal: data key %s: %w", hexID, err)
	}
	return aead, nil
}

// sealAD binds the blob header (format version and data key id) and the
// location. Each field is length-prefixed so ("ab", "c") and ("a", "bc")
// differ.
func sealAD(header []byte, loc Location) []byte {
	ad := make([]byte, 0, len(header)+12+len(loc.Table)+len(loc.Column)+len(loc.RowID))
	ad = append(ad, header...)
	for _, f := range [...]string{loc.Table, loc.Column, loc.RowID} {
		ad = binary.BigEndian.AppendUint32(ad, uint32(len(f)))
		ad = append(ad, f...)
	}
	return ad
}

func parseDEKID(s string) (dekID, bool) {
	var id dekID
	if !isLowerHex(s, 2*dekIDSize) {
		return id, false
	}
	_, err := hex.Decode(id[:], []byte(s))
	return id, err == nil
}

package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost settings; every hash records its own, so they can
// be raised later without breaking older hashes.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams are OWASP's argon2id minimum: 19 MiB, two passes, one lane.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// ErrBusy means every hashing slot and the queue are taken.
var ErrBusy = errors.New("auth: password hashing is saturated")

// errBadHash means a stored hash could not be parsed.
var errBadHash = errors.New("auth: malformed password hash")

// Hasher computes argon2id hashes with a bound on how many run at once, so a
// flood of sign-ins cannot take all the memory or every core: callers past
// the slots wait in a short queue, and callers past the queue are turned away.
type Hasher struct {
	params  Params
	slots   chan struct{}
	waiting atomic.Int32
	queue   int32
	maxWait time.Duration
}

// NewHasher allows slots hashes at once and queue more waiting.
func NewHasher(p Params, slots, queue int) *Hasher {
	return &Hasher{params: p, slots: make(chan struct{}, max(1, slots)), queue: int32(queue), maxWait: 3 * time.Second}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	if h.waiting.Add(1) > h.queue {
		h.waiting.Add(-1)
		return ErrBusy
	}
	defer h.waiting.Add(-1)
	t := time.NewTimer(h.maxWait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// normalize makes a passphrase typed on different keyboards hash the same.
func normalize(password string) []byte {
	return []byte(norm.NFC.String(password))
}

// Hash returns password's argon2id hash in PHC form.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	return h.hashWithSalt(ctx, password, salt)
}

func (h *Hasher) hashWithSalt(ctx context.Context, password string, salt []byte) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	key := argon2.IDKey(normalize(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return encodePHC(p, salt, key), nil
}

// Verify reports whether password matches the PHC hash. It takes a hashing
// slot like Hash does.
func (h *Hasher) Verify(ctx context.Context, password, phc string) (bool, error) {
	p, salt, want, err := decodePHC(phc)
	if err != nil {
		return false, err
	}
	got, err := h.derive(ctx, password, p, salt, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func (h *Hasher) derive(ctx context.Context, password string, p Params, salt []byte, n int) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.release()
	return argon2.IDKey(normalize(password), salt, p.Time, p.Memory, p.Threads, uint32(n)), nil
}

// HashCodes hashes recovery codes with one salt shared among them, so that a
// recovery attempt costs one argon2id computation, not ten.
func (h *Hasher) HashCodes(ctx context.Context, codes []string) ([]string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		phc, err := h.hashWithSalt(ctx, canonicalCode(c), salt)
		if err != nil {
			return nil, err
		}
		out[i] = phc
	}
	return out, nil
}

// MatchCode returns the index in hashes of the one code matches, or -1. All
// hashes must share salt and parameters, as HashCodes makes them.
func (h *Hasher) MatchCode(ctx context.Context, code string, hashes []string) (int, error) {
	if len(hashes) == 0 {
		return -1, nil
	}
	p, salt, want, err := decodePHC(hashes[0])
	if err != nil {
		return -1, err
	}
	got, err := h.derive(ctx, canonicalCode(code), p, salt, len(want))
	if err != nil {
		return -1, err
	}
	found := -1
	for i, phc := range hashes {
		_, _, w, err := decodePHC(phc)
		if err != nil {
			return -1, err
		}
		if subtle.ConstantTimeCompare(got, w) == 1 {
			found = i
		}
	}
	return found, nil
}

// canonicalCode lets a person type a recovery code with or without dashes,
// spaces or capitals.
func canonicalCode(c string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, c)
}

var b64 = base64.RawStdEncoding

func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Bounds on what a stored hash may ask for, so that one bad row (a restore
// gone wrong, a hand edit) cannot make a sign-in allocate terabytes.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB, far above any cost we would choose
	maxTime    = 64
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// decodePHC reads a hash in exactly the form encodePHC writes, and nothing
// else: no leading zeros or signs, no text around the numbers, no padding,
// line breaks or stray bits in the base64.
func decodePHC(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, errBadHash
	}
	costs := strings.Split(parts[3], ",")
	if len(costs) != 3 {
		return Params{}, nil, nil, errBadHash
	}
	m, okM := phcNumber(costs[0], "m=", maxMemory)
	t, okT := phcNumber(costs[1], "t=", maxTime)
	th, okP := phcNumber(costs[2], "p=", 255)
	p := Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th)}
	if !okM || !okT || !okP || p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) {
		return Params{}, nil, nil, errBadHash
	}
	salt, okS := phcBytes(parts[4], minSaltLen, maxSaltLen)
	key, okK := phcBytes(parts[5], minKeyLen, maxKeyLen)
	if !okS || !okK {
		return Params{}, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// phcNumber reads "<prefix><decimal>" with the decimal in canonical form and
// at most limit.
func phcNumber(s, prefix string, limit uint64) (uint64, bool) {
	digits, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil && n <= limit && strconv.FormatUint(n, 10) == digits
}

// phcBytes decodes unpadded standard base64 strictly (the decoder would
// otherwise skip line breaks and ignore stray trailing bits).
func phcBytes(s string, minLen, maxLen int) ([]byte, bool) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, false
	}
	b, err := b64.Strict().DecodeString(s)
	return b, err == nil && len(b) >= minLen && len(b) <= maxLen
}

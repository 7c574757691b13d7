// Package throttle limits how often a key (a client address, a handle, a
// member) may act. It lives in memory only: nothing about who tried what is
// ever stored.
package throttle

import (
	"math"
	"sync"
	"time"
)

// Limiter hands each key a token bucket of n tokens refilled over a window.
// A Limiter with n 0 allows everything.
type Limiter struct {
	n       int
	window  time.Duration
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// New returns a limiter of n actions a key per window.
func New(n int, window time.Duration) *Limiter {
	return &Limiter{n: n, window: window, buckets: map[string]*bucket{}, now: time.Now}
}

func (l *Limiter) off() bool { return l == nil || l.n == 0 }

// perSecond is the refill rate.
func (l *Limiter) perSecond() float64 { return float64(l.n) / l.window.Seconds() }

// bucketLocked returns key's bucket brought up to now, making a full one for
// a new key. Full buckets carry no information; dropping them once a
// minute keeps memory bounded by the keys active lately.
func (l *Limiter) bucketLocked(key string, now time.Time) *bucket {
	burst := float64(l.n)
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.tokens+now.Sub(b.at).Seconds()*l.perSecond() >= burst {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, at: now}
		l.buckets[key] = b
		return b
	}
	if now.After(b.at) {
		b.tokens = math.Min(burst, b.tokens+now.Sub(b.at).Seconds()*l.perSecond())
		b.at = now
	}
	return b
}

// Allow takes one token for key. When none is left it returns false and the
// whole seconds to wait before trying again.
func (l *Limiter) Allow(key string) (bool, int) {
	if l.off() {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketLocked(key, l.now())
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, max(1, int(math.Ceil((1-b.tokens)/l.perSecond())))
}

// Refund gives back a token that Allow took, for an attempt that turned out
// not to count: take first, refund on success, and concurrent attempts can
// never pass a check made before any of them was counted.
func (l *Limiter) Refund(key string) {
	if l.off() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketLocked(key, l.now())
	b.tokens = math.Min(float64(l.n), b.tokens+1)
}

// Package throttle limits how often a key (a client address, a handle, a
// member) may act. It lives in memory only: nothing about who tried what is
// ever stored.
package throttle

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter hands each key a token bucket of perMinute tokens refilled over a
// minute. A Limiter with perMinute 0 allows everything.
type Limiter struct {
	perMinute int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	swept     time.Time
}

// New returns a limiter of perMinute actions a key.
func New(perMinute int) *Limiter {
	return &Limiter{perMinute: perMinute, buckets: map[string]*rate.Limiter{}}
}

func (l *Limiter) bucket(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Full buckets carry no information; dropping them keeps memory bounded
	// by the keys active in the last minute.
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.perMinute) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)
		l.buckets[key] = b
	}
	return b
}

// Allow takes one token for key. When none is left it returns false and the
// whole seconds to wait before trying again.
func (l *Limiter) Allow(key string) (bool, int) {
	if l == nil || l.perMinute == 0 {
		return true, 0
	}
	now := time.Now()
	r := l.bucket(key, now).ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, int(math.Ceil(d.Seconds()))
	}
	return true, 0
}

// Blocked reports, without taking a token, whether key has none left, and
// how long to wait. Used with Charge to count only failures.
func (l *Limiter) Blocked(key string) (bool, int) {
	if l == nil || l.perMinute == 0 {
		return false, 0
	}
	now := time.Now()
	b := l.bucket(key, now)
	if t := b.TokensAt(now); t < 1 {
		return true, int(math.Ceil((1 - t) * 60 / float64(l.perMinute)))
	}
	return false, 0
}

// Charge takes a token for key whether or not one is left.
func (l *Limiter) Charge(key string) {
	if l == nil || l.perMinute == 0 {
		return
	}
	now := time.Now()
	l.bucket(key, now).ReserveN(now, 1)
}

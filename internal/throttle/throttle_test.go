package throttle

import (
	"testing"
	"time"
)

func TestAllowPerKey(t *testing.T) {
	l := New(3, time.Minute)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait < 1 || wait > 20 {
		t.Fatalf("4th attempt: ok=%v wait=%d; want refused with a wait of about 20 s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key was refused")
	}
}

func TestZeroMeansNoCap(t *testing.T) {
	l := New(0, time.Minute)
	for i := 0; i < 1000; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("a limiter of 0 refused")
		}
	}
}

func TestRefundGivesBackOneToken(t *testing.T) {
	l := New(2, time.Minute)
	for i := 0; i < 5; i++ {
		if ok, _ := l.Allow("h"); !ok {
			t.Fatalf("attempt %d refused although each was refunded", i+1)
		}
		l.Refund("h")
	}
	l.Allow("h")
	l.Allow("h")
	if ok, wait := l.Allow("h"); ok || wait < 1 {
		t.Fatalf("after two kept tokens: ok=%v wait=%d", ok, wait)
	}
	// A refund never lifts a bucket past its size.
	l.Refund("h")
	l.Refund("h")
	l.Refund("h")
	for i := 0; i < 2; i++ {
		if ok, _ := l.Allow("h"); !ok {
			t.Fatal("refunded token missing")
		}
	}
	if ok, _ := l.Allow("h"); ok {
		t.Fatal("refunds lifted the bucket past its size")
	}
}

func TestRefillOverTime(t *testing.T) {
	l := New(6, time.Minute) // one token every 10 s
	clock := time.Unix(1_000_000, 0)
	l.now = func() time.Time { return clock }
	for i := 0; i < 6; i++ {
		l.Allow("k")
	}
	if ok, wait := l.Allow("k"); ok || wait != 10 {
		t.Fatalf("empty bucket: ok=%v wait=%d, want a 10 s wait", ok, wait)
	}
	clock = clock.Add(10 * time.Second)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("no token after 10 s")
	}
	clock = clock.Add(2 * time.Minute)
	l.Allow("other") // sweeps full buckets
	l.mu.Lock()
	n := len(l.buckets)
	l.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d buckets kept after a quiet minute, want only the new one", n)
	}
}

func TestWindowOfAnHour(t *testing.T) {
	l := New(5, time.Hour) // one token every 12 minutes
	clock := time.Unix(1_000_000, 0)
	l.now = func() time.Time { return clock }
	for i := 0; i < 5; i++ {
		if ok, _ := l.Allow("m"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	if ok, wait := l.Allow("m"); ok || wait != 12*60 {
		t.Fatalf("6th attempt within the hour: ok=%v wait=%d, want a 720 s wait", ok, wait)
	}
	clock = clock.Add(12 * time.Minute)
	if ok, _ := l.Allow("m"); !ok {
		t.Fatal("no token 12 minutes later")
	}
}

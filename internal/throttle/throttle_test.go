package throttle

import "testing"

func TestAllowPerKey(t *testing.T) {
	l := New(3)
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
	l := New(0)
	for i := 0; i < 1000; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("a limiter of 0 refused")
		}
	}
}

func TestChargeCountsOnlyFailures(t *testing.T) {
	l := New(2)
	if blocked, _ := l.Blocked("h"); blocked {
		t.Fatal("blocked before any failure")
	}
	l.Charge("h")
	l.Charge("h")
	if blocked, wait := l.Blocked("h"); !blocked || wait < 1 {
		t.Fatalf("after two failures: blocked=%v wait=%d", blocked, wait)
	}
	// Blocked takes nothing: asking again does not lengthen the wait.
	_, w1 := l.Blocked("h")
	_, w2 := l.Blocked("h")
	if w2 > w1 {
		t.Fatalf("Blocked consumed tokens: wait %d then %d", w1, w2)
	}
}

package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestGate: never more than n inside at once, everyone gets in in the end,
// and a waiter whose request ends gives up its place.
func TestGate(t *testing.T) {
	const n, callers = 3, 50
	g := newGate(n)
	var inside, most atomic.Int64
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if err := g.enter(context.Background()); err != nil {
				t.Error(err)
				return
			}
			now := inside.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			inside.Add(-1)
			g.leave()
		})
	}
	wg.Wait()
	if most.Load() > n || len(g) != 0 {
		t.Fatalf("%d inside at once (gate of %d); %d left inside", most.Load(), n, len(g))
	}

	for range n {
		if err := g.enter(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := g.enter(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("enter a full gate with an ended request: %v", err)
	}
	g.leave()
	if err := g.enter(context.Background()); err != nil {
		t.Fatal(err)
	}
}

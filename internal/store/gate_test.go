package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestGate holds callers inside the gate and lets them out one at a time:
// never more than n are inside, the rest get in in the order they came, and
// a waiter whose request ends gives up its place without taking a turn.
// synctest, not a clock, says when every caller is inside or queued.
func TestGate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, callers = 3, 12
		g := newGate(n)
		var (
			mu      sync.Mutex
			inside  int
			entered []int // caller numbers, in the order they got in
		)
		leave := make([]chan struct{}, callers)
		ctxs := make([]context.Context, callers)
		cancels := make([]context.CancelFunc, callers)
		errs := make([]error, callers)
		// settle returns once every caller is inside or waiting at the gate.
		// The second is the bubble's fake time: it passes, at once, only when
		// every caller is blocked, so that a gate that polls would get its
		// turn to be judged too.
		settle := func() {
			time.Sleep(time.Second)
			synctest.Wait()
		}
		left := make([]bool, callers)
		let := func(i int) { // caller i may leave
			if !left[i] {
				left[i] = true
				close(leave[i])
			}
		}
		// On failure too, so that no caller is left blocked in the bubble.
		defer func() {
			for i := range callers {
				cancels[i]()
				let(i)
			}
			settle()
		}()
		for i := range callers {
			leave[i] = make(chan struct{})
			ctxs[i], cancels[i] = context.WithCancel(context.Background())
			go func() {
				if errs[i] = g.enter(ctxs[i]); errs[i] != nil {
					return
				}
				mu.Lock()
				inside++
				entered = append(entered, i)
				if inside > n {
					t.Errorf("%d inside a gate of %d", inside, n)
				}
				mu.Unlock()
				<-leave[i]
				mu.Lock()
				inside--
				mu.Unlock()
				g.leave()
			}()
			settle() // caller i is inside or waiting before i+1 comes

		}
		got := func() []int {
			mu.Lock()
			defer mu.Unlock()
			return slices.Clone(entered)
		}
		if want := []int{0, 1, 2}; !slices.Equal(got(), want) {
			t.Fatalf("inside after %d callers came: %v, want %v", callers, got(), want)
		}

		// Caller 4 gives up while it waits: it never gets in, and 3 and 5
		// keep their places.
		cancels[4]()
		settle()
		if !errors.Is(errs[4], context.Canceled) {
			t.Fatalf("a waiter whose request ended: %v, want context.Canceled", errs[4])
		}

		// Each caller who leaves lets in exactly the one who has waited
		// longest.
		want := []int{0, 1, 2}
		for _, next := range []int{3, 5, 6, 7, 8, 9, 10, 11} {
			let(want[len(want)-n])
			settle()
			want = append(want, next)
			if !slices.Equal(got(), want) {
				t.Fatalf("in the order %v, want %v: first come, first served", got(), want)
			}
		}
		for _, i := range want[len(want)-n:] {
			let(i)
		}
		settle()
		if len(g) != 0 {
			t.Fatalf("%d turns still taken after everyone left", len(g))
		}
	})
}

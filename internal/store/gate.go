package store

import "context"

// gate lets queries onto the reader connections first come, first served.
// database/sql hands a freed connection to a random waiter, so under load
// (64 requests, 4 SQLite readers) a request that needs three queries could
// lose the draw many times in a row while others never waited: the slowest
// one in a hundred took five times the median. Waiting here instead, in
// order, a query always finds a free connection. Channel senders wait in
// the order they came.
type gate chan struct{}

func newGate(n int) gate { return make(gate, n) }

// enter waits for a turn, or for ctx to end.
func (g gate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave ends a turn entered before.
func (g gate) leave() { <-g }

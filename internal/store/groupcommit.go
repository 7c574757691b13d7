package store

import (
	"context"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// groupCommit runs the write transactions that queue up behind SQLite's one
// writer together: each in a savepoint of its own (so one that fails is
// undone alone), all under one COMMIT, so they share one fsync. A caller
// is answered only after the COMMIT that holds its work, so nothing is
// acknowledged before it is durable. There is no goroutine of its own: the
// first caller to find no batch running commits for everyone queued.
type groupCommit struct {
	db      *gorm.DB
	mu      sync.Mutex
	queue   []*txItem
	leading bool
}

type txItem struct {
	fn   func(tx *gorm.DB) error
	err  error
	done chan struct{}
}

// maxBatch bounds how much one COMMIT carries, so a long queue is drained
// in several and no caller waits on an unbounded batch.
const maxBatch = 64

func (g *groupCommit) run(ctx context.Context, fn func(tx *gorm.DB) error) error {
	it := &txItem{fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, it)
	if g.leading {
		g.mu.Unlock()
		<-it.done // the leader answers once our batch has committed
		return it.err
	}
	g.leading = true
	g.mu.Unlock()
	// The batch holds other callers' work: it must not stop because this
	// caller's request ends.
	bctx := context.WithoutCancel(ctx)
	for {
		g.mu.Lock()
		n := min(len(g.queue), maxBatch)
		batch := g.queue[:n:n]
		g.queue = g.queue[n:]
		if n == 0 {
			g.leading = false
			g.mu.Unlock()
			return it.err
		}
		g.mu.Unlock()
		g.commit(bctx, batch)
	}
}

// commit runs one batch and answers each of its callers.
func (g *groupCommit) commit(ctx context.Context, batch []*txItem) {
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, it := range batch {
			it.err = savepoint(tx, it.fn)
		}
		return nil
	})
	for _, it := range batch {
		if err != nil && it.err == nil {
			it.err = err
		}
		close(it.done)
	}
}

// savepoint runs fn in a nested transaction (a SAVEPOINT), turning a panic
// into an error so that one caller's bug cannot strand the others.
func savepoint(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: transaction panicked: %v", r)
		}
	}()
	return tx.Transaction(fn)
}

package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// groupCommit runs the write transactions that queue up behind SQLite's one
// writer together: each in a savepoint of its own (so one that fails is
// undone alone), all under one COMMIT, so they share one fsync; the search
// postings their writing asked for go in together just before it
// (pendingPostings). A caller is answered only after the COMMIT that holds
// its work, so nothing is acknowledged before it is durable. There is no
// goroutine of its own: a caller that finds no batch running commits one
// batch (its own work first) and hands the lead to the next caller waiting.
type groupCommit struct {
	db      *gorm.DB
	mu      sync.Mutex
	queue   []*txItem
	leading bool // invariant: when false, queue is empty
}

type txItem struct {
	fn   func(tx *gorm.DB) error
	err  error
	done chan struct{} // closed when its batch has committed or failed
	lead chan struct{} // closed when it is to lead the next batch
}

// maxBatch bounds how much one COMMIT carries.
const maxBatch = 64

// errBatchLost means SQLite gave up the whole transaction (an I/O error, a
// full disk): every write of the batch is lost and none may be reported done.
var errBatchLost = errors.New("store: the transaction was rolled back as a whole")

func (g *groupCommit) run(ctx context.Context, fn func(tx *gorm.DB) error) error {
	it := &txItem{fn: fn, done: make(chan struct{}), lead: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, it)
	if g.leading {
		g.mu.Unlock()
		select {
		case <-it.done:
			return it.err
		case <-it.lead: // our turn: we are first in the queue
		}
	} else {
		g.leading = true
		g.mu.Unlock()
	}
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	// The batch holds other callers' work: it must not stop because this
	// caller's request ends.
	g.commit(context.WithoutCancel(ctx), batch)
	g.mu.Lock()
	if len(g.queue) > 0 {
		close(g.queue[0].lead)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	return it.err
}

// commit runs one batch and answers each of its callers, whatever happens.
func (g *groupCommit) commit(ctx context.Context, batch []*txItem) {
	var err error
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("store: write batch panicked: %v", r)
		}
		for _, it := range batch {
			if err != nil && (it.err == nil || errors.Is(err, errBatchLost)) {
				it.err = err
			}
			close(it.done)
		}
	}()
	pending := &pendingPostings{}
	err = g.db.WithContext(context.WithValue(ctx, pendingKey{}, pending)).Transaction(func(tx *gorm.DB) error {
		for _, it := range batch {
			var lost bool
			lost, it.err = savepoint(tx, it.fn, pending)
			if lost {
				return errBatchLost
			}
		}
		return pending.write(tx)
	})
}

// savepoint runs fn inside SAVEPOINT, undoing just its work (and the
// postings it left pending) if it fails; a panic becomes an error so one
// caller's bug cannot strand the others. lost reports that the savepoint
// is gone: SQLite rolled back the whole transaction under it.
func savepoint(tx *gorm.DB, fn func(tx *gorm.DB) error, pending *pendingPostings) (lost bool, err error) {
	if err := tx.Exec("SAVEPOINT hearth_write").Error; err != nil {
		return true, err
	}
	mark := len(pending.ops)
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("store: transaction panicked: %v", r)
			}
		}()
		err = fn(tx)
	}()
	if err != nil {
		pending.ops = pending.ops[:mark]
		if rb := tx.Exec("ROLLBACK TO hearth_write").Error; rb != nil {
			return true, err
		}
	}
	if rel := tx.Exec("RELEASE hearth_write").Error; rel != nil {
		return true, err
	}
	return false, err
}

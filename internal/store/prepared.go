package store

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"gorm.io/gorm"
)

// preparedPool is the SQLite writer's connection as GORM sees it: it
// prepares each statement once and runs it in every transaction after.
//
// GORM's own PrepareStmt prepares a statement first met inside a
// transaction on that transaction, and database/sql closes such a
// statement with it and prepares it again in every later one
// (go-gorm/gorm#4644, golang/go#28130): every write of a group commit
// compiled each of its statements afresh, a tenth of the server's CPU
// under a flood of replies. A statement prepared on the database is kept
// per connection instead, and Tx.StmtContext finds it there. The writer
// has one connection, which a transaction holds: a statement first met
// inside one runs unprepared there; met again, it is prepared on the
// database once the transaction has given the connection back (a shape
// met once, such as an IN list of a rare length, is not worth it).
type preparedPool struct {
	db *sql.DB

	mu        sync.Mutex
	stmts     map[string]*sql.Stmt
	met       map[string]bool // met once in a transaction, not prepared
	wanted    []string        // met again, to prepare
	preparing bool            // a goroutine is preparing wanted
}

// maxPrepared bounds the statements kept. The writer runs a few dozen
// shapes; the rest are statements whose length follows their arguments
// (a list of ids, a bulk insert), which would otherwise pile up. When the
// bound is met all are closed, and the shapes in use come back at once.
const maxPrepared = 256

func newPreparedPool(db *sql.DB) *preparedPool {
	return &preparedPool{db: db, stmts: map[string]*sql.Stmt{}, met: map[string]bool{}}
}

func (p *preparedPool) lookup(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stmts[query]
}

// stmt is query prepared on the database, prepared now if it is not yet,
// or nil when it cannot be: it is then run unprepared, so that its error
// reaches the caller as any statement's does.
func (p *preparedPool) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := p.lookup(query); s != nil {
		return s
	}
	s, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return p.keep(query, s)
}

// keep adds s, prepared for query, unless another goroutine got there
// first, and answers the one kept.
func (p *preparedPool) keep(query string, s *sql.Stmt) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	if had, ok := p.stmts[query]; ok {
		s.Close()
		return had
	}
	if len(p.stmts) >= maxPrepared {
		// A transaction still running one of these holds a reference
		// of its own; database/sql finalises it after that ends.
		for q, old := range p.stmts {
			old.Close()
			delete(p.stmts, q)
		}
	}
	p.stmts[query] = s
	return s
}

// want notes query, met in a transaction unprepared, for prepareWanted.
func (p *preparedPool) want(query string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case slices.Contains(p.wanted, query):
	case p.met[query]:
		delete(p.met, query)
		p.wanted = append(p.wanted, query)
	default:
		if len(p.met) >= maxPrepared {
			clear(p.met)
		}
		p.met[query] = true
	}
}

// prepareWanted prepares the wanted statements in the background, so that
// the transaction that met them is answered without waiting for the
// connection it has just given back.
func (p *preparedPool) prepareWanted() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.wanted) == 0 || p.preparing {
		return
	}
	p.preparing = true
	go func() {
		for {
			p.mu.Lock()
			if len(p.wanted) == 0 {
				p.preparing = false
				p.mu.Unlock()
				return
			}
			query := p.wanted[0]
			p.wanted = p.wanted[1:]
			p.mu.Unlock()
			// A statement that cannot be prepared (the store closing,
			// a statement SQLite refuses) goes on running unprepared.
			if s, err := p.db.PrepareContext(context.Background(), query); err == nil {
				p.keep(query, s)
			}
		}
	}()
}

func (p *preparedPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

func (p *preparedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return p.db.ExecContext(ctx, query, args...)
}

func (p *preparedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.db.QueryContext(ctx, query, args...)
}

func (p *preparedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *preparedPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &preparedTx{pool: p, tx: tx}, nil
}

// GetDBConn lets gorm.DB.DB answer the writer's *sql.DB.
func (p *preparedPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

// preparedTx is a transaction of preparedPool: each statement runs as the
// pool's, on the transaction's connection.
type preparedTx struct {
	pool *preparedPool
	tx   *sql.Tx
}

func (t *preparedTx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, query)
}

// prepared is query's statement on the transaction, or nil when the pool
// has none yet (see preparedPool).
func (t *preparedTx) prepared(ctx context.Context, query string) *sql.Stmt {
	if s := t.pool.lookup(query); s != nil {
		return t.tx.StmtContext(ctx, s)
	}
	t.pool.want(query)
	return nil
}

func (t *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.prepared(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.prepared(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.prepared(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t *preparedTx) Commit() error {
	defer t.pool.prepareWanted()
	return t.tx.Commit()
}

func (t *preparedTx) Rollback() error {
	defer t.pool.prepareWanted()
	return t.tx.Rollback()
}

// GetDBConn lets gorm.DB.DB answer the writer's *sql.DB inside a
// transaction too.
func (t *preparedTx) GetDBConn() (*sql.DB, error) { return t.pool.db, nil }

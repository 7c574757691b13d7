package store

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// roundTrips counts the times a PostgreSQL connection sends work and waits
// for the answer: every statement sent alone (BEGIN and COMMIT included)
// and every pipelined batch, however many statements it holds. On
// PostgreSQL that, not the statements, is what a write costs: each trip
// is a few milliseconds of both sides' CPU on a busy machine.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.n.Add(1)
	return ctx
}

func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.n.Add(1)
	return ctx
}

func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// RoundTrips is how many round trips this process has made to PostgreSQL
// (0 on SQLite, which has none).
func (s *Store) RoundTrips() int64 {
	if s.trips == nil {
		return 0
	}
	return s.trips.n.Load()
}

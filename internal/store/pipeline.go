package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// pipelined runs fn's writes in one transaction, as tx does, but on
// PostgreSQL sends them all at once: fn runs against a dry-run session
// that only builds each statement, and the statements then travel as one
// pipelined batch, which PostgreSQL runs as one implicit transaction (all
// or nothing, durable when the answer comes). BEGIN, each statement and
// COMMIT are one round trip instead of one each. fn may therefore only
// write: it must not read, or look at what a statement changed.
func (s *Store) pipelined(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.dialect != Postgres {
		return s.tx(ctx, fn)
	}
	q := &pipeline{}
	dry := s.w.Session(&gorm.Session{DryRun: true, NewDB: true, Context: context.WithValue(ctx, pipelineKey{}, q)})
	if err := fn(dry); err != nil {
		return err
	}
	if len(q.batch.QueuedQueries) == 0 {
		return nil
	}
	return sendBatch(ctx, s.w, &q.batch)
}

// sendBatch sends b on one of db's connections as one pipelined batch:
// one round trip, one implicit transaction (all or nothing, durable when
// the answer comes). PostgreSQL only.
func sendBatch(ctx context.Context, db *gorm.DB, b *pgx.Batch) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		return dc.(*stdlib.Conn).Conn().SendBatch(ctx, b).Close()
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("%w: %w", gorm.ErrDuplicatedKey, err)
	}
	return err
}

// pipeline gathers the statements of a pipelined write.
type pipeline struct{ batch pgx.Batch }

type pipelineKey struct{}

// queueStatement, after each statement is built, queues it when it was
// built for a pipelined write.
func queueStatement(db *gorm.DB) {
	if !db.DryRun || db.Error != nil || db.Statement.Context == nil {
		return
	}
	if q, ok := db.Statement.Context.Value(pipelineKey{}).(*pipeline); ok {
		q.batch.Queue(db.Statement.SQL.String(), db.Statement.Vars...)
	}
}

// pipelineWrites registers queueStatement on the writer's callbacks.
func pipelineWrites(db *gorm.DB) error {
	cb := db.Callback()
	return errors.Join(
		cb.Create().After("gorm:create").Register("hearth:pipeline_create", queueStatement),
		cb.Update().After("gorm:update").Register("hearth:pipeline_update", queueStatement),
		cb.Delete().After("gorm:delete").Register("hearth:pipeline_delete", queueStatement),
		cb.Raw().After("gorm:raw").Register("hearth:pipeline_raw", queueStatement),
	)
}

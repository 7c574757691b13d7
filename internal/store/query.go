package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// rowScanner is what scans one row.
type rowScanner interface{ Scan(...any) error }

// exprTime scans a time computed by an expression (MIN, MAX): PostgreSQL
// hands it back as a time, but SQLite knows a column's type only from its
// declaration, so an expression's time comes back as the text the driver
// stored.
type exprTime struct{ t *time.Time }

func (e exprTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		*e.t = time.Time{}
		return nil
	case time.Time:
		*e.t = x
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("store: a time cannot come from %T", v)
	}
	for _, layout := range sqlite3.SQLiteTimestampFormats {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			*e.t = t
			return nil
		}
	}
	return fmt.Errorf("store: %q is not a time", s)
}

type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

// firstRow scans the first row of rows and closes them; no row is
// sql.ErrNoRows. done, if set, runs once the rows are closed.
type firstRow struct {
	rows *sql.Rows
	done func()
}

func (r firstRow) Scan(dest ...any) error {
	defer func() {
		r.rows.Close()
		if r.done != nil {
			r.done()
		}
	}()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	return r.rows.Scan(dest...)
}

// firstRowOf runs q on db (a transaction, say) for one row. (GORM's own
// Row() can hand back a row that panics when the query never started, as
// with a cancelled request.)
func firstRowOf(db *gorm.DB, q string, args ...any) rowScanner {
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		return failedRow{err}
	}
	return firstRow{rows: rows}
}

// Every read of the store passes one admission point, read: it waits for a
// turn at the reader connections in the order reads came (see gate), so
// that a read always finds a free connection, and marks the context it
// hands on. The reader pool refuses any statement whose context lacks the
// mark (refuseUnadmitted), so a read that goes around the point fails at
// once, in every test that reaches it, instead of quietly jumping the
// queue. Reads inside a write transaction run on the writer and need no
// turn.

// admittedKey marks a context that came through read.
type admittedKey struct{}

// errNotAdmitted is what a read that bypassed read gets.
var errNotAdmitted = errors.New("store: a read went around the admission point")

// read waits for a turn at the reader connections and returns them, bound
// to ctx, with the function that ends the turn.
func (s *Store) read(ctx context.Context) (*gorm.DB, func(), error) {
	if err := s.readers.enter(ctx); err != nil {
		return nil, nil, err
	}
	return s.readerPool.WithContext(context.WithValue(ctx, admittedKey{}, true)), s.readers.leave, nil
}

// reading runs fn on the reader connections, in its turn.
func (s *Store) reading(ctx context.Context, fn func(db *gorm.DB) error) error {
	db, done, err := s.read(ctx)
	if err != nil {
		return err
	}
	defer done()
	return fn(db)
}

// refuseUnadmitted runs before every statement on the reader pool.
func refuseUnadmitted(db *gorm.DB) {
	if db.Statement.Context == nil || db.Statement.Context.Value(admittedKey{}) == nil {
		_ = db.AddError(errNotAdmitted)
	}
}

// guardReaders registers refuseUnadmitted on a reader pool.
func guardReaders(db *gorm.DB) error {
	cb := db.Callback()
	return errors.Join(
		cb.Query().Before("gorm:query").Register("hearth:admitted_query", refuseUnadmitted),
		cb.Row().Before("gorm:row").Register("hearth:admitted_row", refuseUnadmitted),
		cb.Raw().Before("gorm:raw").Register("hearth:admitted_raw", refuseUnadmitted),
	)
}

// take reads the one row of T where where holds, on a reader connection,
// in its turn: ErrNotFound when there is none; other errors say what was
// read.
func take[T any](ctx context.Context, s *Store, what, where string, args ...any) (*T, error) {
	var row T
	err := s.reading(ctx, func(db *gorm.DB) error { return db.Where(where, args...).Take(&row).Error })
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get %s: %w", what, err)
	}
	return &row, nil
}

// queryRow runs q on a reader connection for one row, in its turn.
func (s *Store) queryRow(ctx context.Context, q string, args ...any) rowScanner {
	db, done, err := s.read(ctx)
	if err != nil {
		return failedRow{err}
	}
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		done()
		return failedRow{err}
	}
	return firstRow{rows: rows, done: done}
}

// queryRows runs q on a reader connection, in its turn, and scans every
// row with scan; expect is how many rows to make room for up front (a
// page's limit; 0 when unknown), since growing a slice of views row by row
// costs more than reading them.
func queryRows[T any](ctx context.Context, s *Store, expect int, scan func(rowScanner, *T) error, q string, args ...any) ([]T, error) {
	db, done, err := s.read(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	if expect > 0 {
		out = make([]T, 0, expect)
	}
	for rows.Next() {
		var zero T
		out = append(out, zero)
		if err := scan(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// maxParams keeps one multi-row INSERT under the bound parameters both
// databases take in one statement (SQLite 32,766, PostgreSQL 65,535).
const maxParams = 30000

// CreateAll inserts every row of each slice in rows (members, then their
// data keys, say), in that order, in one transaction of multi-row INSERTs.
// It is for filling a store that nobody serves yet, as the benchmark does:
// one transaction per row would take an hour for a million stories, and
// none of the rules the services keep (counts, queue items) is applied, so
// the caller must write rows that already agree with each other.
func (s *Store) CreateAll(ctx context.Context, rows ...any) error {
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// A quarter of a gigabyte of pages keeps the index's hot pages
		// (each word's newest rows) in memory while a store is filled.
		if s.dialect == SQLite {
			if err := tx.Exec("PRAGMA cache_size = -262144").Error; err != nil {
				return err
			}
		}
		for _, r := range rows {
			// Postings are many (a hundred a story) and small: they go
			// without GORM's reflection, and best sorted by token.
			if ps, ok := r.([]Posting); ok {
				if err := writePostings(tx, ps); err != nil {
					return fmt.Errorf("store: create all: %w", err)
				}
				continue
			}
			stmt := &gorm.Statement{DB: tx}
			if err := stmt.Parse(r); err != nil {
				return fmt.Errorf("store: create all: %w", err)
			}
			batch := max(1, maxParams/len(stmt.Schema.DBNames))
			if err := tx.CreateInBatches(r, batch).Error; err != nil {
				return fmt.Errorf("store: create all %s: %w", stmt.Schema.Table, err)
			}
		}
		return nil
	})
}

// insertRows runs head ("INSERT INTO t (a, b) VALUES ") with one row of
// width placeholders for each width values of args. GORM's Exec would copy
// the statement a byte at a time and add each value to a list of its own,
// which for the postings of a batch of replies costs more than a tenth of
// what indexing them does; this writes the placeholders straight onto the
// statement, with args as its values, and runs GORM's callbacks for raw
// SQL as Exec would.
func insertRows(tx *gorm.DB, head string, width int, args []any) error {
	db := tx.Raw("")
	st := db.Statement
	st.SQL.Grow(len(head) + 4*len(args))
	st.SQL.WriteString(head)
	for i := range args {
		switch {
		case i == 0:
			st.SQL.WriteByte('(')
		case i%width == 0:
			st.SQL.WriteString("),(")
		default:
			st.SQL.WriteByte(',')
		}
		// PostgreSQL's placeholders are numbered by the values before.
		st.Vars = args[:i+1]
		db.Dialector.BindVarTo(&st.SQL, st, args[i])
	}
	st.SQL.WriteByte(')')
	return db.Callback().Raw().Execute(db).Error
}

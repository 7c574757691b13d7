package store_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// A statement the writer meets in transactions is prepared once and runs
// from there in later transactions; a statement SQLite refuses fails its
// own transaction with SQLite's error and leaves the writer working; and
// statements of ever new shapes do not pile up.
func TestWriterKeepsStatementsPrepared(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	const insert = "INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)"
	write := func(name string) error {
		return st.WriteTx(ctx, func(tx *gorm.DB) error {
			return tx.Exec(insert, name, []byte("v"), now()).Error
		})
	}
	for i := range 2 {
		if err := write(fmt.Sprintf("prepared-%d", i)); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if held, _, _ := st.WriterPrepared(insert); held {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a statement met in two transactions was never prepared")
		}
	}
	for i := 2; i < 5; i++ {
		if err := write(fmt.Sprintf("prepared-%d", i)); err != nil {
			t.Fatalf("write %d from the prepared statement: %v", i, err)
		}
	}
	if err := write("prepared-4"); err == nil {
		t.Fatal("a duplicate secret was written through the prepared statement")
	}
	var n int64
	if err := st.WriteTx(ctx, func(tx *gorm.DB) error {
		return tx.Raw("SELECT COUNT(*) FROM secrets WHERE name LIKE 'prepared-%'").Scan(&n).Error
	}); err != nil || n != 5 {
		t.Fatalf("secrets written = %d (%v), want 5", n, err)
	}

	bad := st.WriteTx(ctx, func(tx *gorm.DB) error { return tx.Exec("INSERT INTO no_such_table VALUES (?)", 1).Error })
	if bad == nil {
		t.Fatal("a statement on a missing table succeeded")
	}
	if err := write("prepared-after-error"); err != nil {
		t.Fatalf("the writer after a refused statement: %v", err)
	}

	for i := range 600 {
		shape := fmt.Sprintf("SELECT %d", i)
		for range 2 {
			if err := st.WriteTx(ctx, func(tx *gorm.DB) error { return tx.Exec(shape).Error }); err != nil {
				t.Fatalf("%s: %v", shape, err)
			}
		}
	}
	// Every shape was met twice: once the writer has prepared them all,
	// without the bound it would hold 600.
	var held int
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var preparing bool
		if _, held, preparing = st.WriterPrepared(insert); !preparing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the writer is still preparing statements after 10 s")
		}
	}
	if held == 0 || held > 256 {
		t.Errorf("the writer holds %d statements prepared, want some and at most its bound of 256", held)
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestConcurrentWritesFailAlone: many writes at once (on SQLite they share
// commits), some of which break a unique rule. Each that fails is undone
// alone and told so; every other is stored.
func TestConcurrentWritesFailAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		const n = 200
		var ok, conflicts atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				handle := fmt.Sprintf("writer%d", i)
				if i%4 == 0 {
					handle = "same-handle" // only one of these may win
				}
				m := &store.Member{ID: store.NewID(), Handle: handle, Role: "member", Status: store.StatusActive, CreatedAt: time.Now()}
				err := st.CreateMember(ctx, m, []string{"h1", "h2"}, nil)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, store.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("create member: %v", err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != n-n/4+1 || conflicts.Load() != n/4-1 {
			t.Fatalf("%d stored, %d conflicts; want %d and %d", ok.Load(), conflicts.Load(), n-n/4+1, n/4-1)
		}
		count, err := st.CountMembers(ctx)
		if err != nil || count != ok.Load() {
			t.Fatalf("%d members in the store, %d acknowledged (%v)", count, ok.Load(), err)
		}
	})
}

// TestPanickingWriteStrandsNoOne: on SQLite, where writes share commits,
// writes that panic fail alone; every other write at the same time is
// stored and answered. (On PostgreSQL each write is its own transaction
// and a panic stays with its caller.)
func TestPanickingWriteStrandsNoOne(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	{
		ctx := context.Background()
		var wg sync.WaitGroup
		var stored atomic.Int64
		for i := range 60 {
			wg.Go(func() {
				err := st.WriteTx(ctx, func(tx *gorm.DB) error {
					if i%5 == 0 {
						panic("a bug in one caller")
					}
					return tx.Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)", fmt.Sprintf("s%d", i), []byte("v"), time.Now()).Error
				})
				if (err == nil) == (i%5 == 0) {
					t.Errorf("write %d: %v", i, err)
				}
				if err == nil {
					stored.Add(1)
				}
			})
		}
		wg.Wait()
		var n int64
		if err := st.WriteTx(ctx, func(tx *gorm.DB) error {
			return tx.Raw("SELECT COUNT(*) FROM secrets WHERE name LIKE 's%'").Scan(&n).Error
		}); err != nil || n != stored.Load() || n != 48 {
			t.Fatalf("%d rows, %d acknowledged (%v); want 48", n, stored.Load(), err)
		}
	}
}

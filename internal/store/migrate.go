package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one numbered, forward-only step. Each uses struct types frozen
// at the time it was written (never today's models), so replaying history on
// a new database builds exactly what older databases have.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Advisory lock keys on PostgreSQL. migrateLockKey is held for the session
// of a whole migrate; migrationLockKey is what each migration's transaction
// takes, as older builds (which knew only that one) also do. They differ, so
// the session lock never waits for a transaction of the same process.
const (
	migrateLockKey   = 727271
	migrationLockKey = 727272
)

// migrate applies every migration not yet recorded, each in its own
// transaction together with its record, so a crash leaves it all or nothing.
// Processes that start together take turns: on PostgreSQL a session-level
// advisory lock is held throughout, and on SQLite the table of records is
// created in a write transaction, which another process waits for.
func (s *Store) migrate(ctx context.Context) error {
	if s.dialect == Postgres {
		unlock, err := s.advisoryLock(ctx, migrateLockKey)
		if err != nil {
			return fmt.Errorf("store: wait for another process's migrations: %w", err)
		}
		defer unlock()
	}
	db := s.w.WithContext(ctx)
	err := db.Transaction(func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&schemaMigration{})
	})
	if err != nil {
		return fmt.Errorf("store: schema_migrations: %w", err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.dialect == Postgres {
				// Several processes may start at once against one database.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockKey).Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&schemaMigration{}).Where("version = ?", m.version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// advisoryLock takes a PostgreSQL session-level advisory lock on a
// connection of its own and returns what releases it. A connection whose
// unlock failed is closed rather than put back in the pool still holding the
// lock; closing it ends the session, which releases the lock.
func (s *Store) advisoryLock(ctx context.Context, key int64) (func(), error) {
	sqlDB, err := s.w.DB()
	if err != nil {
		return nil, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
		return nil, err
	}
	return func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key); err != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}

// AppliedMigrations lists the versions recorded in the database.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int, error) {
	var v []int
	err := s.reading(ctx, func(db *gorm.DB) error {
		return db.Model(&schemaMigration{}).Order("version").Pluck("version", &v).Error
	})
	return v, err
}

// Migrations lists the versions this build knows, in order.
func Migrations() []int {
	v := make([]int, len(migrations))
	for i, m := range migrations {
		v[i] = m.version
	}
	return v
}

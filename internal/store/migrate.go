package store

import (
	"context"
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

// migrate applies every migration not yet recorded, each in its own
// transaction together with its record, so a crash leaves it all or nothing.
func (s *Store) migrate(ctx context.Context) error {
	db := s.w.WithContext(ctx)
	if err := db.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("store: schema_migrations: %w", err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.dialect == Postgres {
				// Several processes may start at once against one database.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(727272)").Error; err != nil {
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

// AppliedMigrations lists the versions recorded in the database.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int, error) {
	var v []int
	err := s.r.WithContext(ctx).Model(&schemaMigration{}).Order("version").Pluck("version", &v).Error
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

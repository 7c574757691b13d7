// Package storetest opens real stores for tests: a SQLite file in a temp
// directory, and a schema of its own on the PostgreSQL named by
// HEARTH_TEST_POSTGRES, so tests can run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hearth/internal/store"
)

// EnvPostgres names the PostgreSQL the tests may use.
const EnvPostgres = "HEARTH_TEST_POSTGRES"

// Dialects lists the stores to test on. In CI a missing PostgreSQL is a
// failure, never a quiet skip.
func Dialects(t testing.TB) []string {
	d := []string{store.SQLite}
	if os.Getenv(EnvPostgres) != "" {
		d = append(d, store.Postgres)
	} else if os.Getenv("CI") != "" {
		t.Fatalf("%s must be set in CI", EnvPostgres)
	}
	return d
}

// Options returns store options for a fresh, empty database of dialect.
func Options(t testing.TB, dialect string) store.Options {
	t.Helper()
	if dialect == store.SQLite {
		return store.Options{SQLitePath: filepath.Join(t.TempDir(), "hearth.db")}
	}
	return store.Options{Postgres: PostgresSchema(t)}
}

// Open opens a fresh store of dialect, closed when the test ends.
func Open(t testing.TB, dialect string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), Options(t, dialect))
	if err != nil {
		t.Fatalf("open %s store: %v", dialect, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Each runs fn as a subtest on a fresh store of every dialect.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// PostgresSchema creates a schema of the test's own and returns a DSN whose
// search_path points at it; the schema is dropped when the test ends.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("%s is not set", EnvPostgres)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	sqlDB, _ := admin.DB()
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		sqlDB.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// NoPairs is reader safety where nobody muted or blocked anyone, for
// tests below the services: an erasure finds no pair naming the member.
// The pairs themselves are tested through the API, with reader safety's
// own keyed hashes.
type NoPairs struct{}

// PairsNaming names no pair.
func (NoPairs) PairsNaming(string, []string) map[string]string { return nil }

// Unlist is never called, as no pair is named.
func (NoPairs) Unlist(context.Context, string, string, []byte) ([]byte, error) {
	return nil, errors.New("storetest: NoPairs names no pair to unlist")
}

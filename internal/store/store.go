// Package store holds Hearth's data: GORM models, numbered migrations and the
// queries the services need, on SQLite (embedded default) or PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the database: on SQLite, one writer connection (so writers queue
// inside the process instead of failing with "database is locked") and a pool
// of readers; on PostgreSQL both draw on one pool of connections.
type Store struct {
	w *gorm.DB
	// readerPool is reached only through read (see query.go), which it
	// enforces.
	readerPool *gorm.DB
	dialect    string
	path       string // the SQLite file
	// group batches SQLite write transactions under one commit.
	group *groupCommit
	// readers lets queries onto the reader pool in order (see gate).
	readers gate
	// trips counts PostgreSQL round trips; nil on SQLite.
	trips *roundTrips
}

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// ErrNotFound is returned by Get… when no row matches.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when a unique rule would be broken.
var ErrConflict = errors.New("store: conflict")

// ErrNoStore is returned with Options.NoCreate when there is no store yet.
var ErrNoStore = errors.New("store: no store there")

// Options says which database to open.
type Options struct {
	SQLitePath string // used when Postgres is empty
	Postgres   string // a postgres:// DSN
	// NoCreate refuses a store that does not exist yet (ErrNoStore) instead
	// of creating it: operator commands must never leave an empty store
	// behind where they were pointed at the wrong place.
	NoCreate bool
}

// Open connects, checks the durability settings and runs the migrations.
func Open(ctx context.Context, o Options) (*Store, error) {
	var s *Store
	var err error
	if o.Postgres != "" {
		s, err = openPostgres(o.Postgres)
	} else {
		s, err = openSQLite(o.SQLitePath, o.NoCreate)
	}
	if err != nil {
		return nil, err
	}
	if o.NoCreate && s.dialect == Postgres && !s.w.WithContext(ctx).Migrator().HasTable(&schemaMigration{}) {
		s.Close()
		return nil, fmt.Errorf("%w: the database %s holds no Hearth tables", ErrNoStore, RedactDSN(o.Postgres))
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func gormConfig() *gorm.Config {
	// The default GORM logger prints SQL with its arguments, which would put
	// member text and handles in the log.
	return &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            true,
		TranslateError:         true,
	}
}

func sqliteDSN(path string, write, noCreate bool) string {
	// _busy_timeout comes first so that even the switch to WAL waits for a
	// busy file instead of failing. _mutex=no drops SQLite's lock around
	// every call on a connection: database/sql already hands a connection
	// to one goroutine at a time.
	params := []string{"_busy_timeout=10000", "_journal_mode=WAL", "_foreign_keys=on", "_synchronous=FULL", "_secure_delete=on", "_mutex=no"}
	if noCreate {
		params = append(params, "mode=rw") // SQLite's own: open, never create
	}
	if write {
		params = append(params, "_txlock=immediate")
	} else {
		params = append(params, "_txlock=deferred", "_query_only=true")
	}
	return "file:" + path + "?" + strings.Join(params, "&")
}

func openSQLite(path string, noCreate bool) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no SQLite path")
	}
	if noCreate {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist", ErrNoStore, path)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	w, err := openBusy(writerDriver, sqliteDSN(path, true, noCreate))
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)

	r, err := openBusy("sqlite3", sqliteDSN(path, false, noCreate))
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("store: open SQLite readers: %w", err)
	}
	rdb, err := r.DB()
	if err != nil {
		wdb.Close()
		return nil, err
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	rdb.SetConnMaxIdleTime(0)
	s := &Store{w: w, readerPool: r, dialect: SQLite, path: path, group: &groupCommit{db: w}, readers: newGate(n)}
	if err := s.checkSQLite(); err != nil {
		s.Close()
		return nil, err
	}
	if err := guardReaders(r); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// writerDriver is SQLite for the one writer connection, whose savepoints
// (one a write of a group commit) keep their journal in memory. SQLite
// spills a statement journal past 64 KiB to a temporary file, and from
// then on every page a write touches is written to disk once more before
// the commit writes it: a reply with its search postings touches a few
// dozen. A write's journal holds the pages that write touched, once each.
const writerDriver = "sqlite3_hearth_writer"

func init() {
	sql.Register(writerDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA temp_store = MEMORY", nil)
		return err
	}})
}

// openBusy opens dsn with driver, trying again for a while when the file
// is busy. Switching a fresh file to WAL needs it to itself, and SQLite
// answers "database is locked" at once, without waiting out
// _busy_timeout, when several processes open one new store together;
// moments later the switch is done and the file opens. The writer's
// connection keeps its statements prepared itself (preparedPool).
func openBusy(driver, dsn string) (*gorm.DB, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		sqlDB, err := sql.Open(driver, dsn)
		if err != nil {
			return nil, err
		}
		var conn gorm.ConnPool = sqlDB
		config := gormConfig()
		if driver == writerDriver {
			conn, config.PrepareStmt = newPreparedPool(sqlDB), false
		}
		db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: conn}), config)
		if err == nil {
			return db, nil
		}
		sqlDB.Close()
		var se sqlite3.Error
		if !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return nil, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkSQLite reads the durability pragmas back: a driver that silently
// ignored one would turn acknowledged writes into lost ones.
func (s *Store) checkSQLite() error {
	for _, db := range []*gorm.DB{s.w, s.readerPool} {
		var sync int
		if err := db.Raw("PRAGMA synchronous").Scan(&sync).Error; err != nil {
			return fmt.Errorf("store: read synchronous: %w", err)
		}
		if sync != 2 {
			return fmt.Errorf("store: PRAGMA synchronous is %d, want 2 (FULL); refusing to run", sync)
		}
		var fk int
		if err := db.Raw("PRAGMA foreign_keys").Scan(&fk).Error; err != nil || fk != 1 {
			return fmt.Errorf("store: foreign keys are not on; refusing to run")
		}
	}
	var mode string
	if err := s.w.Raw("PRAGMA journal_mode").Scan(&mode).Error; err != nil || mode != "wal" {
		return fmt.Errorf("store: journal_mode is %q, want wal; refusing to run", mode)
	}
	return nil
}

// postgresConns is each process's pool of PostgreSQL connections. More
// is not faster: past what the database's cores can run at once, backends
// only take turns, and a request waits in that queue rather than in Go's.
// Measured on a 2-core machine with 64 writers at once, 16 answered more
// replies with a lower p99 than 32; six processes stay within
// PostgreSQL's default max_connections (100).
const postgresConns = 16

func openPostgres(dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: PostgreSQL DSN %s: %w", RedactDSN(dsn), redactErr(err, dsn))
	}
	trips := &roundTrips{}
	cfg.Tracer = trips
	sqlDB := stdlib.OpenDB(*cfg)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open PostgreSQL at %s: %w", RedactDSN(dsn), redactErr(err, dsn))
	}
	sqlDB.SetMaxOpenConns(postgresConns)
	sqlDB.SetMaxIdleConns(postgresConns)
	// Readers draw on the same connections through a GORM of their own, so
	// the admission check holds for reads and never for writes.
	r, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: PostgreSQL readers: %w", err)
	}
	if err := guardReaders(r); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := pipelineWrites(db); err != nil {
		sqlDB.Close()
		return nil, err
	}
	// Writes share the pool, so reads take at most three quarters of it.
	return &Store{w: db, readerPool: r, dialect: Postgres, readers: newGate(postgresConns * 3 / 4), trips: trips}, nil
}

// RedactDSN hides the password of a DSN so it can be printed.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}

func redactErr(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return err
	}
	if p, ok := u.User.Password(); ok && p != "" {
		return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
	}
	return err
}

// Dialect says which database this is.
func (s *Store) Dialect() string { return s.dialect }

// Close closes every connection.
func (s *Store) Close() error {
	var errs []error
	closed := map[*sql.DB]bool{}
	for _, db := range []*gorm.DB{s.w, s.readerPool} {
		if sqlDB, err := db.DB(); err == nil && !closed[sqlDB] {
			closed[sqlDB] = true
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks the store answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.queryRow(ctx, "SELECT 1").Scan(&one)
}

// Checkpoint folds the WAL into the main file and truncates it, so a stopped
// server leaves one self-contained file.
func (s *Store) Checkpoint(ctx context.Context) error {
	if s.dialect != SQLite {
		return nil
	}
	return s.w.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// tx runs fn in one write transaction. On SQLite, transactions that wait
// for the one writer share a commit (see groupCommit).
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.group != nil {
		return s.group.run(ctx, fn)
	}
	return s.w.WithContext(ctx).Transaction(fn)
}

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	return errors.Is(err, gorm.ErrDuplicatedKey)
}

// OnQuery calls fn after every statement the store runs, with the kind of
// statement (query, row, raw, create, update, delete) and how long it took,
// for metrics and for tests that count the queries of one request.
func (s *Store) OnQuery(fn func(op string, d time.Duration)) {
	const startKey = "hearth:query_start"
	before := func(db *gorm.DB) { db.InstanceSet(startKey, time.Now()) }
	after := func(op string) func(*gorm.DB) {
		return func(db *gorm.DB) {
			if t, ok := db.InstanceGet(startKey); ok {
				fn(op, time.Since(t.(time.Time)))
			}
		}
	}
	for _, db := range []*gorm.DB{s.w, s.readerPool} {
		cb := db.Callback()
		_ = cb.Query().Before("gorm:query").Register("hearth:before_query", before)
		_ = cb.Query().After("gorm:query").Register("hearth:after_query", after("query"))
		_ = cb.Row().Before("gorm:row").Register("hearth:before_row", before)
		_ = cb.Row().After("gorm:row").Register("hearth:after_row", after("row"))
		_ = cb.Raw().Before("gorm:raw").Register("hearth:before_raw", before)
		_ = cb.Raw().After("gorm:raw").Register("hearth:after_raw", after("raw"))
		_ = cb.Create().Before("gorm:create").Register("hearth:before_create", before)
		_ = cb.Create().After("gorm:create").Register("hearth:after_create", after("create"))
		_ = cb.Update().Before("gorm:update").Register("hearth:before_update", before)
		_ = cb.Update().After("gorm:update").Register("hearth:after_update", after("update"))
		_ = cb.Delete().Before("gorm:delete").Register("hearth:before_delete", before)
		_ = cb.Delete().After("gorm:delete").Register("hearth:after_delete", after("delete"))
	}
}

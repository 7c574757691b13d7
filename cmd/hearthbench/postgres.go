package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// The PostgreSQL rows run the forum's read and write rows again against two
// `hearth serve` processes that share one PostgreSQL schema and one data dir
// (so one master key), each worker talking to one of them in turn; the
// thread and reply rows also run against one process, and against the naive
// build of the same work, to compare the two.
const (
	envPostgres     = "HEARTH_BENCH_POSTGRES"
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	pgProcesses     = 2
	pgSuffix        = " (PostgreSQL, 2 processes)"
	pgConnect       = 5 * time.Second
	// The rows marked naive run against one hearth process and against the
	// naive build (naive.go), each on a fresh schema, one after the other.
	oneSuffix   = " (PostgreSQL, 1 process)"
	naiveSuffix = " (naive Echo + GORM)"
)

// marked are the rows marked (postgres, naive or unindexed), renamed with
// suffix.
func marked(mark func(scenario) bool, suffix string, only func(string) bool) []scenario {
	var out []scenario
	for _, sc := range scenarios() {
		if !mark(sc) {
			continue
		}
		sc.name += suffix
		if only(sc.name) {
			out = append(out, sc)
		}
	}
	return out
}

func postgresRow(sc scenario) bool { return sc.postgres }
func naiveRow(sc scenario) bool    { return sc.naive }

// runHearth is runPostgres with n hearth processes, in runNaive's shape.
func runHearth(n int) func(context.Context, *options, []scenario, io.Writer) ([]result, error) {
	return func(ctx context.Context, o *options, scs []scenario, stderr io.Writer) ([]result, error) {
		return runPostgres(ctx, o, scs, n, stderr)
	}
}

// postgresDSN is where the PostgreSQL rows run: HEARTH_BENCH_POSTGRES, or a
// local server's test database; "off" skips them.
func postgresDSN() string {
	if v := os.Getenv(envPostgres); v != "" {
		return v
	}
	return defaultPostgres
}

// benchSchema is freshSchema on the PostgreSQL the rows run on
// (postgresDSN), with a drop that reports its own failure.
func benchSchema(ctx context.Context, stderr io.Writer) (dsn, version string, drop func(), err error) {
	base := postgresDSN()
	if base == "off" {
		return "", "", nil, skipError{envPostgres + "=off"}
	}
	dsn, version, dropSchema, err := freshSchema(ctx, base)
	if err != nil {
		return "", "", nil, err
	}
	return dsn, version, func() {
		if err := dropSchema(); err != nil {
			fmt.Fprintf(stderr, "hearthbench: %v\n", err)
		}
	}, nil
}

// freshSchema makes a schema of its own on the PostgreSQL at base and
// returns a DSN that works in it, the server's version, and drop, which
// removes the schema with everything in it. A PostgreSQL that does not
// answer is a skipError.
func freshSchema(ctx context.Context, base string) (dsn, version string, drop func() error, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", "", nil, skipError{fmt.Sprintf("%s: %v", envPostgres, err)}
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", "", nil, skipError{fmt.Sprintf("PostgreSQL (%s): %v", envPostgres, err)}
	}
	pctx, cancel := context.WithTimeout(ctx, pgConnect)
	defer cancel()
	if err := db.QueryRowContext(pctx, "SHOW server_version").Scan(&version); err != nil {
		db.Close()
		return "", "", nil, skipError{fmt.Sprintf("PostgreSQL not reachable (set %s): %v", envPostgres, err)}
	}
	if v, _, ok := strings.Cut(version, " "); ok {
		version = v // "15.20 (Debian 15.20-0+deb12u1)" is 15.20
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(pctx, "CREATE SCHEMA "+schema); err != nil {
		db.Close()
		return "", "", nil, skipError{fmt.Sprintf("PostgreSQL: create schema: %v", err)}
	}
	drop = func() error {
		defer db.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			return fmt.Errorf("drop schema %s: %w", schema, err)
		}
		return nil
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), version, drop, nil
}

// runPostgres makes a schema of its own, starts n processes on it, runs
// scs and drops the schema again. A PostgreSQL that does not answer skips
// the rows (skipError); a server that does not start breaks the run.
func runPostgres(ctx context.Context, o *options, scs []scenario, n int, stderr io.Writer) (rows []result, err error) {
	dsn, version, drop, err := benchSchema(ctx, stderr)
	if err != nil {
		return nil, err
	}
	// Deferred first, so it runs last: after the servers have stopped and
	// let go of their connections.
	defer drop()

	dir, err := os.MkdirTemp("", "hearthbench-pg-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(stderr, "hearthbench: kept %s (master key, server logs)\n", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	// One after the other: the first creates the master key and the tables,
	// the second finds both.
	procs := make([]*server, 0, n)
	defer func() {
		for _, s := range procs {
			s.stop()
		}
	}()
	for k := range n {
		s, err := startServerWith(ctx, o.bin, dir, dsn, fmt.Sprintf("server-%d.log", k+1), o.keep, stderr)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL process %d: %w", k+1, err)
		}
		procs = append(procs, s)
	}
	fmt.Fprintf(stderr, "hearthbench: hearth on PostgreSQL %s, %d process(es)\n", version, n)

	e := newEnv(procs[0].base, o.warmup+o.duration)
	e.bases = nil
	for _, s := range procs {
		e.bases = append(e.bases, s.base)
	}
	e.createAdmin = procs[0].createAdmin
	for _, sc := range scs {
		if n == 1 {
			sc.note = fmt.Sprintf("the load of the SQLite row of the same name, against one hearth process on a fresh schema of PostgreSQL %s on this machine; "+
				"its requests/s is compared above with the naive build's.", version)
		} else {
			sc.note = fmt.Sprintf("the load of the SQLite row of the same name, against %d hearth processes sharing one schema of PostgreSQL %s on this machine "+
				"(worker w talks to process w mod %d); server peak RSS is the sum of their peaks.", n, version, n)
		}
		res, err := runScenario(ctx, e, sc, o, procs, stderr)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, res)
	}
	return rows, nil
}

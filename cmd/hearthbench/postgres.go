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
// (so one master key), each worker talking to one of them in turn.
const (
	envPostgres     = "HEARTH_BENCH_POSTGRES"
	defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	pgProcesses     = 2
	pgSuffix        = " (PostgreSQL, 2 processes)"
	pgConnect       = 5 * time.Second
)

// pgScenarios are the rows marked postgres, renamed with pgSuffix.
func pgScenarios(only func(string) bool) []scenario {
	var out []scenario
	for _, sc := range scenarios() {
		if !sc.postgres {
			continue
		}
		sc.name += pgSuffix
		if only(sc.name) {
			out = append(out, sc)
		}
	}
	return out
}

// postgresDSN is where the PostgreSQL rows run: HEARTH_BENCH_POSTGRES, or a
// local server's test database; "off" skips them.
func postgresDSN() string {
	if v := os.Getenv(envPostgres); v != "" {
		return v
	}
	return defaultPostgres
}

// runPostgres makes a schema of its own, starts the processes on it, runs
// scs and drops the schema again. A PostgreSQL that does not answer skips
// the rows (skipError); a server that does not start breaks the run.
func runPostgres(ctx context.Context, o *options, scs []scenario, stderr io.Writer) (rows []result, err error) {
	dsn := postgresDSN()
	if dsn == "off" {
		return nil, skipError{envPostgres + "=off"}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, skipError{fmt.Sprintf("PostgreSQL (%s): %v", envPostgres, err)}
	}
	defer db.Close()
	pctx, cancel := context.WithTimeout(ctx, pgConnect)
	defer cancel()
	var version string
	if err := db.QueryRowContext(pctx, "SHOW server_version").Scan(&version); err != nil {
		return nil, skipError{fmt.Sprintf("PostgreSQL not reachable (set %s): %v", envPostgres, err)}
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.ExecContext(pctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, skipError{fmt.Sprintf("PostgreSQL: create schema: %v", err)}
	}
	// Deferred first, so it runs last: after the servers have stopped and
	// let go of their connections.
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			fmt.Fprintf(stderr, "hearthbench: drop schema %s: %v\n", schema, err)
		}
	}()
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, skipError{fmt.Sprintf("%s: %v", envPostgres, err)}
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()

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
	procs := make([]*server, 0, pgProcesses)
	defer func() {
		for _, s := range procs {
			s.stop()
		}
	}()
	for k := range pgProcesses {
		s, err := startServerWith(ctx, o.bin, dir, u.String(), fmt.Sprintf("server-%d.log", k+1), o.keep, stderr)
		if err != nil {
			return nil, fmt.Errorf("PostgreSQL process %d: %w", k+1, err)
		}
		procs = append(procs, s)
	}
	if v, _, ok := strings.Cut(version, " "); ok {
		version = v // "15.20 (Debian 15.20-0+deb12u1)" is 15.20
	}
	fmt.Fprintf(stderr, "hearthbench: %d processes on PostgreSQL %s, schema %s\n", pgProcesses, version, schema)

	e := newEnv(procs[0].base, o.warmup+o.duration)
	e.bases = nil
	for _, s := range procs {
		e.bases = append(e.bases, s.base)
	}
	e.createAdmin = procs[0].createAdmin
	for _, sc := range scs {
		sc.note = fmt.Sprintf("the load of the SQLite row of the same name, against %d hearth processes sharing one schema of PostgreSQL %s on this machine "+
			"(worker w talks to process w mod %d); server peak RSS is the sum of their peaks.", pgProcesses, version, pgProcesses)
		res, err := runScenario(ctx, e, sc, o, procs, stderr)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, res)
	}
	return rows, nil
}

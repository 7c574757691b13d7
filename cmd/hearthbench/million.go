package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

// The rows marked million run a second time on a store of a million
// stories, to show that reading costs the same however long the forum's
// history grows: their p50 is compared with the row's on ten thousand.
const (
	millionSuffix = " (1,000,000 stories)"
	// millionTarget is the p50 ratio we aim to stay at or below.
	millionTarget = 1.3
)

// storeRun is a seeded store a server ran on, for the lines after the table.
type storeRun struct {
	seed   *seeded
	idleKB int64 // the server's resident memory, idle after start; -1: unknown
}

// startSeeded seeds a store of size in a new temp dir, starts the server on
// it and reads the server's idle memory before any request.
func startSeeded(ctx context.Context, o *options, size seedSize, stderr io.Writer) (*server, storeRun, error) {
	dir, err := os.MkdirTemp("", "hearthbench-")
	if err != nil {
		return nil, storeRun{}, err
	}
	fail := func(err error) (*server, storeRun, error) {
		if o.keep {
			fmt.Fprintf(stderr, "hearthbench: kept %s\n", dir)
		} else {
			os.RemoveAll(dir)
		}
		return nil, storeRun{}, err
	}
	seed, err := seedStore(ctx, dir, size, stderr)
	if err != nil {
		return fail(err)
	}
	srv, err := startServer(ctx, o.bin, dir, o.keep, stderr)
	if err != nil {
		return fail(err)
	}
	sr := storeRun{seed: seed, idleKB: -1}
	kb, err := srv.idleKB(ctx)
	if err != nil && ctx.Err() != nil {
		srv.stop()
		return nil, storeRun{}, ctx.Err()
	}
	if err == nil {
		sr.idleKB = kb
	}
	return srv, sr, nil
}

// millionScenarios are the rows marked million, renamed with millionSuffix.
func millionScenarios(only func(string) bool) []scenario {
	var out []scenario
	for _, sc := range scenarios() {
		if !sc.million {
			continue
		}
		sc.name += millionSuffix
		sc.note = fmt.Sprintf("the load of the row of the same name on a store of %s; its p50 is compared above.", oneMillion)
		if only(sc.name) {
			out = append(out, sc)
		}
	}
	return out
}

// runMillion seeds the million's store, starts a server on it and runs scs.
func runMillion(ctx context.Context, o *options, scs []scenario, stderr io.Writer) ([]result, storeRun, error) {
	srv, sr, err := startSeeded(ctx, o, oneMillion, stderr)
	if err != nil {
		return nil, sr, fmt.Errorf("the million's store: %w", err)
	}
	defer srv.stop()
	e := newEnv(srv.base, o.warmup+o.duration)
	e.useSeed(sr.seed)
	var rows []result
	for _, sc := range scs {
		res, err := runScenario(ctx, e, sc, o, procsOf(srv), stderr)
		if err != nil {
			return rows, sr, fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, res)
	}
	return rows, sr, nil
}

// millionComparisons relate each million row's p50 to its row's on ten
// thousand stories.
func millionComparisons() []comparison {
	var out []comparison
	for _, sc := range scenarios() {
		if sc.million {
			out = append(out, comparison{label: sc.name + " p50 at 1,000,000 stories", of: "its p50 at 10,000",
				row: sc.name + millionSuffix, base: sc.name, p: 0.50, target: millionTarget})
		}
	}
	return out
}

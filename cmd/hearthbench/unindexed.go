package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// The rows marked unindexed (the reply row) run again against hearth built
// with noIndexTag, which writes no search postings for new writing
// (internal/search/noindexing.go), on a fresh store seeded as the first:
// their requests/s against the row's own is what indexing costs a reply.
const (
	noIndexTag    = "nosearchindex"
	noIndexSuffix = " (search indexing off)"
	// hearthPackage is the server's main package, built from the module
	// hearthbench runs in, as `make build` builds it.
	hearthPackage = "hearth/cmd/hearth"
)

func unindexedRow(sc scenario) bool { return sc.unindexed }

// buildHearth builds the hearth server with the build tags into dir and
// answers its path. Unlike `make build` it keeps file paths (no
// -trimpath), which changes nothing in how fast the server runs and lets
// it share the build cache of the tests' own builds: a cold cgo SQLite
// build costs minutes. Where it cannot
// (no go command, or not run inside the hearth module) it is a skipError.
func buildHearth(ctx context.Context, dir string, tags ...string) (string, error) {
	bin := filepath.Join(dir, "hearth")
	args := []string{"build", "-o", bin}
	for _, t := range tags {
		args = append(args, "-tags", t)
	}
	out, err := exec.CommandContext(ctx, "go", append(args, hearthPackage)...).CombinedOutput()
	if err != nil {
		return "", skipError{fmt.Sprintf("go build %s: %v\n%s", hearthPackage, err, out)}
	}
	return bin, nil
}

// runUnindexed builds hearth with noIndexTag, seeds a store of ten
// thousand stories as the first, starts that build on it and runs scs.
func runUnindexed(ctx context.Context, o *options, scs []scenario, stderr io.Writer) ([]result, error) {
	dir, err := os.MkdirTemp("", "hearthbench-noindex-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(stderr, "hearthbench: building hearth with -tags %s\n", noIndexTag)
	bin, err := buildHearth(ctx, dir, noIndexTag)
	if err != nil {
		return nil, err
	}
	unindexed := *o
	unindexed.bin = bin
	srv, sr, err := startSeeded(ctx, &unindexed, tenThousand, stderr)
	if err != nil {
		return nil, fmt.Errorf("the store without indexing: %w", err)
	}
	defer srv.stop()
	e := newEnv(srv.base, o.warmup+o.duration)
	e.useSeed(sr.seed)
	var rows []result
	for _, sc := range scs {
		sc.note = fmt.Sprintf("the load of the row of the same name, against hearth built from this source tree with -tags %s "+
			"(it writes no search postings for new writing; nothing else differs) on a fresh store (%s) seeded as the first; "+
			"its requests/s is compared above with the row's own.", noIndexTag, tenThousand)
		res, err := runScenario(ctx, e, sc, o, procsOf(srv), stderr)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, res)
	}
	return rows, nil
}

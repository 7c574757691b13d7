package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// The rows marked unindexed (the reply row) run again against hearth built
// with noIndexTag, which writes no search postings for new writing
// (internal/search/noindexing.go), on a fresh store seeded as the first,
// in turns with the row itself (runPaired): their requests/s against the
// row's own is what indexing costs a reply.
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

// twin is hearth built with noIndexTag, on a store of its own seeded as
// the first, up beside the first server while the unindexed rows run.
type twin struct {
	srv *server
	e   *env
}

// startTwin builds hearth with noIndexTag, seeds a store of ten thousand
// stories as the first and starts that build on it.
func startTwin(ctx context.Context, o *options, stderr io.Writer) (*twin, error) {
	dir, err := os.MkdirTemp("", "hearthbench-noindex-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir) // the binary only: the server has it open
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
	e := newEnv(srv.base, o.warmup+o.duration)
	e.useSeed(sr.seed)
	return &twin{srv: srv, e: e}, nil
}

func (t *twin) stop() { t.srv.stop() }

// pairTurns is how many turns each side of a paired row takes. The two
// servers take turns a slice of the row at a time, first one then the
// other leading, so that both meet the machine as it is in the same
// minutes: on a shared host its speed drifts by a third between rows run
// minutes apart, which alone moved the ratio of the two from 0.57x to
// 0.85x with nothing else changed.
const pairTurns = 6

// runPaired runs sc against the first server and against the twin in
// turns, and answers the two rows: sc's, and sc's with noIndexSuffix.
func runPaired(ctx context.Context, e *env, tw *twin, sc scenario, o *options, procs []*server, stderr io.Writer) ([]result, error) {
	dur := sc.duration
	if dur == 0 {
		dur = o.duration
	}
	slice := (dur / pairTurns).Round(time.Millisecond)
	off := sc
	off.name += noIndexSuffix
	off.note = fmt.Sprintf("the load of the row of the same name, against hearth built from this source tree with -tags %s "+
		"(it writes no search postings for new writing; nothing else differs) on a fresh store (%s) seeded as the first. "+
		"The two rows take turns, %d of %v each, so that both meet the machine in the same minutes; "+
		"their requests/s are compared above.", noIndexTag, tenThousand, pairTurns, slice)
	sides := []struct {
		e     *env
		procs []*server
		sc    scenario
	}{{e, procs, sc}, {tw.e, procsOf(tw.srv), off}}
	out := make([]result, len(sides))
	for k, side := range sides {
		// Tokens signed in by the setup must last both sides' turns.
		side.e.rowLen = time.Duration(len(sides)*pairTurns) * (o.warmup + slice + settle)
		for _, s := range side.procs {
			if err := s.waitQuiet(ctx); err != nil {
				return nil, err
			}
		}
		if side.sc.setup != nil {
			if err := side.sc.setup(ctx, side.e, stderr); err != nil {
				return nil, fmt.Errorf("%s: setup: %w", side.sc.name, err)
			}
		}
		side.e.rowLen = o.warmup + o.duration
		out[k] = result{name: side.sc.name, note: side.sc.note, rssKB: -1}
	}
	fmt.Fprintf(stderr, "hearthbench: %-28s %d turns of %v with its twin (+%v warm-up each)\n", sc.name, pairTurns, slice, o.warmup)
	for turn := range pairTurns {
		for i := range sides {
			k := (i + turn) % len(sides)
			side := sides[k]
			if err := sleep(ctx, settle); err != nil {
				return nil, err
			}
			for _, s := range side.procs {
				s.rss.reset()
			}
			r := measure(ctx, side.e, side.sc, o.warmup, slice)
			out[k].tally.add(r.tally)
			out[k].wall += r.wall
			for _, s := range side.procs {
				out[k].rssKB = max(out[k].rssKB, s.rss.peakKB())
			}
		}
	}
	for k := range out {
		slices.Sort(out[k].lat)
	}
	return out, nil
}

// Command hearthbench is the load generator behind `make bench`. It seeds a
// store of 10,000 stories by writing it directly (seed.go), starts a real
// hearth server on it (or targets one given with --addr), drives it with the
// scenarios of scenarios.go under concurrent load, runs the reads again on
// a store of a million stories (million.go), the reply row in turns with a
// build of hearth that indexes no new writing for search (unindexed.go), the
// forum rows on PostgreSQL (postgres.go), where it also runs the thread and
// reply rows against a naive Echo + GORM build of the same work
// (naive.go), and prints one markdown table of throughput, latency,
// errors, shed requests and server memory.
//
// It is a benchmark, never a test: it reports numbers and never judges them.
// It exits non-zero only when the server cannot start or the harness itself
// breaks (or on Ctrl-C), so a slow machine never turns `make bench` red.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	bin      string
	addr     string
	duration time.Duration
	warmup   time.Duration
	keep     bool
	only     *regexp.Regexp
	admin    string // with --addr: an admin's handle, password in HEARTH_PASSWORD
}

// Exit codes: a broken harness and an interrupted run must be told apart
// from a finished one by scripts.
const (
	exitOK          = 0
	exitBroken      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// settle is the pause between rows, so that requests the previous row left
// queued or hashing in the server do not land in the next row's numbers.
const settle = time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	var o options
	var only string
	fs := flag.NewFlagSet("hearthbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bin, "bin", "./bin/hearth", "hearth server binary to start")
	fs.StringVar(&o.addr, "addr", "", "host:port of an already-running server to target instead of starting one (no peak RSS then)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per scenario")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each scenario, so connections and caches are warm")
	fs.BoolVar(&o.keep, "keep", false, "keep the servers' temp dirs (stores and server logs) after the run")
	fs.StringVar(&only, "run", "", "run only the scenarios whose name matches this regexp")
	fs.StringVar(&o.admin, "admin-handle", "", "with --addr: an admin of that server (password in HEARTH_PASSWORD) to create the forum scenarios' circle; without it they are skipped")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if o.admin != "" && o.addr == "" {
		return nil, errors.New("--admin-handle goes with --addr; the server hearthbench starts gets an admin of its own")
	}
	if o.duration <= 0 || o.warmup < 0 {
		return nil, errors.New("--duration must be positive and --warmup not negative")
	}
	if only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			return nil, fmt.Errorf("--run: %v", err)
		}
		o.only = re
	}
	return &o, nil
}

// run does the whole benchmark and returns the exit code; main exits only
// after run's deferred cleanup has stopped the server and removed its dir.
func run(args []string, stdout, stderr io.Writer) int {
	// Not in the usage: hearthbench starts itself this way as the naive
	// build's server (naive.go).
	if len(args) > 0 && args[0] == naiveCommand {
		return runNaiveServer(args[1:], stderr)
	}
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "hearthbench: %v\n", err)
		return exitUsage
	}

	// Ctrl-C ends the run through this context, so the deferred stop below
	// still takes the server down and removes its temp dir.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var srv *server
	var stores []storeRun
	base := "http://" + o.addr
	serverName := "external server at " + o.addr
	if o.addr == "" {
		serverName = serverVersion(o.bin)
		fmt.Fprintf(stderr, "hearthbench: starting %s on a seeded store\n", serverName)
		var sr storeRun
		srv, sr, err = startSeeded(ctx, o, tenThousand, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "hearthbench: %v\n", err)
			if ctx.Err() != nil {
				return exitInterrupted
			}
			return exitBroken
		}
		defer srv.stop()
		base = srv.base
		stores = append(stores, sr)
	}

	e := newEnv(base, o.warmup+o.duration)
	if len(stores) > 0 {
		e.useSeed(stores[0].seed)
	} else if o.admin != "" {
		e.adminHandle, e.adminPassword = o.admin, os.Getenv("HEARTH_PASSWORD")
	}
	only := func(name string) bool { return o.only == nil || o.only.MatchString(name) }
	// The unindexed rows run in turns with their own rows, against the
	// build without search indexing, up beside the first server meanwhile.
	var tw *twin
	if srv != nil && len(marked(unindexedRow, noIndexSuffix, only)) > 0 {
		tw, err = startTwin(ctx, o, stderr)
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "hearthbench: interrupted")
			return exitInterrupted
		}
		if skip := (skipError{}); errors.As(err, &skip) {
			fmt.Fprintf(stderr, "hearthbench: skipping the rows that need the build without search indexing: %v\n", skip)
		} else if err != nil {
			fmt.Fprintf(stderr, "hearthbench: %v\n", err)
			return exitBroken
		} else {
			defer tw.stop()
		}
	}
	var rows []result
	for _, sc := range scenarios() {
		paired := tw != nil && sc.unindexed && (only(sc.name) || only(sc.name+noIndexSuffix))
		if !only(sc.name) && !paired {
			continue
		}
		var res []result
		if paired {
			res, err = runPaired(ctx, e, tw, sc, o, procsOf(srv), stderr)
		} else {
			var r result
			r, err = runScenario(ctx, e, sc, o, procsOf(srv), stderr)
			res = []result{r}
		}
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "hearthbench: interrupted")
			return exitInterrupted
		}
		if skip := (skipError{}); errors.As(err, &skip) {
			fmt.Fprintf(stderr, "hearthbench: skipping %s: %v\n", sc.name, skip)
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "hearthbench: %s: %v\n", sc.name, err)
			return exitBroken
		}
		for _, r := range res {
			if only(r.name) {
				rows = append(rows, r)
			}
		}
	}
	if tw != nil {
		tw.stop()
	}

	// The million's rows and the PostgreSQL rows need servers of their own;
	// the first one stops before, so it holds no memory or CPU while they run.
	if ms := millionScenarios(only); srv != nil && len(ms) > 0 {
		srv.stop()
		mRows, sr, err := runMillion(ctx, o, ms, stderr)
		rows = append(rows, mRows...)
		if sr.seed != nil {
			stores = append(stores, sr)
		}
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "hearthbench: interrupted")
			return exitInterrupted
		}
		if err != nil {
			fmt.Fprintf(stderr, "hearthbench: %v\n", err)
			return exitBroken
		}
	}
	// The PostgreSQL rows run again elsewhere, each set on a store of its
	// own, the naive comparison's two sides back to back so that both meet
	// the same PostgreSQL in the same state.
	elsewhere := []struct {
		what string // what the rows need, for the line that skips them
		scs  []scenario
		run  func(context.Context, *options, []scenario, io.Writer) ([]result, error)
	}{
		{"PostgreSQL", marked(postgresRow, pgSuffix, only), runHearth(pgProcesses)},
		{"PostgreSQL", marked(naiveRow, oneSuffix, only), runHearth(1)},
		{"PostgreSQL", marked(naiveRow, naiveSuffix, only), runNaive},
	}
	for _, el := range elsewhere {
		if srv == nil || len(el.scs) == 0 {
			continue
		}
		srv.stop()
		elRows, err := el.run(ctx, o, el.scs, stderr)
		rows = append(rows, elRows...)
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "hearthbench: interrupted")
			return exitInterrupted
		}
		if skip := (skipError{}); errors.As(err, &skip) {
			fmt.Fprintf(stderr, "hearthbench: skipping %d rows that need %s: %v\n", len(el.scs), el.what, skip)
		} else if err != nil {
			fmt.Fprintf(stderr, "hearthbench: %v\n", err)
			return exitBroken
		}
	}

	fmt.Fprintf(stdout, "machine: %d CPUs, %s/%s, %s; server: %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), serverName)
	printTable(stdout, rows)
	printComparisons(stdout, rows)
	printStores(stdout, stores)
	printNotes(stdout, rows)
	return exitOK
}

// runScenario prepares one scenario, runs it and takes the server's peak
// memory over exactly that row.
func runScenario(ctx context.Context, e *env, sc scenario, o *options, procs []*server, stderr io.Writer) (result, error) {
	for _, s := range procs {
		if err := s.waitQuiet(ctx); err != nil {
			return result{}, err
		}
	}
	if sc.setup != nil {
		if err := sc.setup(ctx, e, stderr); err != nil {
			return result{}, fmt.Errorf("setup: %w", err)
		}
	}
	dur := sc.duration
	if dur == 0 {
		dur = o.duration
	}
	if err := sleep(ctx, settle); err != nil {
		return result{}, err
	}
	fmt.Fprintf(stderr, "hearthbench: %-28s %v (+%v warm-up)\n", sc.name, dur, o.warmup)
	for _, s := range procs {
		s.rss.reset()
	}
	res := measure(ctx, e, sc, o.warmup, dur)
	res.note = sc.note
	res.rssKB = -1
	// Several processes: the sum of their peaks (an upper bound of the
	// peak of their sum).
	for _, s := range procs {
		if kb := s.rss.peakKB(); kb >= 0 {
			res.rssKB = max(res.rssKB, 0) + kb
		}
	}
	return res, nil
}

// procsOf is the started server as a list, empty with --addr.
func procsOf(srv *server) []*server {
	if srv == nil {
		return nil
	}
	return []*server{srv}
}

// serverVersion asks the binary itself, so the table names the build that
// was measured rather than whatever the source tree says now.
func serverVersion(bin string) string {
	out, err := exec.Command(bin, "version").Output()
	v := strings.TrimSpace(string(out))
	if err != nil || v == "" {
		return bin + " (version unknown)"
	}
	return v + " (" + bin + ")"
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"hearth/internal/app"
	"hearth/internal/config"
	"hearth/internal/demo"
	"hearth/internal/httpapi"
	"hearth/internal/kernel"
	"hearth/internal/moderation"
	"hearth/internal/seal"
	"hearth/internal/store"
)

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openKeyring loads the master keys of an existing store; it never makes
// one (see openStoreAndKeys).
func openKeyring(cfg *config.Config) (*seal.Keyring, error) {
	kr, err := seal.OpenKeyring(cfg.DataDir, cfg.MasterKey, false)
	if err != nil {
		return nil, keyringError(cfg, err)
	}
	return kr, nil
}

func keyringError(cfg *config.Config, err error) error {
	switch {
	case errors.Is(err, seal.ErrNoMasterKey):
		return fail(exitKey, "no master key: set HEARTH_MASTER_KEY or restore %s/master.key (the store exists, so a new key would not open it)", cfg.DataDir)
	case errors.Is(err, seal.ErrBadMasterKey):
		return fail(exitKey, "the master key must be base64 of 32 bytes (256 bits): %v", err)
	case errors.Is(err, seal.ErrKeyFileMode):
		return fail(exitKey, "%s/master.key is readable by other users; run: chmod 600 %s/master.key", cfg.DataDir, cfg.DataDir)
	}
	return fail(exitKey, "master key: %v", err)
}

// openStoreAndKeys opens the store, creating it if need be, and its master
// keys. master.key is made only when it is missing and the store holds
// nothing wrapped under any master key: a store that does (a SQLite file
// whose key file was lost, or a PostgreSQL database another server set up
// with its own key) would only be orphaned by a new key. A key that is there
// but unusable is reported before any store is made.
func openStoreAndKeys(ctx context.Context, cfg *config.Config) (*seal.Keyring, *store.Store, error) {
	kr, err := seal.OpenKeyring(cfg.DataDir, cfg.MasterKey, false)
	missing := errors.Is(err, seal.ErrNoMasterKey) && cfg.MasterKey == ""
	if err != nil && !missing {
		return nil, nil, keyringError(cfg, err)
	}
	st, err := openStore(ctx, cfg, true)
	if err != nil {
		return nil, nil, err
	}
	if missing {
		if kr, err = newMasterKey(ctx, cfg, st); err != nil {
			st.Close()
			return nil, nil, err
		}
	}
	return kr, st, nil
}

func newMasterKey(ctx context.Context, cfg *config.Config, st *store.Store) (*seal.Keyring, error) {
	inUse, err := st.WrappedKeyIDs(ctx)
	if err != nil {
		return nil, fail(exitStore, "%v", err)
	}
	if len(inUse) > 0 {
		ids := slices.Sorted(maps.Keys(inUse))
		return nil, fail(exitKey, "no master key: set HEARTH_MASTER_KEY or restore %s/master.key; the store already holds keys wrapped under master key %s, which a new key could not open, so none is made",
			cfg.DataDir, strings.Join(ids, ", "))
	}
	kr, err := seal.OpenKeyring(cfg.DataDir, "", true)
	if err != nil {
		return nil, keyringError(cfg, err)
	}
	return kr, nil
}

// openStore opens the store; only serve and create-member (which makes the
// first admin) may create it. Every other command refuses a missing store,
// so one pointed at the wrong --data-dir or --database leaves nothing behind.
func openStore(ctx context.Context, cfg *config.Config, create bool) (*store.Store, error) {
	st, err := store.Open(ctx, store.Options{SQLitePath: cfg.SQLitePath(), Postgres: cfg.Database, NoCreate: !create})
	if errors.Is(err, store.ErrNoStore) {
		where := cfg.SQLitePath()
		if cfg.Database != "" {
			where = store.RedactDSN(cfg.Database)
		}
		return nil, fail(exitStore, "no Hearth store at %s (check --data-dir or --database); `hearth serve` or `hearth admin create-member` makes one", where)
	}
	if err != nil {
		return nil, fail(exitStore, "%v", err)
	}
	return st, nil
}

// buildServices builds the service graph with the crisis phrases and
// resources given, built in or from the files named.
func buildServices(ctx context.Context, cfg *config.Config, st *store.Store, kr *seal.Keyring) (*app.Services, error) {
	o := app.Defaults()
	o.QueueTargets = moderation.Targets{Crisis: cfg.QueueTargetCrisis, Other: cfg.QueueTarget}
	o.MentorMinDays = cfg.MentorMinDays
	var err error
	if cfg.CrisisPhrases != "" {
		if o.CrisisPhrases, err = moderation.LoadPhrases(cfg.CrisisPhrases); err != nil {
			return nil, fail(exitUsage, "%v", err)
		}
	}
	if cfg.CrisisResources != "" {
		if o.CrisisResources, err = moderation.LoadResources(cfg.CrisisResources); err != nil {
			return nil, fail(exitUsage, "%v", err)
		}
	}
	svc, err := app.Build(ctx, st, kr, o)
	if err != nil {
		return nil, fail(exitKey, "%v", err)
	}
	return svc, nil
}

func serve(args []string, stderr io.Writer) error {
	var cfg config.Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Serve(fs)
	if err := cfg.Parse(fs, args); err != nil {
		return fail(exitUsage, "%v", err)
	}
	log := newLogger(cfg.LogFormat, stderr)
	slog.SetDefault(log)
	tuneGC()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	kr, st, err := openStoreAndKeys(ctx, &cfg)
	if err != nil {
		return err
	}
	defer closeStore(st, log)
	svc, err := buildServices(ctx, &cfg, st, kr)
	if err != nil {
		return err
	}
	if cfg.Demo {
		seeded, err := demo.Seed(ctx, st, svc.Auth, svc.Forum, svc.Moderation, svc.Mentorship)
		if err != nil {
			return fail(exitStore, "demo content: %v", err)
		}
		if seeded {
			log.Info("demo accounts created; see README for their sign-ins")
		} else {
			log.Info("the store already holds members; demo content left out")
		}
	}
	e := httpapi.New(httpapi.Deps{Config: cfg, Services: svc, Log: log})
	srv := httpapi.NewHTTPServer(cfg.Addr, e)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fail(exitFailure, "listen on %s: %v", cfg.Addr, err)
	}
	log.Info("hearth is serving", "addr", ln.Addr().String(), "store", st.Dialect(), "version", version)
	go every(ctx, escalateEvery, func() { escalate(ctx, svc, cfg.QueueTargetCrisis, log) })
	go backfill(ctx, svc, log)
	go every(ctx, sweepEvery, func() { sweepVersions(ctx, svc, log) })

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("stopping: finishing requests in flight", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("requests were still running at the shutdown timeout", "err", err)
	}
	return nil
}

// escalateEvery is how often serve looks for crises nobody is with yet.
const escalateEvery = time.Minute

// every runs work each period until ctx ends.
func every(ctx context.Context, period time.Duration, work func()) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		work()
	}
}

// escalate calls every moderator to each crisis nobody acknowledged within
// target. Every process on a database runs it; each crisis is escalated
// once.
func escalate(ctx context.Context, svc *app.Services, target time.Duration, log *slog.Logger) {
	if n, err := svc.Notify.EscalateOverdue(ctx, target); err != nil {
		log.Warn("escalating overdue crises", "err", err)
	} else if n > 0 {
		log.Info("called every moderator to crises nobody is with yet", "items", n)
	}
}

// backfill indexes, in the background, writing made before search had an
// index; search finds it as each batch lands.
func backfill(ctx context.Context, svc *app.Services, log *slog.Logger) {
	n, err := svc.Search.Backfill(ctx)
	if err != nil && ctx.Err() == nil {
		log.Warn("indexing writing from before search; it goes on at the next start", "err", err, "indexed", n)
		return
	}
	if n > 0 {
		log.Info("indexed writing from before search", "writings", n)
	}
}

// sweepEvery is how often serve erases earlier versions of writing that
// are past keeping.
const sweepEvery = time.Hour

// sweepVersions erases the earlier versions of edited writing kept past
// their time. Every process on a database may run it.
func sweepVersions(ctx context.Context, svc *app.Services, log *slog.Logger) {
	if n, err := svc.Moderation.SweepVersions(ctx, kernel.Now()); err != nil {
		log.Warn("erasing earlier versions of edited writing", "err", err)
	} else if n > 0 {
		log.Info("erased earlier versions of edited writing past keeping", "versions", n)
	}
}

func closeStore(st *store.Store, log *slog.Logger) {
	if err := st.Checkpoint(context.Background()); err != nil {
		log.Warn("checkpoint at stop", "err", err)
	}
	if err := st.Close(); err != nil {
		log.Warn("close store", "err", err)
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/seal"
)

// keys runs `hearth keys rotate`, `hearth keys retire ID` and `hearth keys
// rotate-signing`.
func keys(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fail(exitUsage, "keys needs a subcommand: rotate, retire ID or rotate-signing")
	}
	var cfg config.Config
	fs := flag.NewFlagSet("keys "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Common(fs)
	if err := cfg.Parse(fs, args[1:]); err != nil {
		return fail(exitUsage, "%v", err)
	}
	switch args[0] {
	case "rotate":
		return rotate(&cfg, stdout)
	case "rotate-signing":
		return rotateSigning(&cfg, stdout)
	case "retire":
		if fs.NArg() != 1 {
			return fail(exitUsage, "keys retire takes the id of one retired key (see %s/retired-keys/)", cfg.DataDir)
		}
		return retire(&cfg, fs.Arg(0), stdout)
	default:
		return fail(exitUsage, "unknown keys subcommand %q", args[0])
	}
}

// rotate makes a new master key and re-wraps every data key and secret
// under it; content is not re-encrypted. The steps are ordered so that a
// crash at any point leaves every key openable: the new key is on disk
// before anything is wrapped with it, and the old one is kept in
// retired-keys/ before master.key is replaced.
func rotate(cfg *config.Config, stdout io.Writer) error {
	ctx := context.Background()
	if cfg.MasterKey != "" {
		return fail(exitKey, "the master key comes from HEARTH_MASTER_KEY, so hearth cannot rotate it (rotating it is the operator's job)")
	}
	kr, err := openKeyring(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	oldID := kr.CurrentID()
	newID, err := kr.PrepareRotation()
	if err != nil {
		return fail(exitKey, "%v", err)
	}
	rewrap := func(blob, aad []byte) ([]byte, error) {
		if id, err := seal.BlobKeyID(blob); err == nil && id == newID {
			return nil, nil
		}
		plain, err := kr.Unwrap(blob, aad)
		if err != nil {
			return nil, err
		}
		return kr.Wrap(plain, aad)
	}
	n, err := st.RewrapKeys(ctx, seal.DataKeyAAD, auth.SecretAAD, rewrap)
	if err != nil {
		return fail(exitKey, "re-wrap: %v (master.key is unchanged; run keys rotate again)", err)
	}
	retired, err := kr.CommitRotation()
	if err != nil {
		return fail(exitKey, "%v", err)
	}
	// A running server may have wrapped a new member's key under the old
	// master key while the transaction ran; it sees the new key from now on,
	// so one more pass catches what it wrote.
	m, err := st.RewrapKeys(ctx, seal.DataKeyAAD, auth.SecretAAD, rewrap)
	if err != nil {
		return fail(exitKey, "second re-wrap pass: %v (run keys rotate again)", err)
	}
	fmt.Fprintf(stdout, "master key %s is now in use; %d keys re-wrapped\nold key %s kept in %s/retired-keys/ to read older backups; destroy it with: hearth keys retire %s\n",
		newID, n+m, oldID, cfg.DataDir, retired)
	return nil
}

// rotateSigning replaces the key access tokens are signed with. Every
// running server refuses the old tokens from its next request on; clients
// refresh, and nobody is signed out.
func rotateSigning(cfg *config.Config, stdout io.Writer) error {
	ctx := context.Background()
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	kr, err := openKeyring(cfg)
	if err != nil {
		return err
	}
	if err := auth.RotateSigningKey(ctx, st, kr); err != nil {
		return fail(exitKey, "%v", err)
	}
	fmt.Fprintln(stdout, "a new token-signing key is in use: every access token signed before now is refused, and clients get new ones by refreshing")
	return nil
}

// retire destroys a retired master key, but never one that still wraps a
// data key or a secret in the store: that would erase whoever's key it is
// (or stop the server signing anyone in), not old backups. A rotation that
// did not finish leaves such keys; running it again re-wraps them.
func retire(cfg *config.Config, id string, stdout io.Writer) error {
	ctx := context.Background()
	kr, err := openKeyring(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	inUse, err := st.WrappedKeyIDs(ctx)
	if err != nil {
		return fail(exitStore, "%v", err)
	}
	if n := inUse[id]; n > 0 {
		return fail(exitKey, "refusing to retire %s: %d data keys or secrets in the store are still wrapped under it; run `hearth keys rotate` to re-wrap them, then retire it", id, n)
	}
	if err := kr.Retire(id); err != nil {
		return fail(exitKey, "%v", err)
	}
	fmt.Fprintf(stdout, "retired key %s destroyed: backups made under it can no longer be read\n", id)
	return nil
}

// backup runs `hearth backup --out FILE`.
func backup(args []string, stdout, stderr io.Writer) error {
	var cfg config.Config
	var out string
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Common(fs)
	fs.StringVar(&out, "out", "", "file to write the copy to (must not exist)")
	if err := cfg.Parse(fs, args); err != nil {
		return fail(exitUsage, "%v", err)
	}
	if out == "" {
		return fail(exitUsage, "backup needs --out FILE")
	}
	ctx := context.Background()
	st, err := openStore(ctx, &cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, out); err != nil {
		return fail(exitStore, "%v", err)
	}
	fmt.Fprintf(stdout, "backup written to %s and checked; it opens only with the master key in use today (or, after rotation, the retired one)\n", out)
	return nil
}

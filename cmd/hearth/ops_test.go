package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hearth/internal/seal"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// withUmask runs the rest of the test, and the processes it starts, under
// umask, as an operator's shell would have it.
func withUmask(t *testing.T, umask int) {
	old := syscall.Umask(umask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// Operator commands pointed at a place with no store refuse, and leave no
// empty store behind.
func TestOperatorCommandsNeedAStore(t *testing.T) {
	dir := t.TempDir()
	keyFile := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{3}, 32)) + "\n"
	for _, args := range [][]string{
		{"backup", "--data-dir", dir, "--out", filepath.Join(t.TempDir(), "copy.db")},
		{"admin", "set-role", "--data-dir", dir, "--handle", "someone", "--role", "admin"},
		{"keys", "rotate", "--data-dir", dir},
	} {
		if args[0] == "keys" {
			// rotate first needs a master key, then the store.
			if err := os.WriteFile(filepath.Join(dir, "master.key"), []byte(keyFile), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		code, _, errs := hearth(t, nil, "", args...)
		if code != exitStore || !strings.Contains(errs, "no Hearth store") {
			t.Errorf("%v: exit %d, %s; want %d and a clear message", args, code, errs, exitStore)
		}
		if _, err := os.Stat(filepath.Join(dir, "hearth.db")); !os.IsNotExist(err) {
			t.Fatalf("%v created a store: %v", args, err)
		}
	}
	if ids, _ := filepath.Glob(filepath.Join(dir, "retired-keys", "*")); len(ids) != 0 || fileExists(filepath.Join(dir, "master.key.new")) {
		t.Fatal("keys rotate without a store touched the keys")
	}
	if os.Getenv(storetest.EnvPostgres) == "" {
		return
	}
	dsn := storetest.PostgresSchema(t)
	for _, args := range [][]string{
		{"backup", "--database", dsn, "--data-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "copy.db")},
		{"admin", "set-role", "--database", dsn, "--data-dir", t.TempDir(), "--handle", "someone", "--role", "admin"},
	} {
		code, _, errs := hearth(t, nil, "", args...)
		if code != exitStore || !strings.Contains(errs, "no Hearth store") {
			t.Errorf("%v on an empty PostgreSQL schema: exit %d, %s", args[:2], code, errs)
		}
	}
	st, err := store.Open(t.Context(), store.Options{Postgres: dsn, NoCreate: true})
	if err == nil {
		st.Close()
		t.Fatal("an operator command created tables in an empty PostgreSQL schema")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// The store, its WAL and shared-memory files and backups are private to
// the owner, even in a directory that existed before and under umask 022.
func TestFilesArePrivate(t *testing.T) {
	withUmask(t, 0o022)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, stop := startServe(t, nil, "--data-dir", dir)
	for _, name := range []string{"hearth.db", "hearth.db-wal", "hearth.db-shm", "master.key"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %04o, want no access for group or others", name, perm)
		}
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := hearth(t, nil, "", "backup", "--data-dir", dir, "--out", out); code != 0 {
		t.Fatalf("backup: %d %s", code, errs)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v, want mode 0600", fi.Mode().Perm(), err)
	}
	stop()
}

// A retired key that still wraps something in the store (a rotation that
// did not finish) is not destroyed; after the rotation is run again it is.
func TestRetireRefusesAKeyStillInUse(t *testing.T) {
	dir := t.TempDir()
	addr, stop := startServe(t, nil, "--data-dir", dir)
	if c, b := post(t, "http://"+addr+"/api/v1/auth/register", "", `{"handle":"kept-safe","password":"lighthouse keeper at night"}`); c != 201 {
		t.Fatalf("register: %d %s", c, b)
	}
	stop()
	// As a rotation that died before re-wrapping would leave it: the old
	// key retired, a new one in master.key, everything still under the old.
	oldText, err := os.ReadFile(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	oldKey, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(oldText)))
	if err != nil {
		t.Fatal(err)
	}
	oldID := seal.KeyID(oldKey)
	if err := os.MkdirAll(filepath.Join(dir, "retired-keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	retired := filepath.Join(dir, "retired-keys", oldID+".key")
	if err := os.WriteFile(retired, oldText, 0o600); err != nil {
		t.Fatal(err)
	}
	newText := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{42}, 32)) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "master.key"), []byte(newText), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := hearth(t, nil, "", "keys", "retire", "--data-dir", dir, oldID)
	if code != exitKey || !strings.Contains(errs, "still wrapped under it") || !strings.Contains(errs, "keys rotate") {
		t.Fatalf("retire of a key in use: exit %d, %s", code, errs)
	}
	if !fileExists(retired) {
		t.Fatal("a key still in use was destroyed")
	}
	if code, out, errs := hearth(t, nil, "", "keys", "rotate", "--data-dir", dir); code != 0 {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	if code, _, errs := hearth(t, nil, "", "keys", "retire", "--data-dir", dir, oldID); code != 0 {
		t.Fatalf("retire after the re-wrap: %d %s", code, errs)
	}
	if under := wrappedUnder(t, dir); under[oldID] != 0 {
		t.Fatalf("wrapped per key: %v", under)
	}
	addr, _ = startServe(t, nil, "--data-dir", dir)
	if c, b := post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"kept-safe","password":"lighthouse keeper at night"}`); c != 200 {
		t.Fatalf("login after rotate and retire: %d %s", c, b)
	}
}

// A second server on a PostgreSQL store that already has its secrets, but
// started with an empty data directory, makes no new master key: it says
// which key the store needs.
func TestServeOnPostgresWithoutTheKey(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s must be set in CI", storetest.EnvPostgres)
		}
		t.Skip("no PostgreSQL")
	}
	dsn := storetest.PostgresSchema(t)
	first := t.TempDir()
	_, stop := startServe(t, nil, "--data-dir", first, "--database", dsn)
	stop()
	second := t.TempDir()
	code, _, errs := hearth(t, nil, "", "serve", "--data-dir", second, "--database", dsn, "--addr", freeAddr(t))
	if code != exitKey || !strings.Contains(errs, "already holds keys wrapped under master key") {
		t.Fatalf("serve without the key: exit %d, %s", code, errs)
	}
	if fileExists(filepath.Join(second, "master.key")) {
		t.Fatal("a new master key was written for a store that needs another")
	}
	key, _ := os.ReadFile(filepath.Join(first, "master.key"))
	startServe(t, []string{"HEARTH_MASTER_KEY=" + strings.TrimSpace(string(key))}, "--data-dir", second, "--database", dsn)
}

// serve --demo on an address others can reach refuses before making anything.
func TestDemoRefusedOffLoopback(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "serve", "--demo", "--addr", "0.0.0.0:0", "--data-dir", dir)
	cmd.Env = append(cleanEnv(), "HEARTH_TEST_MAIN=1")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatal("serve --demo ran on 0.0.0.0 until killed")
	}
	code, errs := 0, errb.String()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != exitUsage || !strings.Contains(errs, "loopback") || !strings.Contains(errs, "README") {
		t.Fatalf("serve --demo on 0.0.0.0: exit %d, %s", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a refused demo left %d files behind", len(entries))
	}
}

package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

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

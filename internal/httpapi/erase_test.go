package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/internal/store"
)

// rawStore reads every byte the SQLite store has on disk: the file and its WAL.
func rawStore(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	for _, name := range []string{"hearth.db", "hearth.db-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestDeleteAccount reads the SQLite files' raw bytes; on PostgreSQL the
// README states what erasure can and cannot promise on disk.
func TestDeleteAccount(t *testing.T) {
	s := newTestServerOn(t, store.SQLite)
	a := s.register("fading-star")
	b := s.register("steady-oak")
	ctx := context.Background()
	m, err := s.store.GetMember(ctx, store.FindMember{ID: &a.ID})
	if err != nil || m.DataKeyID == nil {
		t.Fatalf("member has no data key: %v", err)
	}
	wrapped, err := s.store.WrappedDataKey(ctx, *m.DataKeyID)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.storePath)
	if !bytes.Contains(rawStore(t, dir), wrapped) {
		t.Fatal("the wrapped data key is not in the raw files before erasure: the scan below could not fail")
	}
	del := func(token, pw string) *response {
		return s.do(req{method: "DELETE", path: "/me", token: token, body: map[string]string{"password": pw}})
	}

	// A wrong password changes nothing.
	expect(t, del(a.Access, "not my passphrase at all"), http.StatusUnauthorized, "invalid_credentials")
	if _, err := s.store.WrappedDataKey(ctx, *m.DataKeyID); err != nil {
		t.Fatalf("data key gone after a refused erasure: %v", err)
	}
	expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")
	expect(t, del(a.Access, ""), http.StatusUnauthorized, "invalid_credentials")
	expect(t, s.do(req{method: "DELETE", path: "/me", token: a.Access, body: `{"password":"x","everything":true}`}), http.StatusBadRequest, "unknown_field")

	other := s.login(a.Handle, testPassword).JSON(t)["access_token"].(string)
	expect(t, del(a.Access, testPassword), http.StatusNoContent, "")

	// Every session is dead, the handle signs in no more and is free again.
	expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "")
	expect(t, s.do(req{method: "GET", path: "/me", token: other}), http.StatusUnauthorized, "")
	expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": a.Refresh}}), http.StatusUnauthorized, "")
	expect(t, s.login(a.Handle, testPassword), http.StatusUnauthorized, "invalid_credentials")
	expect(t, s.do(req{method: "POST", path: "/auth/recover", body: map[string]string{"handle": a.Handle, "recovery_code": a.RecoveryCodes[0], "new_password": "taking it back now please"}}), http.StatusUnauthorized, "invalid_recovery")

	// The data key is gone from the store and from every byte on disk.
	if _, err := s.store.WrappedDataKey(ctx, *m.DataKeyID); err == nil {
		t.Fatal("data key still in the store")
	}
	raw := rawStore(t, dir)
	if bytes.Contains(raw, wrapped) {
		t.Fatal("the erased data key's bytes remain in the database file or WAL")
	}
	if bytes.Contains(raw, []byte(a.Handle)) {
		t.Fatal("the erased member's handle remains in the raw files")
	}
	// Someone else is untouched, and the handle can be taken anew.
	expect(t, s.do(req{method: "GET", path: "/me", token: b.Access}), http.StatusOK, "")
	s.register(a.Handle)
}

func TestExport(t *testing.T) {
	s := newTestServer(t)
	a := s.register("keeps-notes")
	r := s.do(req{method: "GET", path: "/me/export", token: a.Access})
	expect(t, r, http.StatusOK, "")
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	e := r.JSON(t)
	if e["member"].(map[string]any)["handle"] != "keeps-notes" || e["exported_at"] == "" {
		t.Fatalf("export = %v", e)
	}
	expect(t, s.do(req{method: "GET", path: "/me/export"}), http.StatusUnauthorized, "")
}

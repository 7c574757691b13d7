package httpapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/internal/seal"
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

// TestDeleteAccount: a wrong password changes nothing; the right one ends
// every session, spends every refresh token and recovery code, destroys the
// data key and leaves a tombstone without handle or password, on every
// store. TestDeletedAccountLeavesNoBytes reads SQLite's files after the same.
func TestDeleteAccount(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("fading-star")
		b := s.register("steady-oak")
		ctx := context.Background()
		m, err := s.store.GetMember(ctx, store.FindMember{ID: &a.ID})
		if err != nil || m.DataKeyID == nil {
			t.Fatalf("member has no data key: %v", err)
		}
		del := func(token, pw string) *response {
			return s.do(req{method: "DELETE", path: "/me", token: token, body: map[string]string{"password": pw}})
		}
		db := s.storeDB(t)
		rows := func() map[string]int64 {
			t.Helper()
			return map[string]int64{
				"sessions":       count(t, db, "SELECT count(*) FROM sessions WHERE member_id = ?", a.ID),
				"refresh tokens": count(t, db, "SELECT count(*) FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE member_id = ?) OR session_id NOT IN (SELECT id FROM sessions)", a.ID),
				"recovery codes": count(t, db, "SELECT count(*) FROM recovery_codes WHERE member_id = ?", a.ID),
				"data keys":      count(t, db, "SELECT count(*) FROM data_keys WHERE member_id = ?", a.ID),
			}
		}

		// A wrong password changes nothing.
		expect(t, del(a.Access, "not my passphrase at all"), http.StatusUnauthorized, "invalid_credentials")
		expect(t, del(a.Access, ""), http.StatusUnauthorized, "invalid_credentials")
		expect(t, s.do(req{method: "DELETE", path: "/me", token: a.Access, body: `{"password":"x","everything":true}`}), http.StatusBadRequest, "unknown_field")
		if _, err := s.store.WrappedDataKey(ctx, *m.DataKeyID); err != nil {
			t.Fatalf("data key gone after a refused erasure: %v", err)
		}
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")

		other := s.login(a.Handle, testPassword).JSON(t)
		otherRefresh := other["refresh_token"].(string)
		before := rows()
		if before["sessions"] != 2 || before["refresh tokens"] != 2 || before["recovery codes"] != 10 || before["data keys"] != 1 {
			t.Fatalf("before erasure the store holds %v: the checks below could not fail", before)
		}
		expect(t, del(a.Access, testPassword), http.StatusNoContent, "")

		// Every session is dead, every token and code refused, the handle
		// signs in no more.
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "unauthenticated")
		expect(t, s.do(req{method: "GET", path: "/me", token: other["access_token"].(string)}), http.StatusUnauthorized, "unauthenticated")
		for _, rt := range []string{a.Refresh, otherRefresh} {
			expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": rt}}), http.StatusUnauthorized, "invalid_refresh_token")
		}
		expect(t, s.login(a.Handle, testPassword), http.StatusUnauthorized, "invalid_credentials")
		expect(t, s.do(req{method: "POST", path: "/auth/recover", body: map[string]string{"handle": a.Handle, "recovery_code": a.RecoveryCodes[0], "new_password": "taking it back now please"}}), http.StatusUnauthorized, "invalid_recovery")

		// None of it is left in the store, not merely refused: a session,
		// token or code left behind would wait for the next bug to wake it.
		for what, n := range rows() {
			if n != 0 {
				t.Errorf("%d %s of the erased member remain in the store", n, what)
			}
		}
		if _, err := s.store.WrappedDataKey(ctx, *m.DataKeyID); !errors.Is(err, seal.ErrUnknownKey) {
			t.Errorf("the erased data key: %v, want seal.ErrUnknownKey", err)
		}
		var tomb struct {
			Handle, PasswordHash, Status string
			DataKeyID                    *string
		}
		if err := db.Raw("SELECT handle, password_hash, status, data_key_id FROM members WHERE id = ?", a.ID).Scan(&tomb).Error; err != nil {
			t.Fatal(err)
		}
		if tomb.Handle != "~"+a.ID || tomb.PasswordHash != "" || tomb.Status != store.StatusDeleted || tomb.DataKeyID != nil {
			t.Errorf("the erased member's row is %+v, want a tombstone without handle, password or key", tomb)
		}

		// Someone else is untouched, and the handle is never given out
		// again, in any case; the store keeps one hash of it, not it.
		expect(t, s.do(req{method: "GET", path: "/me", token: b.Access}), http.StatusOK, "")
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": b.Refresh}}), http.StatusOK, "")
		for _, h := range []string{a.Handle, strings.ToUpper(a.Handle)} {
			expect(t, s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": h, "password": testPassword}}), http.StatusConflict, "handle_taken")
		}
		if n := count(t, db, "SELECT count(*) FROM retired_handles"); n != 1 {
			t.Errorf("%d retired handles, want 1", n)
		}
		if n := count(t, db, "SELECT count(*) FROM retired_handles WHERE hash = ? OR hash LIKE ?", a.Handle, "%"+a.Handle+"%"); n != 0 {
			t.Error("the retired handle is kept in clear")
		}
		s.register("fading-sta") // a handle near it is free
	})
}

// TestDeletedAccountLeavesNoBytes: after an erasure, neither the wrapped
// data key nor the handle is anywhere in SQLite's database file or WAL.
func TestDeletedAccountLeavesNoBytes(t *testing.T) {
	s := newSQLiteServer(t)
	a := s.register("fading-star")
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
	raw := rawStore(t, dir)
	if !bytes.Contains(raw, wrapped) || !bytes.Contains(raw, []byte(a.Handle)) {
		t.Fatal("the wrapped data key or the handle is not in the raw files before erasure: the scan below could not fail")
	}
	expect(t, s.do(req{method: "DELETE", path: "/me", token: a.Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")
	raw = rawStore(t, dir)
	if bytes.Contains(raw, wrapped) {
		t.Error("the erased data key's bytes remain in the database file or WAL")
	}
	if bytes.Contains(raw, []byte(a.Handle)) || bytes.Contains(raw, []byte(strings.ToUpper(a.Handle))) {
		t.Error("the erased member's handle remains in the raw files")
	}
	// Refusing the handle to a newcomer writes it nowhere either.
	expect(t, s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": a.Handle, "password": testPassword}}), http.StatusConflict, "handle_taken")
	if raw = rawStore(t, dir); bytes.Contains(raw, []byte(a.Handle)) {
		t.Error("the refused handle is in the raw files")
	}
}

func TestExport(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
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
		expect(t, s.do(req{method: "GET", path: "/me/export"}), http.StatusUnauthorized, "unauthenticated")
	})
}

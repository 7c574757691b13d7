package auth

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"hearth/internal/kernel"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// countRows counts a table's rows straight from the database, past the store.
func countRows(t *testing.T, s *testService, table string) int {
	t.Helper()
	driver, dsn := "pgx", s.opts.Postgres
	if s.st.Dialect() == store.SQLite {
		driver, dsn = "sqlite3", "file:"+s.opts.SQLitePath+"?mode=ro"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateMember(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			s := newTestService(t, d, 2)
			m, codes, err := s.CreateMember(ctx, "Keeper", svcPassword, kernel.RoleAdmin)
			if err != nil {
				t.Fatal(err)
			}
			if m.Handle != "keeper" || m.Role != kernel.RoleAdmin || len(codes) != RecoveryCodes || m.DataKeyID == nil {
				t.Fatalf("member %+v, %d codes", m, len(codes))
			}
			// Nobody signed in: no session, no refresh token.
			if n := countRows(t, s, "sessions"); n != 0 {
				t.Fatalf("CreateMember left %d sessions", n)
			}
			if _, _, err := s.CreateMember(ctx, "other", svcPassword, "overlord"); !errors.Is(err, kernel.ErrInvalidRole) {
				t.Fatalf("unknown role: %v", err)
			}
		})
	}
}

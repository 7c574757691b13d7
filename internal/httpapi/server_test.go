package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hearth/internal/app"
	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/seal"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// fastParams keep argon2id cheap under the race detector. Tests that are
// about the cost itself use auth.DefaultParams.
var fastParams = auth.Params{Memory: 64, Time: 1, Threads: 1}

// testServer is a real Hearth API over HTTP on a real store in a temp dir.
type testServer struct {
	t    *testing.T
	URL  string
	echo *echo.Echo
	// handler is echo wrapped in the check of every answer against the
	// spec; anything that serves the API in a test serves this.
	handler http.Handler
	store   *store.Store
	svc     *app.Services
	keyring *seal.Keyring
	logs    *syncBuffer
	dialect string
	// storeOpts name the store's database, for tests that look into it.
	storeOpts store.Options
	// storePath is the SQLite file, for tests that read its raw bytes.
	storePath string
}

// setup is what serverOptions may change before a test server starts.
type setup struct {
	cfg    config.Config
	params auth.Params
	slots  int
	// dataKeys is the sealer's cache size.
	dataKeys int
}

type serverOption func(*setup)

func withConfig(f func(*config.Config)) serverOption {
	return func(s *setup) { f(&s.cfg) }
}

func withParams(p auth.Params, slots int) serverOption {
	return func(s *setup) { s.params, s.slots = p, slots }
}

func withDataKeyCache(n int) serverOption {
	return func(s *setup) { s.dataKeys = n }
}

// Each test says which stores it needs by the helper that starts its
// server; none is left out of a run by its name, and none skips.

// onEveryStore runs fn as a subtest on a fresh server of every store the
// tests have: SQLite, and PostgreSQL where HEARTH_TEST_POSTGRES names one
// (CI must). For tests of what the store keeps and answers.
func onEveryStore(t *testing.T, fn func(t *testing.T, s *testServer), opts ...serverOption) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, newTestServerOn(t, d, opts...)) })
	}
}

// newServerForHTTP starts the API on SQLite, the cheapest store, for tests
// of the HTTP layer (routing, limits, headers, throttles, hashing slots),
// which is the same code in front of either store.
func newServerForHTTP(t *testing.T, opts ...serverOption) *testServer {
	t.Helper()
	return newTestServerOn(t, store.SQLite, opts...)
}

// newSQLiteServer starts the API on SQLite for tests that read or change
// SQLite's own files: what PostgreSQL keeps on disk is its own affair (see
// the README on erasure).
func newSQLiteServer(t *testing.T, opts ...serverOption) *testServer {
	t.Helper()
	return newTestServerOn(t, store.SQLite, opts...)
}

func newTestServerOn(t *testing.T, dialect string, opts ...serverOption) *testServer {
	t.Helper()
	su := setup{cfg: config.Config{DataDir: t.TempDir(), MemberWriteRate: 0, AuthRate: 0}, params: fastParams, slots: 4, dataKeys: 100}
	for _, o := range opts {
		o(&su)
	}
	cfg := su.cfg
	storeOpts := storetest.Options(t, dialect)
	st, err := store.Open(context.Background(), storeOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := seal.OpenKeyring(cfg.DataDir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	o := app.Defaults()
	o.Hashing, o.HashSlots, o.HashQueue, o.DataKeyCache = su.params, su.slots, su.slots, su.dataKeys
	o.MentorMinDays = cfg.MentorMinDays
	svc, err := app.Build(context.Background(), st, kr, o)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	e := New(Deps{Config: cfg, Services: svc, Log: slog.New(slog.NewTextHandler(logs, nil))})
	h := specChecked(t, e)
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return &testServer{t: t, URL: hs.URL, echo: e, handler: h, store: st, svc: svc, keyring: kr, logs: logs, dialect: dialect,
		storeOpts: storeOpts, storePath: storeOpts.SQLitePath}
}

// storeDB opens the server's database beside it, on either store, for tests
// that check what it holds row by row rather than through the API.
func (s *testServer) storeDB(t *testing.T) *gorm.DB {
	t.Helper()
	dial := postgres.Open(s.storeOpts.Postgres)
	if s.dialect == store.SQLite {
		dial = sqlite.Open("file:" + s.storePath + "?_busy_timeout=10000")
	}
	db, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

// count runs a SELECT count(*) query on db.
func count(t *testing.T, db *gorm.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// response is what a request got back.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *response) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.Body, err)
	}
	return m
}

// Code is the problem code of an error response.
func (r *response) Code() string {
	var p struct{ Code string }
	_ = json.Unmarshal(r.Body, &p)
	return p.Code
}

type req struct {
	method, path string
	body         any // string is sent raw; anything else as JSON
	token        string
	header       map[string]string
	raw          bool // path is from the root, not under /api/v1
}

func (s *testServer) do(r req) *response {
	s.t.Helper()
	var body io.Reader
	ct := ""
	switch b := r.body.(type) {
	case nil:
	case string:
		body, ct = strings.NewReader(b), "application/json"
	case []byte:
		body, ct = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		body, ct = bytes.NewReader(j), "application/json"
	}
	url := s.URL + Prefix + r.path
	if r.raw {
		url = s.URL + r.path
	}
	hr, err := http.NewRequest(r.method, url, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if ct != "" {
		hr.Header.Set("Content-Type", ct)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// expect fails the test unless r has status (and, for errors, code).
func expect(t *testing.T, r *response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	if code != "" && r.Code() != code {
		t.Fatalf("code %q, want %q; body %s", r.Code(), code, r.Body)
	}
}

// account is a signed-up member with their tokens.
type account struct {
	Handle, Password, ID string
	Access, Refresh      string
	RecoveryCodes        []string
	Role                 string
}

const testPassword = "a calm harbour at dusk"

func (s *testServer) register(handle string) *account {
	s.t.Helper()
	r := s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": handle, "password": testPassword}})
	expect(s.t, r, http.StatusCreated, "")
	var g struct {
		Member        struct{ ID, Handle, Role string }
		AccessToken   string   `json:"access_token"`
		RefreshToken  string   `json:"refresh_token"`
		RecoveryCodes []string `json:"recovery_codes"`
	}
	if err := json.Unmarshal(r.Body, &g); err != nil {
		s.t.Fatal(err)
	}
	return &account{Handle: g.Member.Handle, Password: testPassword, ID: g.Member.ID, Access: g.AccessToken, Refresh: g.RefreshToken, RecoveryCodes: g.RecoveryCodes, Role: g.Member.Role}
}

// login signs in again and returns the new tokens.
func (s *testServer) login(handle, password string) *response {
	s.t.Helper()
	return s.do(req{method: "POST", path: "/auth/login", body: map[string]string{"handle": handle, "password": password}})
}

// memberCount is how many accounts the store holds.
func (s *testServer) memberCount() int64 {
	s.t.Helper()
	n, err := s.store.CountMembers(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

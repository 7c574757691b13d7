package main

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/internal/store/storetest"
)

// tcpProxy stands between a server and PostgreSQL so a test can take the
// database away and bring it back.
type tcpProxy struct {
	t      *testing.T
	addr   string // where clients connect
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target, addr: freeAddr(t)}
	p.start()
	t.Cleanup(p.stop)
	return p
}

func (p *tcpProxy) start() {
	p.t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

// stop refuses new connections and cuts every open one.
func (p *tcpProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func getStatus(t *testing.T, url, token string) (int, string) {
	t.Helper()
	hr, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestTwoServersOnePostgres runs two hearth processes on one PostgreSQL
// (sharing the data directory that holds the master key): what one does,
// the other sees at once. Then the database goes away from one of them,
// which answers 503 until it comes back.
func TestTwoServersOnePostgres(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" && os.Getenv("CI") == "" {
		t.Skip(storetest.EnvPostgres + " is not set")
	}
	dsn := storetest.PostgresSchema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = proxy.addr
	dir := t.TempDir()
	addrA, _ := startServe(t, nil, "--data-dir", dir, "--database", viaProxy.String(), "--demo", "--auth-rate", "0", "--member-write-rate", "0")
	addrB, _ := startServe(t, nil, "--data-dir", dir, "--database", dsn, "--auth-rate", "0", "--member-write-rate", "0")
	a, b := "http://"+addrA+"/api/v1", "http://"+addrB+"/api/v1"
	login := func(base, handle, password string) string {
		t.Helper()
		code, body := post(t, base+"/auth/login", "", `{"handle":"`+handle+`","password":"`+password+`"}`)
		if code != 200 {
			t.Fatalf("sign-in of %s at %s: %d %s", handle, base, code, body)
		}
		return field(t, body, "access_token")
	}
	const demoPassword = "hearth demo passphrase"

	// Sign up through one, sign in through the other.
	if code, body := post(t, a+"/auth/register", "", `{"handle":"traveller","password":"between two harbours"}`); code != 201 {
		t.Fatalf("register: %d %s", code, body)
	}
	traveller := login(b, "traveller", "between two harbours")
	if code, body := post(t, b+"/circles/cardiac-recovery/join", traveller, ""); code != 204 {
		t.Fatalf("join: %d %s", code, body)
	}

	// Write through one, read through the other.
	maple := login(a, "maple", demoPassword)
	code, body := post(t, a+"/circles/cardiac-recovery/stories", maple, `{"title":"Across","body":"Written on one, read on the other."}`)
	if code != 201 {
		t.Fatalf("story: %d %s", code, body)
	}
	story := field(t, body, "id")
	if code, body := getStatus(t, b+"/stories/"+story, maple); code != 200 || !strings.Contains(body, "Written on one, read on the other.") {
		t.Fatalf("read through B: %d %s", code, body)
	}

	// Log out through one: refused by the other at once.
	if code, _ := post(t, a+"/auth/logout", maple, ""); code != 204 {
		t.Fatalf("logout: %d", code)
	}
	if code, _ := getStatus(t, b+"/me", maple); code != 401 {
		t.Fatalf("B still accepts a token logged out on A: %d", code)
	}

	// Suspend through one: cut off on the other.
	heron := login(b, "heron", demoPassword)
	until := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	if code, body := post(t, b+"/moderation/members/traveller/actions", heron, `{"action":"suspend","reason":"A pause.","until":"`+until+`"}`); code != 200 {
		t.Fatalf("suspend: %d %s", code, body)
	}
	if code, _ := getStatus(t, a+"/me", traveller); code != 401 {
		t.Fatalf("A still accepts a suspended member's old session: %d", code)
	}
	traveller = login(a, "traveller", "between two harbours")
	if code, body := post(t, a+"/stories/"+story+"/replies", traveller, `{"body":"hello"}`); code != 403 || !strings.Contains(body, "suspended") {
		t.Fatalf("suspended write on A: %d %s", code, body)
	}

	// Rotate keys through the command line: both keep reading and writing.
	if code, out, errs := hearth(t, nil, "", "keys", "rotate", "--data-dir", dir, "--database", dsn); code != 0 {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	retired, _ := filepath.Glob(filepath.Join(dir, "retired-keys", "*.key"))
	if len(retired) != 1 {
		t.Fatalf("retired keys after rotation: %v", retired)
	}
	if code, out, errs := hearth(t, nil, "", "keys", "retire", "--data-dir", dir, "--database", dsn, strings.TrimSuffix(filepath.Base(retired[0]), ".key")); code != 0 {
		t.Fatalf("retire on PostgreSQL: %d %s %s", code, out, errs)
	}
	// The admin commands work against PostgreSQL too, and count at once.
	if code, out, errs := hearth(t, []string{"HEARTH_PASSWORD=a keeper of two lighthouses"}, "", "admin", "create-member", "--data-dir", dir, "--database", dsn, "--handle", "keeper", "--role", "moderator"); code != 0 {
		t.Fatalf("create-member on PostgreSQL: %d %s %s", code, out, errs)
	}
	if code, out, errs := hearth(t, nil, "", "admin", "set-role", "--data-dir", dir, "--database", dsn, "--handle", "keeper", "--role", "admin"); code != 0 {
		t.Fatalf("set-role on PostgreSQL: %d %s %s", code, out, errs)
	}
	if _, body := post(t, a+"/auth/login", "", `{"handle":"keeper","password":"a keeper of two lighthouses"}`); !strings.Contains(body, `"role":"admin"`) {
		t.Fatalf("keeper after set-role: %s", body)
	}
	maple = login(b, "maple", demoPassword)
	for _, base := range []string{a, b} {
		if code, body := getStatus(t, base+"/stories/"+story, maple); code != 200 || !strings.Contains(body, "Written on one") {
			t.Fatalf("read after rotation at %s: %d %s", base, code, body)
		}
		if code, body := post(t, base+"/stories/"+story+"/replies", maple, `{"body":"after the rotation"}`); code != 201 {
			t.Fatalf("write after rotation at %s: %d %s", base, code, body)
		}
	}

	// A new token-signing key: the old token dies on both at once; a token
	// signed by one after the rotation works on the other.
	_, body = post(t, a+"/auth/login", "", `{"handle":"maple","password":"`+demoPassword+`"}`)
	old, refresh := field(t, body, "access_token"), field(t, body, "refresh_token")
	if code, out, errs := hearth(t, nil, "", "keys", "rotate-signing", "--data-dir", dir, "--database", dsn); code != 0 {
		t.Fatalf("rotate-signing: %d %s %s", code, out, errs)
	}
	for _, base := range []string{a, b} {
		if code, _ := getStatus(t, base+"/me", old); code != 401 {
			t.Fatalf("%s accepts a token signed before rotate-signing: %d", base, code)
		}
	}
	code, body = post(t, b+"/auth/refresh", "", `{"refresh_token":"`+refresh+`"}`)
	if code != 200 {
		t.Fatalf("refresh after rotate-signing: %d %s", code, body)
	}
	maple = field(t, body, "access_token")
	for _, base := range []string{a, b} {
		if code, _ := getStatus(t, base+"/me", maple); code != 200 {
			t.Fatalf("%s refuses a token signed after rotate-signing: %d", base, code)
		}
	}

	// The database goes away from A: A answers 503, B goes on; A recovers.
	proxy.stop()
	if code, body := getStatus(t, a+"/stories/"+story, maple); code != 503 || !strings.Contains(body, "store_unavailable") {
		t.Fatalf("A without its database: %d %s", code, body)
	}
	if code, _ := getStatus(t, "http://"+addrA+"/readyz", ""); code != 503 {
		t.Fatalf("readyz without the database: %d", code)
	}
	if code, _ := getStatus(t, b+"/stories/"+story, maple); code != 200 {
		t.Fatalf("B while A's database is away: %d", code)
	}
	proxy.start()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _ := getStatus(t, a+"/stories/"+story, maple)
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("A did not recover when the database came back: %d", code)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestBadDatabaseDSN: an unreachable or malformed DSN stops serve with a
// clear message that names what failed and never prints the password.
func TestBadDatabaseDSN(t *testing.T) {
	for _, dsn := range []string{
		"postgres://hearth:s3cret-pass@127.0.0.1:1/hearth?sslmode=disable&connect_timeout=2",
		"postgres://hearth:s3cret-pass@no-such-host.invalid:5432/hearth?connect_timeout=2",
	} {
		code, _, errs := hearth(t, nil, "", "serve", "--addr", freeAddr(t), "--data-dir", t.TempDir(), "--database", dsn)
		if code != exitStore {
			t.Errorf("serve with %s: exit %d, want %d: %s", dsn, code, exitStore, errs)
		}
		if strings.Contains(errs, "s3cret-pass") {
			t.Errorf("the password is in the message: %s", errs)
		}
		if !strings.Contains(errs, "PostgreSQL") || !strings.Contains(errs, "hearth:xxxxx@") {
			t.Errorf("the message does not say what failed: %s", errs)
		}
	}
}

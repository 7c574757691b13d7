package main

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"hearth/internal/seal"
)

// The test binary doubles as the hearth binary: run with HEARTH_TEST_MAIN=1
// it is `hearth`, so the tests start real processes without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("HEARTH_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// hearth runs the binary with args and env, waiting for it to end.
func hearth(t *testing.T, env []string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(cleanEnv(), append(env, "HEARTH_TEST_MAIN=1")...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// cleanEnv drops HEARTH_* variables of the outer environment (CI sets some).
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEARTH_") {
			env = append(env, kv)
		}
	}
	return env
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServe runs `hearth serve` until the test ends or stop is called.
func startServe(t *testing.T, env []string, args ...string) (addr string, stop func() (int, string)) {
	t.Helper()
	addr = freeAddr(t)
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(cleanEnv(), append(env, "HEARTH_TEST_MAIN=1")...)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("hearth serve exited early: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("hearth serve not ready: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := false
	stop = func() (int, string) {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGTERM)
			<-done
		}
		return cmd.ProcessState.ExitCode(), logs.String()
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

func TestVersion(t *testing.T) {
	code, out, _ := hearth(t, nil, "", "version")
	if code != 0 || !strings.HasPrefix(out, "hearth ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, errs := hearth(t, nil, "", "frobnicate")
	if code != exitUsage || !strings.Contains(errs, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
}

func TestServeCreatesMasterKeyAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	_, stop := startServe(t, nil, "--data-dir", dir)
	fi, err := os.Stat(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("master.key mode %v, want 0600", fi.Mode().Perm())
	}
	code, logs := stop()
	if code != 0 {
		t.Fatalf("SIGTERM exit %d: %s", code, logs)
	}
	// The WAL was checkpointed into the main file at stop.
	if fi, err := os.Stat(filepath.Join(dir, "hearth.db-wal")); err == nil && fi.Size() > 0 {
		t.Fatalf("WAL holds %d bytes after a clean stop", fi.Size())
	}
}

// TestServeReadsEnvironment starts serve with its settings only in the
// environment: it listens on HEARTH_ADDR, keeps its store in
// HEARTH_DATA_DIR, takes HEARTH_MASTER_KEY instead of writing a key file,
// and logs in JSON, every line of it, for HEARTH_LOG_FORMAT.
func TestServeReadsEnvironment(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(cleanEnv(), "HEARTH_TEST_MAIN=1", "HEARTH_ADDR="+addr, "HEARTH_DATA_DIR="+dir, "HEARTH_MASTER_KEY="+key, "HEARTH_LOG_FORMAT=json")
	var logs lockedLog
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		}
	}
	defer stop()
	answered := false
	for i := 0; i < 200 && !answered; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			answered = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !answered {
		t.Fatalf("server on HEARTH_ADDR never answered: %s", logs.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); err == nil {
		t.Fatal("master.key written although HEARTH_MASTER_KEY was set")
	}
	if _, err := os.Stat(filepath.Join(dir, "hearth.db")); err != nil {
		t.Fatalf("no store in HEARTH_DATA_DIR: %v", err)
	}

	// Stopped, so that the log is complete: start, the request, the stop.
	stop()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	request := false
	for _, line := range lines {
		var rec struct {
			Level, Msg, Route string
			Status            int
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Level == "" || rec.Msg == "" {
			t.Fatalf("with HEARTH_LOG_FORMAT=json the log holds a line that is not a JSON record: %q (%v)", line, err)
		}
		request = request || rec.Msg == "request" && rec.Route == "/healthz" && rec.Status == http.StatusOK
	}
	if len(lines) < 3 || !request {
		t.Fatalf("the JSON log lacks the request to /healthz:\n%s", logs.String())
	}
}

func TestServeRefusesBadKeys(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	t.Run("short HEARTH_MASTER_KEY", func(t *testing.T) {
		code, _, errs := hearth(t, []string{"HEARTH_MASTER_KEY=" + short}, "", "serve", "--data-dir", t.TempDir(), "--addr", freeAddr(t))
		if code != exitKey || !strings.Contains(errs, "32 bytes") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("short key file", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "master.key"), []byte(short+"\n"), 0o600)
		code, _, errs := hearth(t, nil, "", "serve", "--data-dir", dir, "--addr", freeAddr(t))
		if code != exitKey || !strings.Contains(errs, "32 bytes") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
	t.Run("world-readable key file", func(t *testing.T) {
		dir := t.TempDir()
		_, stop := startServe(t, nil, "--data-dir", dir)
		stop()
		os.Chmod(filepath.Join(dir, "master.key"), 0o644)
		code, _, errs := hearth(t, nil, "", "serve", "--data-dir", dir, "--addr", freeAddr(t))
		if code != exitKey || !strings.Contains(errs, "chmod 600") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if fi, _ := os.Stat(filepath.Join(dir, "master.key")); fi.Mode().Perm() != 0o644 {
			t.Fatal("the key file's mode was changed behind the operator's back")
		}
	})
	t.Run("missing key for an existing store", func(t *testing.T) {
		dir := t.TempDir()
		_, stop := startServe(t, nil, "--data-dir", dir)
		stop()
		os.Remove(filepath.Join(dir, "master.key"))
		code, _, errs := hearth(t, nil, "", "serve", "--data-dir", dir, "--addr", freeAddr(t))
		if code != exitKey || !strings.Contains(errs, "no master key") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "master.key")); err == nil {
			t.Fatal("a new master key was generated for an existing store")
		}
	})
	t.Run("wrong key for an existing store", func(t *testing.T) {
		dir := t.TempDir()
		_, stop := startServe(t, nil, "--data-dir", dir)
		stop()
		other := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
		code, _, errs := hearth(t, []string{"HEARTH_MASTER_KEY=" + other}, "", "serve", "--data-dir", dir, "--addr", freeAddr(t))
		if code != exitKey {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--member-write-rate", "-1"},
		{"serve", "--trusted-proxies", "not-a-cidr"},
		{"serve", "--log-format", "xml"},
		{"serve", "--no-such-flag"},
		{"admin", "create-member", "--handle", "x"},
		{"admin", "set-role", "--handle", "x", "--role", "overlord"},
	} {
		code, _, errs := hearth(t, nil, "", args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, errs)
		}
	}
	code, _, errs := hearth(t, []string{"HEARTH_AUTH_RATE=lots"}, "", "serve", "--data-dir", t.TempDir())
	if code != exitUsage || !strings.Contains(errs, "HEARTH_AUTH_RATE") {
		t.Errorf("bad HEARTH_AUTH_RATE: exit %d %s", code, errs)
	}
}

func TestAdminCommands(t *testing.T) {
	dir := t.TempDir()
	pw := "HEARTH_PASSWORD=lighthouse keeper at night"
	code, out, errs := hearth(t, []string{pw}, "", "admin", "create-member", "--data-dir", dir, "--handle", "Keeper", "--role", "admin")
	if code != 0 || !strings.Contains(out, "created keeper (admin)") {
		t.Fatalf("create-member: %d %s %s", code, out, errs)
	}
	if strings.Count(out, "-") < 30 {
		t.Fatalf("recovery codes not printed: %s", out)
	}
	// The same handle again, in another case, is refused.
	code, _, errs = hearth(t, []string{pw}, "", "admin", "create-member", "--data-dir", dir, "--handle", "KEEPER", "--role", "member")
	if code != exitFailure || !strings.Contains(errs, "taken") {
		t.Fatalf("duplicate create-member: %d %s", code, errs)
	}
	// The password can come from standard input too, and is checked.
	code, _, errs = hearth(t, nil, "too short\n", "admin", "create-member", "--data-dir", dir, "--handle", "shorty", "--role", "member")
	if code != exitFailure || !strings.Contains(errs, "15 characters") {
		t.Fatalf("short password: %d %s", code, errs)
	}
	code, _, _ = hearth(t, nil, "a perfectly fine passphrase\n", "admin", "create-member", "--data-dir", dir, "--handle", "piper", "--role", "member")
	if code != 0 {
		t.Fatal("create-member from stdin failed")
	}

	// While the server runs, set-role takes effect on its next request.
	addr, _ := startServe(t, nil, "--data-dir", dir)
	login := func() string {
		resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"handle":"piper","password":"a perfectly fine passphrase"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("login: %d %s", resp.StatusCode, b)
		}
		return string(b)
	}
	if !strings.Contains(login(), `"role":"member"`) {
		t.Fatal("piper is not a member")
	}
	code, out, errs = hearth(t, nil, "", "admin", "set-role", "--data-dir", dir, "--handle", "Piper", "--role", "moderator")
	if code != 0 || !strings.Contains(out, "piper is now moderator") {
		t.Fatalf("set-role: %d %s %s", code, out, errs)
	}
	if !strings.Contains(login(), `"role":"moderator"`) {
		t.Fatal("role change not seen by the running server")
	}
	code, _, errs = hearth(t, nil, "", "admin", "set-role", "--data-dir", dir, "--handle", "nobody", "--role", "admin")
	if code != exitFailure || !strings.Contains(strings.ToLower(errs), "no member") {
		t.Fatalf("set-role of unknown handle: %d %s", code, errs)
	}
}

// post sends JSON and returns status and body.
func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	hr, _ := http.NewRequest("POST", url, strings.NewReader(body))
	hr.Header.Set("Content-Type", "application/json")
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

func field(t *testing.T, body, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	v, _ := m[name].(string)
	return v
}

func getMe(t *testing.T, addr, token string) int {
	t.Helper()
	hr, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/me", nil)
	hr.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// wrappedUnder counts the data keys and secrets wrapped under each master key.
func wrappedUnder(t *testing.T, dir string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "hearth.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, q := range []string{"SELECT wrapped FROM data_keys", "SELECT value FROM secrets"} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			rows.Scan(&b)
			id, err := seal.BlobKeyID(b)
			if err != nil {
				t.Fatal(err)
			}
			out[id]++
		}
		rows.Close()
	}
	return out
}

func TestRotateRetireAndBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	addr, stop := startServe(t, nil, "--data-dir", dir, "--auth-rate", "0")
	base := "http://" + addr + "/api/v1"
	code, body := post(t, base+"/auth/register", "", `{"handle":"before","password":"lighthouse keeper at night"}`)
	if code != 201 {
		t.Fatalf("register: %d %s", code, body)
	}
	token, refresh := field(t, body, "access_token"), field(t, body, "refresh_token")
	oldKey, _ := os.ReadFile(filepath.Join(dir, "master.key"))

	code, out, errs := hearth(t, nil, "", "keys", "rotate", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	newKey, _ := os.ReadFile(filepath.Join(dir, "master.key"))
	if bytes.Equal(oldKey, newKey) {
		t.Fatal("master.key unchanged by rotation")
	}
	retired, _ := filepath.Glob(filepath.Join(dir, "retired-keys", "*.key"))
	if len(retired) != 1 {
		t.Fatalf("retired keys %v, want one", retired)
	}
	oldID := strings.TrimSuffix(filepath.Base(retired[0]), ".key")

	// The running server goes on: the old token works, refresh works, and a
	// new member's data key is wrapped under the new master key.
	if c := getMe(t, addr, token); c != 200 {
		t.Fatalf("GET /me after rotation: %d", c)
	}
	if c, b := post(t, base+"/auth/refresh", "", `{"refresh_token":"`+refresh+`"}`); c != 200 {
		t.Fatalf("refresh after rotation: %d %s", c, b)
	}
	if c, b := post(t, base+"/auth/register", "", `{"handle":"after","password":"lighthouse keeper at night"}`); c != 201 {
		t.Fatalf("register after rotation: %d %s", c, b)
	}
	under := wrappedUnder(t, dir)
	if under[oldID] != 0 || len(under) != 1 {
		t.Fatalf("keys wrapped per master key after rotation: %v; want none under %s", under, oldID)
	}

	// A backup taken while serving opens and holds both members.
	backupFile := filepath.Join(t.TempDir(), "copy.db")
	code, out, errs = hearth(t, nil, "", "backup", "--data-dir", dir, "--out", backupFile)
	if code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	db, err := sql.Open("sqlite3", "file:"+backupFile+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var check string
	var members int
	db.QueryRow("PRAGMA integrity_check").Scan(&check)
	db.QueryRow("SELECT count(*) FROM members").Scan(&members)
	db.Close()
	if check != "ok" || members != 2 {
		t.Fatalf("backup: integrity %q, %d members", check, members)
	}
	if code, _, errs = hearth(t, nil, "", "backup", "--data-dir", dir, "--out", backupFile); code != exitStore || !strings.Contains(errs, backupFile) {
		t.Fatalf("backup over an existing file: exit %d, want %d naming the file: %s", code, exitStore, errs)
	}

	// After a restart both members sign in, then the old key is retired.
	stop()
	addr, _ = startServe(t, nil, "--data-dir", dir)
	for _, h := range []string{"before", "after"} {
		if c, b := post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"`+h+`","password":"lighthouse keeper at night"}`); c != 200 {
			t.Fatalf("login %s after restart: %d %s", h, c, b)
		}
	}
	if code, _, errs = hearth(t, nil, "", "keys", "retire", "--data-dir", dir, "../etc/passwd"); code != exitKey {
		t.Fatalf("retire of a bad id: %d %s", code, errs)
	}
	code, out, errs = hearth(t, nil, "", "keys", "retire", "--data-dir", dir, oldID)
	if code != 0 || !strings.Contains(out, "destroyed") {
		t.Fatalf("retire: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(retired[0]); !os.IsNotExist(err) {
		t.Fatal("retired key file still there")
	}
	// The backup was made under the new key, so it still opens with it.
	current := string(bytes.TrimSpace(newKey))
	backupDir := t.TempDir()
	copyFile(t, backupFile, filepath.Join(backupDir, "hearth.db"))
	addr, _ = startServe(t, []string{"HEARTH_MASTER_KEY=" + current}, "--data-dir", backupDir)
	if c, b := post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"after","password":"lighthouse keeper at night"}`); c != 200 {
		t.Fatalf("login on the restored backup: %d %s", c, b)
	}
}

// TestRotateSigningWhileServing: a new token-signing key kills every access
// token at once, while sessions live on: the client refreshes and goes on.
func TestRotateSigningWhileServing(t *testing.T) {
	dir := t.TempDir()
	addr, _ := startServe(t, nil, "--data-dir", dir, "--auth-rate", "0")
	base := "http://" + addr + "/api/v1"
	code, body := post(t, base+"/auth/register", "", `{"handle":"signer","password":"lighthouse keeper at night"}`)
	if code != 201 {
		t.Fatalf("register: %d %s", code, body)
	}
	token, refresh := field(t, body, "access_token"), field(t, body, "refresh_token")
	if c := getMe(t, addr, token); c != 200 {
		t.Fatalf("GET /me before: %d", c)
	}
	code, out, errs := hearth(t, nil, "", "keys", "rotate-signing", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "new token-signing key") {
		t.Fatalf("rotate-signing: %d %s %s", code, out, errs)
	}
	if c := getMe(t, addr, token); c != 401 {
		t.Fatalf("GET /me with a token signed before rotate-signing: %d, want 401", c)
	}
	code, body = post(t, base+"/auth/refresh", "", `{"refresh_token":"`+refresh+`"}`)
	if code != 200 {
		t.Fatalf("refresh after rotate-signing: %d %s", code, body)
	}
	if c := getMe(t, addr, field(t, body, "access_token")); c != 200 {
		t.Fatalf("GET /me with the new token: %d", c)
	}
}

func TestRotateNeedsKeyFile(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{5}, 32))
	dir := t.TempDir()
	code, _, errs := hearth(t, []string{"HEARTH_MASTER_KEY=" + key}, "", "keys", "rotate", "--data-dir", dir)
	if code != exitKey || !strings.Contains(errs, "HEARTH_MASTER_KEY") {
		t.Fatalf("rotate with an environment key: %d %s", code, errs)
	}
	code, _, errs = hearth(t, nil, "", "keys", "rotate", "--data-dir", t.TempDir())
	if code != exitKey || !strings.Contains(errs, "no master key") {
		t.Fatalf("rotate without a key: %d %s", code, errs)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDemoSeedsOnlyAnEmptyStore(t *testing.T) {
	dir := t.TempDir()
	code, _, _ := hearth(t, []string{"HEARTH_PASSWORD=someone already lives here"}, "", "admin", "create-member", "--data-dir", dir, "--handle", "resident", "--role", "admin")
	if code != 0 {
		t.Fatal("create-member failed")
	}
	addr, stop := startServe(t, nil, "--data-dir", dir, "--demo")
	if c, _ := post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"maple","password":"hearth demo passphrase"}`); c != 401 {
		t.Fatalf("demo account created in a store with members: %d", c)
	}
	stop()

	addr, _ = startServe(t, nil, "--data-dir", t.TempDir(), "--demo")
	for _, h := range []string{"maple", "heron", "juniper"} {
		if c, b := post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"`+h+`","password":"hearth demo passphrase"}`); c != 200 {
			t.Fatalf("demo sign-in %s: %d %s", h, c, b)
		}
	}
}

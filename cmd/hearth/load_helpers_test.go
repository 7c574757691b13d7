package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"hearth/internal/app"
	"hearth/internal/auth"
	"hearth/internal/demo"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// Helpers for the tests that put a real `hearth serve` under load and may
// kill it: the crash and concurrency tests.

// loadPassword is the password of every member the load tests make.
const loadPassword = "a lantern left burning in the harbour"

// loadCircle is the demo circle the load tests write in.
const loadCircle = "cardiac-recovery"

// lockedLog collects a process's standard error; it may be read while the
// process still writes.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// loadProc is a `hearth serve` process the test can kill outright.
type loadProc struct {
	addr string
	cmd  *exec.Cmd
	logs *lockedLog
	done chan struct{}
}

// startLoadServer runs `hearth serve` with args and waits until it is ready.
// It is killed, if still running, when the test ends.
func startLoadServer(t *testing.T, args ...string) *loadProc {
	t.Helper()
	p := &loadProc{addr: freeAddr(t), logs: &lockedLog{}, done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], append([]string{"serve", "--addr", p.addr}, args...)...)
	p.cmd.Env = append(cleanEnv(), "HEARTH_TEST_MAIN=1")
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := c.Get("http://" + p.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("hearth serve exited early: %s", p.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			p.kill()
			t.Fatalf("hearth serve not ready after 30s: %s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL, as a power cut or the OOM killer
// would, and waits for it to be gone.
func (p *loadProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends the process with SIGTERM and returns its exit code.
func (p *loadProc) stop(t *testing.T) int {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatalf("hearth serve did not stop within 30s of SIGTERM: %s", p.logs.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *loadProc) base() string { return "http://" + p.addr + "/api/v1" }

// seedLoadStore makes, before any server runs, the store a load test starts
// from: the demo forum (what `serve --demo` makes) and n members named
// prefix00, prefix01, ….
//
// The members are made in this process with cheap argon2id parameters
// (every hash records its own, so the server checks them as they are)
// rather than through POST /auth/register: the server hashes the password
// and the ten recovery codes with the OWASP parameters on one slot per core
// but one, which under the race detector on two cores is ~0.7s a member,
// half a minute for 32 and most of a minute for 64, spent on hashing that
// no load test is about. The members then sign in through the API.
//
// dsn empty means SQLite in dir; otherwise the PostgreSQL it names, with
// master.key in dir.
func seedLoadStore(t *testing.T, dir, dsn, prefix string, n int) []string {
	t.Helper()
	ctx := context.Background()
	opts := store.Options{SQLitePath: dir + "/hearth.db", Postgres: dsn}
	st, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kr, err := seal.OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	o := app.Defaults()
	o.Hashing, o.HashSlots, o.HashQueue = auth.Params{Memory: 64, Time: 1, Threads: 1}, 4, 64
	svc, err := app.Build(ctx, st, kr, o)
	if err != nil {
		t.Fatal(err)
	}
	if seeded, err := demo.Seed(ctx, st, svc.Auth, svc.Forum, svc.Moderation, svc.Mentorship); err != nil || !seeded {
		t.Fatalf("demo content: seeded %v, %v", seeded, err)
	}
	handles := make([]string, n)
	for i := range handles {
		handles[i] = fmt.Sprintf("%s%02d", prefix, i)
		if _, _, err := svc.Auth.CreateMember(ctx, handles[i], loadPassword, kernel.RoleMember); err != nil {
			t.Fatalf("create %s: %v", handles[i], err)
		}
	}
	if dsn == "" {
		if err := st.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return handles
}

// loadClient keeps a connection alive per writer, so the load is requests,
// not TCP handshakes, and never waits forever.
func loadClient(t *testing.T) *http.Client {
	tr := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// call sends a JSON request and reads the whole answer. It never fails the
// test itself, so writers may call it from their own goroutines.
func call(c *http.Client, method, url, token string, body any) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, nil, err
		}
		r = bytes.NewReader(b)
	}
	hr, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		hr.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(hr)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, resp.Header, b, err
	}
	return resp.StatusCode, resp.Header, b, nil
}

// signInAll signs the handles in, eight at a time (the server turns away
// sign-ins past its hashing queue, sixteen a core), and joins each to the
// load circle; a 503 or 429 is waited out as its Retry-After says. It
// returns the access tokens in the order of handles.
func signInAll(t *testing.T, c *http.Client, base string, handles []string) []string {
	t.Helper()
	tokens := make([]string, len(handles))
	errs := make([]error, len(handles))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, h := range handles {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			deadline := time.Now().Add(30 * time.Second)
			for {
				code, hdr, b, err := call(c, "POST", base+"/auth/login", "", map[string]string{"handle": h, "password": loadPassword})
				if err == nil && (code == http.StatusServiceUnavailable || code == http.StatusTooManyRequests) && time.Now().Before(deadline) {
					wait, _ := strconv.Atoi(hdr.Get("Retry-After"))
					time.Sleep(time.Duration(max(wait, 1)) * time.Second)
					continue
				}
				if err != nil || code != http.StatusOK {
					errs[i] = fmt.Errorf("sign in %s: %d %s %v", h, code, b, err)
					return
				}
				var g struct {
					AccessToken string `json:"access_token"`
				}
				if err := json.Unmarshal(b, &g); err != nil || g.AccessToken == "" {
					errs[i] = fmt.Errorf("sign in %s: %s %v", h, b, err)
					return
				}
				tokens[i] = g.AccessToken
				break
			}
			if code, _, b, err := call(c, "POST", base+"/circles/"+loadCircle+"/join", tokens[i], nil); err != nil || code != http.StatusNoContent {
				errs[i] = fmt.Errorf("%s joins %s: %d %s %v", h, loadCircle, code, b, err)
				return
			}
			errs[i] = acceptGuidelines(c, base, tokens[i])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return tokens
}

// acceptGuidelines accepts the load circle's current guidelines, as a
// member does before their first post there.
func acceptGuidelines(c *http.Client, base, token string) error {
	code, _, b, err := call(c, "GET", base+"/circles/"+loadCircle, token, nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("read %s: %d %s %v", loadCircle, code, b, err)
	}
	var circle struct {
		Guidelines *struct{ Version int } `json:"guidelines"`
	}
	if err := json.Unmarshal(b, &circle); err != nil {
		return err
	}
	if circle.Guidelines == nil {
		return nil
	}
	code, _, b, err = call(c, "POST", base+"/circles/"+loadCircle+"/guidelines/accept", token, map[string]int{"version": circle.Guidelines.Version})
	if err != nil || code != http.StatusNoContent {
		return fmt.Errorf("accept the guidelines of %s: %d %s %v", loadCircle, code, b, err)
	}
	return nil
}

// circleStories returns the ids of the load circle's stories.
func circleStories(t *testing.T, c *http.Client, base, token string) []string {
	t.Helper()
	code, _, b, err := call(c, "GET", base+"/circles/"+loadCircle+"/stories?limit=100", token, nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("stories of %s: %d %s %v", loadCircle, code, b, err)
	}
	var page struct {
		Items []struct {
			ID     string `json:"id"`
			Pinned bool   `json:"pinned"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range page.Items {
		if !s.Pinned {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		t.Fatalf("the demo circle %s has no stories: %s", loadCircle, b)
	}
	return ids
}

// replyPage is one page of GET /stories/{id}/replies.
type replyPage struct {
	Items []struct {
		ID     string  `json:"id"`
		Body   *string `json:"body"`
		Status string  `json:"status"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// allReplies reads every reply of a story, page by page, as id → body.
func allReplies(t *testing.T, c *http.Client, base, token, story string) map[string]string {
	t.Helper()
	got, err := repliesOf(c, base, token, story)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// repliesOf is allReplies without the test, for goroutines of their own.
func repliesOf(c *http.Client, base, token, story string) (map[string]string, error) {
	got := map[string]string{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 10000 {
			return nil, errors.New("replies: pagination does not end")
		}
		url := base + "/stories/" + story + "/replies?limit=100"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		code, _, b, err := call(c, "GET", url, token, nil)
		if err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("replies page %d: %d %s %v", pages, code, b, err)
		}
		var page replyPage
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, fmt.Errorf("replies page %d: %v", pages, err)
		}
		for _, r := range page.Items {
			if _, dup := got[r.ID]; dup {
				return nil, fmt.Errorf("reply %s listed twice", r.ID)
			}
			body := ""
			if r.Body != nil {
				body = *r.Body
			}
			got[r.ID] = body
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return got, nil
		}
		cursor = *page.NextCursor
	}
}

// storeProblems are what the server's log must never say.
var storeProblems = []string{"database is locked", "database table is locked", "sqlite_busy", "sqlite_locked", "panic"}

// logProblems returns the lines of logs that say one of storeProblems, or
// any error at all when errors is set.
func logProblems(logs string, errors bool) []string {
	var bad []string
	for _, line := range strings.Split(logs, "\n") {
		l := strings.ToLower(line)
		for _, p := range storeProblems {
			if strings.Contains(l, p) {
				bad = append(bad, line)
				break
			}
		}
		if errors && strings.Contains(l, "level=error") && !slices.Contains(bad, line) {
			bad = append(bad, line)
		}
	}
	return bad
}

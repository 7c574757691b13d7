package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// crashWriters is how many members write at once when the server dies.
const crashWriters = 32

// TestCrashSafety: 32 members post replies at once, the server is killed
// with SIGKILL in the middle, and after a restart every reply that was
// answered 201 is there, opens to the text that was sent and reached the
// story's follower as a notice; the SQLite file passes PRAGMA
// integrity_check both as the crash left it and after the restart.
func TestCrashSafety(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { crashSafety(t, d) })
	}
}

func crashSafety(t *testing.T, dialect string) {
	start := time.Now()
	dir := t.TempDir()
	dsn := ""
	args := []string{"--data-dir", dir, "--member-write-rate", "0", "--auth-rate", "0"}
	if dialect == store.Postgres {
		dsn = storetest.PostgresSchema(t)
		args = append(args, "--database", dsn)
	}
	handles := seedLoadStore(t, dir, dsn, "crash", crashWriters)
	p := startLoadServer(t, args...)
	c := loadClient(t)
	tokens := signInAll(t, c, p.base(), handles)
	story := circleStories(t, c, p.base(), tokens[0])[0]
	before := allReplies(t, c, p.base(), tokens[0], story)
	// The first writer follows the story from the start, so every reply the
	// others had acknowledged owes them a notice after the crash.
	if code, _, b, err := call(c, "PUT", p.base()+"/stories/"+story+"/follow", tokens[0], nil); err != nil || code != http.StatusNoContent {
		t.Fatalf("follow: %d %s %v", code, b, err)
	}
	t.Logf("%s: %d members signed in and joined after %v", dialect, len(tokens), time.Since(start).Round(time.Millisecond))

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		acked   = map[string]string{} // reply id → the text sent
		nacked  atomic.Int64
		killed  atomic.Bool
		failure atomic.Value // the first error before the kill
	)
	for w := range crashWriters {
		wg.Go(func() {
			for i := 0; ; i++ {
				text := fmt.Sprintf("crash test: member %s, reply %d, sent at %s", handles[w], i, time.Now().Format(time.RFC3339Nano))
				code, _, b, err := call(c, "POST", p.base()+"/stories/"+story+"/replies", tokens[w], map[string]string{"body": text})
				if killed.Load() {
					// Once the kill is under way a request may fail in any
					// way, but a 201 that arrived whole is a promise.
					if err == nil && code == http.StatusCreated {
						var r struct{ ID string }
						if json.Unmarshal(b, &r) == nil && r.ID != "" {
							mu.Lock()
							acked[r.ID] = text
							mu.Unlock()
						}
					}
					if err != nil {
						return
					}
					continue
				}
				var r struct{ ID, Body string }
				if err != nil || code != http.StatusCreated || json.Unmarshal(b, &r) != nil || r.ID == "" || r.Body != text {
					failure.CompareAndSwap(nil, fmt.Errorf("%s, reply %d before the kill: %d %s %v", handles[w], i, code, b, err))
					return
				}
				mu.Lock()
				acked[r.ID] = text
				mu.Unlock()
				nacked.Add(1)
			}
		})
	}

	// Kill mid-load: once every writer has had time to get going and a
	// good number of replies are acknowledged, whatever the machine's speed.
	loadStart := time.Now()
	for time.Since(loadStart) < 1500*time.Millisecond || nacked.Load() < 2*crashWriters {
		if failure.Load() != nil || time.Since(loadStart) > 30*time.Second {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	killed.Store(true)
	p.kill()
	wg.Wait()
	if err, _ := failure.Load().(error); err != nil {
		t.Fatalf("%v\nserver log:\n%s", err, p.logs.String())
	}
	if nacked.Load() < 2*crashWriters {
		t.Fatalf("only %d replies acknowledged in 30s of load", nacked.Load())
	}
	t.Logf("%s: killed after %v of load with %d replies acknowledged", dialect, time.Since(loadStart).Round(time.Millisecond), len(acked))

	if dialect == store.SQLite {
		// As the crash left it: the WAL holds the last writes.
		if fi, err := os.Stat(filepath.Join(dir, "hearth.db-wal")); err == nil {
			t.Logf("the crash left a WAL of %d bytes", fi.Size())
		}
		integrityOK(t, filepath.Join(dir, "hearth.db"))
	}

	p = startLoadServer(t, args...)
	code, _, b, err := call(c, "POST", p.base()+"/auth/login", "", map[string]string{"handle": handles[0], "password": loadPassword})
	if err != nil || code != http.StatusOK {
		t.Fatalf("sign in after the restart: %d %s %v", code, b, err)
	}
	token := field(t, string(b), "access_token")
	got := allReplies(t, c, p.base(), token, story)
	missing, wrong := 0, 0
	for id, text := range acked {
		body, ok := got[id]
		switch {
		case !ok:
			missing++
			if missing <= 5 {
				t.Errorf("reply %s was answered 201 but is gone after the crash", id)
			}
		case body != text:
			wrong++
			if wrong <= 5 {
				t.Errorf("reply %s reads %q after the crash, want %q", id, body, text)
			}
		}
	}
	for id, body := range before {
		if got[id] != body {
			t.Errorf("reply %s written before the load reads %q after the crash, want %q", id, got[id], body)
		}
	}
	if missing+wrong > 0 {
		t.Fatalf("of %d acknowledged replies, %d are gone and %d read wrong after the crash", len(acked), missing, wrong)
	}
	// Every acknowledged reply by someone else reached the follower.
	told := noticedReplies(t, c, p.base(), token)
	untold := 0
	for id, text := range acked {
		if !strings.Contains(text, "member "+handles[0]+",") && !told[id] {
			if untold++; untold <= 5 {
				t.Errorf("reply %s was answered 201 but its story's follower was never told of it", id)
			}
		}
	}
	// Replies that were written but whose answer was lost in the kill may be
	// there too; nothing else may.
	if extra := len(got) - len(before) - len(acked); extra < 0 || extra > crashWriters {
		t.Errorf("%d replies after the crash: %d before, %d acknowledged; %d unaccounted for (at most %d may have been in flight)",
			len(got), len(before), len(acked), extra, crashWriters)
	}
	// The count the story shows is the server's own, not the listing's:
	// it must cover every acknowledged reply and what was in flight, no more.
	code, _, b, err = call(c, "GET", p.base()+"/stories/"+story, token, nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("story after the crash: %d %s %v", code, b, err)
	}
	var s struct {
		ReplyCount int `json:"reply_count"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if least := len(before) + len(acked); s.ReplyCount < least || s.ReplyCount > least+crashWriters {
		t.Errorf("story reply_count %d after the crash: %d replies before, %d acknowledged, at most %d in flight", s.ReplyCount, len(before), len(acked), crashWriters)
	}
	if code := p.stop(t); code != 0 {
		t.Errorf("restarted server exit %d: %s", code, p.logs.String())
	}
	if bad := logProblems(p.logs.String(), true); len(bad) > 0 {
		t.Errorf("after the crash the server's log says:\n%s", strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
	if dialect == store.SQLite {
		integrityOK(t, filepath.Join(dir, "hearth.db"))
	}
	t.Logf("%s: %d acknowledged replies all read back after SIGKILL; test took %v", dialect, len(acked), time.Since(start).Round(time.Millisecond))
}

// noticedReplies reads all of a member's notices and returns the replies
// they were told of.
func noticedReplies(t *testing.T, c *http.Client, base, token string) map[string]bool {
	t.Helper()
	// One look delivers at most 500 replies of a member's feed, the rest
	// at the next: look until the count stops growing, as a member coming
	// back to a busy story would.
	last := -1
	for looks := 0; ; looks++ {
		code, _, b, err := call(c, "GET", base+"/me/notices/unread-count", token, nil)
		if err != nil || code != http.StatusOK {
			t.Fatalf("unread count: %d %s %v", code, b, err)
		}
		var n struct{ Count int }
		if err := json.Unmarshal(b, &n); err != nil {
			t.Fatal(err)
		}
		if n.Count == last {
			break
		}
		if looks == 1000 {
			t.Fatal("the unread count never settles")
		}
		last = n.Count
	}
	told := map[string]bool{}
	cursor := ""
	for pages := 0; pages < 10000; pages++ {
		url := base + "/me/notices?limit=100"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		code, _, b, err := call(c, "GET", url, token, nil)
		if err != nil || code != http.StatusOK {
			t.Fatalf("notices page %d: %d %s %v", pages, code, b, err)
		}
		var page struct {
			Items []struct {
				Kind       string  `json:"kind"`
				TargetType *string `json:"target_type"`
				TargetID   *string `json:"target_id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Items {
			if (n.Kind == "reply" || n.Kind == "reply_to_you") && n.TargetID != nil {
				told[*n.TargetID] = true
			}
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return told
		}
		cursor = *page.NextCursor
	}
	t.Fatal("notices: pagination does not end")
	return nil
}

// integrityOK opens the SQLite file read-only and runs PRAGMA
// integrity_check, which reads every page, and PRAGMA foreign_key_check.
func integrityOK(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	rows.Close()
	if len(out) != 1 || out[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check: %q", out)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatalf("foreign_key_check: %v", err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("PRAGMA foreign_key_check reports rows that point nowhere")
	}
}

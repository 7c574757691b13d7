package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// concurrentWriters is how many members write at once.
const concurrentWriters = 64

// TestConcurrentWriters: 64 members write stories and replies (to one busy
// story, to their own stories and to each other's replies) for 10 seconds.
// Not one request may end in a 5xx or fail to be answered, the server's log
// never says "database is locked" (or any error), and afterwards every
// acknowledged reply is there and the reply counts add up.
func TestConcurrentWriters(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { concurrentWriting(t, d) })
	}
}

// writeResult is one writer's tally.
type writeResult struct {
	statuses  map[int]int
	failures  []string // a sample of what went wrong
	hot       []string // ids of replies to the busy story
	latencies []time.Duration
}

func (r *writeResult) fail(format string, a ...any) {
	if len(r.failures) < 5 {
		r.failures = append(r.failures, fmt.Sprintf(format, a...))
	}
}

func concurrentWriting(t *testing.T, dialect string) {
	start := time.Now()
	duration := 10 * time.Second
	if testing.Short() {
		duration = 2 * time.Second
	}
	dir := t.TempDir()
	dsn := ""
	args := []string{"--data-dir", dir, "--member-write-rate", "0", "--auth-rate", "0"}
	if dialect == store.Postgres {
		dsn = storetest.PostgresSchema(t)
		args = append(args, "--database", dsn)
	}
	handles := seedLoadStore(t, dir, dsn, "writer", concurrentWriters)
	p := startLoadServer(t, args...)
	c := loadClient(t)
	tokens := signInAll(t, c, p.base(), handles)
	base := p.base()
	hot := circleStories(t, c, base, tokens[0])[0]
	hotBefore := len(allReplies(t, c, base, tokens[0], hot))

	results := make([]writeResult, concurrentWriters)
	var (
		wg      sync.WaitGroup
		stop    atomic.Bool
		written atomic.Int64
	)
	loadStart := time.Now()
	logStart := len(p.logs.String())
	for w := range concurrentWriters {
		wg.Go(func() {
			r := &results[w]
			r.statuses = map[int]int{}
			var myStory, lastReply string
			for i := 0; !stop.Load(); i++ {
				var url string
				var body map[string]string
				toHot := false
				text := fmt.Sprintf("%s, writing %d: a steadier week, one walk at a time", handles[w], i)
				switch {
				case i%10 == 0:
					url, body = base+"/circles/"+loadCircle+"/stories", map[string]string{"title": fmt.Sprintf("Week %d for %s", i, handles[w]), "body": text}
				case i%10 == 5 && lastReply != "":
					url, body = base+"/stories/"+hot+"/replies", map[string]string{"body": text, "parent_id": lastReply}
					toHot = true
				case i%2 == 1 && myStory != "":
					url, body = base+"/stories/"+myStory+"/replies", map[string]string{"body": text}
				default:
					url, body = base+"/stories/"+hot+"/replies", map[string]string{"body": text}
					toHot = true
				}
				t0 := time.Now()
				code, _, b, err := call(c, "POST", url, tokens[w], body)
				r.latencies = append(r.latencies, time.Since(t0))
				if err != nil {
					r.statuses[-1]++
					r.fail("POST %s: %v", strings.TrimPrefix(url, base), err)
					continue
				}
				r.statuses[code]++
				if code != http.StatusCreated {
					r.fail("POST %s: %d %s", strings.TrimPrefix(url, base), code, b)
					continue
				}
				written.Add(1)
				var got struct{ ID string }
				if err := json.Unmarshal(b, &got); err != nil || got.ID == "" {
					r.fail("POST %s: 201 without an id: %s", strings.TrimPrefix(url, base), b)
					continue
				}
				switch {
				case i%10 == 0:
					myStory = got.ID
				case toHot:
					lastReply = got.ID
					r.hot = append(r.hot, got.ID)
				}
			}
		})
	}
	time.Sleep(duration)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(loadStart)

	statuses := map[int]int{}
	var latencies []time.Duration
	var hotIDs []string
	for _, r := range results {
		for code, n := range r.statuses {
			statuses[code] += n
		}
		latencies = append(latencies, r.latencies...)
		hotIDs = append(hotIDs, r.hot...)
		for _, f := range r.failures {
			t.Error(f)
		}
	}
	slices.Sort(latencies)
	pct := func(q float64) time.Duration {
		return latencies[int(q*float64(len(latencies)-1))].Round(time.Millisecond)
	}
	t.Logf("%s: %d writers, %v: %d writes answered 201 (%.0f/s), statuses %v; latency p50 %v, p99 %v, max %v",
		dialect, concurrentWriters, elapsed.Round(time.Millisecond), written.Load(), float64(written.Load())/elapsed.Seconds(),
		statuses, pct(0.5), pct(0.99), pct(1))
	for code, n := range statuses {
		switch {
		case code == -1:
			t.Errorf("%d requests got no answer", n)
		case code >= 500:
			t.Errorf("%d requests answered %d", n, code)
		case code != http.StatusCreated:
			t.Errorf("%d requests answered %d, want 201", n, code)
		}
	}
	if written.Load() < concurrentWriters {
		t.Errorf("only %d writes in %v", written.Load(), elapsed)
	}
	// "database is locked" nowhere; no error at all once the load began
	// (setting up, a sign-in may have been told to come back: a 503 the
	// server logs as an error).
	logs := p.logs.String()
	bad := append(logProblems(logs[:logStart], false), logProblems(logs[logStart:], true)...)
	if len(bad) > 0 {
		t.Errorf("the server's log says, %d times:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}

	// Every reply to the busy story is there, and its count agrees.
	got := allReplies(t, c, base, tokens[0], hot)
	for _, id := range hotIDs {
		if _, ok := got[id]; !ok {
			t.Errorf("reply %s was answered 201 but is not listed", id)
		}
	}
	if len(got) != hotBefore+len(hotIDs) {
		t.Errorf("the busy story lists %d replies; %d before and %d written", len(got), hotBefore, len(hotIDs))
	}
	code, _, b, err := call(c, "GET", base+"/stories/"+hot, tokens[0], nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("story: %d %s %v", code, b, err)
	}
	var s struct {
		ReplyCount int `json:"reply_count"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.ReplyCount != len(got) {
		t.Errorf("the busy story's reply_count is %d, but %d replies are listed: concurrent writes lost an update", s.ReplyCount, len(got))
	}

	if code := p.stop(t); code != 0 {
		t.Errorf("exit %d after SIGTERM", code)
	}
	if bad := logProblems(p.logs.String()[len(logs):], true); len(bad) > 0 {
		t.Errorf("the server's log says, at stop:\n%s", strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
	if dialect == store.SQLite {
		integrityOK(t, filepath.Join(dir, "hearth.db"))
	}
	if t.Failed() {
		lines := strings.Split(p.logs.String(), "\n")
		t.Logf("last server log lines:\n%s", strings.Join(lines[max(0, len(lines)-30):], "\n"))
	}
	t.Logf("%s: test took %v", dialect, time.Since(start).Round(time.Millisecond))
}

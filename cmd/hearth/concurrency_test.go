package main

import (
	"encoding/json"
	"fmt"
	"maps"
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
// story, to their own stories and to their own replies in the busy thread)
// for 10 seconds. Not one request may end in a 5xx or fail to be answered,
// the server's log never says "database is locked" (or any error), and
// afterwards every story and reply answered 201 reads back with the text
// that was sent, no thread holds a reply nobody was told of, and each
// story's reply_count is the number of replies acknowledged to it.
func TestConcurrentWriters(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { concurrentWriting(t, d) })
	}
}

// writeResult is one writer's tally.
type writeResult struct {
	statuses  map[int]int
	failures  []string // a sample of what went wrong
	latencies []time.Duration
	// stories and replies are what was answered 201: story id → title and
	// body; story id → reply id → body.
	stories map[string][2]string
	replies map[string]map[string]string
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
	hotBefore := allReplies(t, c, base, tokens[0], hot)

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
			r.stories, r.replies = map[string][2]string{}, map[string]map[string]string{}
			var myStory, lastReply string
			for i := 0; !stop.Load(); i++ {
				var url, story string // story: the one replied to, or "" for a new one
				var body map[string]string
				text := fmt.Sprintf("%s, writing %d: a steadier week, one walk at a time", handles[w], i)
				title := fmt.Sprintf("Week %d for %s", i, handles[w])
				switch {
				case i%10 == 0:
					url, body = base+"/circles/"+loadCircle+"/stories", map[string]string{"title": title, "body": text}
				case i%10 == 5 && lastReply != "":
					url, body, story = base+"/stories/"+hot+"/replies", map[string]string{"body": text, "parent_id": lastReply}, hot
				case i%2 == 1 && myStory != "":
					url, body, story = base+"/stories/"+myStory+"/replies", map[string]string{"body": text}, myStory
				default:
					url, body, story = base+"/stories/"+hot+"/replies", map[string]string{"body": text}, hot
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
				var got struct{ ID, Title, Body string }
				if err := json.Unmarshal(b, &got); err != nil || got.ID == "" || got.Body != text || (story == "" && got.Title != title) {
					r.fail("POST %s: 201 without an id or with other text: %s", strings.TrimPrefix(url, base), b)
					continue
				}
				switch {
				case story == "":
					myStory = got.ID
					r.stories[got.ID] = [2]string{title, text}
				default:
					if story == hot {
						lastReply = got.ID
					}
					if r.replies[story] == nil {
						r.replies[story] = map[string]string{}
					}
					r.replies[story][got.ID] = text
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
	stories := map[string][2]string{}
	replies := map[string]map[string]string{hot: hotBefore}
	for _, r := range results {
		for code, n := range r.statuses {
			statuses[code] += n
		}
		latencies = append(latencies, r.latencies...)
		maps.Copy(stories, r.stories)
		for story, rs := range r.replies {
			if replies[story] == nil {
				replies[story] = map[string]string{}
			}
			maps.Copy(replies[story], rs)
		}
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

	// Every story and reply answered 201 reads back as it was sent, and
	// nothing else is in the threads.
	readBack(t, c, base, tokens[0], stories, replies)

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

// readBack reads every story in stories (id → title and body) and the whole
// thread of every story in replies (story id → reply id → body), eight at a
// time, and fails t for anything that is not as acknowledged: a story or
// reply missing or with other text, a reply nobody was told of, or a
// reply_count other than the number of replies acknowledged to the story.
func readBack(t *testing.T, c *http.Client, base, token string, stories map[string][2]string, replies map[string]map[string]string) {
	t.Helper()
	ids := slices.Collect(maps.Keys(stories))
	for id := range replies {
		if _, ok := stories[id]; !ok {
			ids = append(ids, id)
		}
	}
	var (
		mu       sync.Mutex
		problems []string
		wg       sync.WaitGroup
	)
	report := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, a...))
	}
	sem := make(chan struct{}, 8)
	nReplies := 0
	for _, id := range ids {
		nReplies += len(replies[id])
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			code, _, b, err := call(c, "GET", base+"/stories/"+id, token, nil)
			var s struct {
				Title, Body string
				ReplyCount  int `json:"reply_count"`
			}
			if err != nil || code != http.StatusOK || json.Unmarshal(b, &s) != nil {
				report("story %s: %d %s %v", id, code, b, err)
				return
			}
			if want, ok := stories[id]; ok && (s.Title != want[0] || s.Body != want[1]) {
				report("story %s reads %q / %q, want %q / %q", id, s.Title, s.Body, want[0], want[1])
			}
			if s.ReplyCount != len(replies[id]) {
				report("story %s has reply_count %d, but %d replies to it were acknowledged", id, s.ReplyCount, len(replies[id]))
			}
			got, err := repliesOf(c, base, token, id)
			if err != nil {
				report("replies of %s: %v", id, err)
				return
			}
			for rid, text := range replies[id] {
				if body, ok := got[rid]; !ok {
					report("reply %s to %s was answered 201 but is not listed", rid, id)
				} else if body != text {
					report("reply %s to %s reads %q, want %q", rid, id, body, text)
				}
			}
			for rid := range got {
				if _, ok := replies[id][rid]; !ok {
					report("story %s lists reply %s, which nobody was told of", id, rid)
				}
			}
		})
	}
	wg.Wait()
	for _, p := range problems[:min(len(problems), 20)] {
		t.Error(p)
	}
	if len(problems) > 20 {
		t.Errorf("… and %d more", len(problems)-20)
	}
	t.Logf("read back %d stories and %d replies", len(ids), nReplies)
}

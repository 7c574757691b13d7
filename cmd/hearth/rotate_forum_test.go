package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

func getJSON(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	code, body := getStatus(t, url, token)
	var m map[string]any
	_ = json.Unmarshal([]byte(body), &m)
	return code, m
}

// searchAll reads every page of a search as token, and returns the ids
// found.
func searchAll(t *testing.T, addr, token, q string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	body := map[string]any{"q": q, "limit": 100}
	for {
		b, _ := json.Marshal(body)
		code, out := post(t, "http://"+addr+"/api/v1/search", token, string(b))
		if code != 200 {
			t.Fatalf("search %q: %d %s", q, code, out)
		}
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal([]byte(out), &page); err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			found[it.ID] = true
		}
		if page.NextCursor == nil {
			return found
		}
		body["cursor"] = *page.NextCursor
	}
}

// TestRotateWhileWriting rotates the master key while members write
// replies, on each store: every reply answered 201 reads back, and is
// found by searching for its words, before and after a restart under the
// new key, and so is what was written before (the search key is
// re-wrapped, never changed).
func TestRotateWhileWriting(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			var database []string // the store's flag: none for SQLite in the data dir
			if d == store.Postgres {
				database = []string{"--database", storetest.PostgresSchema(t)}
			}
			dir := t.TempDir()
			rotateWhileWriting(t, dir, database)
			if d == store.Postgres && fileExists(filepath.Join(dir, "hearth.db")) {
				t.Error("a SQLite store was made beside PostgreSQL: the run was not on PostgreSQL alone")
			}
		})
	}
}

func rotateWhileWriting(t *testing.T, dir string, database []string) {
	serve := func(args ...string) (string, func() (int, string)) {
		t.Helper()
		return startServe(t, nil, append(append([]string{"--data-dir", dir}, database...), args...)...)
	}
	addr, stop := serve("--demo", "--auth-rate", "0", "--member-write-rate", "0", "--search-rate", "0")
	base := "http://" + addr + "/api/v1"
	_, body := post(t, base+"/auth/login", "", `{"handle":"maple","password":"hearth demo passphrase"}`)
	token := field(t, body, "access_token")
	code, page := getJSON(t, base+"/circles/cardiac-recovery/stories?limit=100", token)
	if code != 200 {
		t.Fatalf("stories: %d", code)
	}
	var storyIDs []string
	for _, it := range page["items"].([]any) {
		storyIDs = append(storyIDs, it.(map[string]any)["id"].(string))
	}
	story := storyIDs[len(storyIDs)-1]

	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		written  = map[string]string{}
		stopping atomic.Bool
	)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; !stopping.Load(); i++ {
				text := fmt.Sprintf("writer %d, reply %d, written while the key turns", w, i)
				c, b := post(t, base+"/stories/"+story+"/replies", token, `{"body":"`+text+`"}`)
				if c != 201 {
					t.Errorf("reply during rotation: %d %s", c, b)
					return
				}
				mu.Lock()
				written[field(t, b, "id")] = text
				mu.Unlock()
			}
		})
	}
	keys := func(sub string, id ...string) string {
		t.Helper()
		args := append(append([]string{"keys", sub, "--data-dir", dir}, database...), id...)
		code, out, errs := hearth(t, nil, "", args...)
		if code != 0 {
			t.Fatalf("keys %s: %d %s %s", sub, code, out, errs)
		}
		return out
	}
	var retired []string
	for range 2 {
		out := keys("rotate")
		retired = append(retired, strings.Fields(out)[len(strings.Fields(out))-1]) // "… destroy it with: hearth keys retire ID"
	}
	stopping.Store(true)
	wg.Wait()
	if len(written) == 0 {
		t.Fatal("no reply was written during rotation")
	}

	readAll := func(addr, token string) {
		t.Helper()
		got := map[string]string{}
		cursor := ""
		for {
			url := "http://" + addr + "/api/v1/stories/" + story + "/replies?limit=100"
			if cursor != "" {
				url += "&cursor=" + cursor
			}
			code, page := getJSON(t, url, token)
			if code != 200 {
				t.Fatalf("replies: %d %v", code, page)
			}
			for _, it := range page["items"].([]any) {
				r := it.(map[string]any)
				if b, ok := r["body"].(string); ok {
					got[r["id"].(string)] = b
				}
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		for id, text := range written {
			if got[id] != text {
				t.Errorf("reply %s reads %q, want %q", id, got[id], text)
			}
		}
		for _, id := range storyIDs {
			if code, s := getJSON(t, "http://"+addr+"/api/v1/stories/"+id, token); code != 200 || s["body"] == nil {
				t.Errorf("story %s after rotation: %d", id, code)
			}
		}
		found := searchAll(t, addr, token, "written while the key turns")
		for id := range written {
			if !found[id] {
				t.Errorf("reply %s is not found by its words", id)
			}
		}
		if len(found) != len(written) {
			t.Errorf("searching found %d replies, want the %d written", len(found), len(written))
		}
		if demo := searchAll(t, addr, token, "intensive care"); len(demo) == 0 {
			t.Error("the demo's story about intensive care is not found")
		}
	}
	readAll(addr, token)
	stop()

	// Retiring refuses a key that still wraps anything in the store, so the
	// rotations re-wrapped every key and secret there; the server reads
	// everything with the last key alone.
	for _, id := range retired {
		keys("retire", id)
	}
	addr, _ = serve("--auth-rate", "0", "--search-rate", "0")
	_, body = post(t, "http://"+addr+"/api/v1/auth/login", "", `{"handle":"maple","password":"hearth demo passphrase"}`)
	readAll(addr, field(t, body, "access_token"))
}

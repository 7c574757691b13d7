package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestServeIndexesWritingFromBeforeSearch: a store whose writing has no
// postings (as one made before the blind index, and listed by migration
// 20) is indexed in the background once serve starts, and search finds
// it.
func TestServeIndexesWritingFromBeforeSearch(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			dir := t.TempDir()
			dsn := ""
			args := []string{"--data-dir", dir, "--search-rate", "0"} // the test asks until it finds
			dialector := sqlite.Open(dir + "/hearth.db")
			if d == store.Postgres {
				dsn = storetest.PostgresSchema(t)
				args = append(args, "--database", dsn)
				dialector = postgres.Open(dsn)
			}
			handles := seedLoadStore(t, dir, dsn, "backfill", 1)
			p := startLoadServer(t, args...)
			c := loadClient(t)
			token := signInAll(t, c, p.base(), handles)[0]
			code, _, b, err := call(c, "POST", p.base()+"/circles/"+loadCircle+"/stories", token,
				map[string]string{"title": "Quillwort by the water", "body": "I walked past the quillwort marsh today."})
			if err != nil || code != http.StatusCreated {
				t.Fatalf("story: %d %s %v", code, b, err)
			}
			story := field(t, string(b), "id")
			code, _, b, err = call(c, "POST", p.base()+"/stories/"+story+"/replies", token, map[string]string{"body": "The quillwort was still there."})
			if err != nil || code != http.StatusCreated {
				t.Fatalf("reply: %d %s %v", code, b, err)
			}
			reply := field(t, string(b), "id")
			want := []string{reply, story}
			if got := searchIDs(t, c, p.base(), token, "quillwort"); !slices.Equal(got, want) {
				t.Fatalf("before: found %v, want %v", got, want)
			}
			if code := p.stop(t); code != 0 {
				t.Fatalf("serve exited %d", code)
			}

			db, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				"DELETE FROM search_postings WHERE target_id IN ('" + story + "', '" + reply + "')",
				"INSERT INTO search_backlog (target_id, reply) VALUES ('" + story + "', false), ('" + reply + "', true)",
			} {
				if err := db.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
			if sqlDB, err := db.DB(); err == nil {
				sqlDB.Close()
			}

			p = startLoadServer(t, args...)
			token = signInAll(t, c, p.base(), handles)[0]
			deadline := time.Now().Add(20 * time.Second)
			for got := searchIDs(t, c, p.base(), token, "quillwort"); !slices.Equal(got, want); got = searchIDs(t, c, p.base(), token, "quillwort") {
				if time.Now().After(deadline) {
					t.Fatalf("after a restart: found %v, want %v; log:\n%s", got, want, p.logs.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			for !strings.Contains(p.logs.String(), "indexed writing from before search") {
				if time.Now().After(deadline) {
					t.Fatalf("the backfill said nothing of its work; log:\n%s", p.logs.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

// searchIDs is what POST /search finds for q: the ids of the first page.
func searchIDs(t *testing.T, c *http.Client, base, token, q string) []string {
	t.Helper()
	code, _, b, err := call(c, "POST", base+"/search", token, map[string]any{"q": q})
	if err != nil || code != http.StatusOK {
		t.Fatalf("search: %d %s %v", code, b, err)
	}
	var page struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range page.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3" // database/sql driver "sqlite3", to read the file as it is

	"hearth/internal/app"
	"hearth/internal/auth"
	hforum "hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/search"
	"hearth/internal/store"
)

// TestSeedStore seeds a small store and reads it back with the real store,
// keyring and sealer, as the server started on it would.
func TestSeedStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	size := seedSize{members: 10, circles: 2, stories: 50, replies: 200}
	got, err := seedStore(ctx, dir, size, io.Discard)
	if err != nil {
		t.Fatal(err)
	}

	kr, err := seal.OpenKeyring(dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(dir, "hearth.db"), NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer := seal.NewSealer(kr, st, 0)
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "hearth.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	for table, want := range map[string]int{
		"members": 12, "data_keys": 12, "circles": 2, "circle_members": 20, "stories": 50, "replies": 200,
	} {
		if n := count(t, db, "SELECT COUNT(*) FROM "+table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	// Every story and reply is in the search index, keyed as the server
	// keys it (TestSeededStoreIsSearched searches it through the server).
	if n := count(t, db, `SELECT COUNT(*) FROM (SELECT id FROM stories UNION ALL SELECT id FROM replies) w
		WHERE NOT EXISTS (SELECT 1 FROM search_postings p WHERE p.target_id = w.id)`); n != 0 {
		t.Errorf("%d stories and replies have no postings", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM circles c WHERE member_count <> (SELECT COUNT(*) FROM circle_members WHERE circle_id = c.id)`); n != 0 {
		t.Errorf("%d circles whose member_count is off", n)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM stories s JOIN circle_members cm ON cm.circle_id = s.circle_id AND cm.member_id = s.author_id`); n != 50 {
		t.Errorf("%d of 50 stories by a member of their circle", n)
	}

	// Every text opens at its own place, and with its author's data key.
	texts := 0
	for _, q := range []struct{ sql, table, col string }{
		{"SELECT s.id, s.title, m.data_key_id FROM stories s JOIN members m ON m.id = s.author_id", "stories", "title"},
		{"SELECT s.id, s.body, m.data_key_id FROM stories s JOIN members m ON m.id = s.author_id", "stories", "body"},
		{"SELECT s.id, s.content_warning, m.data_key_id FROM stories s JOIN members m ON m.id = s.author_id", "stories", "content_warning"},
		{"SELECT r.id, r.body, m.data_key_id FROM replies r JOIN members m ON m.id = r.author_id", "replies", "body"},
	} {
		rows, err := db.Query(q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, keyID string
			var blob []byte
			if err := rows.Scan(&id, &blob, &keyID); err != nil {
				t.Fatal(err)
			}
			if len(blob) < 17 || hex.EncodeToString(blob[1:17]) != keyID {
				t.Errorf("%s.%s of %s is not sealed with its author's key", q.table, q.col, id)
			}
			plain, err := sealer.Open(ctx, blob, seal.Location{Table: q.table, Column: q.col, RowID: id})
			if err != nil {
				t.Errorf("open %s.%s of %s: %v", q.table, q.col, id, err)
			}
			if q.col != "content_warning" && len(plain) == 0 {
				t.Errorf("%s.%s of %s is empty", q.table, q.col, id)
			}
			texts++
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if texts != 3*50+200 {
		t.Errorf("opened %d texts, want %d", texts, 3*50+200)
	}

	// Every thread, read as the server reads it, is in thread order: each
	// reply after its parent, one deeper, its path its parent's and its own id.
	storyIDs := strings.Split(queryString(t, db, "SELECT group_concat(DISTINCT story_id) FROM replies"), ",")
	for _, sid := range storyIDs {
		replies, err := st.ListReplyViews(ctx, store.FindReplies{StoryID: sid, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]store.ReplyView{}
		for _, r := range replies {
			wantPath := r.ID
			if r.ParentID != nil {
				p, ok := seen[*r.ParentID]
				if !ok {
					t.Fatalf("story %s: reply %s comes before its parent", sid, r.ID)
				}
				wantPath = p.Path + r.ID
				if r.Depth != p.Depth+1 || r.Depth > hforum.MaxDepth {
					t.Errorf("story %s: reply %s at depth %d under one at %d", sid, r.ID, r.Depth, p.Depth)
				}
			} else if r.Depth != 0 {
				t.Errorf("story %s: top reply %s at depth %d", sid, r.ID, r.Depth)
			}
			if r.Path != wantPath {
				t.Errorf("story %s: reply %s has path %s, want %s", sid, r.ID, r.Path, wantPath)
			}
			seen[r.ID] = r
		}
	}

	// The forum rows' stories: the thread is the newest of the first circle,
	// fifty replies in the order they were written, depths 0 to 4.
	f := got.forum
	circle, err := st.GetCircleView(ctx, f.slug, "")
	if err != nil {
		t.Fatal(err)
	}
	first, err := st.ListStoryViews(ctx, store.FindStories{CircleID: circle.ID, Limit: 1})
	if err != nil || len(first) != 1 || first[0].ID != f.threadStory {
		t.Fatalf("first story of %s: %v, %v; want %s", f.slug, first, err, f.threadStory)
	}
	thread, err := st.ListReplyViews(ctx, store.FindReplies{StoryID: f.threadStory, Limit: 100})
	if err != nil || len(thread) != threadReplies {
		t.Fatalf("thread: %d replies, %v; want %d", len(thread), err, threadReplies)
	}
	for k, r := range thread {
		plain, err := sealer.Open(ctx, r.Body, store.ReplyLocation(r.ID))
		if err != nil || len(plain) != textBytes || !strings.HasPrefix(string(plain), fmt.Sprintf("Reply %d. ", k)) || r.Depth != k%5 {
			t.Errorf("thread reply %d: depth %d, %d bytes, %v", k, r.Depth, len(plain), err)
		}
	}
	busy, err := st.GetStoryView(ctx, f.busyStory, "", false)
	if err != nil || busy.CircleID != circle.ID || f.busyStory == f.threadStory {
		t.Errorf("busy story %s: %+v, %v", f.busyStory, busy, err)
	}
	if len(f.stories) != 50 {
		t.Errorf("%d stories for the single-story row, want all 50", len(f.stories))
	}

	// The shared password signs every seeded account in.
	m, err := st.GetMember(ctx, store.FindMember{Handle: &got.members[3].handle})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := auth.NewHasher(auth.DefaultParams, 1, 1).Verify(ctx, seedPassword, m.PasswordHash); !ok || err != nil {
		t.Errorf("seed password does not verify: %v", err)
	}
	admin, err := st.GetMember(ctx, store.FindMember{Handle: &got.admin.handle})
	if err != nil || admin.Role != kernel.RoleAdmin {
		t.Errorf("admin %s: %+v, %v", got.admin.handle, admin, err)
	}
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func queryString(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	var s string
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

// TestSeededStoreIsSearched searches a seeded store as the server would:
// the search rows' rare words find the one story that holds them both,
// and their common words a full page.
func TestSeededStoreIsSearched(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	size := seedSize{members: 10, circles: 2, stories: 3000, replies: 200}
	seed, err := seedStore(ctx, dir, size, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := seal.OpenKeyring(dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Options{SQLitePath: filepath.Join(dir, "hearth.db"), NoCreate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o := app.Defaults()
	o.Hashing = auth.Params{Memory: 64, Time: 1, Threads: 1}
	svc, err := app.Build(ctx, st, kr, o)
	if err != nil {
		t.Fatal(err)
	}
	h := "bench-0000"
	m, err := st.GetMember(ctx, store.FindMember{Handle: &h})
	if err != nil {
		t.Fatal(err)
	}
	me := kernel.Actor{ID: m.ID, Role: m.Role}
	for _, c := range []struct {
		body []byte
		want int
	}{{seed.forum.rareSearch, 1}, {seed.forum.commonSearch, 20}} {
		var q search.Query
		if err := json.Unmarshal(c.body, &q); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Search.Search(ctx, me, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != c.want {
			t.Errorf("%q finds %d, want %d", q.Q, len(page.Items), c.want)
		}
		if c.want == 1 && len(page.Items) == 1 && !strings.Contains(page.Items[0].Snippet, strings.Fields(q.Q)[0]) {
			t.Errorf("the rare words' story reads %q", page.Items[0].Snippet)
		}
	}
}

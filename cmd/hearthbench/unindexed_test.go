package main

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// TestUnindexedBuild builds hearth as the benchmark does, with and without
// noIndexTag, and posts the reply row's reply to each on a seeded store:
// both store the reply, and only the build without the tag indexes it, so
// the row against the tagged build measures a reply without its postings.
func TestUnindexedBuild(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		tags []string
		// indexed: the reply has postings.
		indexed bool
	}{{nil, true}, {[]string{noIndexTag}, false}} {
		bin, err := buildHearth(ctx, t.TempDir(), c.tags...)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		seed, err := seedStore(ctx, dir, seedSize{members: 10, circles: 2, stories: 50, replies: 200}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := startServer(ctx, bin, dir, false, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.stop)
		e := newEnv(srv.base, time.Minute)
		e.useSeed(seed)
		token, err := e.grant(ctx, "/api/v1/auth/login", e.members[0].login, http.StatusOK)
		if err != nil {
			t.Fatal(err)
		}
		var reply struct {
			ID string `json:"id"`
		}
		err = e.call(ctx, http.MethodPost, "/api/v1/stories/"+e.forum.busyStory+"/replies", token,
			map[string]string{"body": text("A reply under load. ")}, &reply, http.StatusCreated)
		if err != nil {
			t.Fatal(err)
		}

		db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "hearth.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if n := count(t, db, "SELECT COUNT(*) FROM replies WHERE id = ?", reply.ID); n != 1 {
			t.Errorf("tags %q: %d replies stored, want 1", c.tags, n)
		}
		postings := count(t, db, "SELECT COUNT(*) FROM search_postings WHERE target_id = ?", reply.ID)
		if c.indexed != (postings > 0) {
			t.Errorf("tags %q: the reply has %d postings, want them written: %v", c.tags, postings, c.indexed)
		}
		// And the backlog is not left to index it later behind the row.
		if n := count(t, db, "SELECT COUNT(*) FROM search_backlog"); n != 0 {
			t.Errorf("tags %q: %d writings in the search backlog, want 0", c.tags, n)
		}
	}
}

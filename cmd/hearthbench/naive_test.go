package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

// TestNaiveBuild seeds the naive build on a fresh schema and has it answer
// a reply and the thread as the rows ask for them, so the rows it answers
// measure the work they say they do.
func TestNaiveBuild(t *testing.T) {
	base := os.Getenv("HEARTH_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HEARTH_TEST_POSTGRES must be set in CI")
		}
		t.Skip("HEARTH_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	dsn, _, drop, err := freshSchema(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	keys := newNaiveKeys()
	seeded, err := naiveSeed(ctx, dsn, keys)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openNaiveDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	// Before drop, which cannot take the schema while a connection holds it.
	t.Cleanup(func() { sqlDB.Close() })
	srv := httptest.NewServer((&naiveServer{db: db, keys: keys}).echo())
	t.Cleanup(srv.Close)

	do := func(method, path, token string, body []byte, want int, out any) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %s, want %d", method, path, resp.Status, want)
		}
		if out != nil {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatal(err)
			}
		}
	}

	f := &forum{threadStory: seeded.threadStory}
	var page struct {
		Items []naiveReplyJSON `json:"items"`
	}
	do(http.MethodGet, threadPath(f), seeded.tokens[40], nil, http.StatusOK, &page)
	authors := map[string]bool{}
	for k, r := range page.Items {
		if want := text(fmt.Sprintf("Reply %d. ", k)); r.Body != want {
			t.Fatalf("reply %d: body of %d bytes, not the one written", k, len(r.Body))
		}
		authors[r.Author.Handle] = true
	}
	if len(page.Items) != threadReplies || len(authors) != threadAuthors {
		t.Fatalf("thread: %d replies by %d authors, want %d by %d", len(page.Items), len(authors), threadReplies, threadAuthors)
	}

	body, err := jsonBody(map[string]string{"body": text("A reply under load. ")})
	if err != nil {
		t.Fatal(err)
	}
	var reply naiveReplyJSON
	do(http.MethodPost, "/api/v1/stories/"+seeded.busyStory+"/replies", seeded.tokens[5], body, http.StatusCreated, &reply)
	if reply.Body != text("A reply under load. ") || reply.Author.Handle != "naive-0005" || reply.StoryID != seeded.busyStory {
		t.Fatalf("reply answered as %+v", reply.Author)
	}
	// Stored sealed, and its story's author told.
	var stored naiveReply
	if err := db.First(&stored, reply.ID).Error; err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored.Body, []byte("A reply under load")) {
		t.Error("the reply is stored in the clear")
	}
	var notices int64
	if err := db.Model(&naiveNotice{}).Where("reply_id = ?", stored.ID).Count(&notices).Error; err != nil {
		t.Fatal(err)
	}
	if notices != 1 {
		t.Errorf("%d notices of the reply, want 1", notices)
	}

	do(http.MethodGet, threadPath(f), "", nil, http.StatusUnauthorized, nil)
	do(http.MethodGet, threadPath(f), seeded.tokens[0]+"x", nil, http.StatusUnauthorized, nil)
	do(http.MethodPost, "/api/v1/stories/999999/replies", seeded.tokens[5], body, http.StatusNotFound, nil)
}

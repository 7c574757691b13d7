package httpapi

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hearth/internal/app"
	"hearth/internal/config"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// rawDB opens the test server's SQLite file beside the server, the way
// someone with a stolen copy would, to read and tamper with blobs.
func rawDB(t *testing.T, s *testServer) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(sqlite.Open("file:"+s.storePath+"?_busy_timeout=10000"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	t.Cleanup(func() { sqlDB.Close() })
	return db
}

func blob(t *testing.T, db *gorm.DB, table, column, id string) []byte {
	t.Helper()
	var b []byte
	if err := db.Raw("SELECT "+column+" FROM "+table+" WHERE id = ?", id).Row().Scan(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCanaryNeverStoredInClear writes a unique phrase into every text a
// member can write, then reads every byte of the database, its WAL and a
// backup: the phrase is in none of them, yet the export gives it back.
func TestCanaryNeverStoredInClear(t *testing.T) {
	t.Parallel()
	f := newForum(t, store.SQLite)
	canary := "canary-" + uniqueHandle("lighthouse") + "-remembers-the-harbour"
	r := f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access,
		body: map[string]string{"title": "Title " + canary, "body": "Body " + canary, "content_warning": "CW " + canary}})
	expect(t, r, http.StatusCreated, "")
	s := decode[storyJSON](t, r)
	f.reply(f.author, s.ID, "", "Reply "+canary)
	f.reply(f.author, s.ID, "", "Reply "+canary) // the same text, sealed again

	raw := f.rawWithBackup(t)
	if !bytes.Contains(raw, []byte(f.author.Handle)) {
		t.Fatal("the author's handle is not in the raw bytes: the scan could not find anything")
	}
	if bytes.Contains(raw, []byte(canary)) {
		t.Fatal("member text is stored in clear")
	}

	// Each seal has its own nonce: the same text makes different blobs.
	db := rawDB(t, f.testServer)
	page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.member.Access}))
	b1, b2 := blob(t, db, "replies", "body", page.Items[0].ID), blob(t, db, "replies", "body", page.Items[1].ID)
	if len(b1) == 0 || bytes.Equal(b1, b2) {
		t.Fatal("the same text sealed twice gives the same blob")
	}

	e := f.do(req{method: "GET", path: "/me/export", token: f.author.Access})
	expect(t, e, http.StatusOK, "")
	for _, want := range []string{"Title " + canary, "Body " + canary, "CW " + canary, "Reply " + canary, `"slug":"open"`} {
		if !strings.Contains(string(e.Body), want) {
			t.Errorf("export lacks %q", want)
		}
	}
}

// TestMovedOrChangedBlobsFailClosed copies a sealed body to another row and
// flips a bit of another: each read answers a bare 500, logs no text, and
// never shows one member's words in another's place.
func TestMovedOrChangedBlobsFailClosed(t *testing.T) {
	t.Parallel()
	f := newForum(t, store.SQLite)
	a := f.story(f.author, "open", "Mine")
	b := f.story(f.member, "open", "Theirs")
	rp := f.reply(f.member, b.ID, "", "A reply that will be damaged")
	c := f.story(f.author, "open", "Also mine")
	db := rawDB(t, f.testServer)

	check := func(path, secret string) {
		t.Helper()
		r := f.do(req{method: "GET", path: path, token: f.member.Access})
		expect(t, r, http.StatusInternalServerError, "internal")
		if strings.Contains(string(r.Body), secret) || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("tampered read answered %s", r.Body)
		}
		if strings.Contains(f.logs.String(), secret) {
			t.Error("the log holds member text")
		}
	}

	// Another author's blob moved into this row.
	if err := db.Exec("UPDATE stories SET body = ? WHERE id = ?", blob(t, db, "stories", "body", a.ID), b.ID).Error; err != nil {
		t.Fatal(err)
	}
	check("/stories/"+b.ID, "The body of Mine")
	// The same author's blob moved from another row, and from another column.
	if err := db.Exec("UPDATE stories SET body = ? WHERE id = ?", blob(t, db, "stories", "body", a.ID), c.ID).Error; err != nil {
		t.Fatal(err)
	}
	check("/stories/"+c.ID, "The body of Mine")
	if err := db.Exec("UPDATE stories SET body = ? WHERE id = ?", blob(t, db, "stories", "title", c.ID), c.ID).Error; err != nil {
		t.Fatal(err)
	}
	check("/stories/"+c.ID, "Also mine")
	// One bit flipped in a reply: the list fails rather than skip or garble.
	body := blob(t, db, "replies", "body", rp.ID)
	body[len(body)-5] ^= 0x01
	if err := db.Exec("UPDATE replies SET body = ? WHERE id = ?", body, rp.ID).Error; err != nil {
		t.Fatal(err)
	}
	check("/stories/"+b.ID+"/replies", "will be damaged")
	// Untouched writing still reads.
	expect(t, f.do(req{method: "GET", path: "/stories/" + a.ID, token: f.member.Access}), http.StatusOK, "")
}

// TestErasedMembersWritingIsGone deletes an account on every store: its
// stories and replies read as removed and lose their sealed text in the
// store, what others wrote under them stays, the circles count one member
// fewer, and flags it filed lose their notes.
// TestErasedMembersWritingLeavesNoBytes scans SQLite's files after the same.
func TestErasedMembersWritingIsGone(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Soon gone")
		rp := f.reply(f.author, s.ID, "", "Also soon gone")
		keep := f.reply(f.member, s.ID, rp.ID, "An answer that stays")
		theirs := f.story(f.member, "open", "Someone else's")
		expect(t, f.flag(f.author, "story", theirs.ID, "other", "a note from the author"), http.StatusCreated, "")
		db := f.storeDB(t)
		sealed := func() int64 {
			return count(t, db, "SELECT count(*) FROM stories WHERE id = ? AND title IS NOT NULL AND body IS NOT NULL AND content_warning IS NOT NULL", s.ID) +
				count(t, db, "SELECT count(*) FROM replies WHERE id = ? AND body IS NOT NULL", rp.ID) +
				count(t, db, "SELECT count(*) FROM flags WHERE target_id = ? AND note IS NOT NULL", theirs.ID)
		}
		if n := sealed(); n != 3 {
			t.Fatalf("%d of 3 sealed texts in the store before erasure: the check below could not fail", n)
		}

		expect(t, f.do(req{method: "DELETE", path: "/me", token: f.author.Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")

		if n := sealed(); n != 0 {
			t.Errorf("%d sealed texts of the erased member remain in the store", n)
		}
		st := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access}))
		if st.Status != "removed" || st.Title != nil || st.Body != nil || st.Author != nil || st.ReplyCount != 1 {
			t.Errorf("erased story reads %+v, want a removed placeholder counting the one reply that stays", st)
		}
		page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.member.Access}))
		if len(page.Items) != 2 || page.Items[0].Status != "removed" || page.Items[0].Body != nil || page.Items[0].Author != nil ||
			page.Items[1].ID != keep.ID || *page.Items[1].Body != "An answer that stays" || *page.Items[1].ParentID != rp.ID {
			t.Errorf("thread after erasure %+v", page.Items)
		}
		c := f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}).JSON(t)
		if c["member_count"] != float64(2) { // the member and the facilitator remain
			t.Errorf("member_count after erasure %v", c["member_count"])
		}
		// The erased member's flag no longer speaks for anyone: it is
		// closed, and the item, with no other flag on published writing,
		// leaves the queue.
		for _, it := range f.queue() {
			if it.TargetID == theirs.ID {
				t.Errorf("the erased member's flag keeps an item in the queue: %+v", it)
			}
		}
	})
}

// TestErasedMembersWritingLeavesNoBytes finds none of the blobs an erased
// member wrote in SQLite's database file or WAL.
func TestErasedMembersWritingLeavesNoBytes(t *testing.T) {
	t.Parallel()
	f := newForum(t, store.SQLite)
	s := f.story(f.author, "open", "Soon gone")
	rp := f.reply(f.author, s.ID, "", "Also soon gone")
	db := rawDB(t, f.testServer)
	var blobs [][]byte
	for _, col := range []string{"title", "body", "content_warning"} {
		blobs = append(blobs, blob(t, db, "stories", col, s.ID))
	}
	blobs = append(blobs, blob(t, db, "replies", "body", rp.ID))
	dir := filepath.Dir(f.storePath)
	raw := rawStore(t, dir)
	for _, b := range blobs {
		if len(b) < 40 || !bytes.Contains(raw, b) {
			t.Fatal("a blob is not on disk before erasure: the scan below could not fail")
		}
	}

	expect(t, f.do(req{method: "DELETE", path: "/me", token: f.author.Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")

	raw = rawStore(t, dir)
	for i, b := range blobs {
		if bytes.Contains(raw, b) {
			t.Errorf("blob %d of the erased member remains on disk", i)
		}
	}
}

// TestMemberWriteRate caps what one member may change a minute: stories
// and replies, and every other route that changes something (joining,
// editing, support), but never reading or signing out.
func TestMemberWriteRate(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		admin := s.register(uniqueHandle("adm"))
		role := "admin"
		if err := s.store.UpdateMember(context.Background(), admin.ID, store.MemberUpdate{Role: &role}); err != nil {
			t.Fatal(err)
		}
		expect(t, s.do(req{method: "POST", path: "/circles", token: admin.Access,
			body: map[string]any{"slug": "open", "name": "Open", "description": "", "visibility": "open"}}), http.StatusCreated, "")
		a := s.register(uniqueHandle("writer"))
		expect(t, s.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
		r := s.do(req{method: "POST", path: "/circles/open/stories", token: a.Access, body: map[string]string{"title": "one", "body": "two"}})
		expect(t, r, http.StatusCreated, "")
		id := r.JSON(t)["id"].(string)
		expect(t, s.do(req{method: "PATCH", path: "/stories/" + id, token: a.Access, body: map[string]string{"body": "three"}}), http.StatusOK, "")
		expect(t, s.do(req{method: "PUT", path: "/stories/" + id + "/support", token: a.Access}), http.StatusNoContent, "")
		expect(t, s.do(req{method: "POST", path: "/stories/" + id + "/replies", token: a.Access, body: map[string]string{"body": "five"}}), http.StatusCreated, "")
		r = s.do(req{method: "PATCH", path: "/stories/" + id, token: a.Access, body: map[string]string{"body": "six"}})
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		// Refused writes change nothing.
		if got := s.do(req{method: "GET", path: "/stories/" + id, token: a.Access}).JSON(t); got["body"] != "three" {
			t.Errorf("a refused edit changed the story: %v", got["body"])
		}
		for _, w := range []req{
			{method: "DELETE", path: "/stories/" + id + "/support"},
			{method: "POST", path: "/circles/open/leave"},
		} {
			w.token = a.Access
			expect(t, s.do(w), http.StatusTooManyRequests, "rate_limited")
		}
		// The cap is per member; reading and signing out are never refused.
		b := s.register(uniqueHandle("reader"))
		expect(t, s.do(req{method: "POST", path: "/circles/open/join", token: b.Access}), http.StatusNoContent, "")
		expect(t, s.do(req{method: "GET", path: "/stories/" + id, token: a.Access}), http.StatusOK, "")
		expect(t, s.do(req{method: "POST", path: "/auth/logout", token: a.Access}), http.StatusNoContent, "")
	}, withConfig(func(c *config.Config) { c.MemberWriteRate = 5 }))
}

// TestCanarySearchIndexHoldsNoWord indexes writing full of unique words,
// then reads what the store holds: on SQLite every byte of the database,
// its WAL and a backup; on PostgreSQL every value of every column of every
// table of its schema (the server's files are not ours to read). No word is
// in them in any form (as written or as normalised), only the keyed hashes
// the index computes, each with nothing but the writing it points to. Yet
// searching finds the writing by every word.
func TestCanarySearchIndexHoldsNoWord(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			canarySearchIndex(t, newForum(t, d))
		})
	}
}

func canarySearchIndex(t *testing.T, f *forumFixture) {
	n := strings.TrimPrefix(uniqueHandle("x"), "x")
	words := []string{"Quillwortharbour" + n, "Crèmebrûléelantern" + n, "Ｍａｒｒｏｗｆｅａｔｈｅｒ" + n, "Tidepool-Saltmarsh" + n}
	forms := []string{"quillwortharbour" + n, "cremebruleelantern" + n, "marrowfeather" + n, "tidepoolsaltmarsh" + n, "saltmarsh" + n, "tidepool"}
	s := f.write(f.author, "open", "Title "+words[0], "Body "+strings.Join(words[1:], " and ")+".")
	rp := f.reply(f.member, s.ID, "", "Reply "+words[0]+" "+words[3])
	for _, w := range append(words, forms...) {
		if w == "tidepool" {
			continue // a part of a compound: found too, but not unique to this test
		}
		if got := f.found(f.member, w); len(got) == 0 {
			t.Fatalf("%s is not found: the index holds nothing to scan for", w)
		}
	}

	db := f.storeDB(t)
	var raw []byte
	if f.dialect == store.SQLite {
		raw = f.rawWithBackup(t)
	} else {
		raw = schemaValues(t, db)
	}
	if !bytes.Contains(raw, []byte(f.author.Handle)) {
		t.Fatal("the author's handle is not in what was read: the scan could not find anything")
	}
	for _, w := range append(words, forms[:len(forms)-1]...) {
		for _, form := range []string{w, strings.ToLower(w), strings.ToUpper(w)} {
			if bytes.Contains(raw, []byte(form)) {
				t.Errorf("%q is stored in clear", form)
			}
		}
	}

	// What the index holds is the hashes, and the writing they point to.
	var cols []string
	q := "SELECT name FROM pragma_table_info('search_postings') ORDER BY cid"
	if f.dialect == store.Postgres {
		q = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'search_postings' ORDER BY ordinal_position"
	}
	if err := db.Raw(q).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "token,target_id,reply" {
		t.Errorf("search_postings holds %v, want only the token and the writing", cols)
	}
	cols = nil
	if err := db.Raw(strings.ReplaceAll(q, "search_postings", "search_terms")).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "target_id,tokens" {
		t.Errorf("search_terms holds %v, want only the writing and its tokens", cols)
	}
	index, err := app.LoadIndex(context.Background(), f.store, f.keyring)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.store.GetCircleView(context.Background(), "open", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		id, text string
		t        store.Target
	}{{s.ID, "Title " + words[0] + " Body " + strings.Join(words[1:], " and "), store.TargetStory}, {rp.ID, "Reply " + words[0] + " " + words[3], store.TargetReply}} {
		var stored []int64
		if err := db.Raw("SELECT token FROM search_postings WHERE target_id = ? ORDER BY token", w.id).Scan(&stored).Error; err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, p := range index.Postings(c.ID, w.t, w.id, w.text) {
			want = append(want, p.Token)
		}
		slices.Sort(want)
		if len(stored) == 0 || !slices.Equal(stored, want) {
			t.Errorf("postings of %s: %v, want the index's hashes %v", w.t, stored, want)
		}
		var terms []byte
		if err := db.Raw("SELECT tokens FROM search_terms WHERE target_id = ?", w.id).Row().Scan(&terms); err != nil {
			t.Fatal(err)
		}
		var listed []int64
		for b := terms; len(b) >= 8; b = b[8:] {
			listed = append(listed, int64(binary.BigEndian.Uint64(b)))
		}
		slices.Sort(listed)
		if len(terms) != 8*len(want) || !slices.Equal(listed, want) {
			t.Errorf("terms of %s: %v (%d bytes), want the index's hashes %v", w.t, listed, len(terms), want)
		}
	}
}

// schemaValues reads every value of every column of every table in the
// PostgreSQL schema db works in: bytea as its bytes, anything else as its
// text, each followed by a zero byte.
func schemaValues(t *testing.T, db *gorm.DB) []byte {
	t.Helper()
	var cols []struct{ Table, Column, Type string }
	err := db.Raw(`SELECT table_name AS "table", column_name AS "column", data_type AS "type" FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`).Scan(&cols).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) == 0 {
		t.Fatal("no columns in the schema")
	}
	var out []byte
	for _, c := range cols {
		value := `"` + c.Column + `"::text`
		if c.Type == "bytea" {
			value = `"` + c.Column + `"`
		}
		rows, err := db.Raw(`SELECT ` + value + ` FROM "` + c.Table + `" WHERE "` + c.Column + `" IS NOT NULL`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			out = append(append(out, b...), 0)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// rawWithBackup is every byte of a SQLite test store: its file, its WAL
// and a backup made now.
func (f *forumFixture) rawWithBackup(t *testing.T) []byte {
	t.Helper()
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := f.store.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	return append(rawStore(t, filepath.Dir(f.storePath)), b...)
}

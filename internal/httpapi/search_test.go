package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"hearth/internal/app"
	"hearth/internal/config"
	"hearth/internal/store"
)

// resultJSON is one search result as the API returns it.
type resultJSON struct {
	TargetType     string `json:"target_type"`
	ID             string
	StoryID        string `json:"story_id"`
	Circle         string
	Title          *string
	ContentWarning *string `json:"content_warning"`
	Snippet        string
	Themes         []string
	CreatedAt      string `json:"created_at"`
}

// search asks POST /search as a.
func (f *forumFixture) search(a *account, body map[string]any) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/search", token: a.Access, body: body})
}

// found is what a finds for q (in circle, when given): the results' ids,
// newest first, every page read.
func (f *forumFixture) found(a *account, q string, circle ...string) []string {
	f.t.Helper()
	var ids []string
	body := map[string]any{"q": q, "limit": 100}
	if len(circle) > 0 {
		body["circle"] = circle[0]
	}
	for {
		r := f.search(a, body)
		expect(f.t, r, http.StatusOK, "")
		page := decode[pageJSON[resultJSON]](f.t, r)
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == nil {
			return ids
		}
		body["cursor"] = *page.NextCursor
	}
}

// write shares a story with title and body as a in circle slug.
func (f *forumFixture) write(a *account, slug, title, body string) storyJSON {
	f.t.Helper()
	r := f.do(req{method: "POST", path: "/circles/" + slug + "/stories", token: a.Access, body: map[string]string{"title": title, "body": body}})
	expect(f.t, r, http.StatusCreated, "")
	return decode[storyJSON](f.t, r)
}

func ids(ids ...string) []string { return ids }

func expectFound(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: found %v, want %v", what, got, want)
	}
}

// TestSearchFindsEveryWord: stories and replies holding every word of a
// query, newest first, each with its story, circle, title and a snippet
// around the first match; narrowed to one circle on request.
func TestSearchFindsEveryWord(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		walk := f.write(f.author, "open", "Walking by the river", strings.Repeat("Nothing much happened that morning. ", 8)+
			"We walked along the river at dawn and the herons were out. "+strings.Repeat("Then we went home. ", 8))
		garden := f.write(f.author, "open", "Garden notes", "The herons came to the garden pond today.")
		reply := f.reply(f.member, walk.ID, "", "The river heals, I think.")
		elsewhere := f.write(f.otherFacilitator, "other", "Another river", "A river in another circle.")

		expectFound(t, "river", f.found(f.member, "river"), ids(elsewhere.ID, reply.ID, walk.ID))
		expectFound(t, "river herons (every word)", f.found(f.member, "river herons"), ids(walk.ID))
		expectFound(t, "herons", f.found(f.member, "herons"), ids(garden.ID, walk.ID))
		expectFound(t, "river in open", f.found(f.member, "river", "open"), ids(reply.ID, walk.ID))
		expectFound(t, "river in other", f.found(f.member, "river", "other"), ids(elsewhere.ID))
		expectFound(t, "a word nobody wrote", f.found(f.member, "kingfisher"), nil)
		expectFound(t, "river kingfisher", f.found(f.member, "river kingfisher"), nil)

		r := f.search(f.member, map[string]any{"q": "herons river", "circle": "open"})
		expect(t, r, http.StatusOK, "")
		page := decode[pageJSON[resultJSON]](t, r)
		if len(page.Items) != 1 || page.NextCursor != nil {
			t.Fatalf("page %+v", page)
		}
		s := page.Items[0]
		if s.TargetType != "story" || s.StoryID != walk.ID || s.Circle != "open" || s.Title == nil || *s.Title != "Walking by the river" ||
			s.Themes == nil || len(s.Themes) != 0 || s.CreatedAt != walk.CreatedAt || s.ContentWarning != nil {
			t.Errorf("story result %+v", s)
		}
		if !strings.Contains(s.Snippet, "the river at dawn and the herons") || !strings.HasPrefix(s.Snippet, "…") ||
			!strings.HasSuffix(s.Snippet, "…") || len([]rune(s.Snippet)) > 210 {
			t.Errorf("snippet %q: want the words around the first match, cut at both ends", s.Snippet)
		}
		page = decode[pageJSON[resultJSON]](t, f.search(f.member, map[string]any{"q": "heals"}))
		if len(page.Items) != 1 {
			t.Fatalf("heals: %+v", page)
		}
		rp := page.Items[0]
		if rp.TargetType != "reply" || rp.ID != reply.ID || rp.StoryID != walk.ID || rp.Circle != "open" ||
			rp.Title == nil || *rp.Title != "Walking by the river" || rp.Snippet != "The river heals, I think." {
			t.Errorf("reply result %+v", rp)
		}
		// A match in the title alone: the snippet is the body's start.
		page = decode[pageJSON[resultJSON]](t, f.search(f.member, map[string]any{"q": "notes"}))
		if len(page.Items) != 1 || page.Items[0].Snippet != "The herons came to the garden pond today." {
			t.Errorf("title match: %+v", page.Items)
		}
		// A warned story's warning comes with it, for the snippet to wait
		// behind.
		r = f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access,
			body: map[string]string{"title": "Ward", "body": "The ward at night was loud.", "content_warning": "hospital stay"}})
		expect(t, r, http.StatusCreated, "")
		page = decode[pageJSON[resultJSON]](t, f.search(f.member, map[string]any{"q": "ward night"}))
		if len(page.Items) != 1 || page.Items[0].ContentWarning == nil || *page.Items[0].ContentWarning != "hospital stay" {
			t.Errorf("warned story: %+v", page.Items)
		}
	})
}

// TestSearchNormalisesWords: case, accents, compatibility forms (NFKC),
// apostrophes and hyphenated words are found however they are typed; no
// stemming.
func TestSearchNormalisesWords(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.write(f.author, "open", "Notes",
			"At the Café CRÈME, the ﬁrst time since. Don’t give up, my mother-in-law said. Ｆｕｌｌｗｉｄｔｈ letters; Straße; walking; "+
				"Ærøskøbing; ΣΟΦΙΑ; naïve; well-being; O'Brien; e-mail.")
		for _, q := range []string{
			"cafe", "CAFÉ", "café", "cafe\u0301", // accents and case, composed or not
			"creme", "Crème",
			"first", "ﬁrst", // a ligature
			"dont", "don't", "don’t", "DON'T", // apostrophes dropped
			"mother-in-law", "motherinlaw", "mother", "law", "Mother‐in‐law", // whole and parts; U+2010 hyphens
			"fullwidth", "ＦＵＬＬＷＩＤＴＨ", // NFKC
			"strasse", "STRASSE", "straße", // full case folding
			"ærøskøbing", "ÆRØSKØBING", "σοφια", "Σοφία", "naive", "obrien", "o’brien",
			"wellbeing", "well-being", "well being", "being", // a compound finds the words run together
			"email", "e-mail", "mail",
			"walking",
		} {
			expectFound(t, q, f.found(f.member, q), ids(s.ID))
		}
		for _, q := range []string{"walk", "walked", "cafes", "mothers"} {
			expectFound(t, q+" (no stemming)", f.found(f.member, q), nil)
		}
	})
}

// TestSearchFindsOnlyWhatTheReaderMayRead: private circles only for their
// members (moderators included), pending and removed writing for nobody,
// hidden writing for its author alone; restored and approved writing is
// found again, as nothing in the index changed.
func TestSearchFindsOnlyWhatTheReaderMayRead(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		private := f.write(f.author, "hidden", "Inside", "A lanternfish glows in the private circle.")
		privateReply := f.reply(f.member, private.ID, "", "Lanternfish indeed.")
		expectFound(t, "private, member", f.found(f.member, "lanternfish"), ids(privateReply.ID, private.ID))
		expectFound(t, "private, author", f.found(f.author, "lanternfish"), ids(privateReply.ID, private.ID))
		for _, a := range []*account{f.outsider, f.moderator, f.admin, f.otherFacilitator} {
			expectFound(t, "private, "+a.Handle, f.found(a, "lanternfish"), nil)
			expect(t, f.search(a, map[string]any{"q": "lanternfish", "circle": "hidden"}), http.StatusNotFound, "not_found")
		}
		expect(t, f.search(f.member, map[string]any{"q": "lanternfish", "circle": "nowhere"}), http.StatusNotFound, "not_found")

		// Hidden: its author finds it, nobody else, the moderators neither.
		hidden := f.write(f.author, "open", "Quokka", "A quokka smiled at me.")
		expect(t, f.act("story", hidden.ID, "hide", "Checking it."), http.StatusOK, "")
		expectFound(t, "hidden, author", f.found(f.author, "quokka"), ids(hidden.ID))
		for _, a := range []*account{f.member, f.moderator, f.outsider} {
			expectFound(t, "hidden, "+a.Handle, f.found(a, "quokka"), nil)
		}
		expect(t, f.act("story", hidden.ID, "restore", "It is fine."), http.StatusOK, "")
		expectFound(t, "restored", f.found(f.member, "quokka"), ids(hidden.ID))

		// Removed by a moderator: nobody finds it, its author neither;
		// restored, it is found again.
		removed := f.write(f.author, "open", "Numbat", "A numbat in the garden.")
		rr := f.reply(f.member, removed.ID, "", "A numbat!")
		expect(t, f.act("reply", rr.ID, "remove", "Off topic."), http.StatusOK, "")
		expect(t, f.act("story", removed.ID, "remove", "Off topic."), http.StatusOK, "")
		for _, a := range []*account{f.author, f.member, f.moderator} {
			expectFound(t, "removed, "+a.Handle, f.found(a, "numbat"), nil)
		}
		expect(t, f.act("story", removed.ID, "restore", "Fine after all."), http.StatusOK, "")
		expectFound(t, "restored story", f.found(f.member, "numbat"), ids(removed.ID))

		// Pending: a newcomer's first writing in a premoderated circle is
		// found by nobody until a moderator approves it.
		expect(t, f.do(req{method: "PATCH", path: "/circles/other", token: f.admin.Access, body: map[string]any{"premoderation": true}}), http.StatusOK, "")
		newcomer := f.outsiderIn("other")
		held := f.write(newcomer, "other", "First", "An axolotl waved.")
		if held.Status != "pending" {
			t.Fatalf("held story is %s", held.Status)
		}
		for _, a := range []*account{newcomer, f.member, f.moderator, f.otherFacilitator} {
			expectFound(t, "pending, "+a.Handle, f.found(a, "axolotl"), nil)
		}
		expect(t, f.act("story", held.ID, "approve", "Welcome."), http.StatusOK, "")
		expectFound(t, "approved", f.found(f.member, "axolotl"), ids(held.ID))

		// Leaving a private circle leaves its writing behind.
		expect(t, f.do(req{method: "POST", path: "/circles/hidden/leave", token: f.member.Access}), http.StatusNoContent, "")
		expectFound(t, "after leaving", f.found(f.member, "lanternfish"), nil)
	})
}

// TestSearchLeavesOutBlockedAuthors: the writing of an author the reader
// blocked is left out of what they find, as out of their lists, and back
// once unblocked; the blocked author finds the blocker's writing as
// everyone else does, so the block is never revealed to them.
func TestSearchLeavesOutBlockedAuthors(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		own := f.write(f.member, "open", "Kestrel", "A kestrel hovered over the field.")
		blocked := f.write(f.author, "open", "Kestrel again", "The kestrel came back.")
		blockedReply := f.reply(f.author, own.ID, "", "I saw the kestrel too.")
		ownReply := f.reply(f.member, blocked.ID, "", "Such a kestrel.")
		other := f.write(f.facilitator, "open", "Kestrels", "A pair of kestrel chicks.")
		everything := ids(other.ID, ownReply.ID, blockedReply.ID, blocked.ID, own.ID)
		expectFound(t, "before the block", f.found(f.member, "kestrel"), everything)

		f.silence(f.member, "blocked", f.author)
		expectFound(t, "the blocker", f.found(f.member, "kestrel"), ids(other.ID, ownReply.ID, own.ID))
		expectFound(t, "the blocker, in the circle", f.found(f.member, "kestrel", "open"), ids(other.ID, ownReply.ID, own.ID))
		expectFound(t, "the blocker, the blocked author's words alone", f.found(f.member, "came back"), nil)
		for _, a := range []*account{f.author, f.facilitator, f.outsider} {
			expectFound(t, "as "+a.Handle, f.found(a, "kestrel"), everything)
		}
		expectFound(t, "the blocked author, the blocker's words alone", f.found(f.author, "hovered field"), ids(own.ID))

		expect(t, f.do(req{method: "DELETE", path: "/me/blocked/" + f.author.Handle, token: f.member.Access}), http.StatusNoContent, "")
		expectFound(t, "unblocked", f.found(f.member, "kestrel"), everything)
	})
}

// TestSearchKeysEachCircleApart writes the same words in three circles,
// and twice in one, and reads the postings the store holds: the same words
// in one circle are the same tokens, and in two circles tokens that share
// nothing, so one circle's index tells nothing of another's.
func TestSearchKeysEachCircleApart(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		const title, body = "Morning", "The heron waits by the river."
		const words = 6 // morning, the, heron, waits, by, river
		open := f.write(f.author, "open", title, body)
		openAgain := f.write(f.member, "open", title, body)
		hidden := f.write(f.author, "hidden", title, body)
		other := f.write(f.otherFacilitator, "other", title, body)

		db := f.storeDB(t)
		tokens := func(id string) []int64 {
			t.Helper()
			var out []int64
			if err := db.Raw("SELECT token FROM search_postings WHERE target_id = ? ORDER BY token", id).Scan(&out).Error; err != nil {
				t.Fatal(err)
			}
			if len(out) != words {
				t.Fatalf("%d postings of a story of %d words", len(out), words)
			}
			return out
		}
		inOpen := tokens(open.ID)
		if again := tokens(openAgain.ID); !slices.Equal(again, inOpen) {
			t.Fatalf("the same words in one circle hash to %v and %v", inOpen, again)
		}
		byCircle := map[string][]int64{"open": inOpen, "hidden": tokens(hidden.ID), "other": tokens(other.ID)}
		seen := map[int64]string{}
		for circle, ts := range byCircle {
			for _, tok := range ts {
				if was, ok := seen[tok]; ok {
					t.Errorf("a token of %s is also one of %s", circle, was)
				}
				seen[tok] = circle
			}
		}
	})
}

// TestSearchFollowsEditsAndDeletes: an edit's words replace the old ones;
// deleted writing is found no more, and leaves no posting behind.
func TestSearchFollowsEditsAndDeletes(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.write(f.author, "open", "Notes", "Today the ferry was late.")
		rp := f.reply(f.member, s.ID, "", "The ferry is always late.")
		expectFound(t, "ferry", f.found(f.member, "ferry"), ids(rp.ID, s.ID))

		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"body": "Today the tram was late."}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + rp.ID, token: f.member.Access, body: map[string]string{"body": "The tram is never late."}}), http.StatusOK, "")
		expectFound(t, "ferry after the edits", f.found(f.member, "ferry"), nil)
		expectFound(t, "tram after the edits", f.found(f.member, "tram late"), ids(rp.ID, s.ID))
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"title": "Tram notes"}}), http.StatusOK, "")
		expectFound(t, "a new title", f.found(f.member, "notes tram"), ids(s.ID))

		expect(t, f.do(req{method: "DELETE", path: "/replies/" + rp.ID, token: f.member.Access}), http.StatusNoContent, "")
		expectFound(t, "reply deleted", f.found(f.member, "tram"), ids(s.ID))
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + s.ID, token: f.author.Access}), http.StatusNoContent, "")
		expectFound(t, "story deleted", f.found(f.author, "tram"), nil)
		if n := f.postings(t, "open", "tram", "late", "notes", "today", "never"); n != 0 {
			t.Errorf("deleted writing left %d postings", n)
		}
	})
}

// postings counts the postings the index holds for words in circle slug.
func (f *forumFixture) postings(t *testing.T, slug string, words ...string) int {
	t.Helper()
	ctx := context.Background()
	index, err := app.LoadIndex(ctx, f.store, f.keyring)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.store.GetCircleView(ctx, slug, "")
	if err != nil {
		t.Fatal(err)
	}
	var tokens []int64
	for _, p := range index.Postings(c.ID, store.TargetStory, "", strings.Join(words, " ")) {
		tokens = append(tokens, p.Token)
	}
	samples, err := f.store.SamplePostings(ctx, tokens, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range samples {
		n += s.Count
	}
	return n
}

// TestSearchForgetsErasedMembers: deleting an account takes its writing
// out of the index, postings and all.
func TestSearchForgetsErasedMembers(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		leaving := f.outsiderIn("open")
		s := f.write(leaving, "open", "Zeppelin", "A zeppelin over the bay.")
		rp := f.reply(leaving, s.ID, "", "Another zeppelin.")
		stays := f.reply(f.member, s.ID, "", "I saw the zeppelin too.")
		expectFound(t, "before", f.found(f.member, "zeppelin"), ids(stays.ID, rp.ID, s.ID))
		if n := f.postings(t, "open", "zeppelin"); n != 3 {
			t.Fatalf("%d postings of zeppelin before erasure, want 3", n)
		}
		expect(t, f.do(req{method: "DELETE", path: "/me", token: leaving.Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")
		expectFound(t, "after", f.found(f.member, "zeppelin"), ids(stays.ID))
		if n := f.postings(t, "open", "zeppelin", "over", "bay", "another"); n != 1 {
			t.Errorf("%d postings left after erasure, want only the other member's 1", n)
		}
	})
}

// TestSearchPagesStayPut: pages go on from where the last one stopped,
// newest first, however much is written meanwhile.
func TestSearchPagesStayPut(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		var made []string
		for i := range 5 {
			made = append(made, f.write(f.author, "open", "Heron", "A heron, number "+string(rune('a'+i))+".").ID)
		}
		slices.Reverse(made)
		next := func(cursor *string) pageJSON[resultJSON] {
			t.Helper()
			body := map[string]any{"q": "heron", "limit": 2}
			if cursor != nil {
				body["cursor"] = *cursor
			}
			r := f.search(f.member, body)
			expect(t, r, http.StatusOK, "")
			return decode[pageJSON[resultJSON]](t, r)
		}
		idsOf := func(p pageJSON[resultJSON]) []string {
			var out []string
			for _, it := range p.Items {
				out = append(out, it.ID)
			}
			return out
		}
		p1 := next(nil)
		expectFound(t, "page 1", idsOf(p1), made[:2])
		f.write(f.author, "open", "Heron", "Yet another heron, written between pages.")
		p2 := next(p1.NextCursor)
		expectFound(t, "page 2", idsOf(p2), made[2:4])
		p3 := next(p2.NextCursor)
		expectFound(t, "page 3", idsOf(p3), made[4:])
		if p3.NextCursor != nil {
			t.Errorf("the last page has a cursor")
		}
	})
}

// TestSearchRefusesBadQueries: each bad query answers 400 with its code.
func TestSearchRefusesBadQueries(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		for _, c := range []struct {
			body any
			code string
		}{
			{map[string]any{"q": ""}, "query_empty"},
			{map[string]any{}, "query_empty"},
			{map[string]any{"q": "  ?! … — ❤️ "}, "query_empty"},
			{map[string]any{"q": "a I b 7 é"}, "query_too_short"},
			{map[string]any{"q": "one two three four five six seven eight nine"}, "query_too_many_words"},
			{map[string]any{"q": strings.Repeat("x", 65)}, "query_word_too_long"},
			{map[string]any{"q": "fine " + strings.Repeat("é", 65)}, "query_word_too_long"},
			{map[string]any{"q": strings.Repeat("ab ", 400)}, "query_too_long"},
			{map[string]any{"q": "bell\x07"}, "invalid_query"},
			{map[string]any{"q": "heron", "limit": 0}, "invalid_limit"},
			{map[string]any{"q": "heron", "limit": 101}, "invalid_limit"},
			{map[string]any{"q": "heron", "cursor": "not a cursor"}, "invalid_cursor"},
			{map[string]any{"q": "heron", "sort": "oldest"}, "unknown_field"},
			{map[string]any{"q": 7}, "invalid_json"},
		} {
			r := f.do(req{method: "POST", path: "/search", token: f.member.Access, body: c.body})
			expect(t, r, http.StatusBadRequest, c.code)
		}
		// Eight words are fine, and one-character words are left out.
		expect(t, f.search(f.member, map[string]any{"q": "one two three four five six seven eight a b c"}), http.StatusOK, "")
		expect(t, f.search(f.member, map[string]any{"q": strings.Repeat("x", 64) + " " + strings.Repeat("é", 64)}), http.StatusOK, "")
		expect(t, f.do(req{method: "GET", path: "/search?q=heron", token: f.member.Access}), http.StatusMethodNotAllowed, "")
		expect(t, f.do(req{method: "POST", path: "/search", body: map[string]string{"q": "heron"}}), http.StatusUnauthorized, "")
	})
}

// TestSearchHasItsOwnLimitAndLeavesNoTrace: searching counts against a
// limit of its own per member, not the write limit; no word of a query is
// ever logged.
func TestSearchHasItsOwnLimitAndLeavesNoTrace(t *testing.T) {
	t.Parallel()
	f := &forumFixture{testServer: newServerForHTTP(t, withConfig(func(c *config.Config) { c.SearchRate, c.MemberWriteRate = 3, 2 }))}
	f.admin = f.withRole(f.register(uniqueHandle("adm")), "admin")
	f.circle("open", store.VisibilityOpen)
	const secret = "whisperedplacename"
	reader, other := f.outsiderIn("open"), f.outsiderIn("open") // one write each of their two
	for range 3 {
		expect(t, f.search(reader, map[string]any{"q": secret + " harbour"}), http.StatusOK, "")
	}
	r := f.search(reader, map[string]any{"q": secret})
	expect(t, r, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Another member searches on; the member may still write.
	expect(t, f.search(other, map[string]any{"q": secret}), http.StatusOK, "")
	expect(t, f.search(other, map[string]any{"q": secret + " a b c d e f g h i j k l m n o p"}), http.StatusOK, "")
	expect(t, f.search(other, map[string]any{"q": "one two three four five six seven eight " + secret}), http.StatusBadRequest, "query_too_many_words")
	f.write(reader, "open", "Still writing", "Searching took nothing from my writes.")
	if logs := f.logs.String(); strings.Contains(strings.ToLower(logs), secret) || !strings.Contains(logs, "/api/v1/search") {
		t.Errorf("the log names a searched word, or no search at all:\n%s", logs)
	}
}

package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/internal/store/storetest"
)

// onEachStore runs fn as a parallel subtest on a fresh forum of every
// dialect the tests have.
func onEachStore(t *testing.T, fn func(t *testing.T, f *forumFixture), opts ...serverOption) {
	t.Parallel()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newForum(t, d, opts...))
		})
	}
}

func TestCircles(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		// Bad circles change nothing.
		for _, c := range []struct {
			body any
			code string
		}{
			{map[string]any{"slug": "Bad Slug", "name": "x", "description": "", "visibility": "open"}, "invalid_slug"},
			{map[string]any{"slug": "ok-slug", "name": "", "description": "", "visibility": "open"}, "invalid_name"},
			{map[string]any{"slug": "ok-slug", "name": "x", "description": "", "visibility": "secret"}, "invalid_visibility"},
			{map[string]any{"slug": "ok-slug", "name": "x", "description": "", "visibility": "open", "member_count": 9}, "unknown_field"},
			{map[string]any{"slug": "open", "name": "x", "description": "", "visibility": "open"}, "slug_taken"},
		} {
			r := f.do(req{method: "POST", path: "/circles", token: f.admin.Access, body: c.body})
			want := http.StatusBadRequest
			if c.code == "slug_taken" {
				want = http.StatusConflict
			}
			expect(t, r, want, c.code)
		}
		expect(t, f.do(req{method: "GET", path: "/circles/ok-slug", token: f.admin.Access}), http.StatusNotFound, "not_found")

		// An outsider sees the open circles only; members see their private one.
		slugs := func(a *account) []string {
			page := decode[pageJSON[struct{ Slug string }]](t, f.do(req{method: "GET", path: "/circles", token: a.Access}))
			var out []string
			for _, c := range page.Items {
				out = append(out, c.Slug)
			}
			return out
		}
		if got := slugs(f.outsider); !slices.Equal(got, []string{"open", "other"}) {
			t.Errorf("outsider sees %v", got)
		}
		if got := slugs(f.member); !slices.Equal(got, []string{"hidden", "open", "other"}) {
			t.Errorf("member sees %v", got)
		}
		c := f.do(req{method: "GET", path: "/circles/hidden", token: f.member.Access}).JSON(t)
		if c["member_count"] != float64(3) || c["is_member"] != true || c["is_facilitator"] != false || c["visibility"] != "private" {
			t.Errorf("circle as member: %v", c)
		}
		c = f.do(req{method: "GET", path: "/circles/hidden", token: f.facilitator.Access}).JSON(t)
		if c["is_facilitator"] != true {
			t.Errorf("circle as facilitator: %v", c)
		}

		// Pages of one.
		page := decode[pageJSON[struct{ Slug string }]](t, f.do(req{method: "GET", path: "/circles?limit=1", token: f.member.Access}))
		if len(page.Items) != 1 || page.NextCursor == nil {
			t.Fatalf("first page %+v", page)
		}
		page = decode[pageJSON[struct{ Slug string }]](t, f.do(req{method: "GET", path: "/circles?limit=1&cursor=" + *page.NextCursor, token: f.member.Access}))
		if len(page.Items) != 1 || page.Items[0].Slug != "open" {
			t.Fatalf("second page %+v", page)
		}

		// Changing a circle.
		r := f.do(req{method: "PATCH", path: "/circles/other", token: f.admin.Access, body: map[string]any{"visibility": "private", "premoderation": true}})
		expect(t, r, http.StatusOK, "")
		if c := r.JSON(t); c["visibility"] != "private" || c["premoderation"] != true || c["name"] != "Circle other" {
			t.Errorf("patched circle: %v", c)
		}
		expect(t, f.do(req{method: "GET", path: "/circles/other", token: f.outsider.Access}), http.StatusNotFound, "not_found")
		expect(t, f.do(req{method: "PATCH", path: "/circles/other", token: f.admin.Access, body: map[string]any{"visibility": "nobody"}}), http.StatusBadRequest, "invalid_visibility")

		// Leaving, and GET /me lists the circles one is in.
		expect(t, f.do(req{method: "POST", path: "/circles/open/leave", token: f.member.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "POST", path: "/circles/open/leave", token: f.member.Access}), http.StatusForbidden, "not_circle_member")
		me := decode[struct{ Circles []struct{ Slug string } }](t, f.do(req{method: "GET", path: "/me", token: f.member.Access}))
		if len(me.Circles) != 1 || me.Circles[0].Slug != "hidden" {
			t.Errorf("GET /me circles %+v", me.Circles)
		}
	})
}

func TestInvites(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		code := f.invite("hidden", 2)
		a, b, c := f.register(uniqueHandle("inv")), f.register(uniqueHandle("inv")), f.register(uniqueHandle("inv"))
		join := func(who *account, code string) *response {
			return f.do(req{method: "POST", path: "/circles/hidden/join", token: who.Access, body: map[string]string{"invite_code": code}})
		}
		expect(t, join(a, "wrong-code"), http.StatusNotFound, "invite_invalid")
		expect(t, f.do(req{method: "GET", path: "/circles/hidden", token: a.Access}), http.StatusNotFound, "not_found")
		// Codes are forgiving of case and hyphens, as people type them.
		expect(t, join(a, strings.ToUpper(strings.ReplaceAll(code, "-", ""))), http.StatusNoContent, "")
		expect(t, join(a, code), http.StatusNoContent, "") // already in: no use spent
		expect(t, join(b, code), http.StatusNoContent, "")
		expect(t, join(c, code), http.StatusNotFound, "invite_invalid") // two uses, both spent
		// A code for one circle opens no other, and a code to a circle that
		// does not exist looks the same as a wrong one.
		expect(t, f.do(req{method: "POST", path: "/circles/nowhere/join", token: c.Access, body: map[string]string{"invite_code": f.invite("hidden", 5)}}), http.StatusNotFound, "invite_invalid")
		expect(t, f.do(req{method: "POST", path: "/circles/open/invites", token: f.facilitator.Access, body: map[string]int{"max_uses": 1, "expires_in_hours": 1}}), http.StatusBadRequest, "circle_is_open")
		for _, bad := range []struct {
			body map[string]int
			code string
		}{
			{map[string]int{"max_uses": 0, "expires_in_hours": 1}, "invalid_max_uses"},
			{map[string]int{"max_uses": 1001, "expires_in_hours": 1}, "invalid_max_uses"},
			{map[string]int{"max_uses": 1, "expires_in_hours": 0}, "invalid_expires_in_hours"},
			{map[string]int{"max_uses": 1, "expires_in_hours": 721}, "invalid_expires_in_hours"},
		} {
			r := f.do(req{method: "POST", path: "/circles/hidden/invites", token: f.facilitator.Access, body: bad.body})
			expect(t, r, http.StatusBadRequest, bad.code)
		}
	})
}

// TestListFacilitators: a circle's facilitators, the moderation team and
// admins see who facilitates it, by handle, each since their appointment
// (kept when appointed again, new after a removal); erased accounts and
// removed facilitators are not listed; the list pages.
func TestListFacilitators(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		type facilitator struct {
			Handle string
			Since  time.Time
		}
		list := func(a *account, query string) pageJSON[facilitator] {
			t.Helper()
			r := f.do(req{method: "GET", path: "/circles/open/facilitators" + query, token: a.Access})
			expect(t, r, http.StatusOK, "")
			return decode[pageJSON[facilitator]](t, r)
		}
		handles := func(p pageJSON[facilitator]) []string {
			var out []string
			for _, x := range p.Items {
				out = append(out, x.Handle)
			}
			return out
		}
		before := time.Now().Add(-time.Second)
		first, last, gone := f.register(uniqueHandle("aafac")), f.register(uniqueHandle("zzfac")), f.register(uniqueHandle("gonefac"))
		for _, a := range []*account{first, last, gone} {
			f.appoint("open", a)
		}
		expect(t, f.do(req{method: "DELETE", path: "/me", token: gone.Access, body: map[string]string{"password": gone.Password}}), http.StatusNoContent, "")
		want := []string{first.Handle, f.facilitator.Handle, last.Handle}
		for _, a := range []*account{f.facilitator, f.moderator, f.admin} {
			if got := handles(list(a, "")); !slices.Equal(got, want) {
				t.Errorf("%s lists %v, want %v", a.Handle, got, want)
			}
		}
		page := list(f.admin, "")
		since := page.Items[0].Since
		if since.Before(before) || since.After(time.Now()) {
			t.Errorf("appointed at %v, not between %v and now", since, before)
		}

		// Appointing again keeps since when; a removal ends it.
		f.appoint("open", first)
		if again := list(f.admin, "").Items[0]; again.Handle != first.Handle || !again.Since.Equal(since) {
			t.Errorf("appointed again: %+v, want since %v", again, since)
		}
		expect(t, f.do(req{method: "DELETE", path: "/circles/open/facilitators/" + last.Handle, token: f.admin.Access}), http.StatusNoContent, "")
		if got := handles(list(f.admin, "")); !slices.Equal(got, want[:2]) {
			t.Errorf("after a removal: %v", got)
		}
		time.Sleep(10 * time.Millisecond)
		f.appoint("open", last)
		if back := list(f.admin, "").Items[2]; back.Handle != last.Handle || !back.Since.After(since) {
			t.Errorf("appointed after a removal: %+v, want since after %v", back, since)
		}

		// Pages.
		p1 := list(f.admin, "?limit=2")
		if !slices.Equal(handles(p1), want[:2]) || p1.NextCursor == nil {
			t.Fatalf("first page %+v", p1)
		}
		p2 := list(f.admin, "?limit=2&cursor="+*p1.NextCursor)
		if !slices.Equal(handles(p2), want[2:]) || p2.NextCursor != nil {
			t.Errorf("second page %+v", p2)
		}
		expect(t, f.do(req{method: "GET", path: "/circles/open/facilitators?cursor=nonsense", token: f.admin.Access}), http.StatusBadRequest, "invalid_cursor")

		// Who may not.
		expect(t, f.do(req{method: "GET", path: "/circles/open/facilitators", token: f.member.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "GET", path: "/circles/open/facilitators", token: f.otherFacilitator.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "GET", path: "/circles/hidden/facilitators", token: f.outsider.Access}), http.StatusNotFound, "not_found")
		expect(t, f.do(req{method: "GET", path: "/circles/nowhere/facilitators", token: f.admin.Access}), http.StatusNotFound, "not_found")
	})
}

func TestStories(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		r := f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access,
			body: map[string]string{"title": "  Six weeks on  ", "body": "Line one\n\tLine two <b>not html</b>", "content_warning": "hospital stay"}})
		expect(t, r, http.StatusCreated, "")
		s := decode[storyJSON](t, r)
		if *s.Title != "Six weeks on" || *s.Body != "Line one\n\tLine two <b>not html</b>" || *s.ContentWarning != "hospital stay" ||
			s.Author.Handle != f.author.Handle || s.Kind != "story" || s.Status != "published" || s.Circle != "open" || s.EditedAt != nil {
			t.Fatalf("created story %+v", s)
		}
		got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.outsider.Access}))
		if *got.Body != *s.Body || got.CreatedAt != s.CreatedAt {
			t.Errorf("read back %+v", got)
		}

		// Editing sets edited_at; an empty warning takes it away.
		r = f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"body": "Better now.", "content_warning": ""}})
		expect(t, r, http.StatusOK, "")
		e := decode[storyJSON](t, r)
		if *e.Body != "Better now." || *e.Title != "Six weeks on" || *e.ContentWarning != "" || e.EditedAt == nil {
			t.Errorf("edited %+v", e)
		}

		// Bad input changes nothing.
		long := func(n int) string { return strings.Repeat("a", n) }
		for _, c := range []struct {
			body any
			code string
		}{
			{map[string]string{"title": "   ", "body": "x"}, "invalid_title"},
			{map[string]string{"title": long(201), "body": "x"}, "invalid_title"},
			{map[string]string{"title": "t", "body": ""}, "invalid_body"},
			{map[string]string{"title": "t", "body": long(20_001)}, "invalid_body"},
			{map[string]string{"title": "t", "body": "bell\a"}, "invalid_body"},
			{map[string]string{"title": "t", "body": "x", "content_warning": long(101)}, "invalid_content_warning"},
			{map[string]string{"title": "t", "body": "x", "kind": "poem"}, "invalid_kind"},
			{map[string]any{"title": "t", "body": "x", "status": "published"}, "unknown_field"},
			{map[string]any{"title": "t", "body": "x", "pinned": true}, "unknown_field"},
			{map[string]any{"title": "t", "body": "x", "author": "someone"}, "unknown_field"},
		} {
			expect(t, f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access, body: c.body}), http.StatusBadRequest, c.code)
		}
		// Characters, not bytes: 200 three-byte characters is a fine title.
		expect(t, f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access, body: map[string]string{"title": strings.Repeat("心", 200), "body": "x"}}), http.StatusCreated, "")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]any{"status": "hidden"}}), http.StatusBadRequest, "unknown_field")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"title": ""}}), http.StatusBadRequest, "invalid_title")
		expect(t, f.do(req{method: "GET", path: "/stories/nosuchstory", token: f.author.Access}), http.StatusNotFound, "not_found")

		// Deleting leaves a placeholder without its words or author.
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + s.ID, token: f.author.Access}), http.StatusNoContent, "")
		gone := f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})
		expect(t, gone, http.StatusOK, "")
		if m := gone.JSON(t); m["status"] != "removed" || m["author"] != nil || m["title"] != nil || m["body"] != nil {
			t.Errorf("removed story shows %s", gone.Body)
		}
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"body": "back"}}), http.StatusConflict, "removed")
		expect(t, f.do(req{method: "POST", path: "/stories/" + s.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "hm"}}), http.StatusConflict, "not_published")
	})
}

func TestPinsAndStoryOrder(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		var ids []string
		for i := range 8 {
			ids = append(ids, f.story(f.author, "open", fmt.Sprintf("story %d", i)).ID)
		}
		guide := f.do(req{method: "POST", path: "/circles/open/stories", token: f.facilitator.Access, body: map[string]string{"title": "How we talk", "body": "Kindly.", "kind": "guidance"}})
		expect(t, guide, http.StatusCreated, "")
		if k := guide.JSON(t)["kind"]; k != "guidance" {
			t.Errorf("kind %v", k)
		}
		pin := func(id string, status int, code string) {
			t.Helper()
			expect(t, f.do(req{method: "PUT", path: "/stories/" + id + "/pin", token: f.facilitator.Access}), status, code)
		}
		// Pin stories 1, 3 and 5, then 5 again (a no-op).
		for _, i := range []int{1, 3, 5, 5} {
			pin(ids[i], http.StatusNoContent, "")
		}
		pin(ids[0], http.StatusNoContent, "")
		pin(ids[2], http.StatusNoContent, "")
		pin(ids[4], http.StatusConflict, "pin_limit")

		// Pinned first, newest pin first; then the rest newest first. Read
		// in pages of three so the pinned run is split across pages.
		var order []string
		var pinned []bool
		cursor := ""
		for {
			path := "/circles/open/stories?limit=3"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			page := decode[pageJSON[storyJSON]](t, f.do(req{method: "GET", path: path, token: f.outsider.Access}))
			for _, s := range page.Items {
				order = append(order, s.ID)
				pinned = append(pinned, s.Pinned)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		want := []string{ids[2], ids[0], ids[5], ids[3], ids[1], guide.JSON(t)["id"].(string), ids[7], ids[6], ids[4]}
		if !slices.Equal(order, want) {
			t.Fatalf("order\n got %v\nwant %v", order, want)
		}
		if !slices.Equal(pinned, []bool{true, true, true, true, true, false, false, false, false}) {
			t.Errorf("pinned flags %v", pinned)
		}
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + ids[2] + "/pin", token: f.facilitator.Access}), http.StatusNoContent, "")
		pin(ids[4], http.StatusNoContent, "")
		// A facilitator of another circle has no say here.
		expect(t, f.do(req{method: "PUT", path: "/stories/" + ids[6] + "/pin", token: f.otherFacilitator.Access}), http.StatusForbidden, "not_facilitator")

		for bad, code := range map[string]string{
			"?limit=101": "invalid_limit", "?limit=0": "invalid_limit", "?limit=-1": "invalid_limit", "?limit=ten": "invalid_limit",
			"?cursor=not*base64": "invalid_cursor", "?cursor=bm90IGEgY3Vyc29y": "invalid_cursor", "?cursor=" + "cnxhYmM": "invalid_cursor",
		} {
			r := f.do(req{method: "GET", path: "/circles/open/stories" + bad, token: f.member.Access})
			expect(t, r, http.StatusBadRequest, code)
		}
	})
}

func TestRepliesThreadOrder(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A thread")
		a := f.reply(f.member, s.ID, "", "a")
		b := f.reply(f.author, s.ID, "", "b")
		a1 := f.reply(f.author, s.ID, a.ID, "a1")
		f.reply(f.facilitator, s.ID, a.ID, "a2")
		a1x := f.reply(f.member, s.ID, a1.ID, "a1x")
		b1 := f.reply(f.member, s.ID, b.ID, "b1")
		if a.Depth != 0 || a.ParentID != nil || a1.Depth != 1 || *a1.ParentID != a.ID || a1x.Depth != 2 {
			t.Fatalf("depths: %+v %+v %+v", a, a1, a1x)
		}
		// Nine levels down, a reply hangs beside its parent at depth 8.
		parent := b1
		for parent.Depth < 8 {
			parent = f.reply(f.member, s.ID, parent.ID, fmt.Sprintf("depth %d", parent.Depth+1))
		}
		deep := f.reply(f.author, s.ID, parent.ID, "deeper")
		if deep.Depth != 8 || *deep.ParentID != *parent.ParentID {
			t.Errorf("deep reply at depth %d under %v, want 8 under %v", deep.Depth, *deep.ParentID, *parent.ParentID)
		}

		// Read the whole thread in pages of two.
		var bodies []string
		cursor := ""
		for {
			path := "/stories/" + s.ID + "/replies?limit=2"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: path, token: f.outsider.Access}))
			for _, r := range page.Items {
				bodies = append(bodies, *r.Body)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		want := []string{"a", "a1", "a1x", "a2", "b", "b1"}
		for d := 2; d <= 8; d++ {
			want = append(want, fmt.Sprintf("depth %d", d))
		}
		want = append(want, "deeper")
		if !slices.Equal(bodies, want) {
			t.Fatalf("thread order\n got %v\nwant %v", bodies, want)
		}
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.ReplyCount != len(want) {
			t.Errorf("reply_count %d, want %d", got.ReplyCount, len(want))
		}

		// A parent from another story is refused.
		other := f.story(f.author, "open", "Another")
		expect(t, f.do(req{method: "POST", path: "/stories/" + other.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "x", "parent_id": a.ID}}), http.StatusBadRequest, "invalid_parent")
		expect(t, f.do(req{method: "POST", path: "/stories/" + other.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "x", "parent_id": "nope"}}), http.StatusNotFound, "not_found")
		expect(t, f.do(req{method: "POST", path: "/stories/" + other.ID + "/replies", token: f.member.Access, body: map[string]string{"body": strings.Repeat("x", 10_001)}}), http.StatusBadRequest, "invalid_body")

		// Edit and delete: the thread keeps its shape around a removed reply.
		r := f.do(req{method: "PATCH", path: "/replies/" + a1.ID, token: f.author.Access, body: map[string]string{"body": "a1, edited"}})
		expect(t, r, http.StatusOK, "")
		if m := r.JSON(t); m["body"] != "a1, edited" || m["edited_at"] == nil {
			t.Errorf("edited reply %s", r.Body)
		}
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + a1.ID, token: f.author.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + a1.ID, token: f.author.Access}), http.StatusNoContent, "")
		page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies?limit=3", token: f.member.Access}))
		if p := page.Items[1]; p.ID != a1.ID || p.Status != "removed" || p.Body != nil || p.Author != nil || page.Items[2].ID != a1x.ID {
			t.Errorf("thread after delete %+v", page.Items)
		}
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.ReplyCount != len(want)-1 {
			t.Errorf("reply_count after delete %d", got.ReplyCount)
		}
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + a1.ID, token: f.author.Access, body: map[string]string{"body": "again"}}), http.StatusConflict, "removed")
	})
}

// TestSupportIsExactUnderConcurrency has twenty members support one story
// and one reply at once, each twice, then half of them withdraw twice.
func TestSupportIsExactUnderConcurrency(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Support me")
		rp := f.reply(f.author, s.ID, "", "And me")
		var people []*account
		for range 20 {
			a := f.register(uniqueHandle("fan"))
			expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
			people = append(people, a)
		}
		hammer := func(method string, who []*account) {
			var wg sync.WaitGroup
			for _, a := range who {
				for _, path := range []string{"/stories/" + s.ID + "/support", "/replies/" + rp.ID + "/support"} {
					for range 2 {
						wg.Go(func() {
							if r := f.do(req{method: method, path: path, token: a.Access}); r.Status != http.StatusNoContent {
								t.Errorf("%s %s: %d %s", method, path, r.Status, r.Body)
							}
						})
					}
				}
			}
			wg.Wait()
		}
		hammer("PUT", people)
		hammer("DELETE", people[:10])
		got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: people[15].Access}))
		if got.SupportCount != 10 || !got.SupportedByMe {
			t.Errorf("story support %d (by me %v), want 10 (true)", got.SupportCount, got.SupportedByMe)
		}
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: people[0].Access})); got.SupportedByMe {
			t.Error("withdrawn support still shows as mine")
		}
		page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: people[19].Access}))
		if r := page.Items[0]; r.SupportCount != 10 || !r.SupportedByMe {
			t.Errorf("reply support %d (by me %v), want 10 (true)", r.SupportCount, r.SupportedByMe)
		}
	})
}

// TestPagesStableWhileOthersWrite reads a circle in pages while new stories
// arrive between pages: every story that was there at the start is seen
// exactly once.
func TestPagesStableWhileOthersWrite(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		want := map[string]bool{}
		for i := range 23 {
			want[f.story(f.author, "open", fmt.Sprintf("before %d", i)).ID] = true
		}
		seen := map[string]int{}
		cursor := ""
		for {
			path := "/circles/open/stories?limit=4"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			page := decode[pageJSON[storyJSON]](t, f.do(req{method: "GET", path: path, token: f.member.Access}))
			for _, s := range page.Items {
				seen[s.ID]++
			}
			f.story(f.member, "open", "meanwhile")
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		for id := range want {
			if seen[id] != 1 {
				t.Errorf("story %s seen %d times", id, seen[id])
			}
		}
		for id, n := range seen {
			if !want[id] || n != 1 {
				t.Errorf("unexpected story %s seen %d times", id, n)
			}
		}
	})
}

// TestListsDoNotGrowQueries counts the statements one list request runs:
// a page of fifty by fifty authors costs what a page of ten does. The data
// key cache holds eight, so both pages must fetch keys it lacks, in one
// batch.
func TestListsDoNotGrowQueries(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		var n int64 // statements run while measuring
		var mu sync.Mutex
		measuring := false
		f.store.OnQuery(func(string, time.Duration) {
			mu.Lock()
			if measuring {
				n++
			}
			mu.Unlock()
		})
		var story storyJSON
		for i := range 50 {
			a := f.register(uniqueHandle("voice"))
			expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
			st := f.story(a, "open", fmt.Sprintf("voice %d", i))
			if i == 0 {
				story = st
			}
			f.reply(a, story.ID, "", fmt.Sprintf("reply %d", i))
		}
		count := func(path string) int64 {
			mu.Lock()
			n, measuring = 0, true
			mu.Unlock()
			expect(t, f.do(req{method: "GET", path: path, token: f.member.Access}), http.StatusOK, "")
			mu.Lock()
			defer mu.Unlock()
			measuring = false
			return n
		}
		for _, list := range []string{"/circles/open/stories", "/stories/" + story.ID + "/replies"} {
			small, large := count(list+"?limit=10"), count(list+"?limit=50")
			if small == 0 || small != large {
				t.Errorf("%s: %d queries for 10 items, %d for 50", list, small, large)
			}
		}
	}, withDataKeyCache(8))
}

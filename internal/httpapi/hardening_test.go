package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"

	"hearth/internal/auth"
	"hearth/internal/config"
)

// TestModeratorsRemoveRatherThanDelete: deleting is the author's alone; a
// moderator takes writing down with remove, which is on the log, told to
// the author and undone by restore.
func TestModeratorsRemoveRatherThanDelete(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Mine to delete")
		rp := f.reply(f.author, s.ID, "", "Mine too")
		for _, who := range []*account{f.moderator, f.admin} {
			expect(t, f.do(req{method: "DELETE", path: "/stories/" + s.ID, token: who.Access}), http.StatusForbidden, "not_author")
			expect(t, f.do(req{method: "DELETE", path: "/replies/" + rp.ID, token: who.Access}), http.StatusForbidden, "not_author")
		}
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.Status != "published" || got.Body == nil {
			t.Fatalf("a refused delete changed the story: %+v", got)
		}
		expect(t, f.act("story", s.ID, "remove", "Names a clinic and a ward."), http.StatusOK, "")
		log := decode[pageJSON[struct{ Actor, Action, Target string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access}))
		if len(log.Items) == 0 || log.Items[0].Action != "remove" || log.Items[0].Actor != f.moderator.Handle || log.Items[0].Target != "story:"+s.ID {
			t.Errorf("log after remove: %+v", log.Items)
		}
		if got := kinds(f.notices(f.author)); len(got) == 0 || got[0] != "removed" {
			t.Errorf("author notices %v", got)
		}
		expect(t, f.act("story", s.ID, "restore", "On reflection, it is theirs to tell."), http.StatusOK, "")
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.Status != "published" || *got.Body != "The body of Mine to delete" {
			t.Errorf("restored story reads %+v", got)
		}
		// The author may still delete their own.
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + rp.ID, token: f.author.Access}), http.StatusNoContent, "")
	})
}

// TestCrisisEditsRaiseOneFlag: a crisis edited in again and again is one
// open system flag, and the queue shows an item's flags counted by reason.
func TestCrisisEditsRaiseOneFlag(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Hard night")
		for i := range 12 {
			r := f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access,
				body: map[string]string{"body": fmt.Sprintf("Edit %d: I want to end my life.", i)}})
			expect(t, r, http.StatusOK, "")
			if r.JSON(t)["crisis_resources"] == nil {
				t.Fatalf("edit %d: no crisis resources", i)
			}
		}
		for i := range 5 {
			a := f.register(uniqueHandle("worried"))
			expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
			expect(t, f.flag(a, "story", s.ID, "crisis", fmt.Sprintf("worried %d", i)), http.StatusCreated, "")
		}
		q := f.queue()
		if len(q) != 1 {
			t.Fatalf("queue %+v", q)
		}
		var system, members int
		for _, fl := range q[0].Flags {
			if fl.System {
				system += fl.Count
			} else {
				members += fl.Count
				if len(fl.Notes) != 3 {
					t.Errorf("members' flags carry %d notes, want the newest 3", len(fl.Notes))
				}
			}
		}
		if len(q[0].Flags) != 2 || system != 1 || members != 5 {
			t.Errorf("flags %+v: want one system crisis flag and five members' counted as one entry", q[0].Flags)
		}
	})
}

// TestOwnerSignsInPastAnAttack: fifty wrong passwords against a public
// handle do not keep its owner out of the browser they signed in from.
func TestOwnerSignsInPastAnAttack(t *testing.T) {
	s := newServerForHTTP(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	signIn := func(c *http.Client, password string) int {
		t.Helper()
		body := strings.NewReader(`{"handle":"lantern","password":"` + password + `"}`)
		resp, err := c.Post(s.URL+Prefix+"/auth/login", "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	resp, err := browser.Post(s.URL+Prefix+"/auth/register", "application/json", strings.NewReader(`{"handle":"lantern","password":"`+testPassword+`"}`))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %v %v", err, resp)
	}
	resp.Body.Close()
	var device *http.Cookie
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "hearth_device_") {
			device = c
		}
	}
	if device == nil || !device.HttpOnly || device.SameSite != http.SameSiteStrictMode || strings.Contains(device.Name+device.Value, "lantern") {
		t.Fatalf("device cookie %+v: want HttpOnly, SameSite=Strict, naming no handle", device)
	}
	attacker := &http.Client{}
	for i := range 50 {
		signIn(attacker, fmt.Sprintf("guess number %d of many", i))
	}
	if code := signIn(attacker, testPassword); code != http.StatusTooManyRequests {
		t.Fatalf("a browser without the cookie after the attack: %d, want 429", code)
	}
	if code := signIn(browser, testPassword); code != http.StatusOK {
		t.Fatalf("the owner's browser after the attack: %d, want 200", code)
	}
}

// TestInvitesAreListedRevokedAndDieWithTheirMaker: a facilitator sees the
// live invites without codes and revokes one; an invite made by a
// facilitator who was then removed and banned lets nobody in.
func TestInvitesAreListedRevokedAndDieWithTheirMaker(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		first := f.newInvite("hidden", 100)
		list := f.do(req{method: "GET", path: "/circles/hidden/invites", token: f.facilitator.Access})
		expect(t, list, http.StatusOK, "")
		if strings.Contains(string(list.Body), first["code"].(string)) || !strings.Contains(string(list.Body), f.facilitator.Handle) {
			t.Errorf("invite list %s: want the maker and no code", list.Body)
		}
		expect(t, f.do(req{method: "DELETE", path: "/circles/hidden/invites/" + first["id"].(string), token: f.facilitator.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "DELETE", path: "/circles/hidden/invites/" + first["id"].(string), token: f.facilitator.Access}), http.StatusNotFound, "not_found")
		joiner := f.register(uniqueHandle("joiner"))
		join := func(code string) *response {
			return f.do(req{method: "POST", path: "/circles/hidden/join", token: joiner.Access, body: map[string]string{"invite_code": code}})
		}
		expect(t, join(first["code"].(string)), http.StatusNotFound, "invite_invalid")

		// A second facilitator's invite, then they lose their place.
		second := f.register(uniqueHandle("facil"))
		f.appoint("hidden", second)
		r := f.do(req{method: "POST", path: "/circles/hidden/invites", token: second.Access, body: map[string]int{"max_uses": 100, "expires_in_hours": 720}})
		expect(t, r, http.StatusCreated, "")
		code := r.JSON(t)["code"].(string)
		expect(t, f.do(req{method: "DELETE", path: "/circles/hidden/facilitators/" + second.Handle, token: f.admin.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + second.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "ban", "reason": "Shared members' stories outside."}}), http.StatusOK, "")
		expect(t, join(code), http.StatusNotFound, "invite_invalid")
		if page := decode[pageJSON[map[string]any]](t, f.do(req{method: "GET", path: "/circles/hidden/invites", token: f.facilitator.Access})); len(page.Items) != 0 {
			t.Errorf("live invites after revocation and removal: %+v", page.Items)
		}
	})
}

// TestCircleChangesAreLogged: making a private circle open, and every other
// change to a circle, is a log line naming the admin.
func TestCircleChangesAreLogged(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		expect(t, f.do(req{method: "PATCH", path: "/circles/hidden", token: f.admin.Access,
			body: map[string]any{"visibility": "open", "premoderation": true}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PATCH", path: "/circles/hidden", token: f.admin.Access,
			body: map[string]any{"visibility": "private"}}), http.StatusOK, "")
		log := decode[pageJSON[struct{ Actor, Action, Target, Reason string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access}))
		if len(log.Items) < 2 {
			t.Fatalf("log %+v", log.Items)
		}
		back, open := log.Items[0], log.Items[1]
		if open.Action != "update_circle" || open.Actor != f.admin.Handle || open.Target != "circle:hidden" ||
			!strings.Contains(open.Reason, "visibility private → open") || !strings.Contains(open.Reason, "premoderation off → on") {
			t.Errorf("opening the circle logged as %+v", open)
		}
		if back.Action != "update_circle" || !strings.Contains(back.Reason, "visibility open → private") || strings.Contains(back.Reason, "premoderation") {
			t.Errorf("closing it again logged as %+v", back)
		}
		var created bool
		for _, l := range decode[pageJSON[struct{ Action, Target string }]](t, f.do(req{method: "GET", path: "/moderation/log?limit=100", token: f.moderator.Access})).Items {
			created = created || l.Action == "create_circle" && l.Target == "circle:open"
		}
		if !created {
			t.Error("creating a circle is not on the log")
		}
	})
}

// TestCircleCareIsLogged: every new version of a circle's guidelines and
// every change to its resources, by a facilitator or an admin, is a log
// line naming who, the circle and the version or count, never the text.
func TestCircleCareIsLogged(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		type line struct{ Actor, Action, Target, Reason string }
		care := func() []line {
			t.Helper()
			var out []line
			for _, l := range decode[pageJSON[line]](t, f.do(req{method: "GET", path: "/moderation/log?limit=100", token: f.moderator.Access})).Items {
				if l.Action == "update_guidelines" || l.Action == "update_resources" {
					out = append(out, l)
				}
			}
			return out
		}
		if got := care(); len(got) != 0 {
			t.Fatalf("care logged before any change: %+v", got)
		}
		f.guidelines(f.facilitator, "open", "Be kind. Keep what is shared here.")
		f.guidelines(f.admin, "open", "Be kind. No phone numbers.")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/resources", token: f.facilitator.Access,
			body: map[string]any{"resources": []map[string]string{{"name": "Heart line", "contact": "Call 0800 123 456"}}}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/resources", token: f.admin.Access,
			body: map[string]any{"resources": []map[string]string{{"name": "Heart line", "contact": "Call 0800 123 456"}, {"name": "Night line", "contact": "Call 0800 654 321"}}}}), http.StatusOK, "")
		// Refused changes are not logged.
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.member.Access, body: map[string]string{"text": "Mine now."}}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/resources", token: f.facilitator.Access,
			body: map[string]any{"resources": []map[string]string{{"name": "", "contact": "x"}}}}), http.StatusBadRequest, "invalid_name")

		want := []line{
			{f.admin.Handle, "update_resources", "circle:open", "2 resources"},
			{f.facilitator.Handle, "update_resources", "circle:open", "1 resource"},
			{f.admin.Handle, "update_guidelines", "circle:open", "version 2"},
			{f.facilitator.Handle, "update_guidelines", "circle:open", "version 1"},
		}
		if got := care(); !slices.Equal(got, want) {
			t.Errorf("care on the log:\n got %+v\nwant %+v", got, want)
		}
	})
}

// TestPasswordRoutesHaveTheirOwnLimit: routes that hash a password allow a
// few attempts an hour per member, together, right or wrong.
func TestPasswordRoutesHaveTheirOwnLimit(t *testing.T) {
	s := newServerForHTTP(t, withConfig(func(c *config.Config) { c.MemberWriteRate = 1000 }))
	a := s.register(uniqueHandle("hasher"))
	for range 4 {
		expect(t, s.do(req{method: "POST", path: "/me/password", token: a.Access,
			body: map[string]string{"current_password": "not my password at all", "new_password": "a new calm harbour at dawn"}}), http.StatusUnauthorized, "invalid_credentials")
	}
	expect(t, s.do(req{method: "POST", path: "/me/recovery-codes", token: a.Access, body: map[string]string{"password": testPassword}}), http.StatusCreated, "")
	for _, r := range []req{
		{method: "POST", path: "/me/recovery-codes", body: map[string]string{"password": testPassword}},
		{method: "POST", path: "/me/password", body: map[string]string{"current_password": testPassword, "new_password": "a new calm harbour at dawn"}},
		{method: "DELETE", path: "/me", body: map[string]string{"password": testPassword}},
	} {
		r.token = a.Access
		got := s.do(r)
		expect(t, got, http.StatusTooManyRequests, "rate_limited")
		if wait := got.Header.Get("Retry-After"); wait == "" || wait == "0" {
			t.Errorf("%s %s: Retry-After %q", r.method, r.path, wait)
		}
	}
	// Others are not held back, and the account is whole.
	b := s.register(uniqueHandle("neighbour"))
	expect(t, s.do(req{method: "POST", path: "/me/recovery-codes", token: b.Access, body: map[string]string{"password": testPassword}}), http.StatusCreated, "")
	expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")
}

// TestAuthorSeesRemovedWriting: what a moderator removed stays its
// author's: they read it, marked removed with the reason, and it is in
// their export. Nobody else reads it; what they deleted is gone.
func TestAuthorSeesRemovedWriting(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Taken down")
		rp := f.reply(f.author, f.story(f.member, "open", "Host").ID, "", "A reply taken down")
		gone := f.story(f.author, "open", "Deleted by me")
		expect(t, f.act("story", s.ID, "remove", "It names another member."), http.StatusOK, "")
		expect(t, f.act("reply", rp.ID, "remove", "Off topic here."), http.StatusOK, "")
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + gone.ID, token: f.author.Access}), http.StatusNoContent, "")

		type removed struct {
			storyJSON
			RemovedReason *string `json:"removed_reason"`
		}
		own := decode[removed](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.author.Access}))
		if own.Status != "removed" || own.Body == nil || *own.Body != "The body of Taken down" || own.RemovedReason == nil || *own.RemovedReason != "It names another member." {
			t.Errorf("the author reads their removed story as %+v", own)
		}
		other := decode[removed](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access}))
		if other.Body != nil || other.Author != nil || other.RemovedReason != nil {
			t.Errorf("another member reads %+v", other)
		}
		thread := decode[pageJSON[struct {
			replyJSON
			RemovedReason *string `json:"removed_reason"`
		}]](t, f.do(req{method: "GET", path: "/stories/" + rp.StoryID + "/replies", token: f.author.Access}))
		if len(thread.Items) != 1 || thread.Items[0].Body == nil || thread.Items[0].RemovedReason == nil || *thread.Items[0].RemovedReason != "Off topic here." {
			t.Errorf("the author's thread %+v", thread.Items)
		}
		r := f.do(req{method: "GET", path: "/me/export", token: f.author.Access})
		expect(t, r, http.StatusOK, "")
		var export struct {
			Stories []removed
			Replies []struct {
				ID            string
				Body          *string
				RemovedReason *string `json:"removed_reason"`
			}
		}
		if err := json.Unmarshal(r.Body, &export); err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, st := range export.Stories {
			if st.ID == gone.ID {
				t.Errorf("the export holds a story its author deleted: %+v", st)
			}
			found = found || st.ID == s.ID && st.RemovedReason != nil && *st.RemovedReason == "It names another member."
		}
		if !found || len(export.Replies) != 1 || export.Replies[0].Body == nil || export.Replies[0].RemovedReason == nil {
			t.Errorf("export %+v", export)
		}
	})
}

// TestFlagsOfBannedMembersDoNotCount: a banned member's flags close and no
// longer count toward the three-member hide.
func TestFlagsOfBannedMembersDoNotCount(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Targeted")
		var reporters []*account
		for range 3 {
			a := f.register(uniqueHandle("reporter"))
			expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
			reporters = append(reporters, a)
		}
		expect(t, f.flag(reporters[0], "story", s.ID, "harassment", ""), http.StatusCreated, "")
		expect(t, f.flag(reporters[1], "story", s.ID, "harassment", ""), http.StatusCreated, "")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + reporters[0].Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "ban", "reason": "A campaign of false flags."}}), http.StatusOK, "")
		expect(t, f.flag(reporters[2], "story", s.ID, "harassment", ""), http.StatusCreated, "")
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.Status != "published" {
			t.Errorf("two live flags and a banned member's hid the story: %s", got.Status)
		}
		if q := f.queue(); len(q) != 1 || len(q[0].Flags) != 1 || q[0].Flags[0].Count != 2 {
			t.Errorf("queue %+v: want the two live flags only", q)
		}
		// An erased member's flags go the same way; an item left with no
		// flag on published writing leaves the queue.
		lone := f.story(f.author, "open", "Flagged once")
		expect(t, f.flag(reporters[1], "story", lone.ID, "spam", ""), http.StatusCreated, "")
		expect(t, f.do(req{method: "DELETE", path: "/me", token: reporters[1].Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")
		for _, it := range f.queue() {
			if it.TargetID == lone.ID {
				t.Errorf("an erased member's only flag keeps %s in the queue", lone.ID)
			}
		}
	})
}

// TestReplyUnderWritingOneCannotSee: a parent_id the caller may not see
// answers 404, as if it did not exist.
func TestReplyUnderWritingOneCannotSee(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		expect(t, f.do(req{method: "PATCH", path: "/circles/open", token: f.admin.Access, body: map[string]bool{"premoderation": true}}), http.StatusOK, "")
		host := f.story(f.facilitator, "open", "Host")
		newcomer := f.register(uniqueHandle("newcomer"))
		expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: newcomer.Access}), http.StatusNoContent, "")
		held := f.reply(newcomer, host.ID, "", "Waiting for review")
		if held.Status != "pending" {
			t.Fatalf("newcomer's reply is %s", held.Status)
		}
		private := f.reply(f.author, f.story(f.author, "hidden", "Private").ID, "", "In a private circle")
		for _, parent := range []string{held.ID, private.ID} {
			expect(t, f.do(req{method: "POST", path: "/stories/" + host.ID + "/replies", token: f.outsiderIn("open").Access,
				body: map[string]string{"body": "Under it", "parent_id": parent}}), http.StatusNotFound, "not_found")
		}
		// Its author sees it and may answer under it.
		f.reply(newcomer, host.ID, held.ID, "Adding to my own")
	})
}

// outsiderIn returns a fresh member of circle slug (an open one) who is in
// no other circle.
func (f *forumFixture) outsiderIn(slug string) *account {
	f.t.Helper()
	a := f.register(uniqueHandle("visitor"))
	expect(f.t, f.do(req{method: "POST", path: "/circles/" + slug + "/join", token: a.Access}), http.StatusNoContent, "")
	return a
}

// TestRotateSigningKeyKillsAccessTokens: a new signing key refuses every
// access token signed before it, on the next request; refreshing works.
func TestRotateSigningKeyKillsAccessTokens(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register(uniqueHandle("rotated"))
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")
		if err := auth.RotateSigningKey(context.Background(), s.store, s.keyring); err != nil {
			t.Fatal(err)
		}
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "unauthenticated")
		r := s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": a.Refresh}})
		expect(t, r, http.StatusOK, "")
		expect(t, s.do(req{method: "GET", path: "/me", token: r.JSON(t)["access_token"].(string)}), http.StatusOK, "")
	})
}

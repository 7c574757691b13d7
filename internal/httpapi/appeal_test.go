package httpapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/internal/store"
)

type appealItemJSON struct {
	ID     string
	Status string
	Member struct{ Handle string }
	Text   string
	Action struct {
		ID, Action, Actor, Reason string
		TargetType                string `json:"target_type"`
		TargetID                  string `json:"target_id"`
	}
}

// actionNotice is the action_id of a's newest notice of kind.
func (f *forumFixture) actionNotice(a *account, kind string) string {
	f.t.Helper()
	ns := f.noticesOf(a, kind)
	if len(ns) == 0 || ns[0].ActionID == nil {
		f.t.Fatalf("%s has no %s notice with an action: %+v", a.Handle, kind, ns)
	}
	return *ns[0].ActionID
}

func (f *forumFixture) appeal(a *account, actionID, text string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/appeals", token: a.Access, body: map[string]string{"action_id": actionID, "text": text}})
}

func (f *forumFixture) decide(by *account, id, outcome string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/moderation/appeals/" + id + "/decide", token: by.Access,
		body: map[string]string{"outcome": outcome, "reason": "Looked at it again."}})
}

func (f *forumFixture) openAppeals() []appealItemJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/moderation/appeals", token: f.admin.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[appealItemJSON]](f.t, r).Items
}

func (f *forumFixture) storyStatus(id string) string {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/stories/" + id, token: f.moderator.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[storyJSON](f.t, r).Status
}

// TestAppealOverturnedRestoresWriting: the author of writing a moderator
// hid appeals it, once; nobody else can; moderators read it with the
// action and its reason; the moderator who hid it cannot decide it; a
// second moderator overturns it, which publishes the writing again with
// its support, logs the decision and tells the author.
func TestAppealOverturnedRestoresWriting(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A story about my week")
		expect(t, f.do(req{method: "PUT", path: "/stories/" + s.ID + "/support", token: f.member.Access}), http.StatusNoContent, "")
		expect(t, f.act("story", s.ID, "hide", "It named someone."), http.StatusOK, "")
		action := f.actionNotice(f.author, "hidden")

		expect(t, f.appeal(f.member, action, "Not mine, but unfair."), http.StatusNotFound, "not_found")
		expect(t, f.appeal(f.author, "no-such-action", "Please look again."), http.StatusNotFound, "not_found")
		expect(t, f.appeal(f.author, action, "  "), http.StatusBadRequest, "invalid_text")
		expect(t, f.appeal(f.author, action, strings.Repeat("x", 2001)), http.StatusBadRequest, "invalid_text")
		r := f.appeal(f.author, action, "I took the name out already. Please look again.")
		expect(t, r, http.StatusCreated, "")
		got := r.JSON(t)
		if got["status"] != "open" || got["id"] == "" {
			t.Fatalf("appeal answered %s", r.Body)
		}
		id := got["id"].(string)
		expect(t, f.appeal(f.author, action, "And again."), http.StatusConflict, "already_appealed")

		expect(t, f.do(req{method: "GET", path: "/moderation/appeals", token: f.author.Access}), http.StatusForbidden, "")
		list := f.openAppeals()
		if len(list) != 1 || list[0].ID != id || list[0].Text != "I took the name out already. Please look again." ||
			list[0].Action.Action != "hide" || list[0].Action.Reason != "It named someone." || list[0].Action.Actor != f.moderator.Handle ||
			list[0].Member.Handle != f.author.Handle || list[0].Action.TargetID != s.ID {
			t.Fatalf("open appeals %+v", list)
		}

		expect(t, f.decide(f.moderator, id, "overturned"), http.StatusForbidden, "same_moderator")
		expect(t, f.decide(f.admin, id, "maybe"), http.StatusBadRequest, "invalid_outcome")
		r = f.decide(f.admin, id, "overturned")
		expect(t, r, http.StatusOK, "")
		if out := r.JSON(t); out["outcome"] != "overturned" || out["undone"] != true {
			t.Fatalf("decision %s", r.Body)
		}
		expect(t, f.decide(f.admin, id, "upheld"), http.StatusConflict, "already_decided")
		if len(f.openAppeals()) != 0 {
			t.Error("a decided appeal is still open")
		}
		r = f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.outsider.Access})
		expect(t, r, http.StatusOK, "")
		if st := decode[storyJSON](t, r); st.Status != "published" || st.SupportCount != 1 || st.Body == nil {
			t.Errorf("the story after overturning %+v", st)
		}
		told := f.noticesOf(f.author, "appeal_decided")
		if len(told) != 1 || !strings.Contains(told[0].Message, "overturned") || told[0].ActionID == nil {
			t.Errorf("the author was told %+v", told)
		}
		log := decode[pageJSON[struct{ Actor, Action, Target, Reason string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access}))
		if len(log.Items) < 2 || log.Items[0].Action != "appeal_overturned" || log.Items[0].Actor != f.admin.Handle ||
			log.Items[0].Target != "story:"+s.ID || log.Items[1].Action != "appeal" || log.Items[1].Reason != "" {
			t.Errorf("log %+v", log.Items[:min(2, len(log.Items))])
		}
	})
}

// TestAppealsOfEveryAction: the three-member hide is logged as the
// system's and can be appealed, and any moderator decides it; overturning
// writing that moved on since records the outcome without undoing; a
// suspended member appeals, and overturning lifts the suspension; an
// appeal comes within 30 days; the export holds a member's appeals and
// erasure takes them away.
func TestAppealsOfEveryAction(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		// Hidden by three members' flags.
		s := f.story(f.author, "open", "Flagged by three")
		for _, a := range []*account{f.member, f.facilitator, f.outsider} {
			expect(t, f.flag(a, "story", s.ID, "spam", ""), http.StatusCreated, "")
		}
		action := f.actionNotice(f.author, "hidden")
		r := f.appeal(f.author, action, "It is not spam.")
		expect(t, r, http.StatusCreated, "")
		list := f.openAppeals()
		if len(list) != 1 || list[0].Action.Action != "hide_by_flags" || list[0].Action.Actor != "system" {
			t.Fatalf("the system's hide %+v", list)
		}
		expect(t, f.decide(f.moderator, r.JSON(t)["id"].(string), "overturned"), http.StatusOK, "")
		if st := f.storyStatus(s.ID); st != "published" {
			t.Errorf("the story is %s after overturning the hide by flags", st)
		}
		if q := f.queue(); len(q) != 0 {
			t.Errorf("the overturned hide left its item open: %+v", q)
		}

		// Removed, then restored by a moderator: there is nothing to undo.
		s2 := f.story(f.author, "open", "Removed then restored")
		expect(t, f.act("story", s2.ID, "remove", "Off topic."), http.StatusOK, "")
		removed := f.actionNotice(f.author, "removed")
		expect(t, f.act("story", s2.ID, "restore", "On reflection."), http.StatusOK, "")
		expect(t, f.act("story", s2.ID, "hide", "Hidden for another reason."), http.StatusOK, "")
		r = f.appeal(f.author, removed, "Please look again.")
		expect(t, r, http.StatusCreated, "")
		r = f.decide(f.admin, r.JSON(t)["id"].(string), "overturned")
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["undone"] != false || f.storyStatus(s2.ID) != "hidden" {
			t.Errorf("overturning a removal that moved on: %s, story %s", r.Body, f.storyStatus(s2.ID))
		}

		// Pinned, then removed: overturning pins it again.
		pinned := f.story(f.author, "open", "Pinned then removed")
		expect(t, f.do(req{method: "PUT", path: "/stories/" + pinned.ID + "/pin", token: f.facilitator.Access}), http.StatusNoContent, "")
		expect(t, f.act("story", pinned.ID, "remove", "Too much detail."), http.StatusOK, "")
		r = f.appeal(f.author, f.actionNotice(f.author, "removed"), "It is all mine to tell.")
		expect(t, r, http.StatusCreated, "")
		expect(t, f.decide(f.admin, r.JSON(t)["id"].(string), "overturned"), http.StatusOK, "")
		r = f.do(req{method: "GET", path: "/stories/" + pinned.ID, token: f.member.Access})
		expect(t, r, http.StatusOK, "")
		if st := decode[storyJSON](t, r); st.Status != "published" || !st.Pinned {
			t.Errorf("the removal overturned left %+v", st)
		}

		// Suspended: the member may still appeal, and overturning lifts it.
		until := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.member.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "suspend", "reason": "Cooling off.", "until": until}}), http.StatusOK, "")
		me := f.fresh(f.member)
		suspended := f.actionNotice(me, "suspended")
		expect(t, f.do(req{method: "POST", path: "/circles/open/stories", token: me.Access, body: map[string]string{"title": "t", "body": "b"}}), http.StatusForbidden, "suspended")
		r = f.appeal(me, suspended, "I was upset, and I am sorry.")
		expect(t, r, http.StatusCreated, "")
		r = f.decide(f.admin, r.JSON(t)["id"].(string), "overturned")
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["undone"] != true {
			t.Errorf("lifting the suspension: %s", r.Body)
		}
		me = f.fresh(f.member)
		expect(t, f.do(req{method: "POST", path: "/circles/open/stories", token: me.Access, body: map[string]string{"title": "Back", "body": "Thank you."}}), http.StatusCreated, "")

		// A warning upheld; one older than 30 days cannot be appealed.
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.author.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "warn", "reason": "Please be kind."}}), http.StatusOK, "")
		warned := f.actionNotice(f.author, "warned")
		r = f.appeal(f.author, warned, "I was kind.")
		expect(t, r, http.StatusCreated, "")
		r = f.decide(f.admin, r.JSON(t)["id"].(string), "upheld")
		expect(t, r, http.StatusOK, "")
		if out := r.JSON(t); out["outcome"] != "upheld" || out["undone"] != false {
			t.Errorf("upholding: %s", r.Body)
		}
		old := &store.LogEntry{ID: store.NewIDAt(time.Now().Add(-31 * 24 * time.Hour)), ActorID: &f.moderator.ID, Action: "warn",
			TargetType: "member", TargetID: f.author.ID, CreatedAt: time.Now().Add(-31 * 24 * time.Hour).UTC()}
		if err := f.store.AppendLog(context.Background(), old); err != nil {
			t.Fatal(err)
		}
		expect(t, f.appeal(f.author, old.ID, "Long ago."), http.StatusConflict, "appeal_window_closed")
		// Not every action is appealed: a restore is not about anyone's fault.
		restored := f.actionNotice(f.author, "restored")
		expect(t, f.appeal(f.author, restored, "?"), http.StatusNotFound, "not_found")

		// The export holds them; erasure takes them away.
		r = f.do(req{method: "GET", path: "/me/export", token: f.author.Access})
		expect(t, r, http.StatusOK, "")
		if !strings.Contains(string(r.Body), "It is not spam.") || !strings.Contains(string(r.Body), "I was kind.") {
			t.Errorf("the export lacks the appeals: %s", r.Body)
		}
		db := f.storeDB(t)
		if n := count(t, db, "SELECT COUNT(*) FROM appeals WHERE member_id = ?", f.author.ID); n != 4 {
			t.Fatalf("%d appeals stored", n)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM appeals WHERE text LIKE ?", "%spam%"); n != 0 {
			t.Error("an appeal is stored in clear")
		}
		expect(t, f.do(req{method: "DELETE", path: "/me", token: f.author.Access, body: map[string]string{"password": f.author.Password}}), http.StatusNoContent, "")
		if n := count(t, db, "SELECT COUNT(*) FROM appeals WHERE member_id = ?", f.author.ID); n != 0 {
			t.Errorf("%d appeals outlive the account", n)
		}
	})
}

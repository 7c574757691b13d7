package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/internal/store"
)

type noticeJSON struct {
	ID, Kind, Message string
	TargetType        string  `json:"target_type"`
	TargetID          string  `json:"target_id"`
	StoryID           string  `json:"story_id"`
	ActionID          *string `json:"action_id"`
	ReadAt            *string `json:"read_at"`
	Actor             *struct{ Handle string }
}

func (f *forumFixture) notices(a *account) []noticeJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/me/notices", token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[noticeJSON]](f.t, r).Items
}

func kinds(ns []noticeJSON) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

type queueJSON struct {
	TargetType string `json:"target_type"`
	TargetID   string `json:"target_id"`
	StoryID    string `json:"story_id"`
	Circle     string
	Author     struct{ Handle string }
	Excerpt    string
	Flags      []struct {
		Reason, Note string
		Notes        []string
		Count        int
		System       bool
	}
	Priority       string
	Status         string
	AcknowledgedBy *string `json:"acknowledged_by"`
}

func (f *forumFixture) queue() []queueJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/moderation/queue", token: f.moderator.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[queueJSON]](f.t, r).Items
}

func (f *forumFixture) flag(a *account, targetType, id, reason, note string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/flags", token: a.Access,
		body: map[string]string{"target_type": targetType, "target_id": id, "reason": reason, "note": note}})
}

func (f *forumFixture) act(targetType, id, action, reason string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/moderation/items/" + targetType + "/" + id + "/actions", token: f.moderator.Access,
		body: map[string]string{"action": action, "reason": reason}})
}

// TestThreeFlagsHideOnceThenRestore: three members flag a story at once;
// it is hidden exactly once, its author told once; a moderator reads the
// item (no reporter named) and restores it; reporters hear the outcome.
func TestThreeFlagsHideOnceThenRestore(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Flag me")
		var reporters []*account
		for range 4 {
			a := f.register(uniqueHandle("reporter"))
			expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
			reporters = append(reporters, a)
		}
		var wg sync.WaitGroup
		for i, a := range reporters[:3] {
			wg.Go(func() {
				if r := f.flag(a, "story", s.ID, "harassment", fmt.Sprintf("note %d from a reporter", i)); r.Status != http.StatusCreated {
					t.Errorf("flag: %d %s", r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		expect(t, f.flag(reporters[0], "story", s.ID, "spam", ""), http.StatusConflict, "already_flagged")
		expect(t, f.flag(reporters[3], "story", s.ID, "spam", ""), http.StatusCreated, "")

		other := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access}))
		if other.Status != "hidden" || other.Body != nil || other.Author != nil {
			t.Errorf("others see %+v", other)
		}
		own := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.author.Access}))
		if own.Status != "hidden" || own.Body == nil {
			t.Errorf("the author sees %+v", own)
		}
		if got := kinds(f.notices(f.author)); len(got) != 1 || got[0] != "hidden" {
			t.Errorf("author notices %v, want one hidden", got)
		}

		q := f.do(req{method: "GET", path: "/moderation/queue", token: f.moderator.Access})
		for _, a := range reporters {
			if bytes.Contains(q.Body, []byte(a.Handle)) {
				t.Error("the queue names a reporter")
			}
		}
		items := decode[pageJSON[queueJSON]](t, q).Items
		if len(items) != 1 || items[0].TargetID != s.ID || items[0].StoryID != s.ID || items[0].Priority != "harassment" ||
			items[0].Author.Handle != f.author.Handle || !strings.Contains(items[0].Excerpt, "The body of Flag me") {
			t.Fatalf("queue %+v", items)
		}
		// Flags come counted by reason, with their notes.
		fl := items[0].Flags
		if len(fl) != 2 || fl[0].Reason != "harassment" || fl[0].Count != 3 || len(fl[0].Notes) != 3 || fl[0].Note != fl[0].Notes[0] ||
			!strings.HasPrefix(fl[0].Note, "note ") || fl[1].Reason != "spam" || fl[1].Count != 1 || len(fl[1].Notes) != 0 {
			t.Fatalf("flags %+v", fl)
		}

		expect(t, f.act("story", s.ID, "restore", ""), http.StatusBadRequest, "invalid_reason")
		expect(t, f.act("story", s.ID, "shrug", "why not"), http.StatusBadRequest, "invalid_action")
		r := f.act("story", s.ID, "restore", "This is someone describing their own experience.")
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "published" {
			t.Errorf("restore answered %s", r.Body)
		}
		if len(f.queue()) != 0 {
			t.Error("the item is still open after an action")
		}
		restored := f.notices(f.author)
		if got := kinds(restored); len(got) != 2 || got[0] != "restored" {
			t.Errorf("author notices %v", got)
		}
		if m := restored[0].Message; !strings.Contains(m, "the moderation team") || strings.Contains(m, f.moderator.Handle) {
			t.Errorf("notice %q is not signed by the team, or names the moderator", m)
		}
		for _, a := range reporters {
			ns := f.notices(a)
			if len(ns) != 1 || ns[0].Kind != "flag_outcome" || strings.Contains(ns[0].Message, "someone describing") {
				t.Errorf("reporter notices %+v", ns)
			}
		}
		// A new flag opens a new item.
		expect(t, f.flag(reporters[0], "story", s.ID, "spam", ""), http.StatusCreated, "")
		if len(f.queue()) != 1 {
			t.Error("a flag after the decision opened no item")
		}

		log := decode[pageJSON[struct{ Actor, Action, Target, Reason string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.admin.Access}))
		if len(log.Items) < 2 || log.Items[0].Actor != f.moderator.Handle || log.Items[0].Action != "restore" ||
			log.Items[0].Target != "story:"+s.ID || log.Items[0].Reason != "This is someone describing their own experience." ||
			log.Items[1].Actor != "system" || log.Items[1].Action != "hide_by_flags" || log.Items[1].Target != "story:"+s.ID {
			t.Errorf("log %+v", log.Items)
		}

		// A reply a moderator removes leaves its story's count, and comes
		// back to it when restored; a removed story loses its pin.
		rp := f.reply(f.member, s.ID, "", "A reply")
		count := func() int {
			return decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})).ReplyCount
		}
		expect(t, f.act("reply", rp.ID, "remove", "Off topic."), http.StatusOK, "")
		if n := count(); n != 0 {
			t.Errorf("reply_count after removal %d", n)
		}
		expect(t, f.act("reply", rp.ID, "restore", "On reflection it belongs."), http.StatusOK, "")
		if n := count(); n != 1 {
			t.Errorf("reply_count after restore %d", n)
		}
		expect(t, f.do(req{method: "PUT", path: "/stories/" + s.ID + "/pin", token: f.facilitator.Access}), http.StatusNoContent, "")
		expect(t, f.act("story", s.ID, "remove", "Breaks the circle's rules."), http.StatusOK, "")
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.moderator.Access})); got.Pinned || got.Body == nil {
			t.Errorf("removed story as moderators see it: %+v", got)
		}
	})
}

// TestFlagRules: reasons, notes, targets one cannot read.
func TestFlagRules(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A story")
		hidden := f.story(f.author, "hidden", "Private")
		expect(t, f.flag(f.member, "story", s.ID, "rude", ""), http.StatusBadRequest, "invalid_reason")
		expect(t, f.flag(f.member, "poem", s.ID, "spam", ""), http.StatusBadRequest, "invalid_target_type")
		expect(t, f.flag(f.member, "story", s.ID, "spam", strings.Repeat("n", 1001)), http.StatusBadRequest, "invalid_note")
		expect(t, f.flag(f.member, "story", "nothing-here", "spam", ""), http.StatusNotFound, "not_found")
		expect(t, f.flag(f.outsider, "story", hidden.ID, "spam", ""), http.StatusNotFound, "not_found")
		expect(t, f.flag(f.author, "story", s.ID, "spam", ""), http.StatusBadRequest, "own_writing")
		expect(t, f.do(req{method: "POST", path: "/flags", token: f.member.Access, body: map[string]string{"target_type": "story", "target_id": s.ID, "reason": "spam", "reporter": "x"}}), http.StatusBadRequest, "unknown_field")
		if len(f.queue()) != 0 {
			t.Error("refused flags reached the queue")
		}
	})
}

// TestCrisisCare: writing that reads as a crisis is published, answered
// with resources, and put at the head of the queue by the system; a
// member's crisis flag reaches moderators and nobody else.
func TestCrisisCare(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		older := f.story(f.author, "open", "Older, ordinary")
		expect(t, f.flag(f.member, "story", older.ID, "other", ""), http.StatusCreated, "")
		priv := f.story(f.author, "open", "Names a neighbour")
		expect(t, f.flag(f.member, "story", priv.ID, "privacy", ""), http.StatusCreated, "")

		r := f.do(req{method: "POST", path: "/circles/open/stories", token: f.member.Access,
			body: map[string]string{"title": "Tonight", "body": "Some nights I want to END MY LIFE, and I don't know who to tell."}})
		expect(t, r, http.StatusCreated, "")
		s := decode[struct {
			storyJSON
			Crisis *struct {
				Message   string
				Resources []struct{ Name, Contact string }
			} `json:"crisis_resources"`
		}](t, r)
		if s.Status != "published" || s.Crisis == nil || s.Crisis.Message == "" {
			t.Fatalf("crisis story answered %s", r.Body)
		}
		all := fmt.Sprint(s.Crisis.Resources)
		for _, want := range []string{"findahelpline.com", "emergency", f.facilitator.Handle} {
			if !strings.Contains(all, want) {
				t.Errorf("crisis resources lack %q: %s", want, all)
			}
		}
		// The next reply is ordinary: no resources.
		rp := f.do(req{method: "POST", path: "/stories/" + older.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "Thinking of you."}})
		if bytes.Contains(rp.Body, []byte("crisis_resources")) {
			t.Error("an ordinary reply got crisis resources")
		}
		// A member flags someone else's writing as a crisis.
		worried := f.story(f.author, "open", "A hard week")
		expect(t, f.flag(f.member, "story", worried.ID, "crisis", "I am worried about them"), http.StatusCreated, "")

		q := f.queue()
		var order []string
		for _, it := range q {
			order = append(order, it.Priority+":"+it.TargetID)
		}
		want := []string{"crisis:" + s.ID, "crisis:" + worried.ID, "privacy:" + priv.ID, "normal:" + older.ID}
		if strings.Join(order, " ") != strings.Join(want, " ") {
			t.Fatalf("queue order\n got %v\nwant %v", order, want)
		}
		if !q[0].Flags[0].System || q[0].Flags[0].Reason != "crisis" {
			t.Errorf("crisis item flags %+v", q[0].Flags)
		}
		// Nothing reaches the authors because of a crisis flag.
		if ns := f.notices(f.member); len(ns) != 0 {
			t.Errorf("the crisis writer got notices %v", kinds(ns))
		}
		for _, n := range f.notices(f.author) {
			if n.TargetID == worried.ID {
				t.Errorf("the author was told of a crisis flag: %+v", n)
			}
		}
	})
}

// TestPremoderation: a newcomer's writing in a pre-moderated circle waits
// until three pieces of it have been published; approval publishes.
func TestPremoderation(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		expect(t, f.do(req{method: "PATCH", path: "/circles/open", token: f.admin.Access, body: map[string]bool{"premoderation": true}}), http.StatusOK, "")
		host := f.story(f.facilitator, "open", "Facilitators are not held")
		if host.Status != "published" {
			t.Fatalf("facilitator's story is %s", host.Status)
		}
		newcomer := f.register(uniqueHandle("newcomer"))
		expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: newcomer.Access}), http.StatusNoContent, "")
		first := f.story(newcomer, "open", "My first")
		r1 := f.reply(newcomer, host.ID, "", "second")
		r2 := f.reply(newcomer, host.ID, "", "third")
		fourth := f.story(newcomer, "open", "My fourth")
		// Held writing is not yet published: the fourth waits too.
		if first.Status != "pending" || r1.Status != "pending" || r2.Status != "pending" || fourth.Status != "pending" {
			t.Fatalf("statuses %s %s %s %s", first.Status, r1.Status, r2.Status, fourth.Status)
		}
		expect(t, f.do(req{method: "GET", path: "/stories/" + first.ID, token: f.member.Access}), http.StatusNotFound, "not_found")
		expect(t, f.do(req{method: "GET", path: "/stories/" + first.ID, token: newcomer.Access}), http.StatusOK, "")
		expect(t, f.do(req{method: "GET", path: "/stories/" + first.ID, token: f.moderator.Access}), http.StatusOK, "")
		page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + host.ID + "/replies", token: f.member.Access}))
		if len(page.Items) != 0 {
			t.Errorf("others see pending replies: %+v", page.Items)
		}
		if got := kinds(f.notices(newcomer)); len(got) != 4 || got[0] != "held" {
			t.Errorf("newcomer notices %v", got)
		}
		if len(f.queue()) != 4 {
			t.Fatalf("queue holds %d items, want 4", len(f.queue()))
		}
		expect(t, f.act("story", first.ID, "dismiss", "Nothing to see."), http.StatusConflict, "still_pending")
		// reply_count counts what every reader finds in the thread, so it
		// never tells others that a reply waits for review.
		replyCount := func(want int, when string) {
			t.Helper()
			if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + host.ID, token: f.member.Access})).ReplyCount; got != want {
				t.Errorf("reply_count %d %s, want %d", got, when, want)
			}
		}
		replyCount(0, "with two replies pending")
		// A newcomer's writing that reads as a crisis is never held back.
		other := f.register(uniqueHandle("newcomer"))
		expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: other.Access}), http.StatusNoContent, "")
		if r := f.reply(other, host.ID, "", "Tonight I want to end my life."); r.Status != "published" {
			t.Errorf("crisis reply from a newcomer is %s", r.Status)
		}
		replyCount(1, "with one reply published and two pending")
		withdrawn := f.reply(other, host.ID, "", "Sorry, wrong thread.")
		if withdrawn.Status != "pending" {
			t.Fatalf("a newcomer's second reply is %s", withdrawn.Status)
		}
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + withdrawn.ID, token: other.Access}), http.StatusNoContent, "")
		replyCount(1, "after its author deleted a pending reply")
		expect(t, f.act("reply", r1.ID, "approve", "Thank you for this."), http.StatusOK, "")
		replyCount(2, "after a pending reply was approved")
		expect(t, f.act("reply", r2.ID, "remove", "Not for this circle."), http.StatusOK, "")
		replyCount(2, "after a pending reply was removed")
		expect(t, f.act("story", first.ID, "approve", "Welcome to the circle."), http.StatusOK, "")
		expect(t, f.do(req{method: "GET", path: "/stories/" + first.ID, token: f.member.Access}), http.StatusOK, "")
		// The crisis reply above reaches the newcomer, who follows the
		// story, at this first look since: newest, above the approval.
		if got := kinds(f.notices(newcomer)); len(got) < 2 || got[0] != "reply" || got[1] != "approved" {
			t.Errorf("newcomer notices after approval %v", got)
		}
		// Two published (the removed one does not count): still held.
		if st := f.story(newcomer, "open", "Still new").Status; st != "pending" {
			t.Errorf("with two published, new writing is %s, want pending", st)
		}
		expect(t, f.act("story", fourth.ID, "approve", "Welcome."), http.StatusOK, "")
		if st := f.story(newcomer, "open", "Past the first three").Status; st != "published" {
			t.Errorf("with three published, new writing is %s, want published", st)
		}
		// A story's author hears of published replies to it.
		f.reply(f.facilitator, fourth.ID, "", "Welcome!")
		if got := kinds(f.notices(newcomer)); got[0] != "reply" {
			t.Errorf("no reply notice: %v", got)
		}
	})
}

// TestModeratorsReadPrivateWritingOnlyInTheQueue: a moderator outside a
// private circle reads a thread there only while writing in it waits in the
// queue, and may still act on any writing there.
func TestModeratorsReadPrivateWritingOnlyInTheQueue(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "hidden", "Kept in the circle")
		r := f.reply(f.member, s.ID, "", "You are not alone.")
		read := func(want int, when string) {
			t.Helper()
			for _, path := range []string{"/stories/" + s.ID, "/stories/" + s.ID + "/replies"} {
				if got := f.do(req{method: "GET", path: path, token: f.moderator.Access}); got.Status != want {
					t.Errorf("GET %s by a moderator %s: %d, want %d", path, when, got.Status, want)
				}
			}
		}
		read(http.StatusNotFound, "before anything was flagged")
		expect(t, f.do(req{method: "GET", path: "/circles/hidden/stories", token: f.moderator.Access}), http.StatusForbidden, "members_only")
		expect(t, f.do(req{method: "GET", path: "/circles/hidden", token: f.moderator.Access}), http.StatusOK, "")

		expect(t, f.flag(f.author, "reply", r.ID, "privacy", ""), http.StatusCreated, "")
		read(http.StatusOK, "while a reply waits in the queue")
		replies := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.moderator.Access}))
		if len(replies.Items) != 1 || replies.Items[0].Body == nil || *replies.Items[0].Body != "You are not alone." {
			t.Errorf("the flagged thread as its moderator reads it: %+v", replies.Items)
		}
		expect(t, f.act("reply", r.ID, "dismiss", "Nothing here identifies anyone."), http.StatusOK, "")
		read(http.StatusNotFound, "once the queue item was closed")

		// Acting needs no reading: a removal can still be undone.
		expect(t, f.act("story", s.ID, "remove", "Testing the undo."), http.StatusOK, "")
		expect(t, f.act("story", s.ID, "restore", "Undone."), http.StatusOK, "")
		read(http.StatusNotFound, "after acting on a story that was not in the queue")
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.Status != "published" {
			t.Errorf("the story after remove and restore is %s", got.Status)
		}
	})
}

// TestSuspensionRunsOut: a suspension counts until its time is up, by the
// clock, with no one lifting it: the same session then writes again.
func TestSuspensionRunsOut(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		until := time.Now().Add(48 * time.Hour)
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.member.Handle + "/actions", token: f.moderator.Access,
			body: map[string]any{"action": "suspend", "reason": "A break.", "until": until.Format(time.RFC3339)}}), http.StatusOK, "")
		back := f.fresh(f.member)
		write := req{method: "POST", path: "/circles/open/stories", token: back.Access, body: map[string]string{"title": "Back", "body": "I am back."}}
		expect(t, f.do(write), http.StatusForbidden, "suspended")
		ended := time.Now().UTC().Add(-time.Minute)
		if err := f.storeDB(t).Exec("UPDATE members SET suspended_until = ? WHERE id = ?", ended, f.member.ID).Error; err != nil {
			t.Fatal(err)
		}
		expect(t, f.do(write), http.StatusCreated, "")
		expect(t, f.do(req{method: "POST", path: "/circles/other/join", token: back.Access}), http.StatusNoContent, "")
	})
}

// TestMemberActions: warn, suspend (sessions die; reading goes on, writing
// answers 403 suspended), unsuspend, ban (sign-in answers 403 banned).
func TestMemberActions(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		act := func(who *account, handle, action, reason string, until *time.Time) *response {
			body := map[string]any{"action": action, "reason": reason}
			if until != nil {
				body["until"] = until.Format(time.RFC3339)
			}
			return f.do(req{method: "POST", path: "/moderation/members/" + handle + "/actions", token: who.Access, body: body})
		}
		s := f.story(f.author, "open", "Before")
		expect(t, act(f.moderator, f.member.Handle, "warn", "Please keep replies kind.", nil), http.StatusOK, "")
		if ns := f.notices(f.member); len(ns) != 1 || ns[0].Kind != "warned" || !strings.Contains(ns[0].Message, "Please keep replies kind.") {
			t.Errorf("warn notice %+v", ns)
		}

		past := time.Now().Add(-time.Hour)
		expect(t, act(f.moderator, f.member.Handle, "suspend", "A break.", &past), http.StatusBadRequest, "invalid_until")
		expect(t, act(f.moderator, f.member.Handle, "suspend", "A break.", nil), http.StatusBadRequest, "invalid_until")
		until := time.Now().Add(48 * time.Hour)
		r := act(f.moderator, f.member.Handle, "suspend", "A break to cool down.", &until)
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "suspended" {
			t.Errorf("suspend answered %s", r.Body)
		}
		expect(t, f.do(req{method: "GET", path: "/me", token: f.member.Access}), http.StatusUnauthorized, "unauthenticated")
		back := f.fresh(f.member)
		expect(t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: back.Access}), http.StatusOK, "")
		for _, w := range []req{
			{method: "POST", path: "/circles/open/stories", body: map[string]string{"title": "t", "body": "b"}},
			{method: "POST", path: "/stories/" + s.ID + "/replies", body: map[string]string{"body": "b"}},
			{method: "PUT", path: "/stories/" + s.ID + "/support"},
			{method: "POST", path: "/flags", body: map[string]string{"target_type": "story", "target_id": s.ID, "reason": "spam"}},
		} {
			w.token = back.Access
			expect(t, f.do(w), http.StatusForbidden, "suspended")
		}
		expect(t, f.do(req{method: "POST", path: "/circles/other/join", token: back.Access}), http.StatusForbidden, "suspended")
		expect(t, act(f.moderator, f.member.Handle, "unsuspend", "Welcome back.", nil), http.StatusOK, "")
		expect(t, act(f.moderator, f.member.Handle, "unsuspend", "Again?", nil), http.StatusConflict, "not_suspended")
		expect(t, f.do(req{method: "PUT", path: "/stories/" + s.ID + "/support", token: back.Access}), http.StatusNoContent, "")

		// Nobody acts on an admin or on themselves; moderators not on moderators.
		expect(t, act(f.moderator, f.admin.Handle, "warn", "x", nil), http.StatusForbidden, "forbidden")
		expect(t, act(f.moderator, f.moderator.Handle, "warn", "x", nil), http.StatusForbidden, "forbidden")
		other := f.withRole(f.register(uniqueHandle("mod")), "moderator")
		expect(t, act(f.moderator, other.Handle, "warn", "x", nil), http.StatusForbidden, "forbidden")
		expect(t, act(f.admin, other.Handle, "warn", "A word between colleagues.", nil), http.StatusOK, "")
		expect(t, act(f.moderator, "nobody-here", "warn", "x", nil), http.StatusNotFound, "member_not_found")

		expect(t, act(f.admin, f.author.Handle, "ban", "Repeated harassment after warnings.", nil), http.StatusOK, "")
		expect(t, f.do(req{method: "GET", path: "/me", token: f.author.Access}), http.StatusUnauthorized, "unauthenticated")
		expect(t, f.login(f.author.Handle, f.author.Password), http.StatusForbidden, "banned")
		expect(t, act(f.admin, f.author.Handle, "unsuspend", "Undo?", nil), http.StatusConflict, "banned")

		// Role changes are the admins' and are logged.
		expect(t, f.do(req{method: "PUT", path: "/admin/members/" + f.outsider.Handle + "/role", token: f.admin.Access, body: map[string]string{"role": "boss"}}), http.StatusBadRequest, "invalid_role")
		expect(t, f.do(req{method: "PUT", path: "/admin/members/" + f.outsider.Handle + "/role", token: f.admin.Access, body: map[string]string{"role": "moderator"}}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "GET", path: "/moderation/queue", token: f.outsider.Access}), http.StatusOK, "")
		log := decode[pageJSON[struct{ Actor, Action, Target string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access}))
		var lines []string
		for _, l := range log.Items {
			lines = append(lines, l.Actor+" "+l.Action+" "+l.Target)
		}
		want := []string{
			f.admin.Handle + " set_role member:" + f.outsider.Handle,
			f.admin.Handle + " ban member:" + f.author.Handle,
			f.admin.Handle + " warn member:" + other.Handle,
			f.moderator.Handle + " unsuspend member:" + f.member.Handle,
			f.moderator.Handle + " suspend member:" + f.member.Handle,
			f.moderator.Handle + " warn member:" + f.member.Handle,
		}
		if got := strings.Join(lines[:len(want)], "\n"); got != strings.Join(want, "\n") {
			t.Errorf("log\n%s\nwant\n%s", got, strings.Join(want, "\n"))
		}
	})
}

// TestFlagNoteSealed: a flag note and a moderator's reason are never in
// SQLite's files in clear.
func TestFlagNoteSealed(t *testing.T) {
	t.Parallel()
	f := newForum(t, store.SQLite)
	s := f.story(f.author, "open", "A story")
	canary := "canary-" + uniqueHandle("note") + "-quiet-harbour"
	expect(t, f.flag(f.member, "story", s.ID, "other", "Note "+canary), http.StatusCreated, "")
	expect(t, f.act("story", s.ID, "dismiss", "Reason "+canary), http.StatusOK, "")
	raw := rawStore(t, filepath.Dir(f.storePath))
	if !bytes.Contains(raw, []byte(f.member.Handle)) {
		t.Fatal("the reporter's handle is not in the raw bytes: the scan could not find anything")
	}
	if bytes.Contains(raw, []byte(canary)) {
		t.Fatal("a flag note or moderation reason is stored in clear")
	}
}

// TestFlagNoteInExport: a reporter's export gives back their flag with its
// note, opened, and says it is closed once a moderator has acted.
func TestFlagNoteInExport(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A story")
		expect(t, f.flag(f.member, "story", s.ID, "other", "A note for the team"), http.StatusCreated, "")
		type flag struct{ TargetID, Note, Status string }
		flags := func() []flag {
			t.Helper()
			e := f.do(req{method: "GET", path: "/me/export", token: f.member.Access})
			expect(t, e, http.StatusOK, "")
			var got struct {
				Flags []struct {
					TargetID     string `json:"target_id"`
					Note, Status string
				}
			}
			if err := json.Unmarshal(e.Body, &got); err != nil {
				t.Fatal(err)
			}
			var out []flag
			for _, fl := range got.Flags {
				out = append(out, flag{fl.TargetID, fl.Note, fl.Status})
			}
			return out
		}
		if got, want := flags(), []flag{{s.ID, "A note for the team", "open"}}; !slices.Equal(got, want) {
			t.Errorf("export flags %+v, want %+v", got, want)
		}
		expect(t, f.act("story", s.ID, "dismiss", "Someone describing their own week"), http.StatusOK, "")
		if got, want := flags(), []flag{{s.ID, "A note for the team", "closed"}}; !slices.Equal(got, want) {
			t.Errorf("export flags after the action %+v, want %+v", got, want)
		}
	})
}

// TestQueueShowsEachKindOfWriting: a flagged story and a flagged reply
// each bring their own writing into the queue: the story its title and
// body, the reply its body and the story it answers.
func TestQueueShowsEachKindOfWriting(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Morning walks")
		rp := f.reply(f.member, s.ID, "", "The river path helped me too.")
		expect(t, f.flag(f.member, "story", s.ID, "crisis", ""), http.StatusCreated, "")
		expect(t, f.flag(f.author, "reply", rp.ID, "spam", "Looks like an advert."), http.StatusCreated, "")
		items := f.queue()
		if len(items) != 2 {
			t.Fatalf("queue %+v, want the story and the reply", items)
		}
		story, reply := items[0], items[1] // crisis comes first
		if story.TargetType != "story" || story.TargetID != s.ID || story.StoryID != s.ID || story.Circle != "open" ||
			story.Author.Handle != f.author.Handle || story.Excerpt != "Morning walks\n\nThe body of Morning walks" ||
			story.Status != "published" || story.Priority != "crisis" {
			t.Errorf("story item %+v", story)
		}
		if reply.TargetType != "reply" || reply.TargetID != rp.ID || reply.StoryID != s.ID || reply.Circle != "open" ||
			reply.Author.Handle != f.member.Handle || reply.Excerpt != "The river path helped me too." ||
			reply.Status != "published" || reply.Priority != "normal" ||
			len(reply.Flags) != 1 || reply.Flags[0].Reason != "spam" || reply.Flags[0].Note != "Looks like an advert." || reply.Flags[0].System {
			t.Errorf("reply item %+v", reply)
		}
	})
}

// TestDeletedWritingStaysDeleted: writing its author deletes leaves the
// queue, and no later moderator action brings it back or moves a count.
func TestDeletedWritingStaysDeleted(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.member, "open", "A story")
		rp := f.reply(f.author, s.ID, "", "Soon deleted")
		expect(t, f.flag(f.member, "reply", rp.ID, "spam", ""), http.StatusCreated, "")
		if len(f.queue()) != 1 {
			t.Fatal("the flag made no queue item")
		}
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + rp.ID, token: f.author.Access}), http.StatusNoContent, "")
		if q := f.queue(); len(q) != 0 {
			t.Errorf("deleted writing is still in the queue: %+v", q)
		}
		for _, action := range []string{"hide", "dismiss", "approve", "restore"} {
			r := f.act("reply", rp.ID, action, "Looking at it.")
			if r.Status != http.StatusOK && r.Status != http.StatusConflict {
				t.Errorf("%s on deleted writing: %d %s", action, r.Status, r.Body)
			}
		}
		page := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.moderator.Access}))
		if len(page.Items) != 1 || page.Items[0].Status != "removed" || page.Items[0].Body != nil {
			t.Errorf("deleted reply after moderator actions: %+v", page.Items)
		}
		if got := decode[storyJSON](t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access})); got.ReplyCount != 0 {
			t.Errorf("reply_count %d after delete and actions, want 0", got.ReplyCount)
		}
	})
}

// TestSuspendedCannotJoinOrModerate: a suspended member cannot slip into a
// private circle with an invite, and a suspended moderator cannot act.
func TestSuspendedCannotJoinOrModerate(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		until := time.Now().Add(time.Hour).Format(time.RFC3339)
		code := f.invite("hidden", 5)
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.outsider.Handle + "/actions", token: f.admin.Access,
			body: map[string]string{"action": "suspend", "reason": "A pause.", "until": until}}), http.StatusOK, "")
		out := f.fresh(f.outsider)
		expect(t, f.do(req{method: "POST", path: "/circles/hidden/join", token: out.Access, body: map[string]string{"invite_code": code}}), http.StatusForbidden, "suspended")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.moderator.Handle + "/actions", token: f.admin.Access,
			body: map[string]string{"action": "suspend", "reason": "A pause.", "until": until}}), http.StatusOK, "")
		mod := f.fresh(f.moderator)
		s := f.story(f.author, "open", "A story")
		expect(t, f.do(req{method: "GET", path: "/moderation/queue", token: mod.Access}), http.StatusOK, "")
		r := f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/actions", token: mod.Access, body: map[string]string{"action": "hide", "reason": "x"}})
		expect(t, r, http.StatusForbidden, "suspended")
	})
}

// TestJoinTwiceAtOnce counts a member once however many joins race.
func TestJoinTwiceAtOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if r := f.do(req{method: "POST", path: "/circles/other/join", token: f.outsider.Access}); r.Status != http.StatusNoContent {
					t.Errorf("join: %d %s", r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		if c := f.do(req{method: "GET", path: "/circles/other", token: f.outsider.Access}).JSON(t); c["member_count"] != float64(2) {
			t.Errorf("member_count %v, want 2 (its facilitator and the one who joined)", c["member_count"])
		}
	})
}

// TestEditThatReadsAsCrisis: an edit is cared for as new writing is.
func TestEditThatReadsAsCrisis(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "An ordinary day")
		r := f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"body": "Actually, I want to kill myself."}})
		expect(t, r, http.StatusOK, "")
		if !bytes.Contains(r.Body, []byte("crisis_resources")) || !bytes.Contains(r.Body, []byte("Circle open")) {
			t.Errorf("the edit got no crisis resources: %s", r.Body)
		}
		if q := f.queue(); len(q) != 1 || q[0].Priority != "crisis" || q[0].TargetID != s.ID {
			t.Errorf("queue after the edit: %+v", q)
		}
	})
}

// TestRemovedWritingDoesNotEndPremoderation: three held posts that a
// moderator removed do not let the fourth through.
func TestRemovedWritingDoesNotEndPremoderation(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		expect(t, f.do(req{method: "PATCH", path: "/circles/open", token: f.admin.Access, body: map[string]bool{"premoderation": true}}), http.StatusOK, "")
		spammer := f.register(uniqueHandle("spammer"))
		expect(t, f.do(req{method: "POST", path: "/circles/open/join", token: spammer.Access}), http.StatusNoContent, "")
		for i := range 3 {
			s := f.story(spammer, "open", fmt.Sprintf("Buy now %d", i))
			if s.Status != "pending" {
				t.Fatalf("held post %d is %s", i, s.Status)
			}
			expect(t, f.act("story", s.ID, "remove", "Spam."), http.StatusOK, "")
		}
		if s := f.story(spammer, "open", "Buy now, really"); s.Status != "pending" {
			t.Errorf("after three removed posts the fourth is %s, want pending", s.Status)
		}
	})
}

package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/internal/config"
	"hearth/internal/kernel"
	"hearth/internal/store/storetest"
)

type mentorJSON struct {
	Handle      string
	Intro       *string
	Status      string
	Since       string
	Accepting   bool
	Mentorships *int
	EndedEarly  *int `json:"ended_early"`
	Flagged     *int
}

type mentorshipJSON struct {
	ID, Circle, Status, Role string
	Mentor, Mentee           struct{ Handle string }
	CrisisResources          *struct{ Message string } `json:"crisis_resources"`
}

type messageJSON struct {
	ID              string
	Author          *struct{ Handle string }
	Body            *string
	Status          string
	CrisisResources *struct{ Message string } `json:"crisis_resources"`
	Identifying     []struct{ Kind string }
}

// seasoned gives a three published stories in circle slug: enough to
// offer to mentor there.
func (f *forumFixture) seasoned(a *account, slug string) {
	f.t.Helper()
	for i := range 3 {
		f.story(a, slug, fmt.Sprintf("Step %d", i+1))
	}
}

// offer puts a's offer to mentor in slug.
func (f *forumFixture) offer(a *account, slug, intro string, maxMentees int) *response {
	f.t.Helper()
	return f.do(req{method: "PUT", path: "/circles/" + slug + "/mentors/me", token: a.Access, body: map[string]any{"intro": intro, "max_mentees": maxMentees}})
}

// mentor makes a an approved mentor of slug, approved by its facilitator.
func (f *forumFixture) mentor(a *account, slug string, maxMentees int) {
	f.t.Helper()
	f.seasoned(a, slug)
	expect(f.t, f.offer(a, slug, "I have walked this road for years.", maxMentees), http.StatusCreated, "")
	expect(f.t, f.do(req{method: "POST", path: "/circles/" + slug + "/mentors/" + a.Handle + "/approve", token: f.facilitator.Access}), http.StatusNoContent, "")
}

func (f *forumFixture) mentors(a *account, slug, query string) []mentorJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/circles/" + slug + "/mentors" + query, token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[mentorJSON]](f.t, r).Items
}

func (f *forumFixture) ask(a *account, slug, mentor, message string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/mentorships", token: a.Access, body: map[string]string{"circle": slug, "mentor": mentor, "message": message}})
}

// asked asks mentor as a and returns the request.
func (f *forumFixture) asked(a *account, slug, mentor string) mentorshipJSON {
	f.t.Helper()
	r := f.ask(a, slug, mentor, "Hello, I am new here and a bit lost.")
	expect(f.t, r, http.StatusCreated, "")
	return decode[mentorshipJSON](f.t, r)
}

func (f *forumFixture) answer(a *account, id, verb string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/mentorships/" + id + "/" + verb, token: a.Access})
}

func (f *forumFixture) say(a *account, id, body string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/mentorships/" + id + "/messages", token: a.Access, body: map[string]string{"body": body}})
}

func (f *forumFixture) conversation(a *account, id, query string) pageJSON[messageJSON] {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/mentorships/" + id + "/messages" + query, token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[messageJSON]](f.t, r)
}

func (f *forumFixture) mentorships(a *account, query string) []mentorshipJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/mentorships" + query, token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[mentorshipJSON]](f.t, r).Items
}

// TestMentorOffers: the bar to offer, approval by a facilitator of the
// circle (never one's own), what members and facilitators see, and a
// changed intro going back to pending.
func TestMentorOffers(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		expect(t, f.offer(f.author, "open", "I can listen.", 2), http.StatusForbidden, "not_eligible")
		expect(t, f.offer(f.outsider, "open", "I can listen.", 2), http.StatusForbidden, "not_circle_member")
		expect(t, f.offer(f.outsider, "hidden", "I can listen.", 2), http.StatusNotFound, "not_found")
		f.seasoned(f.author, "open")
		expect(t, f.offer(f.author, "open", "I can listen.", 6), http.StatusBadRequest, "invalid_max_mentees")
		expect(t, f.offer(f.author, "open", "", 2), http.StatusBadRequest, "invalid_intro")
		r := f.offer(f.author, "open", "I can listen.", 3)
		expect(t, r, http.StatusCreated, "")
		if got := r.JSON(t); got["status"] != "pending" || got["intro"] != "I can listen." || got["max_mentees"] != 3.0 || got["active_mentees"] != 0.0 {
			t.Fatalf("offer %v", got)
		}
		if got := f.mentors(f.member, "open", ""); len(got) != 0 {
			t.Fatalf("a pending mentor is listed: %+v", got)
		}
		expect(t, f.do(req{method: "GET", path: "/circles/open/mentors?status=pending", token: f.member.Access}), http.StatusForbidden, "not_facilitator")
		if got := f.mentors(f.facilitator, "open", "?status=pending"); len(got) != 1 || got[0].Handle != f.author.Handle {
			t.Fatalf("pending %+v", got)
		}
		approve := "/circles/open/mentors/" + f.author.Handle + "/approve"
		expect(t, f.do(req{method: "POST", path: approve, token: f.member.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "POST", path: approve, token: f.otherFacilitator.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "POST", path: approve, token: f.facilitator.Access}), http.StatusNoContent, "")
		got := f.mentors(f.member, "open", "")
		if len(got) != 1 || !got[0].Accepting || *got[0].Intro != "I can listen." || got[0].Mentorships != nil {
			t.Fatalf("member sees %+v", got)
		}
		if got := f.mentors(f.facilitator, "open", ""); len(got) != 1 || got[0].Mentorships == nil || *got[0].Mentorships != 0 || got[0].Flagged == nil {
			t.Fatalf("facilitator sees %+v", got)
		}
		// The same intro again stays approved; a new one waits again.
		r = f.offer(f.author, "open", "I can listen.", 2)
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "approved" {
			t.Fatalf("unchanged intro: %s", r.Body)
		}
		r = f.offer(f.author, "open", "I can listen, any evening.", 2)
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "pending" {
			t.Fatalf("changed intro: %s", r.Body)
		}
		if got := f.mentors(f.member, "open", ""); len(got) != 0 {
			t.Fatalf("a changed offer stays listed: %+v", got)
		}
		// A facilitator's own offer: another facilitator or an admin.
		f.seasoned(f.facilitator, "open")
		expect(t, f.offer(f.facilitator, "open", "Ask me anything.", 1), http.StatusCreated, "")
		own := "/circles/open/mentors/" + f.facilitator.Handle + "/approve"
		// Each sees the pending offers they may decide on: the facilitator
		// every one but their own, an admin the facilitator's.
		if got := f.mentors(f.facilitator, "open", "?status=pending"); len(got) != 1 || got[0].Handle != f.author.Handle {
			t.Fatalf("the facilitator's pending list %+v, want the author's offer only", got)
		}
		if got := f.mentors(f.admin, "open", "?status=pending"); len(got) != 1 || got[0].Handle != f.facilitator.Handle ||
			got[0].Status != "pending" || got[0].Mentorships == nil || *got[0].Mentorships != 0 || got[0].EndedEarly == nil || got[0].Flagged == nil {
			t.Fatalf("the admin's pending list %+v, want the facilitator's offer with its counts", got)
		}
		expect(t, f.do(req{method: "GET", path: "/circles/open/mentors?status=pending", token: f.moderator.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "POST", path: own, token: f.facilitator.Access}), http.StatusForbidden, "own_offer")
		expect(t, f.do(req{method: "POST", path: approve, token: f.admin.Access}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "POST", path: own, token: f.admin.Access}), http.StatusNoContent, "")
		// Stopping takes the mentor off the list.
		expect(t, f.do(req{method: "DELETE", path: "/circles/open/mentors/me", token: f.facilitator.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "DELETE", path: "/circles/open/mentors/me", token: f.facilitator.Access}), http.StatusNotFound, "not_found")
		if got := f.mentors(f.member, "open", ""); len(got) != 0 {
			t.Fatalf("after stopping: %+v", got)
		}
		// A warning in the last 90 days bars an offer.
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.member.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "warn", "reason": "Please be kind."}}), http.StatusOK, "")
		f.seasoned(f.member, "open")
		r = f.offer(f.member, "open", "I can listen.", 2)
		expect(t, r, http.StatusForbidden, "not_eligible")
		if r.JSON(t)["detail"] == "" {
			t.Fatal("not_eligible names no reason")
		}
		// So does writing removed by a moderator.
		other := f.joined("removed")
		f.seasoned(other, "open")
		expect(t, f.act("story", f.story(other, "open", "One more").ID, "remove", "Not for here."), http.StatusOK, "")
		expect(t, f.offer(other, "open", "I can listen.", 2), http.StatusForbidden, "not_eligible")
	})
}

// TestMentorMinDays: --mentor-min-days holds a new account back.
func TestMentorMinDays(t *testing.T) {
	t.Parallel()
	f := newForum(t, "sqlite", withConfig(func(c *config.Config) { c.MentorMinDays = 30 }))
	f.seasoned(f.author, "open")
	r := f.offer(f.author, "open", "I can listen.", 2)
	expect(t, r, http.StatusForbidden, "not_eligible")
	if d := r.JSON(t)["detail"].(string); d == "" {
		t.Fatal("no reason")
	}
}

// TestMentorshipFromRequestToEnd: asking, the answers, the conversation
// between the two only, the notices, and the errors on the way.
func TestMentorshipFromRequestToEnd(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 2)
		expect(t, f.ask(f.author, "open", f.author.Handle, "Me?"), http.StatusForbidden, "is_mentor")
		expect(t, f.ask(f.outsider, "open", f.author.Handle, "Hello"), http.StatusForbidden, "not_circle_member")
		expect(t, f.ask(f.outsider, "hidden", f.author.Handle, "Hello"), http.StatusNotFound, "not_found")
		expect(t, f.ask(f.member, "open", f.outsider.Handle, "Hello"), http.StatusNotFound, "not_found")
		expect(t, f.ask(f.member, "open", f.author.Handle, ""), http.StatusBadRequest, "invalid_message")

		m := f.asked(f.member, "open", f.author.Handle)
		if m.Status != "requested" || m.Mentor.Handle != f.author.Handle || m.Mentee.Handle != f.member.Handle || m.Circle != "open" {
			t.Fatalf("request %+v", m)
		}
		expect(t, f.ask(f.member, "open", f.author.Handle, "Again"), http.StatusConflict, "already_requested")
		if n := f.noticesOf(f.author, "mentorship_requested"); len(n) != 1 || n[0].TargetType != "mentorship" || n[0].TargetID != m.ID {
			t.Fatalf("mentor's notices %+v", n)
		}
		// The mentor reads the first message while deciding; nobody
		// else reads anything of it, moderators included.
		if c := f.conversation(f.author, m.ID, ""); len(c.Items) != 1 || *c.Items[0].Body != "Hello, I am new here and a bit lost." {
			t.Fatalf("first message %+v", c)
		}
		for _, other := range []*account{f.facilitator, f.moderator, f.admin, f.outsider} {
			expect(t, f.do(req{method: "GET", path: "/mentorships/" + m.ID + "/messages", token: other.Access}), http.StatusNotFound, "not_found")
			expect(t, f.answer(other, m.ID, "accept"), http.StatusNotFound, "not_found")
		}
		expect(t, f.say(f.member, m.ID, "Are you there?"), http.StatusConflict, "not_active")
		expect(t, f.answer(f.member, m.ID, "accept"), http.StatusForbidden, "not_mentor")
		expect(t, f.answer(f.author, m.ID, "withdraw"), http.StatusForbidden, "not_mentee")
		r := f.answer(f.author, m.ID, "accept")
		expect(t, r, http.StatusOK, "")
		if decode[mentorshipJSON](t, r).Status != "active" {
			t.Fatalf("accepted: %s", r.Body)
		}
		expect(t, f.answer(f.author, m.ID, "accept"), http.StatusConflict, "not_requested")
		if n := f.noticesOf(f.member, "mentorship_accepted"); len(n) != 1 || n[0].Actor.Handle != f.author.Handle {
			t.Fatalf("mentee's notices %+v", n)
		}

		// Two messages: one unread notice; reading marks it read.
		for _, body := range []string{"Welcome. How are you today?", "Take your time."} {
			r := f.say(f.author, m.ID, body)
			expect(t, r, http.StatusCreated, "")
			if got := decode[messageJSON](t, r); *got.Body != body || got.Author.Handle != f.author.Handle || got.Identifying == nil {
				t.Fatalf("message %s", r.Body)
			}
		}
		unread := 0
		for _, n := range f.noticesOf(f.member, "mentorship_message") {
			if n.ReadAt == nil {
				unread++
			}
		}
		if unread != 1 {
			t.Fatalf("%d unread message notices, want 1", unread)
		}
		page := f.conversation(f.member, m.ID, "?limit=2")
		if len(page.Items) != 2 || page.NextCursor == nil || *page.Items[0].Body != "Hello, I am new here and a bit lost." || *page.Items[1].Body != "Welcome. How are you today?" {
			t.Fatalf("first page %+v", page)
		}
		rest := f.conversation(f.member, m.ID, "?limit=2&cursor="+*page.NextCursor)
		if len(rest.Items) != 1 || *rest.Items[0].Body != "Take your time." || rest.NextCursor != nil {
			t.Fatalf("second page %+v", rest)
		}
		for _, n := range f.noticesOf(f.member, "mentorship_message") {
			if n.ReadAt == nil {
				t.Fatal("reading the conversation left its notice unread")
			}
		}
		expect(t, f.say(f.member, m.ID, "Thank you."), http.StatusCreated, "")
		if got := f.mentorships(f.member, "?status=active"); len(got) != 1 || got[0].Role != "mentee" {
			t.Fatalf("mentee's list %+v", got)
		}
		if got := f.mentorships(f.author, ""); len(got) != 1 || got[0].Role != "mentor" {
			t.Fatalf("mentor's list %+v", got)
		}

		// Either side ends it; both keep reading.
		r = f.do(req{method: "POST", path: "/mentorships/" + m.ID + "/end", token: f.member.Access, body: map[string]string{"reason": "I feel steadier now."}})
		expect(t, r, http.StatusOK, "")
		if decode[mentorshipJSON](t, r).Status != "ended" {
			t.Fatalf("ended: %s", r.Body)
		}
		expect(t, f.say(f.author, m.ID, "Goodbye"), http.StatusConflict, "not_active")
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + m.ID + "/end", token: f.author.Access}), http.StatusConflict, "not_active")
		if c := f.conversation(f.author, m.ID, ""); len(c.Items) != 4 {
			t.Fatalf("after the end %d messages", len(c.Items))
		}
		if n := f.noticesOf(f.author, "mentorship_ended"); len(n) != 1 {
			t.Fatalf("mentor not told of the end: %+v", n)
		}
	})
}

// TestMentorshipAnswersAndHolds: a decline holds for 30 days and tells the
// mentee kindly; one open request as mentee per circle; withdrawing; a
// stopped mentor declines what waits.
func TestMentorshipAnswersAndHolds(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 2)
		second := f.joined("second")
		f.mentor(second, "open", 2)

		m := f.asked(f.member, "open", f.author.Handle)
		expect(t, f.ask(f.member, "open", second.Handle, "Hello"), http.StatusConflict, "already_mentored")
		expect(t, f.answer(f.author, m.ID, "decline"), http.StatusOK, "")
		n := f.noticesOf(f.member, "mentorship_declined")
		if len(n) != 1 || n[0].Message == "" {
			t.Fatalf("declined notice %+v", n)
		}
		expect(t, f.ask(f.member, "open", f.author.Handle, "Please?"), http.StatusConflict, "already_requested")
		expect(t, f.say(f.member, m.ID, "Hello?"), http.StatusConflict, "not_active")

		w := f.asked(f.member, "open", second.Handle)
		expect(t, f.answer(f.member, w.ID, "withdraw"), http.StatusOK, "")
		expect(t, f.answer(second, w.ID, "accept"), http.StatusConflict, "not_requested")
		if got := f.mentorships(f.member, "?status=withdrawn"); len(got) != 1 || got[0].ID != w.ID {
			t.Fatalf("withdrawn %+v", got)
		}
		expect(t, f.do(req{method: "GET", path: "/mentorships?status=lost", token: f.member.Access}), http.StatusBadRequest, "invalid_status")

		// A mentor who stops declines the requests that wait.
		x := f.asked(f.member, "open", second.Handle)
		expect(t, f.do(req{method: "DELETE", path: "/circles/open/mentors/me", token: second.Access}), http.StatusNoContent, "")
		if got := f.mentorships(f.member, "?status=declined"); len(got) != 2 || got[0].ID != x.ID {
			t.Fatalf("declined %+v", got)
		}
		expect(t, f.ask(f.member, "open", second.Handle, "Hello"), http.StatusNotFound, "not_found")
	})
}

// TestMentorshipExpiresAfter14Days: a request nobody answered reads as
// expired and no longer stands in the way.
func TestMentorshipExpiresAfter14Days(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 1)
		m := f.asked(f.member, "open", f.author.Handle)
		ago := time.Now().UTC().Add(-15 * 24 * time.Hour)
		if err := f.storeDB(t).Exec("UPDATE mentorships SET created_at = ? WHERE id = ?", ago, m.ID).Error; err != nil {
			t.Fatal(err)
		}
		if got := f.mentorships(f.member, "?status=expired"); len(got) != 1 || got[0].Status != "expired" {
			t.Fatalf("expired %+v", got)
		}
		if got := f.mentorships(f.member, "?status=requested"); len(got) != 0 {
			t.Fatalf("still requested %+v", got)
		}
		expect(t, f.answer(f.author, m.ID, "accept"), http.StatusConflict, "not_requested")
		again := f.asked(f.member, "open", f.author.Handle)
		expect(t, f.answer(f.author, again.ID, "accept"), http.StatusOK, "")
	})
}

// TestMaxMenteesUnderConcurrency: many members ask one mentor at once,
// and the mentor accepts them all at once: never more active than
// max_mentees in the circle, and never more than five in all.
func TestMaxMenteesUnderConcurrency(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 3)
		mentees := make([]*account, 12)
		for i := range mentees {
			mentees[i] = f.joined("mentee")
		}
		ids := make([]string, len(mentees))
		var wg sync.WaitGroup
		for i, a := range mentees {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := f.ask(a, "open", f.author.Handle, "Hello")
				if r.Status == http.StatusCreated {
					ids[i] = r.JSON(t)["id"].(string)
				}
			}()
		}
		wg.Wait()
		answers := make([]*response, len(ids))
		for i, id := range ids {
			if id == "" {
				t.Fatalf("request %d refused", i)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = f.answer(f.author, id, "accept")
			}()
		}
		wg.Wait()
		accepted := 0
		for _, r := range answers {
			if r.Status == http.StatusOK {
				accepted++
				continue
			}
			expect(t, r, http.StatusConflict, "not_accepting")
		}
		if accepted != 3 || len(f.mentorships(f.author, "?status=active")) != 3 {
			t.Fatalf("%d accepted, want 3", accepted)
		}
		if got := f.mentors(f.member, "open", ""); got[0].Accepting {
			t.Fatal("a full mentor is accepting")
		}
		expect(t, f.ask(f.joined("late"), "open", f.author.Handle, "Hello"), http.StatusConflict, "not_accepting")

		// Five in all, across circles.
		f.join("other", f.author)
		f.seasoned(f.author, "other")
		expect(t, f.offer(f.author, "other", "Here too.", 5), http.StatusCreated, "")
		expect(t, f.do(req{method: "POST", path: "/circles/other/mentors/" + f.author.Handle + "/approve", token: f.otherFacilitator.Access}), http.StatusNoContent, "")
		others := make([]string, 4)
		for i := range others {
			a := f.register(uniqueHandle("elsewhere"))
			f.join("other", a)
			others[i] = f.asked(a, "other", f.author.Handle).ID
		}
		var more atomic.Int32
		refused := make([]*response, len(others))
		for i, id := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r := f.answer(f.author, id, "accept"); r.Status == http.StatusOK {
					more.Add(1)
				} else {
					refused[i] = r
				}
			}()
		}
		wg.Wait()
		for _, r := range refused {
			if r != nil {
				expect(t, r, http.StatusConflict, "not_accepting")
			}
		}
		if n := len(f.mentorships(f.author, "?status=active")); n != 5 || more.Load() != 2 {
			t.Fatalf("%d active mentees in all (%d more accepted), want 5", n, more.Load())
		}
	})
}

// TestMentorshipEndsByItself: leaving the circle, a suspension, a ban and
// a facilitator's removal of the mentor end mentorships as ordinary ends.
func TestMentorshipEndsByItself(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 4)
		a, b, c, d := f.joined("a"), f.joined("b"), f.joined("c"), f.joined("d")
		ma, mb, mc, md := f.asked(a, "open", f.author.Handle), f.asked(b, "open", f.author.Handle), f.asked(c, "open", f.author.Handle), f.asked(d, "open", f.author.Handle)
		for _, id := range []string{ma.ID, mb.ID, mc.ID, md.ID} {
			expect(t, f.answer(f.author, id, "accept"), http.StatusOK, "")
		}
		expect(t, f.do(req{method: "POST", path: "/circles/open/leave", token: a.Access}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + b.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "suspend", "reason": "A pause.", "until": time.Now().UTC().Add(30 * 24 * time.Hour).Format(time.RFC3339)}}), http.StatusOK, "")
		active := f.mentorships(f.author, "?status=active")
		if len(active) != 2 || active[0].ID != md.ID || active[1].ID != mc.ID {
			t.Fatalf("active after leaving and suspension: %+v", active)
		}
		if n := f.noticesOf(f.author, "mentorship_ended"); len(n) != 2 {
			t.Fatalf("mentor told of %d ends, want 2", len(n))
		}
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + d.Handle + "/actions", token: f.admin.Access,
			body: map[string]string{"action": "ban", "reason": "Threats to other members."}}), http.StatusOK, "")
		active = f.mentorships(f.author, "?status=active")
		if len(active) != 1 || active[0].ID != mc.ID {
			t.Fatalf("active after the ban: %+v", active)
		}
		ended := f.mentorships(f.author, "?status=ended")
		if len(ended) != 3 || ended[0].ID != md.ID {
			t.Fatalf("ended after the ban: %+v, want the banned member's first of three", ended)
		}
		if n := f.noticesOf(f.author, "mentorship_ended"); len(n) != 3 {
			t.Fatalf("mentor told of %d ends, want 3", len(n))
		}
		expect(t, f.do(req{method: "POST", path: "/circles/open/mentors/" + f.author.Handle + "/remove", token: f.facilitator.Access,
			body: map[string]string{"reason": "Taking a break."}}), http.StatusNoContent, "")
		if got := f.mentorships(c, "?status=ended"); len(got) != 1 {
			t.Fatalf("removal left %+v", got)
		}
		if n := f.noticesOf(c, "mentorship_ended"); len(n) != 1 {
			t.Fatalf("mentee not told of the removal: %+v", n)
		}
	})
}

// tryStories shares three stories as a in slug, where a may: the bar to
// offer to mentor, for the role × route matrix's cells.
func (f *forumFixture) tryStories(a *account, slug string) {
	f.t.Helper()
	for range 3 {
		f.do(req{method: "POST", path: "/circles/" + slug + "/stories", token: a.Access, body: map[string]string{"title": "A step", "body": "Another day."}})
	}
}

// pendingMentor is a new member of "open" whose offer to mentor waits.
func (f *forumFixture) pendingMentor() string {
	f.t.Helper()
	a := f.joined("offer")
	f.seasoned(a, "open")
	expect(f.t, f.offer(a, "open", "I can listen.", 2), http.StatusCreated, "")
	return a.Handle
}

// matrixMentor makes the author an approved mentor of "open", once.
func (f *forumFixture) matrixMentor() {
	f.t.Helper()
	if len(f.mentors(f.author, "open", "")) == 0 {
		f.mentor(f.author, "open", 5)
	}
}

// matrixMentorship is a new request of mentee to the author in "open",
// taken up when active; the mentee's earlier ones there close first.
func (f *forumFixture) matrixMentorship(mentee *account, active bool) string {
	f.t.Helper()
	f.matrixMentor()
	for _, m := range f.mentorships(mentee, "") {
		switch m.Status {
		case "requested":
			expect(f.t, f.answer(mentee, m.ID, "withdraw"), http.StatusOK, "")
		case "active":
			expect(f.t, f.answer(mentee, m.ID, "end"), http.StatusOK, "")
		}
	}
	id := f.asked(mentee, "open", f.author.Handle).ID
	if active {
		expect(f.t, f.answer(f.author, id, "accept"), http.StatusOK, "")
	}
	return id
}

// activeMentorship is an active mentorship of the member with the author
// as mentor, in "open".
func (f *forumFixture) activeMentorship() string {
	f.t.Helper()
	f.mentor(f.author, "open", 2)
	id := f.asked(f.member, "open", f.author.Handle).ID
	expect(f.t, f.answer(f.author, id, "accept"), http.StatusOK, "")
	return id
}

// TestMentorshipCrisisMessage: crisis wording in a message answers its
// writer with resources, puts the whole message at the head of the queue
// and calls the circle's facilitators naming only the member and circle.
func TestMentorshipCrisisMessage(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		id := f.activeMentorship()
		words := "Tonight I want to end my life. I have not told anyone else."
		r := f.say(f.member, id, words)
		expect(t, r, http.StatusCreated, "")
		if m := decode[messageJSON](t, r); m.CrisisResources == nil || m.CrisisResources.Message == "" {
			t.Fatalf("no crisis resources: %s", r.Body)
		}
		q := f.queue()
		if len(q) == 0 || q[0].TargetType != "message" || q[0].Excerpt != words || q[0].Priority != "crisis" {
			t.Fatalf("queue head %+v", q)
		}
		calls := f.noticesOf(f.facilitator, "crisis_in_circle")
		if len(calls) != 1 || calls[0].Actor == nil || calls[0].Actor.Handle != f.member.Handle || calls[0].TargetID != "" || calls[0].TargetType != "" {
			t.Fatalf("facilitator's call %+v", calls)
		}
		if strings.Contains(calls[0].Message, "end my life") {
			t.Fatal("the call quotes the message")
		}
		// A calm message is no crisis.
		r = f.say(f.member, id, "Thank you for listening.")
		expect(t, r, http.StatusCreated, "")
		if decode[messageJSON](t, r).CrisisResources != nil {
			t.Fatal("a calm message got crisis resources")
		}
	})
}

// TestMentorshipFlaggedMessage: only the two members flag a message; the
// queue holds it whole while the flag waits; the team dismisses it; the
// circle's facilitators count it, never reading it.
func TestMentorshipFlaggedMessage(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		id := f.activeMentorship()
		r := f.say(f.author, id, "Call me on my private line any time.")
		expect(t, r, http.StatusCreated, "")
		msg := decode[messageJSON](t, r).ID
		expect(t, f.flag(f.facilitator, "message", msg, "privacy", ""), http.StatusNotFound, "not_found")
		expect(t, f.flag(f.moderator, "message", msg, "privacy", ""), http.StatusNotFound, "not_found")
		expect(t, f.flag(f.author, "message", msg, "privacy", ""), http.StatusBadRequest, "own_writing")
		expect(t, f.flag(f.member, "message", msg, "harassment", "This made me uneasy."), http.StatusCreated, "")
		expect(t, f.flag(f.member, "message", msg, "harassment", ""), http.StatusConflict, "already_flagged")
		q := f.queue()
		if len(q) != 1 || q[0].TargetType != "message" || q[0].TargetID != msg || q[0].Excerpt != "Call me on my private line any time." || q[0].Author.Handle != f.author.Handle {
			t.Fatalf("queue %+v", q)
		}
		if n := f.noticesOf(f.author, "hidden"); len(n) != 0 {
			t.Fatalf("the author was told before a moderator acted: %+v", n)
		}
		if got := f.mentors(f.facilitator, "open", ""); len(got) != 1 || *got[0].Flagged != 1 {
			t.Fatalf("facilitator's counts %+v", got)
		}
		expect(t, f.act("message", msg, "hide", "Looking at it."), http.StatusBadRequest, "invalid_action")
		expect(t, f.do(req{method: "POST", path: "/moderation/items/message/" + msg + "/actions", token: f.moderator.Access,
			body: map[string]any{"action": "add_themes", "themes": []string{"death_loss"}, "reason": "Looking at it."}}), http.StatusBadRequest, "invalid_action")
		expect(t, f.act("message", msg, "dismiss", "A kind offer, nothing more."), http.StatusOK, "")
		if q := f.queue(); len(q) != 0 {
			t.Fatalf("after dismissal the queue holds %+v", q)
		}
		if n := f.noticesOf(f.member, "flag_outcome"); len(n) != 1 {
			t.Fatalf("the flagger was not told: %+v", n)
		}
	})
}

// TestMentorshipErasure: deleting an account ends its mentorships; its
// messages read as removed for the other side, with no text or key left;
// the export held the member's mentorships and own messages before.
func TestMentorshipErasure(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newForum(t, dialect)
			id := f.activeMentorship()
			const canary = "canary-mentorship-7f3a9c"
			expect(t, f.say(f.member, id, "My words "+canary), http.StatusCreated, "")
			expect(t, f.say(f.author, id, "Thank you for trusting me."), http.StatusCreated, "")
			db := f.storeDB(t)
			if n := count(t, db, "SELECT count(*) FROM mentorship_messages WHERE author_id = ? AND body IS NOT NULL", f.member.ID); n != 2 {
				t.Fatalf("%d sealed messages before erasure: the checks below could not fail", n)
			}
			var bodies [][]byte
			if err := db.Raw("SELECT body FROM mentorship_messages").Scan(&bodies).Error; err != nil {
				t.Fatal(err)
			}
			for _, b := range bodies {
				if strings.Contains(string(b), canary) {
					t.Fatal("a message is stored in clear")
				}
			}
			r := f.do(req{method: "GET", path: "/me/export", token: f.member.Access})
			expect(t, r, http.StatusOK, "")
			e := decode[struct {
				Mentorships []mentorshipJSON
				Messages    []struct{ Body string } `json:"mentorship_messages"`
			}](t, r)
			if len(e.Mentorships) != 1 || len(e.Messages) != 2 || !strings.Contains(e.Messages[1].Body, canary) {
				t.Fatalf("export %s", r.Body)
			}
			expect(t, f.do(req{method: "DELETE", path: "/me", token: f.member.Access, body: map[string]string{"password": testPassword}}), http.StatusNoContent, "")
			c := f.conversation(f.author, id, "")
			if len(c.Items) != 3 {
				t.Fatalf("%d messages after erasure", len(c.Items))
			}
			for i, m := range c.Items {
				mine := i == 2
				if mine && (m.Status != "published" || m.Body == nil) {
					t.Fatalf("the mentor's own message %+v", m)
				}
				if !mine && (m.Status != "removed" || m.Body != nil || m.Author != nil) {
					t.Fatalf("an erased member's message reads %+v", m)
				}
			}
			if got := f.mentorships(f.author, ""); len(got) != 1 || got[0].Status != "ended" {
				t.Fatalf("after erasure %+v", got)
			}
			if n := count(t, db, "SELECT count(*) FROM mentorship_messages WHERE author_id = ? AND body IS NOT NULL", f.member.ID); n != 0 {
				t.Fatalf("%d sealed messages of the erased member remain", n)
			}
			if f.dialect == "sqlite" {
				if raw := rawStore(t, filepath.Dir(f.storePath)); bytes.Contains(raw, []byte(canary)) {
					t.Fatal("the canary is in the raw files")
				}
			}
		})
	}
}

// TestBlockInMentorship: a block ends an active mentorship between the two
// as an ordinary end, declines the blocked member's open request, and
// afterwards the blocked member finds the mentor not accepting (as a full
// one is) and their asking answered so; nobody else sees a difference.
func TestBlockInMentorship(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 3)
		mentee, asking, other := f.joined("mentee"), f.joined("asking"), f.joined("other")
		active := f.asked(mentee, "open", f.author.Handle)
		expect(t, f.answer(f.author, active.ID, "accept"), http.StatusOK, "")
		waiting := f.asked(asking, "open", f.author.Handle)
		for _, who := range []*account{mentee, asking} {
			expect(t, f.do(req{method: "PUT", path: "/me/blocked/" + who.Handle, token: f.author.Access}), http.StatusNoContent, "")
		}
		if got := f.mentorships(mentee, ""); len(got) != 1 || got[0].Status != "ended" {
			t.Fatalf("the blocked mentee's mentorship: %+v, want ended", got)
		}
		if n := f.noticesOf(mentee, "mentorship_ended"); len(n) != 1 {
			t.Errorf("the mentee was told of %d ends, want 1 (as for any end)", len(n))
		}
		if got := f.mentorships(asking, ""); len(got) != 1 || got[0].ID != waiting.ID || got[0].Status != "declined" {
			t.Fatalf("the blocked member's request: %+v, want declined", got)
		}
		for _, who := range []*account{mentee, asking} {
			ms := f.mentors(who, "open", "")
			if len(ms) != 1 || ms[0].Accepting {
				t.Errorf("%s sees the mentor %+v, want not accepting", who.Handle, ms)
			}
		}
		if ms := f.mentors(other, "open", ""); len(ms) != 1 || !ms[0].Accepting {
			t.Errorf("someone nobody blocked sees the mentor %+v, want accepting", ms)
		}
		expect(t, f.ask(mentee, "open", f.author.Handle, "Could we start again?"), http.StatusConflict, "not_accepting")
		f.asked(other, "open", f.author.Handle)
	})
}

// TestMentorshipWaitsForGuidelines: offering to mentor and asking for a
// mentor wait, as new writing does, until the member has accepted the
// circle's current guidelines, which hold mentorship's boundaries; a first
// message or intro held back that reads as a crisis is answered with the
// crisis resources, the circle's own among them, and nothing is stored.
func TestMentorshipWaitsForGuidelines(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 2)
		newcomer, offering := f.joined("newcomer"), f.joined("offering")
		f.seasoned(offering, "open")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/resources", token: f.facilitator.Access,
			body: map[string]any{"resources": []map[string]string{{"name": "Heart line", "contact": "Call 0800 123 456"}}}}), http.StatusOK, "")
		r := f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.facilitator.Access,
			body: map[string]string{"text": "Keep contact inside Hearth: no phone numbers or addresses in a mentorship."}})
		expect(t, r, http.StatusOK, "")
		version := decode[struct{ Version int }](t, r).Version
		type resource struct{ Name, Contact string }
		type held struct {
			Version         int
			CrisisResources *struct {
				Message   string
				Resources []resource
			} `json:"crisis_resources"`
		}
		heldBack := func(r *response, crisis bool) {
			t.Helper()
			expect(t, r, http.StatusConflict, "guidelines_not_accepted")
			p := decode[held](t, r)
			if p.Version != version {
				t.Errorf("409 names version %d, want %d", p.Version, version)
			}
			if !crisis {
				if p.CrisisResources != nil {
					t.Errorf("calm words held back got crisis resources: %s", r.Body)
				}
				return
			}
			if p.CrisisResources == nil || p.CrisisResources.Message == "" ||
				!slices.Contains(p.CrisisResources.Resources, resource{"Heart line", "Call 0800 123 456"}) {
				t.Errorf("a crisis held back lacks the resources: %s", r.Body)
			}
		}
		heldBack(f.ask(newcomer, "open", f.author.Handle, "Hello, could you walk beside me?"), false)
		heldBack(f.ask(newcomer, "open", f.author.Handle, "Tonight I want to end my life. Could you walk beside me?"), true)
		heldBack(f.offer(offering, "open", "I can listen.", 1), false)
		heldBack(f.offer(offering, "open", "I know what it is to want to end my life; I can listen.", 1), true)
		// Bad input is answered as such before the guidelines are asked.
		expect(t, f.ask(newcomer, "open", f.author.Handle, ""), http.StatusBadRequest, "invalid_message")
		expect(t, f.offer(offering, "open", strings.Repeat("a", 501), 1), http.StatusBadRequest, "invalid_intro")
		if got := f.mentorships(newcomer, ""); len(got) != 0 {
			t.Fatalf("a request was stored before the guidelines were accepted: %+v", got)
		}
		if got := f.mentors(f.facilitator, "open", "?status=pending"); len(got) != 0 {
			t.Fatalf("an offer was stored before the guidelines were accepted: %+v", got)
		}
		if q := f.queue(); len(q) != 0 {
			t.Fatalf("a crisis held back reached the queue: %+v", q)
		}
		for _, a := range []*account{newcomer, offering} {
			expect(t, f.do(req{method: "POST", path: "/circles/open/guidelines/accept", token: a.Access, body: map[string]int{"version": version}}), http.StatusNoContent, "")
		}
		f.asked(newcomer, "open", f.author.Handle)
		expect(t, f.offer(offering, "open", "I can listen.", 1), http.StatusCreated, "")
	})
}

// TestOverturnedWarningDoesNotBarAMentor: a warning keeps a member from
// offering to mentor for 90 days, unless an appeal overturned it.
func TestOverturnedWarningDoesNotBarAMentor(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		warned := f.joined("warned")
		f.seasoned(warned, "open")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + warned.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "warn", "reason": "Please keep it kind."}}), http.StatusOK, "")
		expect(t, f.offer(warned, "open", "I can listen.", 1), http.StatusForbidden, "not_eligible")
		r := f.appeal(warned, f.actionNotice(warned, "warned"), "I was quoting someone else, not speaking to them.")
		expect(t, r, http.StatusCreated, "")
		second := f.withRole(f.register(uniqueHandle("mod")), kernel.RoleModerator)
		expect(t, f.decide(second, decode[struct{ ID string }](t, r).ID, "overturned"), http.StatusOK, "")
		expect(t, f.offer(warned, "open", "I can listen.", 1), http.StatusCreated, "")
	})
}

// TestMentorDecisionsAreLogged: approving and removing a mentor go into
// the moderation log with the reason given, sealed at rest; a reason over
// its limit is refused and changes nothing.
func TestMentorDecisionsAreLogged(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.seasoned(f.author, "open")
		expect(t, f.offer(f.author, "open", "I can listen.", 2), http.StatusCreated, "")
		base := "/circles/open/mentors/" + f.author.Handle
		expect(t, f.do(req{method: "POST", path: base + "/approve", token: f.facilitator.Access, body: map[string]string{"reason": "Steady and kind in every thread."}}), http.StatusNoContent, "")
		expect(t, f.do(req{method: "POST", path: base + "/remove", token: f.facilitator.Access, body: map[string]string{"reason": strings.Repeat("x", 1001)}}), http.StatusBadRequest, "invalid_reason")
		if got := f.mentors(f.member, "open", ""); len(got) != 1 {
			t.Fatalf("a refused removal changed the mentors: %+v", got)
		}
		const why = "canary-removal-5d1e Asked for phone numbers twice."
		expect(t, f.do(req{method: "POST", path: base + "/remove", token: f.facilitator.Access, body: map[string]string{"reason": why}}), http.StatusNoContent, "")
		if got := f.mentors(f.member, "open", ""); len(got) != 0 {
			t.Fatalf("a removed mentor is listed: %+v", got)
		}
		r := f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access})
		expect(t, r, http.StatusOK, "")
		var mine []map[string]any
		for _, e := range r.JSON(t)["items"].([]any) {
			if e := e.(map[string]any); strings.HasSuffix(e["action"].(string), "_mentor") {
				mine = append(mine, e)
			}
		}
		if len(mine) != 2 {
			t.Fatalf("%d mentor decisions logged, want 2: %s", len(mine), r.Body)
		}
		removal, approval := mine[0], mine[1]
		target := "member:" + f.author.Handle
		if removal["action"] != "remove_mentor" || removal["actor"] != f.facilitator.Handle || removal["target"] != target || removal["reason"] != "circle open: "+why {
			t.Fatalf("the removal logged as %v", removal)
		}
		if approval["action"] != "approve_mentor" || approval["target"] != target || approval["reason"] != "circle open: Steady and kind in every thread." {
			t.Fatalf("the approval logged as %v", approval)
		}
		var reasons [][]byte
		if err := f.storeDB(t).Raw("SELECT reason FROM moderation_log WHERE action = ?", "remove_mentor").Scan(&reasons).Error; err != nil {
			t.Fatal(err)
		}
		if len(reasons) != 1 || len(reasons[0]) == 0 || bytes.Contains(reasons[0], []byte("canary-removal-5d1e")) {
			t.Fatalf("the removal's reason is not sealed at rest: %q", reasons)
		}
	})
}

// TestMaxMenteesBelowActive: a mentor cannot take fewer mentees than they
// walk beside now; the refusal changes nothing, and as many as they have
// is fine.
func TestMaxMenteesBelowActive(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 3)
		for _, who := range []string{"a", "b"} {
			expect(t, f.answer(f.author, f.asked(f.joined(who), "open", f.author.Handle).ID, "accept"), http.StatusOK, "")
		}
		intro := "I have walked this road for years."
		expect(t, f.offer(f.author, "open", intro, 1), http.StatusConflict, "max_below_active")
		// Still three: a third is taken up.
		third := f.asked(f.joined("c"), "open", f.author.Handle)
		expect(t, f.answer(f.author, third.ID, "accept"), http.StatusOK, "")
		expect(t, f.offer(f.author, "open", intro, 2), http.StatusConflict, "max_below_active")
		r := f.offer(f.author, "open", intro, 3)
		expect(t, r, http.StatusOK, "")
		if got := r.JSON(t); got["max_mentees"] != 3.0 || got["active_mentees"] != 3.0 || got["status"] != "approved" {
			t.Fatalf("offer %v", got)
		}
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + third.ID + "/end", token: f.author.Access}), http.StatusOK, "")
		expect(t, f.offer(f.author, "open", intro, 2), http.StatusOK, "")
		expect(t, f.ask(f.joined("d"), "open", f.author.Handle, "Hello"), http.StatusConflict, "not_accepting")
	})
}

// TestMentorshipExportHoldsIntrosAndEndReasons: a member's export holds
// their own offers with their intros, and the reasons they gave for
// ending a mentorship; never the other member's.
func TestMentorshipExportHoldsIntrosAndEndReasons(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		id := f.activeMentorship()
		const why = "canary-ending-9b2c I found a group near home."
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + id + "/end", token: f.member.Access, body: map[string]string{"reason": why}}), http.StatusOK, "")
		var stored [][]byte
		if err := f.storeDB(t).Raw("SELECT end_reason FROM mentorships WHERE id = ?", id).Scan(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if len(stored) != 1 || len(stored[0]) == 0 || bytes.Contains(stored[0], []byte("canary-ending-9b2c")) {
			t.Fatalf("the end reason is not sealed at rest: %q", stored)
		}
		type exported struct {
			Offers []struct {
				Circle, Intro, Status string
				MaxMentees            int `json:"max_mentees"`
			} `json:"mentor_offers"`
			EndReasons []struct {
				MentorshipID string `json:"mentorship_id"`
				Reason       string
				EndedAt      string `json:"ended_at"`
			} `json:"mentorship_end_reasons"`
		}
		export := func(a *account) exported {
			r := f.do(req{method: "GET", path: "/me/export", token: a.Access})
			expect(t, r, http.StatusOK, "")
			return decode[exported](t, r)
		}
		mentee := export(f.member)
		if len(mentee.Offers) != 0 || len(mentee.EndReasons) != 1 || mentee.EndReasons[0].MentorshipID != id || mentee.EndReasons[0].Reason != why || mentee.EndReasons[0].EndedAt == "" {
			t.Fatalf("the mentee's export %+v", mentee)
		}
		mentor := export(f.author)
		if len(mentor.EndReasons) != 0 || len(mentor.Offers) != 1 || mentor.Offers[0].Circle != "open" ||
			mentor.Offers[0].Intro != "I have walked this road for years." || mentor.Offers[0].Status != "approved" || mentor.Offers[0].MaxMentees != 2 {
			t.Fatalf("the mentor's export %+v", mentor)
		}
	})
}

// TestMentorCountsForFacilitators: the circle's facilitators count each
// mentor's mentorships taken up there and those ended within 14 days of
// being taken up; a declined request is neither.
func TestMentorCountsForFacilitators(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 3)
		expect(t, f.answer(f.author, f.asked(f.joined("declined"), "open", f.author.Handle).ID, "decline"), http.StatusOK, "")
		early, late, ongoing := f.asked(f.joined("early"), "open", f.author.Handle), f.asked(f.joined("late"), "open", f.author.Handle), f.asked(f.joined("ongoing"), "open", f.author.Handle)
		for _, id := range []string{early.ID, late.ID, ongoing.ID} {
			expect(t, f.answer(f.author, id, "accept"), http.StatusOK, "")
		}
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + early.ID + "/end", token: f.author.Access}), http.StatusOK, "")
		ago := time.Now().UTC().Add(-20 * 24 * time.Hour)
		if err := f.storeDB(t).Exec("UPDATE mentorships SET decided_at = ? WHERE id = ?", ago, late.ID).Error; err != nil {
			t.Fatal(err)
		}
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + late.ID + "/end", token: f.author.Access}), http.StatusOK, "")
		got := f.mentors(f.facilitator, "open", "")
		if len(got) != 1 || got[0].Mentorships == nil || *got[0].Mentorships != 3 || got[0].EndedEarly == nil || *got[0].EndedEarly != 1 || *got[0].Flagged != 0 {
			t.Fatalf("the facilitator's counts %+v, want 3 mentorships, 1 ended early", got)
		}
		if m := f.mentors(f.member, "open", ""); len(m) != 1 || m[0].Mentorships != nil || m[0].EndedEarly != nil || m[0].Flagged != nil {
			t.Fatalf("a member sees counts: %+v", m)
		}
	})
}

// TestDeclineHoldLifts: a decline holds the mentee back from asking that
// mentor again for 30 days, and no longer.
func TestDeclineHoldLifts(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		f.mentor(f.author, "open", 2)
		m := f.asked(f.member, "open", f.author.Handle)
		expect(t, f.answer(f.author, m.ID, "decline"), http.StatusOK, "")
		decided := func(days int) {
			t.Helper()
			ago := time.Now().UTC().Add(-time.Duration(days) * 24 * time.Hour)
			if err := f.storeDB(t).Exec("UPDATE mentorships SET decided_at = ? WHERE id = ?", ago, m.ID).Error; err != nil {
				t.Fatal(err)
			}
		}
		decided(29)
		expect(t, f.ask(f.member, "open", f.author.Handle, "May I ask again?"), http.StatusConflict, "already_requested")
		decided(31)
		again := f.asked(f.member, "open", f.author.Handle)
		if again.ID == m.ID || again.Status != "requested" {
			t.Fatalf("asking again after the hold: %+v", again)
		}
	})
}

// TestSuspendedMemberCannotWrite: a suspended member's message is refused
// as suspended, and nothing is stored.
func TestSuspendedMemberCannotWrite(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		id := f.activeMentorship()
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.member.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "suspend", "reason": "A pause.", "until": time.Now().UTC().Add(7 * 24 * time.Hour).Format(time.RFC3339)}}), http.StatusOK, "")
		// A suspension signs the member out; they sign in again to read.
		expect(t, f.say(f.fresh(f.member), id, "Are you still there?"), http.StatusForbidden, "suspended")
		if c := f.conversation(f.author, id, ""); len(c.Items) != 1 {
			t.Fatalf("%d messages after a suspended member wrote, want the first only", len(c.Items))
		}
	})
}

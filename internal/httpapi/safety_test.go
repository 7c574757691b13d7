package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// safeStory is a story as reader safety shapes it.
type safeStory struct {
	ID      string
	Author  *struct{ Handle string }
	Title   *string
	Body    *string
	Themes  []string
	Folded  *string
	Status  string
	Created string `json:"created_at"`
}

// safeReply is a reply as reader safety shapes it.
type safeReply struct {
	ID       string
	ParentID *string `json:"parent_id"`
	Depth    int
	Author   *struct{ Handle string }
	Body     *string
	Themes   []string
	Folded   *string
	Status   string
}

// onEveryForum runs fn on a fresh forum fixture on every store.
func onEveryForum(t *testing.T, fn func(t *testing.T, f *forumFixture)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, newForum(t, d))
		})
	}
}

// themed shares a story as a in circle slug with themes.
func (f *forumFixture) themed(a *account, slug, title string, themes ...string) safeStory {
	f.t.Helper()
	if themes == nil {
		themes = []string{}
	}
	r := f.do(req{method: "POST", path: "/circles/" + slug + "/stories", token: a.Access,
		body: map[string]any{"title": title, "body": "The body of " + title, "themes": themes}})
	expect(f.t, r, http.StatusCreated, "")
	return decode[safeStory](f.t, r)
}

func (f *forumFixture) readStory(a *account, id, query string) safeStory {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/stories/" + id + query, token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[safeStory](f.t, r)
}

func (f *forumFixture) thread(a *account, id, query string) []safeReply {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/stories/" + id + "/replies" + query, token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return decode[pageJSON[safeReply]](f.t, r).Items
}

func (f *forumFixture) setPrefs(a *account, themes map[string]string) {
	f.t.Helper()
	expect(f.t, f.do(req{method: "PUT", path: "/me/preferences", token: a.Access, body: map[string]any{"themes": themes}}), http.StatusOK, "")
}

func (f *forumFixture) silence(a *account, list string, other *account) {
	f.t.Helper()
	expect(f.t, f.do(req{method: "PUT", path: "/me/" + list + "/" + other.Handle, token: a.Access}), http.StatusNoContent, "")
}

// listAll reads every page of a circle's stories as a, limit at a time,
// and checks each page but the last is full.
func (f *forumFixture) listAll(a *account, slug string, limit int) []safeStory {
	f.t.Helper()
	var all []safeStory
	cursor := ""
	for range 100 {
		path := fmt.Sprintf("/circles/%s/stories?limit=%d", slug, limit)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		r := f.do(req{method: "GET", path: path, token: a.Access})
		expect(f.t, r, http.StatusOK, "")
		p := decode[pageJSON[safeStory]](f.t, r)
		all = append(all, p.Items...)
		if p.NextCursor == nil {
			return all
		}
		if len(p.Items) != limit {
			f.t.Fatalf("a page before the last holds %d stories, want %d", len(p.Items), limit)
		}
		cursor = *p.NextCursor
	}
	f.t.Fatal("the pages never end")
	return nil
}

// TestThemesOnWriting: stories and replies take themes on create and edit,
// in a fixed order, always present; unknown ones are refused; they are
// sealed at rest.
func TestThemesOnWriting(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.themed(f.author, "open", "Heavy days", "self_harm", "suicide", "suicide")
		if !slices.Equal(s.Themes, []string{"suicide", "self_harm"}) || s.Folded != nil {
			t.Fatalf("themes %v folded %v, want [suicide self_harm] and null", s.Themes, s.Folded)
		}
		plain := f.story(f.author, "open", "No themes")
		if got := f.readStory(f.member, plain.ID, ""); got.Themes == nil || len(got.Themes) != 0 {
			t.Errorf("a story without themes has %v, want []", got.Themes)
		}
		r := f.do(req{method: "POST", path: "/circles/open/stories", token: f.author.Access,
			body: map[string]any{"title": "T", "body": "B", "themes": []string{"sadness"}}})
		expect(t, r, http.StatusBadRequest, "invalid_theme")

		r = f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]any{"themes": []string{"eating"}}})
		expect(t, r, http.StatusOK, "")
		if got := decode[safeStory](t, r); !slices.Equal(got.Themes, []string{"eating"}) {
			t.Errorf("edited themes %v", got.Themes)
		}
		r = f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]any{"body": "Another body"}})
		expect(t, r, http.StatusOK, "")
		if got := decode[safeStory](t, r); !slices.Equal(got.Themes, []string{"eating"}) {
			t.Errorf("an edit without themes changed them to %v", got.Themes)
		}

		r = f.do(req{method: "POST", path: "/stories/" + s.ID + "/replies", token: f.member.Access,
			body: map[string]any{"body": "I hear you", "themes": []string{"graphic_medical"}}})
		expect(t, r, http.StatusCreated, "")
		rep := decode[safeReply](t, r)
		if !slices.Equal(rep.Themes, []string{"graphic_medical"}) {
			t.Fatalf("reply themes %v", rep.Themes)
		}
		r = f.do(req{method: "PATCH", path: "/replies/" + rep.ID, token: f.member.Access, body: map[string]any{"body": "I hear you, truly"}})
		expect(t, r, http.StatusOK, "")
		if got := decode[safeReply](t, r); !slices.Equal(got.Themes, []string{"graphic_medical"}) {
			t.Errorf("a reply edit without themes changed them to %v", got.Themes)
		}
		r = f.do(req{method: "PATCH", path: "/replies/" + rep.ID, token: f.member.Access, body: map[string]any{"body": "x", "themes": []string{"disaster", "death_loss"}}})
		expect(t, r, http.StatusOK, "")
		if got := decode[safeReply](t, r); !slices.Equal(got.Themes, []string{"death_loss", "disaster"}) {
			t.Errorf("reply themes after edit %v", got.Themes)
		}
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + rep.ID, token: f.member.Access, body: map[string]any{"body": "x", "themes": []string{"nope"}}}),
			http.StatusBadRequest, "invalid_theme")
		if th := f.thread(f.author, s.ID, ""); len(th) != 1 || !slices.Equal(th[0].Themes, []string{"death_loss", "disaster"}) {
			t.Errorf("thread %+v", th)
		}
		if f.dialect == store.SQLite {
			db := rawDB(t, f.testServer)
			for _, b := range [][]byte{blob(t, db, "stories", "themes", s.ID), blob(t, db, "replies", "themes", rep.ID)} {
				if len(b) == 0 || bytes.Contains(b, []byte("eating")) || bytes.Contains(b, []byte("disaster")) {
					t.Errorf("themes at rest %q: want a sealed blob", b)
				}
			}
		}
	})
}

// TestPreferences: defaults warn for suicide and self-harm; PUT sets the
// themes named, the rest take defaults; unknown keys and values are 400;
// sealed at rest.
func TestPreferences(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		r := f.do(req{method: "GET", path: "/me/preferences", token: f.member.Access})
		expect(t, r, http.StatusOK, "")
		got := decode[struct{ Themes map[string]string }](t, r).Themes
		if len(got) != 8 || got["suicide"] != "warn" || got["self_harm"] != "warn" || got["eating"] != "show" {
			t.Fatalf("defaults %v", got)
		}
		r = f.do(req{method: "PUT", path: "/me/preferences", token: f.member.Access,
			body: map[string]any{"themes": map[string]string{"eating": "hide", "suicide": "show"}}})
		expect(t, r, http.StatusOK, "")
		r = f.do(req{method: "GET", path: "/me/preferences", token: f.member.Access})
		got = decode[struct{ Themes map[string]string }](t, r).Themes
		if got["eating"] != "hide" || got["suicide"] != "show" || got["self_harm"] != "warn" || got["disaster"] != "show" {
			t.Fatalf("after PUT %v", got)
		}
		for body, code := range map[string]string{
			`{"themes":{"sadness":"hide"}}`: "invalid_theme",
			`{"themes":{"eating":"never"}}`: "invalid_preference",
			`{"themes":{},"muted":["x"]}`:   "unknown_field",
			`{}`:                            "invalid_preference",
		} {
			expect(t, f.do(req{method: "PUT", path: "/me/preferences", token: f.member.Access, body: body}), http.StatusBadRequest, code)
		}
		if other := f.do(req{method: "GET", path: "/me/preferences", token: f.author.Access}); decode[struct{ Themes map[string]string }](t, other).Themes["eating"] != "show" {
			t.Error("one member's preferences reached another")
		}
		if f.dialect == store.SQLite {
			var sealed []byte
			if err := rawDB(t, f.testServer).Raw("SELECT sealed FROM safety_preferences WHERE member_id = ?", f.member.ID).Row().Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(sealed, []byte("hide")) || bytes.Contains(sealed, []byte("eating")) {
				t.Errorf("preferences at rest %q", sealed)
			}
		}
	})
}

// TestMuteAndBlockLists: each list is the member's own; muting oneself is
// 400, an unknown handle 404; twice is once; unmuting takes it off.
func TestMuteAndBlockLists(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		for _, list := range []string{"muted", "blocked"} {
			expect(t, f.do(req{method: "PUT", path: "/me/" + list + "/" + f.member.Handle, token: f.member.Access}), http.StatusBadRequest, "cannot_silence_self")
			expect(t, f.do(req{method: "PUT", path: "/me/" + list + "/nobody-like-this", token: f.member.Access}), http.StatusNotFound, "member_not_found")
			f.silence(f.member, list, f.author)
			f.silence(f.member, list, f.author)
			f.silence(f.member, list, f.outsider)
			r := f.do(req{method: "GET", path: "/me/" + list, token: f.member.Access})
			expect(t, r, http.StatusOK, "")
			items := decode[pageJSON[struct{ Handle string }]](t, r).Items
			if len(items) != 2 || items[0].Handle != f.author.Handle || items[1].Handle != f.outsider.Handle {
				t.Fatalf("%s list %+v", list, items)
			}
			// The member muted sees nothing of it in their own lists.
			r = f.do(req{method: "GET", path: "/me/" + list, token: f.author.Access})
			if n := len(decode[pageJSON[struct{ Handle string }]](t, r).Items); n != 0 {
				t.Errorf("the %s member's own list holds %d", list, n)
			}
			expect(t, f.do(req{method: "DELETE", path: "/me/" + list + "/" + f.outsider.Handle, token: f.member.Access}), http.StatusNoContent, "")
			expect(t, f.do(req{method: "DELETE", path: "/me/" + list + "/" + f.outsider.Handle, token: f.member.Access}), http.StatusNoContent, "")
			r = f.do(req{method: "GET", path: "/me/" + list, token: f.member.Access})
			if items := decode[pageJSON[struct{ Handle string }]](t, r).Items; len(items) != 1 || items[0].Handle != f.author.Handle {
				t.Errorf("after un-%s: %+v", list, items)
			}
		}
		blockers, err := f.svc.Safety.BlockersOf(context.Background(), f.author.ID, []string{f.member.ID, f.outsider.ID})
		if err != nil || !blockers[f.member.ID] || len(blockers) != 1 {
			t.Errorf("BlockersOf(author) = %v, %v; want the member alone", blockers, err)
		}
		if back, _ := f.svc.Safety.BlockersOf(context.Background(), f.member.ID, []string{f.author.ID}); back[f.author.ID] {
			t.Error("a block works both ways")
		}
	})
}

// TestSuspendedMemberStillProtectsThemselves: a suspension stops writing,
// never a member's own safety: a suspended member sets preferences, mutes,
// blocks and lifts them, and what they silenced folds for them.
func TestSuspendedMemberStillProtectsThemselves(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Still here")
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + f.member.Handle + "/actions", token: f.moderator.Access,
			body: map[string]string{"action": "suspend", "reason": "A pause.", "until": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}}), http.StatusOK, "")
		me := f.fresh(f.member)
		expect(t, f.do(req{method: "POST", path: "/circles/open/stories", token: me.Access,
			body: map[string]string{"title": "T", "body": "B"}}), http.StatusForbidden, "suspended")

		expect(t, f.do(req{method: "PUT", path: "/me/preferences", token: me.Access,
			body: map[string]any{"themes": map[string]string{"eating": "hide"}}}), http.StatusOK, "")
		for _, list := range []string{"muted", "blocked"} {
			expect(t, f.do(req{method: "PUT", path: "/me/" + list + "/" + f.outsider.Handle, token: me.Access}), http.StatusNoContent, "")
			expect(t, f.do(req{method: "DELETE", path: "/me/" + list + "/" + f.outsider.Handle, token: me.Access}), http.StatusNoContent, "")
			expect(t, f.do(req{method: "PUT", path: "/me/" + list + "/" + f.author.Handle, token: me.Access}), http.StatusNoContent, "")
			r := f.do(req{method: "GET", path: "/me/" + list, token: me.Access})
			expect(t, r, http.StatusOK, "")
			if items := decode[pageJSON[struct{ Handle string }]](t, r).Items; len(items) != 1 || items[0].Handle != f.author.Handle {
				t.Errorf("the suspended member's %s list: %+v", list, items)
			}
		}
		if got := f.readStory(me, s.ID, ""); got.Folded == nil || *got.Folded != "muted" || got.Body != nil {
			t.Errorf("the author the suspended member silenced reads %+v", got)
		}
		r := f.do(req{method: "GET", path: "/me/preferences", token: me.Access})
		if decode[struct{ Themes map[string]string }](t, r).Themes["eating"] != "hide" {
			t.Error("the suspended member's preference was not kept")
		}
	})
}

// TestMutedWritingFolds: a muted author's story folds for the muter (and
// leaves their lists), their replies fold in place in the thread, reveal
// shows them whole, the author still sees all of their own, and nothing
// in what the muted author reads tells them.
func TestMutedWritingFolds(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.themed(f.author, "open", "A story of mine", "death_loss")
		mine := f.story(f.member, "open", "Member's own")
		top := f.reply(f.member, mine.ID, "", "first")
		under := f.reply(f.author, mine.ID, top.ID, "from the author")
		f.reply(f.member, mine.ID, under.ID, "and back")
		before := f.readStory(f.author, s.ID, "")

		f.silence(f.member, "muted", f.author)

		got := f.readStory(f.member, s.ID, "")
		if got.Folded == nil || *got.Folded != "muted" || got.Author != nil || got.Title != nil || got.Body != nil ||
			!slices.Equal(got.Themes, []string{"death_loss"}) || got.ID != s.ID || got.Created == "" {
			t.Fatalf("muted story %+v", got)
		}
		if whole := f.readStory(f.member, s.ID, "?reveal=true"); whole.Folded != nil || whole.Body == nil || whole.Author == nil {
			t.Fatalf("revealed %+v", whole)
		}
		for _, x := range f.listAll(f.member, "open", 20) {
			if x.ID == s.ID {
				t.Error("a muted author's story is in the muter's list")
			}
		}
		th := f.thread(f.member, mine.ID, "")
		if len(th) != 3 || th[1].ID != under.ID || th[1].Folded == nil || *th[1].Folded != "muted" || th[1].Body != nil || th[1].Author != nil ||
			th[1].Depth != 1 || th[1].ParentID == nil || *th[1].ParentID != top.ID || th[2].Folded != nil || th[2].Body == nil {
			t.Fatalf("thread %+v", th)
		}
		if th := f.thread(f.member, mine.ID, "?reveal=true"); th[1].Folded != nil || th[1].Body == nil {
			t.Errorf("revealed thread %+v", th[1])
		}
		// The author sees their own as ever, and the muter's writing too.
		if own := f.readStory(f.author, s.ID, ""); own.Folded != nil || own.Body == nil || !reflect.DeepEqual(own, before) {
			t.Errorf("the muted author's own story reads %+v, before %+v", own, before)
		}
		for _, x := range f.thread(f.author, mine.ID, "") {
			if x.Folded != nil || x.Body == nil {
				t.Errorf("the muted author sees %+v", x)
			}
		}
		// A reply the muted author writes to the muter tells them nothing.
		quiet := f.reply(f.author, mine.ID, top.ID, "are you there?")
		beside := f.reply(f.author, mine.ID, "", "and here")
		for _, n := range f.notices(f.member) {
			if n.TargetID == quiet.ID || n.TargetID == beside.ID {
				t.Errorf("the muter was told %+v", n)
			}
		}
		// The moderation queue folds nothing.
		crisis := f.crisisStory(f.author, "open")
		r := f.do(req{method: "GET", path: "/moderation/queue", token: f.moderator.Access})
		expect(t, r, http.StatusOK, "")
		if !bytes.Contains(r.Body, []byte(crisis.ID)) {
			t.Error("the queue lost the crisis")
		}
	})
}

// TestBlockedReplierTellsNothing: a member who both blocked someone and
// follows a story hears nothing of that someone's replies, to them or
// beside them.
func TestBlockedReplierTellsNothing(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.member, "open", "Mine to follow")
		top := f.reply(f.member, s.ID, "", "I start")
		f.silence(f.member, "blocked", f.author)
		f.reply(f.author, s.ID, top.ID, "to you")
		f.reply(f.author, s.ID, "", "beside you")
		other := f.joined("friend")
		f.reply(other, s.ID, "", "a friend")
		var kinds []string
		for _, n := range f.notices(f.member) {
			if n.Actor != nil && n.Actor.Handle == f.author.Handle {
				t.Errorf("the blocker was told %+v", n)
			}
			kinds = append(kinds, n.Kind)
		}
		if !slices.Contains(kinds, "reply") {
			t.Errorf("the friend's reply did not reach the follower: %v", kinds)
		}
	})
}

// told counts a's notices of kind about target (a mentorship, or the
// writing a crisis call names).
func (f *forumFixture) told(a *account, kind, target string) int {
	f.t.Helper()
	n := 0
	for _, x := range f.noticesOf(a, kind) {
		if x.TargetID == target {
			n++
		}
	}
	return n
}

// TestMuteSilencesMentorship: no mentorship_* notice of what a muted or
// blocked member did reaches the one who silenced them (requested,
// accepted, declined, message, ended), while the same acts of others
// still do, and the silenced member is still told of the silencer's.
func TestMuteSilencesMentorship(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		mentor := f.author
		f.mentor(mentor, "open", 5)
		muted, heard, muting, blocking, declined := f.joined("muted"), f.joined("heard"), f.joined("muting"), f.joined("blocking"), f.joined("declined")
		f.silence(mentor, "muted", muted)
		for _, a := range []*account{muting, declined} {
			f.silence(a, "muted", mentor)
		}
		f.silence(blocking, "blocked", mentor)

		// requested: the mentor hears of the member they did not mute.
		quiet, loud := f.asked(muted, "open", mentor.Handle), f.asked(heard, "open", mentor.Handle)
		if n, m := f.told(mentor, "mentorship_requested", quiet.ID), f.told(mentor, "mentorship_requested", loud.ID); n != 0 || m != 1 {
			t.Fatalf("the mentor was told of %d requests from the member they muted (want 0) and %d from another (want 1)", n, m)
		}
		// accepted: the one who muted or blocked the mentor is not told.
		expect(t, f.answer(mentor, quiet.ID, "accept"), http.StatusOK, "")
		if n := f.told(muted, "mentorship_accepted", quiet.ID); n != 1 {
			t.Fatalf("the muted member, who silenced nobody, was told %d times of the acceptance, want 1", n)
		}
		ids := map[*account]string{}
		for _, a := range []*account{muting, blocking} {
			ids[a] = f.asked(a, "open", mentor.Handle).ID
			expect(t, f.answer(mentor, ids[a], "accept"), http.StatusOK, "")
			if n := f.told(a, "mentorship_accepted", ids[a]); n != 0 {
				t.Errorf("%s, who silenced the mentor, was told of the acceptance", a.Handle)
			}
		}
		// declined.
		waiting := f.asked(declined, "open", mentor.Handle)
		for _, id := range []string{waiting.ID, loud.ID} {
			expect(t, f.answer(mentor, id, "decline"), http.StatusOK, "")
		}
		if n, m := f.told(declined, "mentorship_declined", waiting.ID), f.told(heard, "mentorship_declined", loud.ID); n != 0 || m != 1 {
			t.Errorf("declines told %d to the member who muted the mentor (want 0) and %d to another (want 1)", n, m)
		}
		// message: each way, only where nobody silenced the writer.
		for _, c := range []struct {
			from, to *account
			id       string
			want     int
		}{
			{muted, mentor, quiet.ID, 0},
			{mentor, muted, quiet.ID, 1},
			{mentor, muting, ids[muting], 0},
			{mentor, blocking, ids[blocking], 0},
			{muting, mentor, ids[muting], 1},
		} {
			expect(t, f.say(c.from, c.id, "Thinking of you today."), http.StatusCreated, "")
			if n := f.told(c.to, "mentorship_message", c.id); n != c.want {
				t.Errorf("a message from %s told %s %d times, want %d", c.from.Handle, c.to.Handle, n, c.want)
			}
		}
		// ended.
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + ids[muting] + "/end", token: mentor.Access, body: map[string]string{}}), http.StatusOK, "")
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + quiet.ID + "/end", token: muted.Access, body: map[string]string{}}), http.StatusOK, "")
		if n := f.told(muting, "mentorship_ended", ids[muting]); n != 0 {
			t.Errorf("the member who muted the mentor was told %d times the mentor ended it", n)
		}
		if n := f.told(mentor, "mentorship_ended", quiet.ID); n != 0 {
			t.Errorf("the mentor was told %d times that the member they muted ended it", n)
		}
		expect(t, f.do(req{method: "POST", path: "/mentorships/" + ids[blocking] + "/end", token: blocking.Access, body: map[string]string{}}), http.StatusOK, "")
		if n := f.told(mentor, "mentorship_ended", ids[blocking]); n != 1 {
			t.Errorf("the mentor, who silenced nobody there, was told %d times the mentee ended it, want 1", n)
		}
	})
}

// TestCrisisSkipsFacilitatorsWhoSilenced: a facilitator who muted or
// blocked a member is not called to their crisis; another facilitator of
// the circle is; with nobody left in the circle to call, the moderation
// team is called at once, as for a circle with no facilitator.
func TestCrisisSkipsFacilitatorsWhoSilenced(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		f.silence(f.facilitator, "muted", f.member)
		alone := f.crisisStory(f.member, "open")
		if n := f.told(f.facilitator, "crisis_in_circle", alone.ID); n != 0 {
			t.Errorf("the facilitator who muted the writer was called %d times", n)
		}
		for _, m := range []*account{f.moderator, f.admin} {
			if n := f.told(m, "crisis_in_circle", alone.ID); n != 1 {
				t.Errorf("%s was called %d times with no facilitator left to call, want 1", m.Handle, n)
			}
		}

		second := f.register(uniqueHandle("facil"))
		f.appoint("open", second)
		host := f.story(f.author, "open", "A host")
		r := f.do(req{method: "POST", path: "/stories/" + host.ID + "/replies", token: f.member.Access,
			body: map[string]string{"body": "Tonight I want to end my life."}})
		expect(t, r, http.StatusCreated, "")
		rep := decode[replyJSON](t, r)
		if n := f.told(second, "crisis_in_circle", rep.ID); n != 1 {
			t.Errorf("the facilitator who silenced nobody was called %d times, want 1", n)
		}
		for _, m := range []*account{f.facilitator, f.moderator, f.admin} {
			if n := f.told(m, "crisis_in_circle", rep.ID); n != 0 {
				t.Errorf("%s was called %d times although a facilitator was told", m.Handle, n)
			}
		}

		f.silence(second, "blocked", f.member)
		again := f.crisisStory(f.member, "open")
		for who, want := range map[*account]int{f.facilitator: 0, second: 0, f.moderator: 1, f.admin: 1} {
			if n := f.told(who, "crisis_in_circle", again.ID); n != want {
				t.Errorf("%s was called %d times, want %d", who.Handle, n, want)
			}
		}
		// Someone nobody silenced still calls the circle's facilitators.
		other := f.crisisStory(f.author, "open")
		for who, want := range map[*account]int{f.facilitator: 1, second: 1, f.moderator: 0} {
			if n := f.told(who, "crisis_in_circle", other.ID); n != want {
				t.Errorf("another member's crisis called %s %d times, want %d", who.Handle, n, want)
			}
		}
	})
}

// TestFoldedListsStayFull: a member who hides a theme and mutes an author
// gets full pages of the rest, in order, each once, however much is folded;
// unanswered and search leave folded stories out too.
func TestFoldedListsStayFull(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		var want []string
		for i := range 37 {
			switch {
			case i%3 == 0:
				want = append(want, f.themed(f.facilitator, "open", fmt.Sprintf("Shown %d", i), "disaster").ID)
			case i%3 == 1:
				f.themed(f.facilitator, "open", fmt.Sprintf("Folded %d", i), "eating", "disaster")
			default:
				f.themed(f.author, "open", fmt.Sprintf("Muted %d", i))
			}
		}
		// A run of folded stories longer than a page.
		for i := range 12 {
			f.themed(f.facilitator, "open", fmt.Sprintf("Folded run %d", i), "eating")
		}
		slices.Reverse(want) // newest first
		f.setPrefs(f.member, map[string]string{"eating": "hide"})
		f.silence(f.member, "muted", f.author)
		for _, limit := range []int{1, 5, 7, 20} {
			var ids []string
			for _, s := range f.listAll(f.member, "open", limit) {
				if s.Folded != nil || s.Body == nil {
					t.Fatalf("a folded story in a list: %+v", s)
				}
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, want) {
				t.Fatalf("limit %d: %d stories %v, want %d %v", limit, len(ids), ids, len(want), want)
			}
		}
		// Others see every story.
		if n := len(f.listAll(f.outsider, "open", 20)); n != 49 {
			t.Errorf("an outsider sees %d stories, want 49", n)
		}
		r := f.do(req{method: "GET", path: "/circles/open/stories?unanswered=true&limit=5", token: f.member.Access})
		expect(t, r, http.StatusOK, "")
		p := decode[pageJSON[safeStory]](t, r)
		if len(p.Items) != 5 {
			t.Fatalf("unanswered page of %d", len(p.Items))
		}
		for _, s := range p.Items {
			if !slices.Contains(want, s.ID) {
				t.Errorf("unanswered holds a folded story %s", s.ID)
			}
		}
		// A facilitator's own look at what waits folds nothing.
		f.setPrefs(f.facilitator, map[string]string{"disaster": "hide"})
		r = f.do(req{method: "GET", path: "/me/unanswered?limit=100", token: f.facilitator.Access})
		expect(t, r, http.StatusOK, "")
		if n := len(decode[pageJSON[safeStory]](t, r).Items); n < 37 {
			t.Errorf("a facilitator's unanswered holds %d", n)
		}
		r = f.do(req{method: "POST", path: "/search", token: f.member.Access, body: map[string]any{"q": "body", "limit": 5}})
		expect(t, r, http.StatusOK, "")
		found := decode[pageJSON[struct {
			ID     string
			Themes []string
		}]](t, r)
		if len(found.Items) != 5 {
			t.Fatalf("search page of %d", len(found.Items))
		}
		for _, x := range found.Items {
			if !slices.Contains(want, x.ID) || !slices.Equal(x.Themes, []string{"disaster"}) {
				t.Errorf("search found %+v", x)
			}
		}
	})
}

// TestErasureTakesReaderSafety: deleting an account takes its preferences,
// mutes and blocks with it; the export holds them before.
func TestErasureTakesReaderSafety(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		f.setPrefs(f.member, map[string]string{"eating": "hide"})
		f.silence(f.member, "muted", f.author)
		f.silence(f.member, "blocked", f.outsider)
		r := f.do(req{method: "GET", path: "/me/export", token: f.member.Access})
		expect(t, r, http.StatusOK, "")
		ex := decode[struct {
			ReaderSafety struct {
				Preferences struct{ Themes map[string]string }
				Muted       []struct{ Handle string }
				Blocked     []struct{ Handle string }
			} `json:"reader_safety"`
		}](t, r).ReaderSafety
		if ex.Preferences.Themes["eating"] != "hide" || len(ex.Muted) != 1 || ex.Muted[0].Handle != f.author.Handle ||
			len(ex.Blocked) != 1 || ex.Blocked[0].Handle != f.outsider.Handle {
			t.Fatalf("export %+v", ex)
		}
		ctx := context.Background()
		quiet, err := f.svc.Safety.Silenced(ctx, f.member.ID, []string{f.author.ID, f.outsider.ID})
		if err != nil || !quiet[f.author.ID] || !quiet[f.outsider.ID] {
			t.Fatalf("before erasure: %v %v", quiet, err)
		}
		expect(t, f.do(req{method: "DELETE", path: "/me", token: f.member.Access, body: map[string]string{"password": f.member.Password}}), http.StatusNoContent, "")
		if _, err := f.store.GetSafety(ctx, f.member.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("preferences after erasure: %v", err)
		}
		quiet, err = f.svc.Safety.Silenced(ctx, f.member.ID, []string{f.author.ID, f.outsider.ID})
		if err != nil || len(quiet) != 0 {
			t.Errorf("pairs after erasure: %v %v", quiet, err)
		}
	})
}

// TestErasureTakesOthersListsOfThem: when a member erases their account,
// every pair by which others muted or blocked them goes, and so does their
// entry in each of those members' sealed lists (opened again from the
// store, not just left out of the answer); others' other entries stay. On
// SQLite the lists as they were before are gone from the file and its WAL.
func TestErasureTakesOthersListsOfThem(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		ctx := context.Background()
		gone := f.joined("gone")
		f.silence(f.member, "muted", gone)
		f.silence(f.author, "blocked", gone)
		f.silence(f.facilitator, "muted", gone)
		f.silence(f.facilitator, "blocked", gone)
		f.silence(f.facilitator, "muted", f.author)
		owners := []*account{f.member, f.author, f.facilitator}
		ownerIDs := []string{f.member.ID, f.author.ID, f.facilitator.ID}
		db := f.storeDB(t)
		sealed := func(a *account) []byte {
			t.Helper()
			var b []byte
			if err := db.Raw("SELECT sealed FROM safety_preferences WHERE member_id = ?", a.ID).Row().Scan(&b); err != nil {
				t.Fatal(err)
			}
			return b
		}
		lists := func(a *account) []byte {
			t.Helper()
			plain, err := f.svc.Sealer.OpenInPlace(ctx, sealed(a), store.SafetyLocation(a.ID))
			if err != nil {
				t.Fatal(err)
			}
			return plain
		}
		before := map[*account][]byte{}
		for _, a := range owners {
			before[a] = sealed(a)
			if !bytes.Contains(lists(a), []byte(gone.ID)) {
				t.Fatalf("%s's sealed lists do not name the member before erasure: the checks below could not fail", a.Handle)
			}
		}
		if n := count(t, db, "SELECT count(*) FROM safety_pairs"); n != 5 {
			t.Fatalf("%d pairs before erasure, want 5", n)
		}
		if by, err := f.svc.Safety.SilencersOf(ctx, gone.ID, ownerIDs); err != nil || len(by) != 3 {
			t.Fatalf("before erasure %v silenced the member, %v; want all three", by, err)
		}
		var raw []byte
		if f.dialect == store.SQLite {
			raw = rawStore(t, filepath.Dir(f.storePath))
			for a, b := range before {
				if !bytes.Contains(raw, b) {
					t.Fatalf("%s's sealed lists are not in the raw files before erasure", a.Handle)
				}
			}
		}

		expect(t, f.do(req{method: "DELETE", path: "/me", token: gone.Access, body: map[string]string{"password": gone.Password}}), http.StatusNoContent, "")

		if n := count(t, db, "SELECT count(*) FROM safety_pairs"); n != 1 {
			t.Errorf("%d pairs after erasure, want only the facilitator's mute of the author", n)
		}
		if by, err := f.svc.Safety.SilencersOf(ctx, gone.ID, ownerIDs); err != nil || len(by) != 0 {
			t.Errorf("after erasure %v still silence the member, %v", by, err)
		}
		if still, err := f.svc.Safety.Silenced(ctx, f.facilitator.ID, []string{f.author.ID}); err != nil || !still[f.author.ID] {
			t.Errorf("the facilitator's mute of someone else went with the erasure: %v %v", still, err)
		}
		for _, a := range owners {
			if plain := lists(a); bytes.Contains(plain, []byte(gone.ID)) {
				t.Errorf("%s's sealed lists still name the erased member: %s", a.Handle, plain)
			}
		}
		if !bytes.Contains(lists(f.facilitator), []byte(f.author.ID)) {
			t.Error("the facilitator's list lost the author")
		}
		for _, c := range []struct {
			a    *account
			list string
			want []string
		}{{f.member, "muted", nil}, {f.author, "blocked", nil}, {f.facilitator, "muted", []string{f.author.Handle}}, {f.facilitator, "blocked", nil}} {
			r := f.do(req{method: "GET", path: "/me/" + c.list, token: c.a.Access})
			expect(t, r, http.StatusOK, "")
			var got []string
			for _, x := range decode[pageJSON[struct{ Handle string }]](t, r).Items {
				got = append(got, x.Handle)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s's %s list: %v, want %v", c.a.Handle, c.list, got, c.want)
			}
		}
		// A mute of them that was on its way when they went is refused,
		// and writes nothing.
		err := f.store.ChangeSafety(ctx, f.member.ID, gone.ID, false, time.Now(), func([]byte) ([]byte, [][]byte, [][]byte, error) {
			t.Error("a change naming an erased member was made")
			return nil, nil, nil, nil
		})
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a change naming an erased member: %v, want ErrNotFound", err)
		}
		if f.dialect == store.SQLite {
			raw = rawStore(t, filepath.Dir(f.storePath))
			for a, b := range before {
				if bytes.Contains(raw, b) {
					t.Errorf("%s's lists as they were before the erasure remain in the database file or WAL", a.Handle)
				}
			}
		}
	})
}

// TestBlockedFlagsDoNotHide: flags from members the author blocked are
// taken like any other (201) but do not count toward the three-member
// hide; three flags from others still hide.
func TestBlockedFlagsDoNotHide(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Mine")
		b1, b2, o1, o2 := f.joined("blk"), f.joined("blk"), f.joined("flg"), f.joined("flg")
		f.silence(f.author, "blocked", b1)
		f.silence(f.author, "blocked", b2)
		flag := func(a *account) {
			t.Helper()
			expect(t, f.do(req{method: "POST", path: "/flags", token: a.Access,
				body: map[string]string{"target_type": "story", "target_id": s.ID, "reason": "harassment"}}), http.StatusCreated, "")
		}
		for _, a := range []*account{b1, b2, o1} {
			flag(a)
		}
		if got := f.readStory(f.outsider, s.ID, ""); got.Status != "published" {
			t.Fatalf("two blocked members and one other hid the story: %s", got.Status)
		}
		flag(o2)
		if got := f.readStory(f.outsider, s.ID, ""); got.Status != "published" {
			t.Fatalf("two counted flags hid the story: %s", got.Status)
		}
		flag(f.member)
		if got := f.readStory(f.outsider, s.ID, ""); got.Status != "hidden" {
			t.Fatalf("three counted flags left the story %s", got.Status)
		}
	})
}

// TestAddThemes: a moderator adds themes to someone's writing: they join
// the author's own, nothing is hidden, the action is logged and the
// author told; readers who hide the theme now have it folded.
func TestAddThemes(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.themed(f.author, "open", "After the storm", "death_loss")
		rep := f.reply(f.author, s.ID, "", "The flood took the house")
		act := func(typ, id string, body map[string]any) *response {
			return f.do(req{method: "POST", path: "/moderation/items/" + typ + "/" + id + "/actions", token: f.moderator.Access, body: body})
		}
		expect(t, act("story", s.ID, map[string]any{"action": "add_themes", "themes": []string{"flood"}, "reason": "x"}), http.StatusBadRequest, "invalid_theme")
		expect(t, act("story", s.ID, map[string]any{"action": "add_themes", "themes": []string{}, "reason": "x"}), http.StatusBadRequest, "invalid_theme")
		expect(t, act("story", s.ID, map[string]any{"action": "hide", "themes": []string{"disaster"}, "reason": "x"}), http.StatusBadRequest, "unknown_field")
		expect(t, f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/actions", token: f.member.Access,
			body: map[string]any{"action": "add_themes", "themes": []string{"disaster"}, "reason": "x"}}), http.StatusForbidden, "")

		r := act("story", s.ID, map[string]any{"action": "add_themes", "themes": []string{"disaster"}, "reason": "It tells of a flood."})
		expect(t, r, http.StatusOK, "")
		if st := r.JSON(t)["status"]; st != "published" {
			t.Errorf("status after add_themes %v", st)
		}
		expect(t, act("reply", rep.ID, map[string]any{"action": "add_themes", "themes": []string{"disaster"}, "reason": "The flood."}), http.StatusOK, "")
		if got := f.readStory(f.outsider, s.ID, ""); !slices.Equal(got.Themes, []string{"death_loss", "disaster"}) || got.Body == nil || got.Status != "published" {
			t.Fatalf("story after add_themes %+v", got)
		}
		if th := f.thread(f.outsider, s.ID, ""); len(th) != 1 || !slices.Equal(th[0].Themes, []string{"disaster"}) {
			t.Fatalf("reply after add_themes %+v", th)
		}
		told := f.noticesOf(f.author, "themes_added")
		if len(told) != 2 || told[0].ActionID == nil || told[0].Actor != nil {
			t.Fatalf("the author's themes_added notices %+v", told)
		}
		r = f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access})
		expect(t, r, http.StatusOK, "")
		if !bytes.Contains(r.Body, []byte(`"add_themes"`)) {
			t.Errorf("add_themes is not on the log: %s", r.Body)
		}
		f.setPrefs(f.outsider, map[string]string{"disaster": "hide"})
		if got := f.readStory(f.outsider, s.ID, ""); got.Folded == nil || *got.Folded != "themes" || got.Body != nil {
			t.Errorf("a reader hiding disaster reads %+v", got)
		}
		// The author edits without themes: the moderator's stay.
		r = f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]any{"body": "Edited"}})
		expect(t, r, http.StatusOK, "")
		if got := decode[safeStory](t, r); !slices.Equal(got.Themes, []string{"death_loss", "disaster"}) {
			t.Errorf("after the author's edit %v", got.Themes)
		}
		// With themes, the author changes their own; the moderator's stay
		// whatever they pick, one the author had too included.
		edit := func(path string, themes []string) []string {
			t.Helper()
			body := map[string]any{"body": "Edited again", "themes": themes}
			r := f.do(req{method: "PATCH", path: path, token: f.author.Access, body: body})
			expect(t, r, http.StatusOK, "")
			return decode[safeStory](t, r).Themes
		}
		for _, c := range []struct {
			themes, want []string
		}{
			{[]string{"eating"}, []string{"eating", "disaster"}},
			{[]string{}, []string{"disaster"}},
			{[]string{"death_loss", "suicide"}, []string{"suicide", "death_loss", "disaster"}},
		} {
			if got := edit("/stories/"+s.ID, c.themes); !slices.Equal(got, c.want) {
				t.Errorf("the author's edit with themes %v leaves %v, want %v", c.themes, got, c.want)
			}
		}
		if got := edit("/replies/"+rep.ID, []string{}); !slices.Equal(got, []string{"disaster"}) {
			t.Errorf("the author's reply edit with no themes leaves %v, want the moderator's", got)
		}
		expect(t, act("story", s.ID, map[string]any{"action": "add_themes", "themes": []string{"death_loss"}, "reason": "A death."}), http.StatusOK, "")
		if got := edit("/stories/"+s.ID, []string{}); !slices.Equal(got, []string{"death_loss", "disaster"}) {
			t.Errorf("a theme the author had and the moderator added went with the author's edit: %v", got)
		}
		if got := f.readStory(f.outsider, s.ID, ""); got.Folded == nil || *got.Folded != "themes" {
			t.Errorf("after the author's edits a reader hiding disaster reads %+v", got)
		}
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + s.ID, token: f.author.Access}), http.StatusNoContent, "")
		expect(t, act("story", s.ID, map[string]any{"action": "add_themes", "themes": []string{"eating"}, "reason": "x"}), http.StatusConflict, "removed")
	})
}

// TestMutesAtOnceAllKept: mutes sent at once are all kept, in the list and
// as pairs: a change made over another starts again from it.
func TestMutesAtOnceAllKept(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		others := make([]*account, 8)
		ids := make([]string, len(others))
		for i := range others {
			others[i] = f.register(uniqueHandle("many"))
			ids[i] = others[i].ID
		}
		var wg sync.WaitGroup
		for _, o := range others {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := f.do(req{method: "PUT", path: "/me/muted/" + o.Handle, token: f.member.Access})
				if r.Status != http.StatusNoContent {
					t.Errorf("mute: %d %s", r.Status, r.Body)
				}
			}()
		}
		wg.Wait()
		r := f.do(req{method: "GET", path: "/me/muted", token: f.member.Access})
		if n := len(decode[pageJSON[struct{ Handle string }]](t, r).Items); n != len(others) {
			t.Errorf("the list holds %d of %d", n, len(others))
		}
		quiet, err := f.svc.Safety.Silenced(context.Background(), f.member.ID, ids)
		if err != nil || len(quiet) != len(others) {
			t.Errorf("pairs: %d of %d, %v", len(quiet), len(others), err)
		}
	})
}

// TestManyFlagsAtOnceHideOnce: a dozen members flag one reply at the same
// moment, two of them blocked by its author and some for crisis: every
// flag is filed, the reply is hidden exactly once (one log entry, one
// notice), and the blocked members' flags did not count. On PostgreSQL
// the flags that cannot make three take one batch each and the rest the
// transaction that decides, so this is where the two paths meet.
func TestManyFlagsAtOnceHideOnce(t *testing.T) {
	t.Parallel()
	onEveryForum(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.facilitator, "open", "Host")
		r := f.reply(f.author, s.ID, "", "Flag me, all at once")
		blocked := []*account{f.joined("blk"), f.joined("blk")}
		for _, b := range blocked {
			f.silence(f.author, "blocked", b)
		}
		var reporters []*account
		reasons := map[*account]string{}
		for i := range 10 {
			a := f.joined("many")
			reporters = append(reporters, a)
			reasons[a] = []string{"harassment", "crisis", "spam", "crisis", "privacy"}[i%5]
		}
		for _, b := range blocked {
			reporters = append(reporters, b)
			reasons[b] = "harassment"
		}
		var wg sync.WaitGroup
		for _, a := range reporters {
			wg.Go(func() {
				res := f.do(req{method: "POST", path: "/flags", token: a.Access,
					body: map[string]string{"target_type": "reply", "target_id": r.ID, "reason": reasons[a]}})
				if res.Status != http.StatusCreated {
					t.Errorf("flag: %d %s", res.Status, res.Body)
				}
			})
		}
		wg.Wait()
		if th := f.thread(f.outsider, s.ID, ""); len(th) != 1 || th[0].Status != "hidden" {
			t.Fatalf("after six counted flags the reply reads %+v", th)
		}
		hidden := 0
		for _, n := range f.notices(f.author) {
			if n.Kind == "hidden" {
				hidden++
			}
		}
		if hidden != 1 {
			t.Errorf("the author was told of %d hides, want 1", hidden)
		}
		log := decode[pageJSON[struct{ Actor, Action, Target string }]](t, f.do(req{method: "GET", path: "/moderation/log?limit=100", token: f.admin.Access}))
		hides := 0
		for _, e := range log.Items {
			if e.Action == "hide_by_flags" && e.Target == "reply:"+r.ID {
				hides++
			}
		}
		if hides != 1 {
			t.Errorf("%d hide_by_flags entries for the reply, want 1", hides)
		}
		total := 0
		for _, it := range f.queue() {
			if it.TargetID == r.ID {
				for _, g := range it.Flags {
					total += g.Count
				}
			}
		}
		if total != len(reporters) {
			t.Errorf("the queue counts %d flags on the reply, want all %d", total, len(reporters))
		}

		// Two counted flags and two blocked ones at once never hide.
		quiet := f.reply(f.author, s.ID, "", "Two flags and two blocked")
		for _, a := range []*account{f.joined("two"), f.joined("two"), blocked[0], blocked[1]} {
			wg.Go(func() {
				expect(t, f.do(req{method: "POST", path: "/flags", token: a.Access,
					body: map[string]string{"target_type": "reply", "target_id": quiet.ID, "reason": "spam"}}), http.StatusCreated, "")
			})
		}
		wg.Wait()
		for _, rp := range f.thread(f.outsider, s.ID, "") {
			if rp.ID == quiet.ID && rp.Status != "published" {
				t.Errorf("two counted flags hid a reply: %s", rp.Status)
			}
		}
	})
}

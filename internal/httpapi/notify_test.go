package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"hearth/internal/store"
)

// noticesOf lists a's notices of kind, newest first.
func (f *forumFixture) noticesOf(a *account, kind string) []noticeJSON {
	f.t.Helper()
	var out []noticeJSON
	for _, n := range f.notices(a) {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func (f *forumFixture) unread(a *account) int {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/me/notices/unread-count", token: a.Access})
	expect(f.t, r, http.StatusOK, "")
	return int(r.JSON(f.t)["count"].(float64))
}

// joined registers a member of the open circle.
func (f *forumFixture) joined(prefix string) *account {
	f.t.Helper()
	a := f.register(uniqueHandle(prefix))
	expect(f.t, f.do(req{method: "POST", path: "/circles/open/join", token: a.Access}), http.StatusNoContent, "")
	return a
}

// TestRepliesReachFollowers: a story's author and everyone who replies
// follow it; a reply tells each follower once (reply_to_you to the author
// of the reply it answers, reply to the rest), never the replier, never
// someone who stopped following or can no longer read the story.
func TestRepliesReachFollowers(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Six weeks after the bypass")
		first := f.reply(f.member, s.ID, "", "I remember that stage.")
		watcher := f.joined("watcher")
		expect(t, f.do(req{method: "PUT", path: "/stories/" + s.ID + "/follow", token: watcher.Access}), http.StatusNoContent, "")
		quiet := f.joined("quiet")
		f.reply(quiet, s.ID, "", "Sending strength.")
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + s.ID + "/follow", token: quiet.Access}), http.StatusNoContent, "")
		second := f.reply(f.facilitator, s.ID, first.ID, "Thank you both for sharing this.")

		toYou := f.noticesOf(f.member, "reply_to_you")
		if len(toYou) != 1 || toYou[0].TargetID != second.ID || toYou[0].StoryID != s.ID || toYou[0].Actor == nil || toYou[0].Actor.Handle != f.facilitator.Handle {
			t.Fatalf("the answered member's notices %+v", f.notices(f.member))
		}
		if n := f.noticesOf(f.member, "reply"); len(n) != 1 || n[0].TargetID != "" && n[0].TargetID == second.ID {
			t.Errorf("the answered member also got a plain reply notice for the same reply, or missed quiet's: %+v", n)
		}
		authorSaw := f.noticesOf(f.author, "reply")
		if len(authorSaw) != 3 || authorSaw[0].TargetID != second.ID || !strings.Contains(authorSaw[0].Message, f.facilitator.Handle) {
			t.Errorf("the author's reply notices %+v, want three, newest first", authorSaw)
		}
		if n := f.noticesOf(watcher, "reply"); len(n) != 2 {
			t.Errorf("the explicit follower heard of %d replies, want the two after they followed", len(n))
		}
		if n := f.noticesOf(quiet, "reply"); len(n) != 0 {
			t.Errorf("someone who unfollowed heard of %+v", n)
		}
		if n := f.notices(f.facilitator); len(n) != 0 {
			t.Errorf("the replier was told of their own reply: %+v", n)
		}
		// Replying again does not follow again after an unfollow.
		f.reply(quiet, s.ID, "", "One more thought.")
		f.reply(f.author, s.ID, "", "Thank you all.")
		if n := f.noticesOf(quiet, "reply"); len(n) != 0 {
			t.Errorf("replying again followed again: %+v", n)
		}
		// Leaving a private circle ends hearing of it.
		p := f.story(f.author, "hidden", "In the private circle")
		f.reply(f.member, p.ID, "", "Here with you.")
		expect(t, f.do(req{method: "POST", path: "/circles/hidden/leave", token: f.member.Access}), http.StatusNoContent, "")
		f.reply(f.author, p.ID, "", "Thank you.")
		for _, n := range f.notices(f.member) {
			if n.StoryID == p.ID {
				t.Errorf("a member who left the private circle heard of %+v", n)
			}
		}
	})
}

// TestPendingReplyNotifiesWhenApproved: a reply held for review tells
// nobody until a moderator approves it, then tells them as a new reply.
func TestPendingReplyNotifiesWhenApproved(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Held replies")
		mine := f.reply(f.member, s.ID, "", "Written before the circle held newcomers.")
		expect(t, f.do(req{method: "PATCH", path: "/circles/open", token: f.admin.Access, body: map[string]bool{"premoderation": true}}), http.StatusOK, "")
		newcomer := f.joined("newcomer")
		held := f.reply(newcomer, s.ID, mine.ID, "My first words here.")
		if held.Status != "pending" {
			t.Fatalf("newcomer's reply is %s", held.Status)
		}
		for _, a := range []*account{f.author, f.member} {
			for _, n := range f.notices(a) {
				if n.TargetID == held.ID {
					t.Fatalf("a pending reply notified %s: %+v", a.Handle, n)
				}
			}
		}
		expect(t, f.act("reply", held.ID, "approve", "Welcome."), http.StatusOK, "")
		if n := f.noticesOf(f.member, "reply_to_you"); len(n) != 1 || n[0].TargetID != held.ID {
			t.Errorf("after approval the answered member has %+v", f.notices(f.member))
		}
		if !slices.ContainsFunc(f.noticesOf(f.author, "reply"), func(n noticeJSON) bool { return n.TargetID == held.ID }) {
			t.Errorf("after approval the author has %+v", f.notices(f.author))
		}
	})
}

// TestApprovedReplyIsNeverMarkedReadUnseen: a held reply approved while
// the author's notices are open sorts above what the page showed, so Mark
// all read (up_to the newest shown) leaves it unread.
func TestApprovedReplyIsNeverMarkedReadUnseen(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Held replies")
		expect(t, f.do(req{method: "PATCH", path: "/circles/open", token: f.admin.Access, body: map[string]bool{"premoderation": true}}), http.StatusOK, "")
		held := f.reply(f.joined("newcomer"), s.ID, "", "Written first, held for review.")
		if held.Status != "pending" {
			t.Fatalf("newcomer's reply is %s", held.Status)
		}
		shown := f.reply(f.facilitator, s.ID, "", "Written second by a facilitator, never held.")
		page := f.notices(f.author)
		if len(page) != 1 || page[0].TargetID != shown.ID {
			t.Fatalf("the page shows %+v", page)
		}
		expect(t, f.act("reply", held.ID, "approve", "Welcome."), http.StatusOK, "")
		if n := f.unread(f.author); n != 2 { // delivers the approved reply
			t.Fatalf("unread %d after approval, want 2", n)
		}
		expect(t, f.do(req{method: "POST", path: "/me/notices/read", token: f.author.Access, body: map[string]any{"up_to": page[0].ID}}), http.StatusNoContent, "")
		unread := decode[pageJSON[noticeJSON]](t, f.do(req{method: "GET", path: "/me/notices?unread=true", token: f.author.Access})).Items
		if len(unread) != 1 || unread[0].TargetID != held.ID {
			t.Errorf("after Mark all read the unread notices are %+v, want the approved reply's", unread)
		}
	})
}

// TestNoticeReadState: unread notices are counted and listed apart;
// marking by id touches only the caller's, and up_to never marks a newer
// notice read unseen.
func TestNoticeReadState(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Counting")
		for i := range 3 {
			f.reply(f.member, s.ID, "", fmt.Sprintf("Reply %d", i))
		}
		if n := f.unread(f.author); n != 3 {
			t.Fatalf("unread %d, want 3", n)
		}
		all := f.notices(f.author)
		// The member's own notice, whose id the author sends too: ignored.
		f.reply(f.facilitator, f.story(f.member, "open", "Mine").ID, "", "Thank you for this")
		other := f.noticesOf(f.member, "reply")
		if len(other) != 1 {
			t.Fatalf("the member has %+v, want one reply", f.notices(f.member))
		}
		expect(t, f.do(req{method: "POST", path: "/me/notices/read", token: f.author.Access, body: map[string]any{"ids": []string{all[2].ID, other[0].ID}}}), http.StatusNoContent, "")
		if n := f.unread(f.author); n != 2 {
			t.Errorf("unread %d after marking one, want 2", n)
		}
		if n := f.unread(f.member); n != 1 {
			t.Errorf("the member's notice was marked by another's request: unread %d, want 1", n)
		}
		// The page showed all[0]; a reply comes meanwhile; up_to all[0]
		// leaves the newcomer unread.
		late := f.reply(f.facilitator, s.ID, "", "Arrived while the page was open")
		expect(t, f.do(req{method: "POST", path: "/me/notices/read", token: f.author.Access, body: map[string]any{"up_to": all[0].ID}}), http.StatusNoContent, "")
		unread := decode[pageJSON[noticeJSON]](t, f.do(req{method: "GET", path: "/me/notices?unread=true", token: f.author.Access})).Items
		if len(unread) != 1 || unread[0].TargetID != late.ID || unread[0].ReadAt != nil {
			t.Errorf("unread after up_to: %+v", unread)
		}
		if read := f.notices(f.author); read[1].ReadAt == nil {
			t.Errorf("a notice up to the mark is still unread: %+v", read[1])
		}
		expect(t, f.do(req{method: "POST", path: "/me/notices/read", token: f.author.Access, body: map[string]any{}}), http.StatusBadRequest, "nothing_to_mark")
		expect(t, f.do(req{method: "GET", path: "/me/notices?unread=maybe", token: f.author.Access}), http.StatusBadRequest, "invalid_unread")
	})
}

// TestFacilitatorsAreMarkedAtReadTime: a facilitator's writing says so
// while they facilitate the circle, and not after.
func TestFacilitatorsAreMarkedAtReadTime(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.facilitator, "open", "Guidance for the week")
		rp := f.reply(f.facilitator, f.story(f.member, "open", "A question").ID, "", "Here is what helps.")
		type authored struct {
			Author *struct {
				Handle      string
				Facilitator bool
			}
		}
		read := func(path string) bool {
			t.Helper()
			return decode[authored](t, f.do(req{method: "GET", path: path, token: f.member.Access})).Author.Facilitator
		}
		thread := func() bool {
			t.Helper()
			return decode[pageJSON[authored]](t, f.do(req{method: "GET", path: "/stories/" + rp.StoryID + "/replies", token: f.member.Access})).Items[0].Author.Facilitator
		}
		if !read("/stories/"+s.ID) || !thread() {
			t.Fatal("a facilitator's writing is not marked")
		}
		if read("/stories/" + f.story(f.member, "open", "Mine").ID) {
			t.Error("a member's writing is marked as a facilitator's")
		}
		expect(t, f.do(req{method: "DELETE", path: "/circles/open/facilitators/" + f.facilitator.Handle, token: f.admin.Access}), http.StatusNoContent, "")
		if read("/stories/"+s.ID) || thread() {
			t.Error("writing of someone who no longer facilitates is still marked")
		}
	})
}

// TestUnansweredStories: a circle's stories nobody else has answered come
// oldest first, and leave the list when answered (and come back when the
// answer goes); facilitators and moderators see them across their circles.
func TestUnansweredStories(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		oldest := f.story(f.author, "open", "Nobody yet")
		selfOnly := f.story(f.author, "open", "Only I replied")
		f.reply(f.author, selfOnly.ID, "", "Adding a thought of my own.")
		answered := f.story(f.author, "open", "Answered")
		answer := f.reply(f.member, answered.ID, "", "I hear you.")
		newest := f.story(f.member, "open", "Newest")
		guidance := f.do(req{method: "POST", path: "/circles/open/stories", token: f.facilitator.Access,
			body: map[string]string{"title": "Weekly guidance", "body": "Read me.", "kind": "guidance"}})
		expect(t, guidance, http.StatusCreated, "")
		list := func(path string, a *account) []string {
			t.Helper()
			var ids []string
			r := f.do(req{method: "GET", path: path, token: a.Access})
			expect(t, r, http.StatusOK, "")
			for _, s := range decode[pageJSON[storyJSON]](t, r).Items {
				ids = append(ids, s.ID)
			}
			return ids
		}
		want := []string{oldest.ID, selfOnly.ID, newest.ID}
		if got := list("/circles/open/stories?unanswered=true", f.member); !slices.Equal(got, want) {
			t.Fatalf("unanswered %v, want %v", got, want)
		}
		// Paging keeps the order.
		r := f.do(req{method: "GET", path: "/circles/open/stories?unanswered=true&limit=2", token: f.member.Access})
		page := decode[pageJSON[storyJSON]](t, r)
		if len(page.Items) != 2 || page.NextCursor == nil {
			t.Fatalf("first page %+v", page)
		}
		if got := list("/circles/open/stories?unanswered=true&limit=2&cursor="+*page.NextCursor, f.member); !slices.Equal(got, want[2:]) {
			t.Errorf("second page %v", got)
		}
		// The answer removed, the story waits again; restored, it does not.
		expect(t, f.act("reply", answer.ID, "remove", "Off topic."), http.StatusOK, "")
		if got := list("/circles/open/stories?unanswered=true", f.member); !slices.Contains(got, answered.ID) {
			t.Errorf("a story whose only answer was removed is not waiting: %v", got)
		}
		expect(t, f.act("reply", answer.ID, "restore", "It belongs."), http.StatusOK, "")
		if got := list("/circles/open/stories?unanswered=true", f.member); slices.Contains(got, answered.ID) {
			t.Errorf("a story answered again still waits: %v", got)
		}
		// Across circles: the facilitator sees both of theirs; others may not.
		hiddenStory := f.story(f.author, "hidden", "Private and waiting")
		across := list("/me/unanswered", f.facilitator)
		if !slices.Contains(across, hiddenStory.ID) || !slices.Contains(across, oldest.ID) || slices.Contains(across, answered.ID) {
			t.Errorf("a facilitator's stories waiting: %v", across)
		}
		if got := list("/me/unanswered", f.otherFacilitator); slices.Contains(got, oldest.ID) {
			t.Errorf("another circle's facilitator sees %v", got)
		}
		if got := list("/me/unanswered", f.moderator); slices.Contains(got, hiddenStory.ID) || !slices.Contains(got, oldest.ID) {
			t.Errorf("a moderator outside the private circle sees %v", got)
		}
		expect(t, f.do(req{method: "GET", path: "/me/unanswered", token: f.member.Access}), http.StatusForbidden, "not_facilitator")
	})
}

// TestCrisisCallsTheCircle: writing that reads as a crisis calls each of
// its circle's facilitators (naming it, never its words); one of them says
// they are with the writer, which the queue and the log show; a crisis in
// a circle with no facilitator calls the moderators at once, and one that
// nobody acknowledges in time calls them too, once.
func TestCrisisCallsTheCircle(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.crisisStory(f.member, "open")
		calls := f.noticesOf(f.facilitator, "crisis_in_circle")
		if len(calls) != 1 || calls[0].TargetID != s.ID || strings.Contains(calls[0].Message, "end my life") {
			t.Fatalf("the facilitator's call %+v", calls)
		}
		if n := f.noticesOf(f.otherFacilitator, "crisis_in_circle"); len(n) != 0 {
			t.Errorf("another circle's facilitator was called: %+v", n)
		}
		if n := f.noticesOf(f.moderator, "crisis_in_circle"); len(n) != 0 {
			t.Errorf("moderators were called although the circle has a facilitator: %+v", n)
		}
		// An edit that still reads as a crisis does not call again while the
		// call is unread.
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.member.Access, body: map[string]string{"body": "I still want to end my life."}}), http.StatusOK, "")
		if n := f.noticesOf(f.facilitator, "crisis_in_circle"); len(n) != 1 {
			t.Errorf("an edit called again: %d calls", len(n))
		}
		expect(t, f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/acknowledge", token: f.member.Access}), http.StatusForbidden, "forbidden")
		r := f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/acknowledge", token: f.facilitator.Access})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["acknowledged_by"] != f.facilitator.Handle {
			t.Errorf("acknowledge answered %s", r.Body)
		}
		var item *queueJSON
		for _, it := range f.queue() {
			if it.TargetID == s.ID {
				item = &it
			}
		}
		if item == nil || item.AcknowledgedBy == nil || *item.AcknowledgedBy != f.facilitator.Handle {
			t.Errorf("the queue item %+v does not show who is with them", item)
		}
		log := decode[pageJSON[struct{ Actor, Action, Target string }]](t, f.do(req{method: "GET", path: "/moderation/log", token: f.moderator.Access}))
		if len(log.Items) == 0 || log.Items[0].Action != "acknowledge" || log.Items[0].Actor != f.facilitator.Handle {
			t.Errorf("log %+v", log.Items)
		}
		expect(t, f.do(req{method: "POST", path: "/moderation/items/story/" + f.story(f.member, "open", "Calm").ID + "/acknowledge", token: f.moderator.Access}), http.StatusConflict, "no_open_crisis")

		// A circle with no facilitator calls the moderators at once.
		expect(t, f.do(req{method: "POST", path: "/circles", token: f.admin.Access,
			body: map[string]any{"slug": "alone", "name": "Alone", "description": "", "visibility": "open"}}), http.StatusCreated, "")
		expect(t, f.do(req{method: "POST", path: "/circles/alone/join", token: f.member.Access}), http.StatusNoContent, "")
		lonely := f.crisisStory(f.member, "alone")
		if n := f.noticesOf(f.moderator, "crisis_in_circle"); len(n) != 1 || n[0].TargetID != lonely.ID {
			t.Errorf("moderators' calls for a circle without a facilitator: %+v", n)
		}
		// Past the target, a crisis nobody is with calls every moderator,
		// once; the acknowledged one calls nobody.
		ctx := context.Background()
		for range 2 {
			if _, err := f.svc.Notify.EscalateOverdue(ctx, 0); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range []*account{f.moderator, f.admin} {
			var escalated int
			for _, n := range f.noticesOf(m, "crisis_in_circle") {
				if n.TargetID == s.ID {
					t.Errorf("an acknowledged crisis was escalated to %s", m.Handle)
				}
				if n.TargetID == lonely.ID {
					escalated++
				}
			}
			if escalated != 1 {
				t.Errorf("%s was called %d times to the crisis nobody is with (unread calls are not repeated)", m.Handle, escalated)
			}
		}
	})
}

// TestCrisisInAReplyCallsTheCircle: crisis words in a reply call the
// circle's facilitator, naming the reply and never its words, and the
// facilitator's "I'm with them" shows on its queue item.
func TestCrisisInAReplyCallsTheCircle(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A hard week")
		r := f.reply(f.member, s.ID, "", "Some nights I want to end my life.")
		calls := f.noticesOf(f.facilitator, "crisis_in_circle")
		if len(calls) != 1 || calls[0].TargetType != "reply" || calls[0].TargetID != r.ID || calls[0].StoryID != s.ID || strings.Contains(calls[0].Message, "end my life") {
			t.Fatalf("the facilitator's call %+v", calls)
		}
		if n := f.noticesOf(f.author, "crisis_in_circle"); len(n) != 0 {
			t.Errorf("the story's author, who facilitates nothing, was called: %+v", n)
		}
		expect(t, f.do(req{method: "POST", path: "/moderation/items/reply/" + r.ID + "/acknowledge", token: f.facilitator.Access}), http.StatusOK, "")
		q := f.queue()
		i := slices.IndexFunc(q, func(it queueJSON) bool { return it.TargetID == r.ID })
		if i < 0 {
			t.Fatal("the crisis reply is not in the queue")
		}
		if it := q[i]; it.AcknowledgedBy == nil || *it.AcknowledgedBy != f.facilitator.Handle {
			t.Errorf("the reply's queue item %+v does not show who is with them", it)
		}
	})
}

// TestBannedAndErasedFollowersHearNothing: a follower who is banned, or
// who erased their account, is told of no reply, not even one answering
// their own.
func TestBannedAndErasedFollowersHearNothing(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		ctx := context.Background()
		s := f.story(f.author, "open", "Still here")
		banned, erased := f.joined("banned"), f.joined("erased")
		theirs := []replyJSON{f.reply(banned, s.ID, "", "Me too."), f.reply(erased, s.ID, "", "And me.")}
		expect(t, f.do(req{method: "POST", path: "/moderation/members/" + banned.Handle + "/actions", token: f.admin.Access,
			body: map[string]any{"action": "ban", "reason": "Harassment after warnings."}}), http.StatusOK, "")
		expect(t, f.do(req{method: "DELETE", path: "/me", token: erased.Access, body: map[string]string{"password": erased.Password}}), http.StatusNoContent, "")
		for _, r := range theirs {
			f.reply(f.facilitator, s.ID, r.ID, "Thank you for saying so.")
		}
		f.reply(f.member, s.ID, "", "A new reply for every follower.")
		// The banned member's reply stands; the erased member's went with
		// their account.
		if n := f.noticesOf(f.author, "reply"); len(n) != 4 {
			t.Fatalf("the author heard of %d replies, want 4", len(n))
		}
		for _, a := range []*account{banned, erased} {
			rows, err := f.store.ListNotices(ctx, store.FindNotices{MemberID: a.ID, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 0 {
				t.Errorf("%s has %d notices stored", a.Handle, len(rows))
			}
		}
	})
}

// TestDeletedReplyNoticeReadsAsRemoved: a notice of a reply its author
// deleted still lists, and its target reads as removed, with no text.
func TestDeletedReplyNoticeReadsAsRemoved(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "A story")
		rp := f.reply(f.member, s.ID, "", "Soon gone")
		if n := f.unread(f.author); n != 1 { // delivered before the reply goes
			t.Fatalf("unread %d, want 1", n)
		}
		expect(t, f.do(req{method: "DELETE", path: "/replies/" + rp.ID, token: f.member.Access}), http.StatusNoContent, "")
		ns := f.noticesOf(f.author, "reply")
		if len(ns) != 1 || ns[0].TargetID != rp.ID {
			t.Fatalf("notices %+v", ns)
		}
		thread := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.author.Access}))
		if len(thread.Items) != 1 || thread.Items[0].Status != "removed" || thread.Items[0].Body != nil {
			t.Errorf("the notice's target reads %+v", thread.Items)
		}
	})
}

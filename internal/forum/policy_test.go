package forum

import (
	"testing"

	"hearth/internal/apperr/apperrtest"

	"hearth/internal/kernel"
	"hearth/internal/store"
)

// The policies are tested where they live, over actor × action × the state
// of what is acted on; the role × route matrix in httpapi holds the routes
// to them.

var (
	member      = kernel.Actor{ID: "m", Role: kernel.RoleMember}
	author      = kernel.Actor{ID: "a", Role: kernel.RoleMember}
	moderator   = kernel.Actor{ID: "mod", Role: kernel.RoleModerator}
	admin       = kernel.Actor{ID: "adm", Role: kernel.RoleAdmin}
	suspended   = kernel.Actor{ID: "m", Role: kernel.RoleMember, Suspended: true}
	suspendedMd = kernel.Actor{ID: "mod", Role: kernel.RoleModerator, Suspended: true}
)

func circleView(visibility string, isMember, facilitates bool) *store.CircleView {
	return &store.CircleView{Circle: store.Circle{ID: "c", Visibility: visibility}, IsMember: isMember, IsFacilitator: facilitates}
}

func TestCirclePolicy(t *testing.T) {
	open := store.VisibilityOpen
	private := store.VisibilityPrivate
	cases := []struct {
		name   string
		a      kernel.Actor
		act    circleAction
		c      *store.CircleView
		expect string
	}{
		{"anyone sees an open circle", member, circleRead, circleView(open, false, false), "ok"},
		{"an outsider does not know a private circle", member, circleRead, circleView(private, false, false), "not_found"},
		{"a member sees their private circle", member, circleRead, circleView(private, true, false), "ok"},
		{"moderators see every circle", moderator, circleRead, circleView(private, false, false), "ok"},
		{"moderators may not list a private circle's stories", moderator, circleStories, circleView(private, false, false), "members_only"},
		{"anyone lists an open circle's stories", member, circleStories, circleView(open, false, false), "ok"},
		{"writing needs membership", member, circleWrite, circleView(open, false, false), "not_circle_member"},
		{"a member writes", member, circleWrite, circleView(open, true, false), "ok"},
		{"a suspended member reads", suspended, circleStories, circleView(open, true, false), "ok"},
		{"a suspended member does not write", suspended, circleWrite, circleView(open, true, false), "suspended"},
		{"leaving needs membership", member, circleLeave, circleView(open, false, false), "not_circle_member"},
		{"only facilitators make invites", member, circleInvite, circleView(private, true, false), "not_facilitator"},
		{"a facilitator makes invites", member, circleInvite, circleView(private, true, true), "ok"},
		{"moderators make no invites", moderator, circleInvite, circleView(private, false, false), "not_facilitator"},
		{"a suspended facilitator sees the invites", suspended, circleSeeInvites, circleView(private, true, true), "ok"},
		{"a suspended facilitator makes none", suspended, circleInvite, circleView(private, true, true), "suspended"},
		{"only admins manage circles", moderator, circleManage, nil, "forbidden"},
		{"an admin manages circles", admin, circleManage, nil, "ok"},
		{"a suspended admin does not", kernel.Actor{ID: "adm", Role: kernel.RoleAdmin, Suspended: true}, circleManage, nil, "suspended"},

		// Circle care: guidelines and resources, and accepting them.
		{"a facilitator writes the guidelines", member, circleCare, circleView(open, true, true), "ok"},
		{"a member does not", member, circleCare, circleView(open, true, false), "not_facilitator"},
		{"an outsider does not know a private circle", member, circleCare, circleView(private, false, false), "not_found"},
		{"an admin writes any circle's guidelines", admin, circleCare, circleView(private, false, false), "ok"},
		{"a moderator does not", moderator, circleCare, circleView(open, false, false), "not_facilitator"},
		{"a suspended facilitator does not", suspended, circleCare, circleView(open, true, true), "suspended"},
		{"a suspended admin writes no guidelines", kernel.Actor{ID: "adm", Role: kernel.RoleAdmin, Suspended: true}, circleCare, circleView(open, false, false), "suspended"},
		{"a member accepts", member, circleAccept, circleView(open, true, false), "ok"},
		{"an outsider accepts nothing", member, circleAccept, circleView(open, false, false), "not_circle_member"},
		{"an admin outside the circle accepts nothing", admin, circleAccept, circleView(open, false, false), "not_circle_member"},
		{"a suspended member accepts nothing (a write)", suspended, circleAccept, circleView(open, true, false), "suspended"},

		// Who facilitates a circle.
		{"a facilitator sees the circle's facilitators", member, circleSeeFacilitators, circleView(private, true, true), "ok"},
		{"a suspended facilitator still does (a read)", suspended, circleSeeFacilitators, circleView(open, true, true), "ok"},
		{"a member does not", member, circleSeeFacilitators, circleView(open, true, false), "not_facilitator"},
		{"an outsider does not know a private circle", member, circleSeeFacilitators, circleView(private, false, false), "not_found"},
		{"moderators see any circle's", moderator, circleSeeFacilitators, circleView(private, false, false), "ok"},
		{"admins see any circle's", admin, circleSeeFacilitators, circleView(private, false, false), "ok"},
	}
	for _, c := range cases {
		if got := apperrtest.Code(circlePolicy(c.a, c.act, c.c)); got != c.expect {
			t.Errorf("%s: %s, want %s", c.name, got, c.expect)
		}
	}
}

func storyView(visibility, status string, authorID string, isMember, facilitates, underReview bool) *store.StoryView {
	return &store.StoryView{Story: store.Story{ID: "s", CircleID: "c", AuthorID: authorID, Status: status},
		CircleVisibility: visibility, ReaderIsMember: isMember, ReaderIsFacilitator: facilitates, UnderReview: underReview}
}

func TestStoryPolicy(t *testing.T) {
	open, private := store.VisibilityOpen, store.VisibilityPrivate
	pub, pending, hidden, removed := store.Published, store.Pending, store.Hidden, store.Removed
	cases := []struct {
		name   string
		a      kernel.Actor
		act    storyAction
		s      *store.StoryView
		expect string
	}{
		{"anyone reads an open circle's story", member, storyRead, storyView(open, pub, "a", false, false, false), "ok"},
		{"an outsider does not know a private story", member, storyRead, storyView(private, pub, "a", false, false, false), "not_found"},
		{"a moderator outside reads it only under review", moderator, storyRead, storyView(private, pub, "a", false, false, false), "not_found"},
		{"a moderator outside reads it under review", moderator, storyRead, storyView(private, pub, "a", false, false, true), "ok"},
		{"someone else's pending story does not exist", member, storyRead, storyView(open, pending, "a", true, false, false), "not_found"},
		{"its author reads their pending story", author, storyRead, storyView(open, pending, "a", true, false, false), "ok"},
		{"moderators read pending stories", moderator, storyRead, storyView(open, pending, "a", false, false, false), "ok"},
		{"replying needs membership", member, storyReply, storyView(open, pub, "a", false, false, false), "not_circle_member"},
		{"only published stories take replies", member, storyReply, storyView(open, hidden, "a", true, false, false), "not_published"},
		{"a member replies", member, storyReply, storyView(open, pub, "a", true, false, false), "ok"},
		{"a suspended member does not reply", suspended, storyReply, storyView(open, pub, "a", true, false, false), "suspended"},
		{"support needs membership", member, storySupport, storyView(open, pub, "a", false, false, false), "not_circle_member"},
		{"only the author edits", member, storyEdit, storyView(open, pub, "a", true, false, false), "not_author"},
		{"moderators do not edit", moderator, storyEdit, storyView(open, pub, "a", false, false, false), "not_author"},
		{"the author edits", author, storyEdit, storyView(open, pub, "a", true, false, false), "ok"},
		{"removed writing is not edited", author, storyEdit, storyView(open, removed, "a", true, false, false), "removed"},
		{"only the author deletes", member, storyDelete, storyView(open, pub, "a", true, false, false), "not_author"},
		{"moderators do not delete: they remove", moderator, storyDelete, storyView(open, pub, "a", false, false, false), "not_author"},
		{"admins do not delete either", admin, storyDelete, storyView(open, pub, "a", false, false, false), "not_author"},
		{"the author deletes", author, storyDelete, storyView(open, pub, "a", true, false, false), "ok"},
		{"the author deletes what a moderator removed", author, storyDelete, storyView(open, removed, "a", true, false, false), "ok"},
		{"a suspended author does not delete", kernel.Actor{ID: "a", Role: kernel.RoleMember, Suspended: true}, storyDelete, storyView(open, pub, "a", true, false, false), "suspended"},
		{"only facilitators pin", member, storyPin, storyView(open, pub, "a", true, false, false), "not_facilitator"},
		{"a facilitator pins", member, storyPin, storyView(open, pub, "a", true, true, false), "ok"},
		{"a removed story is not pinned", member, storyPin, storyView(open, removed, "a", true, true, false), "removed"},
		{"moderators reach any story to act on it", moderator, storyModerate, storyView(private, pub, "a", false, false, false), "ok"},
		{"members do not", member, storyModerate, storyView(open, pub, "a", true, false, false), "forbidden"},
		{"a suspended moderator still reaches it; moderation's policy refuses the act", suspendedMd, storyModerate, storyView(open, pub, "a", false, false, false), "ok"},
	}
	for _, c := range cases {
		if got := apperrtest.Code(storyPolicy(c.a, c.act, c.s)); got != c.expect {
			t.Errorf("%s: %s, want %s", c.name, got, c.expect)
		}
	}
}

func TestReplyPolicy(t *testing.T) {
	open, private := store.VisibilityOpen, store.VisibilityPrivate
	story := storyView(open, store.Published, "x", true, false, false)
	reply := func(status, authorID string) *store.Reply {
		return &store.Reply{ID: "r", StoryID: "s", AuthorID: authorID, Status: status}
	}
	cases := []struct {
		name   string
		a      kernel.Actor
		act    replyAction
		s      *store.StoryView
		r      *store.Reply
		expect string
	}{
		{"a reply is as visible as its story", member, replyRead, storyView(private, store.Published, "x", false, false, false), reply(store.Published, "a"), "not_found"},
		{"someone else's pending reply does not exist", member, replyRead, story, reply(store.Pending, "a"), "not_found"},
		{"its author reads it", author, replyRead, story, reply(store.Pending, "a"), "ok"},
		{"support needs a published reply", member, replySupport, story, reply(store.Hidden, "a"), "not_published"},
		{"a member supports", member, replySupport, story, reply(store.Published, "a"), "ok"},
		{"only the author edits", moderator, replyEdit, story, reply(store.Published, "a"), "not_author"},
		{"the author edits", author, replyEdit, story, reply(store.Published, "a"), "ok"},
		{"removed replies are not edited", author, replyEdit, story, reply(store.Removed, "a"), "removed"},
		{"moderators do not delete", moderator, replyDelete, story, reply(store.Published, "a"), "not_author"},
		{"the author deletes", author, replyDelete, story, reply(store.Published, "a"), "ok"},
		{"moderators reach any reply", moderator, replyModerate, storyView(private, store.Published, "x", false, false, false), reply(store.Published, "a"), "ok"},
	}
	for _, c := range cases {
		if got := apperrtest.Code(replyPolicy(c.a, c.act, c.s, c.r)); got != c.expect {
			t.Errorf("%s: %s, want %s", c.name, got, c.expect)
		}
	}
}

func TestWaitingPolicy(t *testing.T) {
	for _, c := range []struct {
		a           kernel.Actor
		facilitates bool
		expect      string
	}{
		{member, false, "not_facilitator"},
		{member, true, "ok"},
		{moderator, false, "ok"},
		{admin, false, "ok"},
	} {
		if got := apperrtest.Code(waitingPolicy(c.a, c.facilitates)); got != c.expect {
			t.Errorf("%+v facilitating %v: %s, want %s", c.a, c.facilitates, got, c.expect)
		}
	}
}

// canReadText: who sees the words of writing in each state.
func TestCanReadText(t *testing.T) {
	for _, c := range []struct {
		a      kernel.Actor
		status string
		want   bool
	}{
		{member, store.Published, true},
		{member, store.Pending, false},
		{member, store.Hidden, false},
		{member, store.Removed, false},
		{author, store.Hidden, true},
		{author, store.Removed, true},
		{moderator, store.Removed, true},
		{moderator, store.Hidden, true},
	} {
		if got := canReadText(c.a, "a", c.status); got != c.want {
			t.Errorf("%s reading %s writing: %v, want %v", c.a.ID, c.status, got, c.want)
		}
	}
}

func TestGuidelinesPolicy(t *testing.T) {
	cases := []struct {
		name              string
		current, accepted int
		expect            string
	}{
		{"a circle without guidelines asks nothing", 0, 0, "ok"},
		{"the current version accepted", 2, 2, "ok"},
		{"never accepted", 1, 0, "guidelines_not_accepted"},
		{"a new version asks again", 3, 2, "guidelines_not_accepted"},
	}
	for _, c := range cases {
		if got := apperrtest.Code(guidelinesPolicy(c.current, c.accepted)); got != c.expect {
			t.Errorf("%s: %s, want %s", c.name, got, c.expect)
		}
	}
}

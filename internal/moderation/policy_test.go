package moderation

import (
	"testing"

	"hearth/internal/apperr/apperrtest"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

func TestPolicy(t *testing.T) {
	var (
		member     = kernel.Actor{ID: "m", Role: kernel.RoleMember}
		moderator  = kernel.Actor{ID: "mod", Role: kernel.RoleModerator}
		admin      = kernel.Actor{ID: "adm", Role: kernel.RoleAdmin}
		suspMod    = kernel.Actor{ID: "mod", Role: kernel.RoleModerator, Suspended: true}
		suspMember = kernel.Actor{ID: "m", Role: kernel.RoleMember, Suspended: true}

		plain      = &store.Member{ID: "p", Role: kernel.RoleMember}
		otherMod   = &store.Member{ID: "mod2", Role: kernel.RoleModerator}
		anAdmin    = &store.Member{ID: "adm2", Role: kernel.RoleAdmin}
		self       = &store.Member{ID: "mod", Role: kernel.RoleModerator}
		facilitate = &store.WritingRef{ReaderFacilitates: true}
		outside    = &store.WritingRef{}
		otherID    = "mod2"
	)
	cases := []struct {
		name   string
		a      kernel.Actor
		act    action
		r      on
		expect string
	}{
		{"any member flags", member, flagWriting, on{}, "ok"},
		{"the member an action was about appeals it", member, appealAction, on{about: "m"}, "ok"},
		{"suspended, too", suspMember, appealAction, on{about: "m"}, "ok"},
		{"nobody else knows of it", moderator, appealAction, on{about: "m"}, "not_found"},
		{"members do not decide appeals", member, decideAppeal, on{about: "p", actedBy: &otherID}, "forbidden"},
		{"another moderator decides one", moderator, decideAppeal, on{about: "p", actedBy: &otherID}, "ok"},
		{"an appeal of the system's hide, too", moderator, decideAppeal, on{about: "p"}, "ok"},
		{"not the moderator who acted", moderator, decideAppeal, on{about: "p", actedBy: &moderator.ID}, "same_moderator"},
		{"not the one appealing", moderator, decideAppeal, on{about: "mod", actedBy: &otherID}, "forbidden"},
		{"a suspended moderator does not decide", suspMod, decideAppeal, on{about: "p", actedBy: &otherID}, "suspended"},
		{"a suspended member does not", suspMember, flagWriting, on{}, "suspended"},
		{"members do not read the queue", member, readQueue, on{}, "forbidden"},
		{"moderators read the queue", moderator, readQueue, on{}, "ok"},
		{"a suspended moderator still reads it", suspMod, readQueue, on{}, "ok"},
		{"members do not act on writing", member, actOnWriting, on{}, "forbidden"},
		{"moderators act on writing", moderator, actOnWriting, on{}, "ok"},
		{"a suspended moderator does not act", suspMod, actOnWriting, on{}, "suspended"},
		{"a facilitator of its circle acknowledges a crisis", member, acknowledge, on{writing: facilitate}, "ok"},
		{"a member outside its care does not", member, acknowledge, on{writing: outside}, "forbidden"},
		{"moderators acknowledge anywhere", moderator, acknowledge, on{writing: outside}, "ok"},
		{"a suspended facilitator does not", suspMember, acknowledge, on{writing: facilitate}, "suspended"},
		{"moderators act on members", moderator, actOnMember, on{member: plain}, "ok"},
		{"not on themselves", moderator, actOnMember, on{member: self}, "forbidden"},
		{"not on another moderator", moderator, actOnMember, on{member: otherMod}, "forbidden"},
		{"admins act on moderators", admin, actOnMember, on{member: otherMod}, "ok"},
		{"nobody acts on an admin from here", admin, actOnMember, on{member: anAdmin}, "forbidden"},
		{"members act on nobody", member, actOnMember, on{member: plain}, "forbidden"},
		{"a suspended moderator acts on nobody", suspMod, actOnMember, on{member: plain}, "suspended"},
		{"admins change roles", admin, changeRole, on{member: otherMod}, "ok"},
		{"not their own", admin, changeRole, on{member: &store.Member{ID: "adm"}}, "forbidden"},
		{"moderators change none", moderator, changeRole, on{member: plain}, "forbidden"},
		{"the operator changes anyone's, an admin's too", kernel.Operator, changeRole, on{member: anAdmin}, "ok"},
		{"the operator is not a moderator for anything else", kernel.Operator, actOnMember, on{member: anAdmin}, "forbidden"},
	}
	for _, c := range cases {
		if got := apperrtest.Code(policy(c.a, c.act, c.r)); got != c.expect {
			t.Errorf("%s: %s, want %s", c.name, got, c.expect)
		}
	}
}

// TestWritingActions: what each action does to writing in each state, and
// what its author is told.
func TestWritingActions(t *testing.T) {
	ref := func(status string, hasText bool) *store.WritingRef {
		return &store.WritingRef{Status: status, HasText: hasText}
	}
	cases := []struct {
		action       string
		w            *store.WritingRef
		status, tell string
		err          string
	}{
		{"dismiss", ref(store.Published, true), "", "", ""},
		{"dismiss", ref(store.Hidden, true), store.Published, store.NoticeRestored, ""},
		{"dismiss", ref(store.Pending, true), "", "", "still_pending"},
		{"approve", ref(store.Pending, true), store.Published, store.NoticeApproved, ""},
		{"approve", ref(store.Hidden, true), store.Published, store.NoticeApproved, ""},
		{"approve", ref(store.Published, true), "", "", ""},
		{"hide", ref(store.Published, true), store.Hidden, store.NoticeHidden, ""},
		{"remove", ref(store.Published, true), store.Removed, store.NoticeRemoved, ""},
		{"restore", ref(store.Removed, true), store.Published, store.NoticeRestored, ""},
		{"restore", ref(store.Published, true), "", "", ""},
		{"restore", ref(store.Removed, false), "", "", "nothing_to_restore"},
	}
	for _, c := range cases {
		status, tell, err := writingActions[c.action](c.w)
		if got := apperrtest.Code(err); c.err != "" && got != c.err || c.err == "" && err != nil {
			t.Errorf("%s on %s: %v, want %q", c.action, c.w.Status, err, c.err)
			continue
		}
		if status != c.status || tell != c.tell {
			t.Errorf("%s on %s: status %q tell %q, want %q %q", c.action, c.w.Status, status, tell, c.status, c.tell)
		}
	}
}

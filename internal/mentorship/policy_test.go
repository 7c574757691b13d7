package mentorship

import (
	"testing"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// code is what policy answered: "ok", or the error's code.
func code(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return err.Error()
}

func TestPolicy(t *testing.T) {
	var (
		member    = kernel.Actor{ID: "m", Role: kernel.RoleMember}
		mentor    = kernel.Actor{ID: "mentor", Role: kernel.RoleMember}
		mentee    = kernel.Actor{ID: "mentee", Role: kernel.RoleMember}
		suspended = kernel.Actor{ID: "mentee", Role: kernel.RoleMember, Suspended: true}
		moderator = kernel.Actor{ID: "mod", Role: kernel.RoleModerator}
		admin     = kernel.Actor{ID: "adm", Role: kernel.RoleAdmin}

		in         = &store.CircleView{Circle: store.Circle{Visibility: store.VisibilityOpen}, IsMember: true}
		out        = &store.CircleView{Circle: store.Circle{Visibility: store.VisibilityOpen}}
		private    = &store.CircleView{Circle: store.Circle{Visibility: store.VisibilityPrivate}}
		facilitate = &store.CircleView{Circle: store.Circle{Visibility: store.VisibilityOpen}, IsMember: true, IsFacilitator: true}
		pair       = &store.Mentorship{MentorID: "mentor", MenteeID: "mentee"}
	)
	cases := []struct {
		name   string
		a      kernel.Actor
		act    action
		s      subject
		expect string
	}{
		{"a circle member offers", member, actOffer, subject{circle: in}, "ok"},
		{"a member outside an open circle does not", member, actOffer, subject{circle: out}, "not_circle_member"},
		{"a private circle does not exist outside it", member, actOffer, subject{circle: private}, "not_found"},
		{"a suspended member does not offer", suspended, actOffer, subject{circle: in}, "suspended"},
		{"circle members see its mentors", member, actListMentors, subject{circle: in}, "ok"},
		{"others do not", member, actListMentors, subject{circle: out}, "not_circle_member"},
		{"members do not see pending offers", member, actSeePending, subject{circle: in}, "not_facilitator"},
		{"facilitators do", member, actSeePending, subject{circle: facilitate}, "ok"},
		{"admins do, who decide on facilitators' offers", admin, actSeePending, subject{circle: out}, "ok"},
		{"moderators do not", moderator, actSeePending, subject{circle: out}, "not_facilitator"},
		{"a facilitator approves an offer", member, actDecideOffer, subject{circle: facilitate, offerOf: "x"}, "ok"},
		{"not their own", member, actDecideOffer, subject{circle: facilitate, offerOf: "m", offerByFacilitator: true}, "own_offer"},
		{"a member does not approve", member, actDecideOffer, subject{circle: in, offerOf: "x"}, "not_facilitator"},
		{"an admin approves a facilitator's own offer", admin, actDecideOffer, subject{circle: out, offerOf: "x", offerByFacilitator: true}, "ok"},
		{"an admin leaves other offers to facilitators", admin, actDecideOffer, subject{circle: out, offerOf: "x"}, "not_facilitator"},
		{"a moderator does not approve", moderator, actDecideOffer, subject{circle: out, offerOf: "x", offerByFacilitator: true}, "not_facilitator"},
		{"a circle member asks", member, actAsk, subject{circle: in}, "ok"},
		{"a mentor of the circle does not", member, actAsk, subject{circle: in, actorIsMentor: true}, "is_mentor"},
		{"nor a member outside it", member, actAsk, subject{circle: out}, "not_circle_member"},
		{"the mentor answers", mentor, actAnswer, subject{mentorship: pair}, "ok"},
		{"the mentee does not", mentee, actAnswer, subject{mentorship: pair}, "not_mentor"},
		{"the mentee withdraws", mentee, actWithdraw, subject{mentorship: pair}, "ok"},
		{"the mentor does not", mentor, actWithdraw, subject{mentorship: pair}, "not_mentee"},
		{"either ends it", mentor, actEnd, subject{mentorship: pair}, "ok"},
		{"both read it", mentee, actRead, subject{mentorship: pair}, "ok"},
		{"a suspended member still reads", suspended, actRead, subject{mentorship: pair}, "ok"},
		{"but does not write", suspended, actWrite, subject{mentorship: pair}, "suspended"},
		{"nobody else knows it exists", member, actRead, subject{mentorship: pair}, "not_found"},
		{"moderators included", moderator, actRead, subject{mentorship: pair}, "not_found"},
		{"admins included", admin, actWrite, subject{mentorship: pair}, "not_found"},
	}
	for _, c := range cases {
		if got := code(policy(c.a, c.act, c.s)); got != c.expect {
			t.Errorf("%s: got %s, want %s", c.name, got, c.expect)
		}
	}
}

package mentorship

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// action is what an actor asks to do in mentorship.
type action int

const (
	actOffer       action = iota // offer to mentor in a circle, change or stop an offer
	actListMentors               // see a circle's approved mentors
	actSeePending                // see the offers waiting for approval
	actDecideOffer               // approve or remove an offer
	actAsk                       // ask a mentor of a circle
	actAnswer                    // accept or decline a request
	actWithdraw                  // withdraw one's own request
	actEnd                       // end a mentorship
	actRead                      // read a mentorship and its messages
	actWrite                     // write a message
)

// subject is what an action is on: a circle as the actor sees it, and, as
// the action needs, the member whose offer it is (and whether they
// facilitate the circle), whether the actor is a mentor of the circle, or
// a mentorship.
type subject struct {
	circle             *store.CircleView
	offerOf            string
	offerByFacilitator bool
	actorIsMentor      bool
	mentorship         *store.Mentorship
}

// policy decides whether a may do act on s. A mentorship is the business
// of its two members only: to anyone else it does not exist, moderators
// included (they read a message only while a flag on it waits in their
// queue, which moderation decides).
func policy(a kernel.Actor, act action, s subject) error {
	if m := s.mentorship; m != nil {
		mentor, mentee := a.ID == m.MentorID, a.ID == m.MenteeID
		if !mentor && !mentee {
			return kernel.ErrNotFound
		}
		if act != actRead && a.Suspended {
			return kernel.ErrSuspended
		}
		switch act {
		case actAnswer:
			if !mentor {
				return errNotMentor
			}
		case actWithdraw:
			if !mentee {
				return errNotMentee
			}
		}
		return nil
	}
	c := s.circle
	if c.Visibility == store.VisibilityPrivate && !c.IsMember && !a.Moderates() {
		return kernel.ErrNotFound
	}
	if a.Suspended && act != actListMentors && act != actSeePending {
		return kernel.ErrSuspended
	}
	switch act {
	case actOffer, actListMentors:
		if !c.IsMember {
			return errNotMember
		}
	case actSeePending:
		// Admins decide on facilitators' own offers, so they see what
		// waits as well.
		if !c.IsFacilitator && !a.IsAdmin() {
			return errNotFacilitator
		}
	case actDecideOffer:
		if s.offerOf == a.ID {
			return errOwnOffer
		}
		if c.IsFacilitator {
			return nil
		}
		// An admin decides on a facilitator's own offer, where the
		// circle's other facilitators may not be there to.
		if a.IsAdmin() && s.offerByFacilitator {
			return nil
		}
		return errNotFacilitator
	case actAsk:
		if !c.IsMember {
			return errNotMember
		}
		if s.actorIsMentor {
			return errIsMentor
		}
	}
	return nil
}

// seesCounts says whether a sees how each mentor of circle c is doing
// (mentorships, ended early, flagged): those who approve and remove its
// mentors, never the members who ask them.
func seesCounts(a kernel.Actor, c *store.CircleView) bool {
	return c.IsFacilitator || a.IsAdmin()
}

package forum

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// circleAction is what an actor asks to do with a circle.
type circleAction int

const (
	circleRead            circleAction = iota // see it: its name, description and members' count
	circleStories                             // list its stories
	circleJoin                                // join (an invite is checked apart)
	circleLeave                               // leave
	circleWrite                               // write stories and replies, give support
	circleInvite                              // make and revoke invite codes
	circleSeeInvites                          // list the live invites
	circleManage                              // create, change, appoint facilitators
	circleCare                                // write its guidelines and resources
	circleAccept                              // accept its guidelines
	circleSeeFacilitators                     // list its facilitators
)

// circlePolicy decides what a on circle c. A private circle does not exist
// for members outside it. Moderators and admins see every circle, so they
// know where the writing in their queue comes from and can manage circles,
// but read a private circle's stories and write only where they are
// members (see storyPolicy for the writing that waits in their queue).
func circlePolicy(a kernel.Actor, act circleAction, c *store.CircleView) error {
	if act == circleCare && a.IsAdmin() {
		if a.Suspended {
			return kernel.ErrSuspended
		}
		return nil
	}
	if act == circleManage {
		if !a.IsAdmin() {
			return errNotAdmin
		}
		if a.Suspended {
			return kernel.ErrSuspended
		}
		return nil
	}
	if c.Visibility == store.VisibilityPrivate && !c.IsMember && !a.Moderates() {
		return errNotFound
	}
	if act != circleRead && act != circleStories && act != circleSeeInvites && act != circleSeeFacilitators && a.Suspended {
		return kernel.ErrSuspended
	}
	switch act {
	case circleStories:
		if c.Visibility == store.VisibilityPrivate && !c.IsMember {
			return errMembersOnly
		}
	case circleLeave, circleWrite, circleAccept:
		if !c.IsMember {
			return errNotMember
		}
	case circleInvite, circleSeeInvites, circleCare:
		if !c.IsFacilitator {
			return errNotFacilitator
		}
	case circleSeeFacilitators:
		// Those who appoint them, those who work with them, and each other.
		if !c.IsFacilitator && !a.Moderates() {
			return errNotFacilitator
		}
	}
	return nil
}

// waitingPolicy decides whether a may see the stories waiting for a reply
// across circles: the people who look after circles may, facilitators (of
// any circle) and the moderation team.
func waitingPolicy(a kernel.Actor, facilitatesAny bool) error {
	if a.Moderates() || facilitatesAny {
		return nil
	}
	return errNotFacilitator
}

// guidelinesPolicy decides whether a member may write something new in a
// circle whose guidelines are at version current, having accepted version
// accepted: only once they have accepted the current one. Edits never ask
// (an author taking a detail out must always be able to), nor does reading.
func guidelinesPolicy(current, accepted int) error {
	if current > 0 && accepted < current {
		return errGuidelines(current, nil)
	}
	return nil
}

package forum

import "hearth/internal/store"

// storyAction is what an actor asks to do with a story.
type storyAction int

const (
	storyRead    storyAction = iota
	storyReply               // reply to it
	storySupport             // give or withdraw support
	storyEdit
	storyDelete
	storyPin
	storyModerate // reach it to act on it as a moderator, read or not
)

// storyPolicy decides what a may do with story s. Whoever may not read the
// story's circle, or a pending story of someone else, gets 404, as if it
// did not exist. Moderators see what they need and no more: a story in a
// private circle they are not in only while it, or a reply to it, waits in
// their queue. They may act on any writing (storyModerate), read or not:
// every action is logged, and its author told.
func storyPolicy(a Actor, act storyAction, s *store.StoryView) error {
	if act == storyModerate {
		if !a.moderates() {
			return errNotModerator
		}
		return nil
	}
	author := s.AuthorID == a.ID
	if s.CircleVisibility == store.VisibilityPrivate && !s.ReaderIsMember && !(a.moderates() && s.UnderReview) {
		return errNotFound
	}
	if s.Status == store.Pending && !author && !a.moderates() {
		return errNotFound
	}
	if act != storyRead && a.Suspended {
		return ErrSuspended
	}
	switch act {
	case storyReply, storySupport:
		if !s.ReaderIsMember {
			return errNotMember
		}
		if s.Status != store.Published {
			return errNotPublished
		}
	case storyEdit:
		if !author {
			return errNotAuthor
		}
		if s.Status == store.Removed {
			return errRemoved
		}
	case storyDelete:
		if !author && !a.moderates() {
			return errNotAuthor
		}
	case storyPin:
		if !s.ReaderIsFacilitator {
			return errNotFacilitator
		}
		if s.Status == store.Removed {
			return errRemoved
		}
	}
	return nil
}

// canReadText reports whether a sees the words of writing by authorID with
// status: pending and hidden writing shows everyone but its author and the
// moderators a placeholder; removed writing shows it to all but moderators,
// who may restore it.
func canReadText(a Actor, authorID, status string) bool {
	switch status {
	case store.Published:
		return true
	case store.Removed:
		return a.moderates()
	default: // pending, hidden
		return authorID == a.ID || a.moderates()
	}
}

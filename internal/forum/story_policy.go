package forum

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

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
func storyPolicy(a kernel.Actor, act storyAction, s *store.StoryView) error {
	if act == storyModerate {
		if !a.Moderates() {
			return errNotModerator
		}
		return nil
	}
	author := s.AuthorID == a.ID
	if s.CircleVisibility == store.VisibilityPrivate && !s.ReaderIsMember && !(a.Moderates() && s.UnderReview) {
		return errNotFound
	}
	if s.Status == store.Pending && !author && !a.Moderates() {
		return errNotFound
	}
	if act != storyRead && a.Suspended {
		return kernel.ErrSuspended
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
		// Deleting destroys the text for good: its author's right alone.
		// Moderators take writing down with remove, which is logged, told
		// and can be undone.
		if !author {
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
// status: pending, hidden and removed writing shows everyone but its author
// and the moderators a placeholder. The author keeps reading what a
// moderator removed (it is theirs, and they may appeal), and moderators may
// restore it. Writing its author deleted has no words left for anyone.
func canReadText(a kernel.Actor, authorID, status string) bool {
	return status == store.Published || authorID == a.ID || a.Moderates()
}

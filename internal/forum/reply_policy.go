package forum

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// replyAction is what an actor asks to do with a reply.
type replyAction int

const (
	replyRead replyAction = iota
	replySupport
	replyEdit
	replyDelete
	replyModerate // reach it to act on it as a moderator, read or not
)

// replyPolicy decides what a may do with reply r on story s. The story's
// rules for reading come first: a reply is as visible as its story.
func replyPolicy(a kernel.Actor, act replyAction, s *store.StoryView, r *store.Reply) error {
	if act == replyModerate {
		return storyPolicy(a, storyModerate, s)
	}
	if err := storyPolicy(a, storyRead, s); err != nil {
		return err
	}
	author := r.AuthorID == a.ID
	if r.Status == store.Pending && !author && !a.Moderates() {
		return errNotFound
	}
	if act != replyRead && a.Suspended {
		return kernel.ErrSuspended
	}
	switch act {
	case replySupport:
		if !s.ReaderIsMember {
			return errNotMember
		}
		if r.Status != store.Published {
			return errNotPublished
		}
	case replyEdit:
		if !author {
			return errNotAuthor
		}
		if r.Status == store.Removed {
			return errRemoved
		}
	case replyDelete:
		if !author { // as storyDelete
			return errNotAuthor
		}
	}
	return nil
}

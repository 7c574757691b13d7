package search

import (
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// findable decides whether a finds writing w by searching, in a circle
// whose stories they may list (the forum decides which circles those are,
// as for its lists). Search finds what others read in full: published
// writing, and for its author their own hidden writing too. Nobody finds
// writing that waits for review or was removed, nor, on the moderation
// team, someone else's hidden writing: they reach that through the queue,
// not by searching for words. A reply is found only while its story is
// out of review, as only then can its thread be read.
func findable(a kernel.Actor, w *store.FoundWriting) bool {
	if w.Target == store.TargetReply && w.StoryStatus == store.Pending {
		return false
	}
	return w.Status == store.Published || w.Status == store.Hidden && w.AuthorID == a.ID
}

// titleShown reports whether a reads the title of a reply's story: it is
// shown with a reply found when the story reads in full for them.
func titleShown(a kernel.Actor, w *store.FoundWriting) bool {
	return w.StoryStatus == store.Published || w.StoryAuthorID == a.ID && w.StoryStatus != store.Pending
}

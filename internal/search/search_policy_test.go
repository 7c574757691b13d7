package search

import (
	"testing"

	"hearth/internal/kernel"
	"hearth/internal/store"
)

// TestFindable is who finds what by searching, over actor × writing ×
// status (the circles searched are the forum's to decide).
func TestFindable(t *testing.T) {
	const author, other = "author", "other"
	actors := map[string]kernel.Actor{
		"author":        {ID: author, Role: kernel.RoleMember},
		"other member":  {ID: other, Role: kernel.RoleMember},
		"moderator":     {ID: "mod", Role: kernel.RoleModerator},
		"admin":         {ID: "adm", Role: kernel.RoleAdmin},
		"suspended one": {ID: other, Role: kernel.RoleMember, Suspended: true},
	}
	statuses := []string{store.Published, store.Pending, store.Hidden, store.Removed}
	// want[actor][status]: a story, and a reply on a published story.
	want := map[string]map[string]bool{
		"author":        {store.Published: true, store.Hidden: true},
		"other member":  {store.Published: true},
		"moderator":     {store.Published: true},
		"admin":         {store.Published: true},
		"suspended one": {store.Published: true},
	}
	for name, a := range actors {
		for _, status := range statuses {
			for _, target := range []store.Target{store.TargetStory, store.TargetReply} {
				w := &store.FoundWriting{Target: target, AuthorID: author, Status: status, StoryStatus: store.Published}
				if got := findable(a, w); got != want[name][status] {
					t.Errorf("%s finds a %s %s: %v, want %v", name, status, target, got, want[name][status])
				}
			}
			// A reply on a story that waits for review is found by nobody,
			// the story's author included.
			w := &store.FoundWriting{Target: store.TargetReply, AuthorID: author, Status: store.Published, StoryStatus: status, StoryAuthorID: a.ID}
			if got := findable(a, w); got != (status != store.Pending) {
				t.Errorf("%s finds a reply on a %s story: %v", name, status, got)
			}
		}
	}
}

// TestTitleShown: a reply found carries its story's title only where its
// reader reads that story in full.
func TestTitleShown(t *testing.T) {
	me := kernel.Actor{ID: "me", Role: kernel.RoleMember}
	mod := kernel.Actor{ID: "mod", Role: kernel.RoleModerator}
	for _, c := range []struct {
		a             kernel.Actor
		author, state string
		want          bool
	}{
		{me, "other", store.Published, true},
		{me, "other", store.Hidden, false},
		{me, "other", store.Removed, false},
		{me, "me", store.Hidden, true},
		{me, "me", store.Removed, true}, // removed by a moderator: its author reads it
		{mod, "other", store.Hidden, false},
	} {
		w := &store.FoundWriting{Target: store.TargetReply, StoryAuthorID: c.author, StoryStatus: c.state}
		if got := titleShown(c.a, w); got != c.want {
			t.Errorf("%s reads the title of %s's %s story: %v", c.a.ID, c.author, c.state, got)
		}
	}
}

// TestRarestFirst: words whose samples are not full are the rarest, fewest
// first; of full ones, the one reaching furthest back.
func TestRarestFirst(t *testing.T) {
	full := func(oldest string) store.PostingSample { return store.PostingSample{Count: sampleSize, Oldest: oldest} }
	for _, c := range []struct {
		a, b store.PostingSample
		want int
	}{
		{store.PostingSample{Count: 3, Oldest: "c"}, store.PostingSample{Count: 10, Oldest: "a"}, -1},
		{store.PostingSample{Count: 10}, full("a"), -1},
		{full("a"), store.PostingSample{Count: 63}, 1},
		{full("a"), full("b"), -1}, // a reaches further back: sparser
		{full("b"), full("a"), 1},
		{full("a"), full("a"), 0},
	} {
		if got := rarer(c.a, c.b); got < 0 != (c.want < 0) || got > 0 != (c.want > 0) {
			t.Errorf("rarer(%+v, %+v) = %d, want the sign of %d", c.a, c.b, got, c.want)
		}
	}
}

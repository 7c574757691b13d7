package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hearth/internal/kernel"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestFeedDeliversPastABusyMinute: a follower whose story had more replies
// in the last minute than one delivery takes hears of them all at their
// next look, and a later look with nothing new reads nothing again.
func TestFeedDeliversPastABusyMinute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFeedFixture(t, st)
		for i := range 600 {
			f.reply(t, store.NewID(), fmt.Sprintf("reply %d", i))
		}
		if n := f.unread(t); n != 500 {
			t.Fatalf("first look: %d unread, want 500 (one delivery's worth)", n)
		}
		if n := f.unread(t); n != 600 {
			t.Fatalf("second look: %d unread, want all 600", n)
		}
		if _, waiting, err := st.UnreadNotices(ctx, f.follower.ID, f.svc.settled(), ""); err != nil || waiting {
			t.Errorf("after every reply was delivered the feed still waits (%v, %v): each look would read the minute again", waiting, err)
		}
	})
}

// TestFeedFindsALateCommit: a reply that takes its place in the feed before
// one already delivered, as one whose transaction commits late does, is
// delivered once its minute has passed, and then the feed is settled.
func TestFeedFindsALateCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFeedFixture(t, st)
		f.reply(t, store.NewID(), "on time")
		if n := f.unread(t); n != 1 {
			t.Fatalf("%d unread, want 1", n)
		}
		late := store.NewIDAt(f.clock.Add(-10 * time.Second))
		f.reply(t, late, "late")
		f.clock = f.clock.Add(2 * deliveryLag)
		if n := f.unread(t); n != 2 {
			t.Fatalf("a minute after the late reply committed: %d unread, want 2", n)
		}
		notices, err := st.ListNotices(ctx, store.FindNotices{MemberID: f.follower.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range notices {
			found = found || n.TargetID == late
		}
		if !found {
			t.Errorf("no notice of the late reply among %+v", notices)
		}
		if _, waiting, err := st.UnreadNotices(ctx, f.follower.ID, f.svc.settled(), ""); err != nil || waiting {
			t.Errorf("the feed still waits after the late reply was delivered (%v, %v)", waiting, err)
		}
	})
}

// TestQuietLookStillHearsWhatComesNext: once a look found nothing waiting,
// the next looks skip the follower's follows while nothing new is
// published anywhere, and still hear of the next reply, of a reply by
// someone else in another story, and of a reply approved later.
func TestQuietLookStillHearsWhatComesNext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFeedFixture(t, st)
		if n := f.unread(t); n != 0 {
			t.Fatalf("%d unread before any reply", n)
		}
		mark := f.svc.quiet.get(f.follower.ID)
		if mark == "" {
			t.Fatal("a look that found nothing left no mark")
		}
		// Nothing published past the mark: the store answers without the
		// follows, and says nothing waits.
		if _, waiting, err := st.UnreadNotices(ctx, f.follower.ID, f.svc.settled(), mark); err != nil || waiting {
			t.Fatalf("with nothing new, the feed waits (%v, %v)", waiting, err)
		}
		f.clock = f.clock.Add(time.Second)
		f.reply(t, store.NewIDAt(f.clock), "next")
		if n := f.unread(t); n != 1 {
			t.Fatalf("after the next reply: %d unread, want 1", n)
		}
		// A reply held for review takes its place when approved, past any
		// mark, however long ago it was written.
		held := &store.Reply{ID: store.NewIDAt(f.clock.Add(-time.Hour)), StoryID: f.story.ID, AuthorID: f.author.ID,
			Status: store.Pending, Body: []byte("held"), CreatedAt: f.clock.Add(-time.Hour)}
		held.Path = held.ID
		if err := st.CreateReply(ctx, held, store.Effects{}); err != nil {
			t.Fatal(err)
		}
		f.clock = f.clock.Add(time.Second)
		if n := f.unread(t); n != 1 {
			t.Fatalf("a pending reply was told of: %d unread, want 1", n)
		}
		approve := store.Decision{Target: store.TargetReply, TargetID: held.ID, OldStatus: store.Pending, NewStatus: store.Published}
		if err := st.Decide(ctx, approve, f.clock); err != nil {
			t.Fatal(err)
		}
		if n := f.unread(t); n != 2 {
			t.Fatalf("after the held reply was approved: %d unread, want 2", n)
		}
	})
}

// feedFixture is a story in an open circle, its author and a follower,
// with notices on a clock of the test's own.
type feedFixture struct {
	st               *store.Store
	svc              *Service
	clock            time.Time
	author, follower *store.Member
	story            *store.Story
}

func newFeedFixture(t *testing.T, st *store.Store) *feedFixture {
	t.Helper()
	ctx := context.Background()
	f := &feedFixture{st: st, svc: New(st, nil, nil), clock: time.Now().UTC()}
	f.svc.now = func() time.Time { return f.clock }
	member := func(handle string) *store.Member {
		m := &store.Member{ID: store.NewID(), Handle: handle, Role: kernel.RoleMember, PasswordHash: "h", Status: store.StatusActive, CreatedAt: f.clock}
		if err := st.CreateMember(ctx, m, nil, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	f.author, f.follower = member("writer"), member("follower")
	c := &store.Circle{ID: store.NewID(), Slug: "open", Name: "Open", Visibility: store.VisibilityOpen, CreatedAt: f.clock, UpdatedAt: f.clock}
	if err := st.CreateCircle(ctx, c, &store.LogEntry{ID: store.NewID(), Action: "create_circle", TargetType: "circle", TargetID: c.ID, CreatedAt: f.clock}); err != nil {
		t.Fatal(err)
	}
	f.story = &store.Story{ID: store.NewID(), CircleID: c.ID, AuthorID: f.author.ID, Kind: "story", Status: store.Published, CreatedAt: f.clock}
	if err := st.CreateStory(ctx, f.story, store.Effects{}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetFollow(ctx, f.follower.ID, f.story.ID, true, f.clock.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	return f
}

// reply publishes a reply by the author whose place in the feed is id.
func (f *feedFixture) reply(t *testing.T, id, body string) {
	t.Helper()
	r := &store.Reply{ID: id, StoryID: f.story.ID, Path: id, AuthorID: f.author.ID, Status: store.Published, Body: []byte(body), CreatedAt: f.clock}
	if err := f.st.CreateReply(context.Background(), r, store.Effects{}); err != nil {
		t.Fatal(err)
	}
}

func (f *feedFixture) unread(t *testing.T) int64 {
	t.Helper()
	n, err := f.svc.UnreadCount(context.Background(), kernel.Actor{ID: f.follower.ID, Role: kernel.RoleMember})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

// TestModerationLogIsAppendOnly: the database refuses to change or delete
// a log line, whoever asks.
func TestModerationLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		e := &store.LogEntry{ID: store.NewID(), Action: "hide", TargetType: "story", TargetID: "x", CreatedAt: time.Now()}
		if err := st.AppendLog(ctx, e); err != nil {
			t.Fatal(err)
		}
		if err := st.TamperWithLog(ctx, e.ID); err == nil {
			t.Fatal("a log line was changed")
		}
		rows, err := st.ListLog(ctx, "", 10)
		if err != nil || len(rows) != 1 || rows[0].Action != "hide" {
			t.Fatalf("log after tampering: %+v %v", rows, err)
		}
	})
}

// TestInvites: an invite opens its own circle only, as many times as it
// allows, until it expires or is revoked, and only while its maker still
// facilitates the circle in good standing; a member already in spends
// nothing.
func TestInvites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		logged := func(target string) *store.LogEntry {
			return &store.LogEntry{ID: store.NewID(), Action: "test", TargetType: "circle", TargetID: target, CreatedAt: now}
		}
		var ids []string
		for _, slug := range []string{"quiet", "other"} {
			c := &store.Circle{ID: store.NewID(), Slug: slug, Name: slug, Visibility: store.VisibilityPrivate, CreatedAt: now, UpdatedAt: now}
			if err := st.CreateCircle(ctx, c, logged(c.ID)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		var members []string
		for i := range 7 {
			m := &store.Member{ID: store.NewID(), Handle: "m" + string(rune('a'+i)), Role: "member", Status: store.StatusActive, CreatedAt: now}
			if err := st.CreateMember(ctx, m, nil, nil); err != nil {
				t.Fatal(err)
			}
			members = append(members, m.ID)
		}
		maker, other := members[0], members[4]
		for _, f := range []string{maker, other} {
			if err := st.SetFacilitator(ctx, ids[0], f, true, logged(ids[0]), now); err != nil {
				t.Fatal(err)
			}
		}
		invite := func(code, by string, uses int, expires time.Time) string {
			inv := &store.Invite{ID: store.NewID(), CodeHash: code, CircleID: ids[0], CreatedBy: by, MaxUses: uses, ExpiresAt: expires, CreatedAt: now}
			if err := st.CreateInvite(ctx, inv); err != nil {
				t.Fatal(err)
			}
			return inv.ID
		}
		invite("two-uses", maker, 2, now.Add(time.Hour))
		invite("expired", maker, 9, now.Add(-time.Second))
		revoked := invite("revoked", maker, 9, now.Add(time.Hour))
		invite("other's", other, 9, now.Add(time.Hour))
		join := func(circle, member, code string) error { return st.JoinCircle(ctx, circle, member, code, now) }
		if err := join(ids[1], members[1], "two-uses"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an invite opened another circle: %v", err)
		}
		if err := join(ids[0], members[1], "expired"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an expired invite worked: %v", err)
		}
		if err := st.RevokeInvite(ctx, ids[0], revoked, now); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeInvite(ctx, ids[0], revoked, now); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoking twice: %v", err)
		}
		if err := join(ids[0], members[1], "revoked"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("a revoked invite worked: %v", err)
		}
		live, err := st.ListLiveInvites(ctx, ids[0], "", 10, now)
		if err != nil || len(live) != 2 {
			t.Fatalf("live invites %+v %v, want two-uses and other's", live, err)
		}
		if err := join(ids[0], members[1], "two-uses"); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[1], "two-uses"); err != nil { // already in: no use spent
			t.Fatal(err)
		}
		if err := join(ids[0], members[2], "two-uses"); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[3], "two-uses"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("a spent invite worked: %v", err)
		}
		// An invite dies with its maker's appointment...
		invite("maker's", maker, 9, now.Add(time.Hour))
		if err := st.SetFacilitator(ctx, ids[0], maker, false, logged(ids[0]), now); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[3], "maker's"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an invite outlived its maker's appointment: %v", err)
		}
		// ...and with their suspension, for good.
		if err := join(ids[0], members[5], "other's"); err != nil {
			t.Fatal(err)
		}
		until := now.Add(time.Hour)
		sus := store.MemberUpdate{Standing: &store.Standing{Status: store.StatusSuspended, SuspendedUntil: &until}}
		if err := st.MemberAction(ctx, other, sus, store.Effects{Log: logged(other)}, now); err != nil {
			t.Fatal(err)
		}
		lift := store.MemberUpdate{Standing: &store.Standing{Status: store.StatusActive}}
		if err := st.MemberAction(ctx, other, lift, store.Effects{Log: logged(other)}, now); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[6], "other's"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an invite outlived its maker's suspension: %v", err)
		}
		if live, err := st.ListLiveInvites(ctx, ids[0], "", 10, now); err != nil || len(live) != 0 {
			t.Errorf("live invites after their makers lost their place: %+v %v", live, err)
		}
		c, err := st.GetCircleView(ctx, "quiet", members[3])
		if err != nil || c.MemberCount != 5 || c.IsMember {
			t.Errorf("circle after joins: %+v %v", c, err)
		}
	})
}

// TestPagesReadOffAnIndex: a page of the queue or of a circle's stories,
// pinned or not, first or later, is read off an index in page order, with
// no sort and no scan of the rest, and every table it joins is searched by
// key, so its cost does not grow with the store. A story's replies are
// counted off an index alone, without reading a reply.
func TestPagesReadOffAnIndex(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	plans, err := st.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"queue": "idx_queue_order", "stories": "idx_stories_circle", "pinned stories": "idx_stories_pinned"}
	for name, plan := range plans {
		joined := strings.Join(plan, "\n")
		index := want[strings.TrimSuffix(name, " after")]
		if !strings.Contains(joined, "USING INDEX "+index) || strings.Contains(joined, "TEMP B-TREE") {
			t.Errorf("%s: want a search of %s and no sort; plan:\n%s", name, index, joined)
		}
		if name != "queue" && name != "queue after" && !strings.Contains(joined, "SEARCH r USING COVERING INDEX idx_replies_count (story_id=? AND status=?)") {
			t.Errorf("%s: want replies counted off idx_replies_count alone; plan:\n%s", name, joined)
		}
		for _, step := range plan {
			// A subquery's own line heads the steps that search for it.
			if !strings.HasPrefix(step, "SEARCH ") && !strings.HasPrefix(step, "CORRELATED SCALAR SUBQUERY ") {
				t.Errorf("%s: every table is searched by key, none scanned; plan:\n%s", name, joined)
				break
			}
		}
	}
	if len(plans) != 6 {
		t.Fatalf("%d plans", len(plans))
	}
}

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
// allows, until it expires; a member already in spends nothing.
func TestInvites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		var ids []string
		for _, slug := range []string{"quiet", "other"} {
			c := &store.Circle{ID: store.NewID(), Slug: slug, Name: slug, Visibility: store.VisibilityPrivate, CreatedAt: now, UpdatedAt: now}
			if err := st.CreateCircle(ctx, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		var members []string
		for i := range 4 {
			m := &store.Member{ID: store.NewID(), Handle: "m" + string(rune('a'+i)), Role: "member", Status: store.StatusActive, CreatedAt: now}
			if err := st.CreateMember(ctx, m, nil, nil); err != nil {
				t.Fatal(err)
			}
			members = append(members, m.ID)
		}
		if err := st.CreateInvite(ctx, &store.Invite{CodeHash: "two-uses", CircleID: ids[0], CreatedBy: members[0], MaxUses: 2, ExpiresAt: now.Add(time.Hour), CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateInvite(ctx, &store.Invite{CodeHash: "expired", CircleID: ids[0], CreatedBy: members[0], MaxUses: 9, ExpiresAt: now.Add(-time.Second), CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		join := func(circle, member, code string) error { return st.JoinCircle(ctx, circle, member, code, now) }
		if err := join(ids[1], members[0], "two-uses"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an invite opened another circle: %v", err)
		}
		if err := join(ids[0], members[0], "expired"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("an expired invite worked: %v", err)
		}
		if err := join(ids[0], members[0], "two-uses"); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[0], "two-uses"); err != nil { // already in: no use spent
			t.Fatal(err)
		}
		if err := join(ids[0], members[1], "two-uses"); err != nil {
			t.Fatal(err)
		}
		if err := join(ids[0], members[2], "two-uses"); !errors.Is(err, store.ErrInvite) {
			t.Errorf("a spent invite worked: %v", err)
		}
		c, err := st.GetCircleView(ctx, "quiet", members[3])
		if err != nil || c.MemberCount != 2 || c.IsMember {
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

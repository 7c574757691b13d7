package demo

import (
	"context"
	"strings"
	"testing"

	"hearth/internal/app"
	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	kr, err := seal.OpenKeyring(t.TempDir(), "", true)
	if err != nil {
		t.Fatal(err)
	}
	// The real graph, crisis care included, so demo writing that read as
	// a crisis would show up as flags in the queue below.
	o := app.Defaults()
	o.Hashing, o.HashSlots, o.HashQueue = auth.Params{Memory: 64, Time: 1, Threads: 1}, 2, 2
	svc, err := app.Build(ctx, st, kr, o)
	if err != nil {
		t.Fatal(err)
	}
	fm, mod := svc.Forum, svc.Moderation
	if seeded, err := Seed(ctx, st, svc.Auth, fm, mod, svc.Mentorship); err != nil || !seeded {
		t.Fatalf("Seed = %v, %v", seeded, err)
	}

	actor := func(handle string) kernel.Actor {
		m, err := st.GetMember(ctx, store.FindMember{Handle: &handle})
		if err != nil {
			t.Fatalf("demo account %s: %v", handle, err)
		}
		return kernel.Actor{ID: m.ID, Role: m.Role}
	}
	for _, a := range Accounts {
		if got := actor(a.Handle); got.Role != a.Role {
			t.Errorf("%s has role %s, want %s", a.Handle, got.Role, a.Role)
		}
	}
	maple := actor("maple")
	mine, err := fm.MemberCircles(ctx, maple)
	if err != nil || len(mine) != 3 {
		t.Fatalf("maple is in %d circles (%v), want 3", len(mine), err)
	}
	if c, err := fm.GetCircle(ctx, actor("willow"), "cardiac-recovery"); err != nil || !c.IsFacilitator {
		t.Errorf("willow facilitates cardiac-recovery: %+v %v", c, err)
	}
	// Every circle has guidelines with mentorship's boundaries and
	// resources; its members have accepted them, newcomers have not.
	for _, c := range circles {
		reader := actor(c.Facilitator)
		got, err := fm.GetCircle(ctx, reader, c.Slug)
		if err != nil || got.Guidelines == nil || !got.Guidelines.AcceptedByMe || len(got.Resources) < 3 ||
			!strings.Contains(got.Guidelines.Text, "Keep contact inside Hearth") || !strings.Contains(got.Guidelines.Text, "not a doctor") {
			t.Errorf("%s: guidelines %+v, resources %v (%v)", c.Slug, got.Guidelines, got.Resources, err)
		}
		for _, h := range members(c) {
			if got, err := fm.GetCircle(ctx, actor(h), c.Slug); err != nil || !got.Guidelines.AcceptedByMe {
				t.Errorf("%s has not accepted %s's guidelines (%v)", h, c.Slug, err)
			}
		}
	}
	if got, err := fm.GetCircle(ctx, actor("juniper"), "cardiac-recovery"); err != nil || got.Guidelines.AcceptedByMe {
		t.Errorf("an admin outside the circle reads its guidelines as accepted: %+v %v", got, err)
	}

	all, err := fm.ListCircles(ctx, actor("juniper"), 100, "")
	if err != nil || len(all.Items) != 5 {
		t.Fatalf("%d circles, want 5 (%v)", len(all.Items), err)
	}
	warnings := 0
	for _, c := range all.Items {
		// An admin reads open circles; a private one only its members read.
		reader := actor("juniper")
		if c.Visibility == store.VisibilityPrivate {
			reader = actor("sage")
		}
		page, err := fm.ListStories(ctx, reader, c.Slug, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) < 4 || !page.Items[0].Pinned || page.Items[0].Kind != forum.KindGuidance {
			t.Errorf("%s: %d stories, first %+v; want pinned guidance first", c.Slug, len(page.Items), page.Items[0])
		}
		replies := 0
		for _, s := range page.Items {
			if *s.ContentWarning != "" {
				warnings++
			}
			replies += s.ReplyCount
			if strings.TrimSpace(*s.Body) == "" {
				t.Errorf("%s: empty story %q", c.Slug, *s.Title)
			}
		}
		if replies == 0 {
			t.Errorf("%s has no replies", c.Slug)
		}
	}
	if warnings < 2 {
		t.Errorf("%d content warnings, want at least 2", warnings)
	}

	// The queue holds harbour's story, which reads as a crisis, at its head,
	// then the demo's two flagged replies: the advert's three flags hid it.
	queue, err := mod.Queue(ctx, actor("heron"), 100, "")
	if err != nil || len(queue.Items) != 3 {
		t.Fatalf("demo queue: %+v %v; want the crisis story and the two flagged replies", queue, err)
	}
	want := []struct{ targetType, priority, circle, status, excerpt string }{
		{"story", "crisis", "cardiac-recovery", "published", "Not doing so well tonight"},
		{"reply", "privacy", "after-the-disaster", "published", "Wait, is this the yellow house"},
		{"reply", "normal", "cancer-survivors", "hidden", "Radiotherapy only treats the symptoms."},
	}
	for i, w := range want {
		it := queue.Items[i]
		if it.TargetType != w.targetType || it.Priority != w.priority || it.Circle != w.circle || it.Status != w.status || !strings.HasPrefix(it.Excerpt, w.excerpt) {
			t.Errorf("queue item %d: %+v, want %+v", i, it, w)
		}
		system := false
		for _, f := range it.Flags {
			system = system || f.System
		}
		if crisis := w.priority == "crisis"; system != crisis {
			t.Errorf("queue item %d: system flag %v, want %v (only the crisis story reads as one)", i, system, crisis)
		}
	}

	// willow, who facilitates the circle, was called to it, and her circle's
	// waiting list holds it and fieldmouse's first story, nothing else.
	notices, err := svc.Notify.List(ctx, actor("willow"), true, 100, "")
	if err != nil {
		t.Fatal(err)
	}
	called := 0
	for _, n := range notices.Items {
		if n.Kind == store.NoticeCrisisInCircle && n.TargetID != nil && *n.TargetID == queue.Items[0].TargetID {
			called++
		}
	}
	if called != 1 {
		t.Errorf("willow has %d crisis notices for harbour's story, want 1: %+v", called, notices.Items)
	}
	waiting, err := fm.ListUnanswered(ctx, actor("willow"), "cardiac-recovery", 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range waiting.Items {
		if s.Title != nil {
			titles = append(titles, *s.Title)
		}
	}
	if strings.Join(titles, "|") != "Not doing so well tonight|Tired every afternoon. Is that normal?" {
		t.Errorf("cardiac-recovery waits on %q, want harbour's and then fieldmouse's story (oldest first)", titles)
	}

	// maple walks beside bluejay; steadyoak's offer waits for willow.
	ms := svc.Mentorship
	mine2, err := ms.List(ctx, actor("bluejay"), "active", 20, "")
	if err != nil || len(mine2.Items) != 1 || mine2.Items[0].Mentor.Handle != "maple" {
		t.Fatalf("bluejay's mentorships %+v %v", mine2, err)
	}
	talk, err := ms.Messages(ctx, actor("maple"), mine2.Items[0].ID, 20, "")
	if err != nil || len(talk.Items) != len(mentoring.Messages) {
		t.Fatalf("the conversation holds %+v %v", talk, err)
	}
	offers, err := ms.ListMentors(ctx, actor("willow"), "cardiac-recovery", true)
	if err != nil || len(offers.Items) != 1 || offers.Items[0].Handle != "steadyoak" {
		t.Fatalf("offers waiting %+v %v", offers, err)
	}

	// A store with members is never touched again.
	if seeded, err := Seed(ctx, st, svc.Auth, fm, mod, svc.Mentorship); err != nil || seeded {
		t.Fatalf("second Seed = %v, %v", seeded, err)
	}
}

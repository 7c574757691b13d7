package httpapi

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"
)

type historyJSON struct {
	Versions []struct {
		Title    *string
		Body     string
		Themes   []string
		EditedAt time.Time `json:"edited_at"`
	}
}

func (f *forumFixture) history(a *account, targetType, id string) *response {
	f.t.Helper()
	return f.do(req{method: "GET", path: "/moderation/items/" + targetType + "/" + id + "/history", token: a.Access})
}

// TestEditHistory: a moderator sees every version of edited writing in the
// queue, oldest first, the current one last, each with the themes it
// carried; nobody else does, and writing not in the queue has none to
// show. Earlier versions are sealed, kept while the writing is in the
// queue or appealed or for 7 days from the edit, then erased; they go with
// the writing and with the account.
func TestEditHistory(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "First title")
		expect(t, f.flag(f.member, "story", s.ID, "privacy", "It has a phone number."), http.StatusCreated, "")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access,
			body: map[string]any{"body": "Call me on 0123 456 789.", "themes": []string{"self_harm", "suicide"}}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access,
			body: map[string]any{"title": "Second title", "body": "No number now.", "themes": []string{"eating"}}}), http.StatusOK, "")
		// A theme a moderator adds is the current version's, not an earlier one's.
		expect(t, f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/actions", token: f.moderator.Access,
			body: map[string]any{"action": "add_themes", "themes": []string{"disaster"}, "reason": "It tells of the flood."}}), http.StatusOK, "")

		r := f.history(f.moderator, "story", s.ID)
		expect(t, r, http.StatusOK, "")
		h := decode[historyJSON](t, r)
		want := []struct {
			title, body string
			themes      []string
		}{
			{"First title", "The body of First title", []string{}},
			{"First title", "Call me on 0123 456 789.", []string{"suicide", "self_harm"}},
			{"Second title", "No number now.", []string{"eating", "disaster"}},
		}
		if len(h.Versions) != len(want) {
			t.Fatalf("versions %+v", h.Versions)
		}
		for i, v := range h.Versions {
			if v.Title == nil || *v.Title != want[i].title || v.Body != want[i].body || v.Themes == nil || !slices.Equal(v.Themes, want[i].themes) {
				t.Errorf("version %d: %+v, want %+v", i, v, want[i])
			}
			if i > 0 && v.EditedAt.Before(h.Versions[i-1].EditedAt) {
				t.Errorf("version %d is older than the one before it", i)
			}
		}
		for _, a := range []*account{f.author, f.member, f.facilitator} {
			expect(t, f.history(a, "story", s.ID), http.StatusForbidden, "")
		}
		calm := f.story(f.author, "open", "Not in the queue")
		expect(t, f.history(f.moderator, "story", calm.ID), http.StatusNotFound, "not_found")
		expect(t, f.history(f.moderator, "story", "nope"), http.StatusNotFound, "not_found")

		// A reply's versions have no title; an edit that leaves its themes
		// alone keeps them, in both versions.
		r = f.do(req{method: "POST", path: "/stories/" + calm.ID + "/replies", token: f.author.Access,
			body: map[string]any{"body": "My address is 1 Mill Lane.", "themes": []string{"violence_abuse"}}})
		expect(t, r, http.StatusCreated, "")
		rp := decode[replyJSON](t, r)
		expect(t, f.flag(f.member, "reply", rp.ID, "privacy", ""), http.StatusCreated, "")
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + rp.ID, token: f.author.Access, body: map[string]string{"body": "Somewhere near the mill."}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + rp.ID, token: f.author.Access,
			body: map[string]any{"body": "Somewhere near the mill.", "themes": []string{}}}), http.StatusOK, "")
		h = decode[historyJSON](t, f.history(f.moderator, "reply", rp.ID))
		abuse := []string{"violence_abuse"}
		if len(h.Versions) != 3 || h.Versions[0].Title != nil || h.Versions[0].Body != "My address is 1 Mill Lane." || !slices.Equal(h.Versions[0].Themes, abuse) ||
			h.Versions[1].Body != "Somewhere near the mill." || !slices.Equal(h.Versions[1].Themes, abuse) ||
			h.Versions[2].Themes == nil || len(h.Versions[2].Themes) != 0 {
			t.Errorf("reply versions %+v", h.Versions)
		}

		db := f.storeDB(t)
		versions := func(id string) int64 {
			return count(t, db, "SELECT COUNT(*) FROM writing_versions WHERE target_id = ?", id)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM writing_versions WHERE body LIKE ? OR body LIKE ? OR themes LIKE ? OR themes LIKE ?",
			"%0123%", "%Mill%", "%suicide%", "%violence%"); n != 0 {
			t.Error("an earlier version is stored in clear")
		}
		sweep := func(after time.Duration) {
			t.Helper()
			if _, err := f.svc.Moderation.SweepVersions(context.Background(), time.Now().Add(after)); err != nil {
				t.Fatal(err)
			}
		}

		// In the queue, a version outlives its week.
		sweep(8 * 24 * time.Hour)
		if versions(s.ID) != 2 {
			t.Fatalf("versions of writing in the queue were erased: %d left", versions(s.ID))
		}
		// Decided: kept for the week from the edit, then erased.
		expect(t, f.act("story", s.ID, "dismiss", "The number is gone."), http.StatusOK, "")
		expect(t, f.history(f.moderator, "story", s.ID), http.StatusNotFound, "not_found")
		sweep(6 * 24 * time.Hour)
		if versions(s.ID) != 2 {
			t.Errorf("versions erased before their week: %d left", versions(s.ID))
		}
		sweep(8 * 24 * time.Hour)
		if versions(s.ID) != 0 {
			t.Errorf("%d versions outlive their week", versions(s.ID))
		}

		// Appealed: kept while the appeal is open.
		expect(t, f.act("reply", rp.ID, "hide", "It gives an address."), http.StatusOK, "")
		expect(t, f.appeal(f.author, f.actionNotice(f.author, "hidden"), "I took the address out."), http.StatusCreated, "")
		sweep(8 * 24 * time.Hour)
		if versions(rp.ID) != 2 {
			t.Errorf("versions of appealed writing were erased: %d left", versions(rp.ID))
		}

		// They go with the writing, and with the account.
		other := f.story(f.author, "open", "To be deleted")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + other.ID, token: f.author.Access, body: map[string]string{"body": "Changed."}}), http.StatusOK, "")
		if versions(other.ID) != 1 {
			t.Fatalf("an edit saved %d versions", versions(other.ID))
		}
		expect(t, f.do(req{method: "DELETE", path: "/stories/" + other.ID, token: f.author.Access}), http.StatusNoContent, "")
		if versions(other.ID) != 0 {
			t.Error("versions outlive their deleted story")
		}
		expect(t, f.do(req{method: "DELETE", path: "/me", token: f.author.Access, body: map[string]string{"password": f.author.Password}}), http.StatusNoContent, "")
		if n := count(t, db, "SELECT COUNT(*) FROM writing_versions WHERE author_id = ?", f.author.ID); n != 0 {
			t.Errorf("%d versions outlive the account", n)
		}
	})
}

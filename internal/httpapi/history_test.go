package httpapi

import (
	"context"
	"net/http"
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
// queue, oldest first, the current one last; nobody else does, and writing
// not in the queue has none to show. Earlier versions are sealed, kept
// while the writing is in the queue or appealed or for 7 days from the
// edit, then erased; they go with the writing and with the account.
func TestEditHistory(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "First title")
		expect(t, f.flag(f.member, "story", s.ID, "privacy", "It has a phone number."), http.StatusCreated, "")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"body": "Call me on 0123 456 789."}}), http.StatusOK, "")
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + s.ID, token: f.author.Access, body: map[string]string{"title": "Second title", "body": "No number now."}}), http.StatusOK, "")

		r := f.history(f.moderator, "story", s.ID)
		expect(t, r, http.StatusOK, "")
		h := decode[historyJSON](t, r)
		want := [][2]string{{"First title", "The body of First title"}, {"First title", "Call me on 0123 456 789."}, {"Second title", "No number now."}}
		if len(h.Versions) != len(want) {
			t.Fatalf("versions %+v", h.Versions)
		}
		for i, v := range h.Versions {
			if v.Title == nil || *v.Title != want[i][0] || v.Body != want[i][1] || v.Themes == nil || len(v.Themes) != 0 {
				t.Errorf("version %d: %+v", i, v)
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

		// A reply's versions have no title.
		rp := f.reply(f.author, calm.ID, "", "My address is 1 Mill Lane.")
		expect(t, f.flag(f.member, "reply", rp.ID, "privacy", ""), http.StatusCreated, "")
		expect(t, f.do(req{method: "PATCH", path: "/replies/" + rp.ID, token: f.author.Access, body: map[string]string{"body": "Somewhere near the mill."}}), http.StatusOK, "")
		h = decode[historyJSON](t, f.history(f.moderator, "reply", rp.ID))
		if len(h.Versions) != 2 || h.Versions[0].Title != nil || h.Versions[0].Body != "My address is 1 Mill Lane." || h.Versions[1].Body != "Somewhere near the mill." {
			t.Errorf("reply versions %+v", h.Versions)
		}

		db := f.storeDB(t)
		versions := func(id string) int64 {
			return count(t, db, "SELECT COUNT(*) FROM writing_versions WHERE target_id = ?", id)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM writing_versions WHERE body LIKE ? OR body LIKE ?", "%0123%", "%Mill%"); n != 0 {
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
		if versions(rp.ID) != 1 {
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

package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// circleDetailJSON is GET /circles/{slug} as the care tests read it.
type circleDetailJSON struct {
	Guidelines *struct {
		Version      int
		Text         string
		AcceptedByMe bool `json:"accepted_by_me"`
	}
	Resources []struct{ Name, Contact string }
}

// guidelines writes a new version of a circle's guidelines as a and
// returns the version.
func (f *forumFixture) guidelines(a *account, slug, text string) int {
	f.t.Helper()
	r := f.do(req{method: "PUT", path: "/circles/" + slug + "/guidelines", token: a.Access, body: map[string]string{"text": text}})
	expect(f.t, r, http.StatusOK, "")
	return int(r.JSON(f.t)["version"].(float64))
}

func (f *forumFixture) accept(a *account, slug string, version int) *response {
	return f.do(req{method: "POST", path: "/circles/" + slug + "/guidelines/accept", token: a.Access, body: map[string]int{"version": version}})
}

// TestGuidelines: versions, who writes them, accepting, and new writing
// held back (nothing stored) until the current version is accepted; edits
// never are.
func TestGuidelines(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		// Before any guidelines, writing goes as ever and there is nothing to accept.
		before := f.story(f.author, "open", "Before the guidelines")
		c := decode[circleDetailJSON](t, f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}))
		if c.Guidelines != nil || c.Resources == nil || len(c.Resources) != 0 {
			t.Errorf("a circle without guidelines: %+v", c)
		}
		expect(t, f.accept(f.member, "open", 1), http.StatusNotFound, "not_found")

		// Who may write them.
		body := map[string]string{"text": "Be kind."}
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.member.Access, body: body}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.otherFacilitator.Access, body: body}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.moderator.Access, body: body}), http.StatusForbidden, "not_facilitator")
		expect(t, f.do(req{method: "PUT", path: "/circles/hidden/guidelines", token: f.outsider.Access, body: body}), http.StatusNotFound, "not_found")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.facilitator.Access, body: map[string]string{"text": " "}}), http.StatusBadRequest, "invalid_text")
		expect(t, f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.facilitator.Access, body: map[string]string{"text": strings.Repeat("a", 10_001)}}), http.StatusBadRequest, "invalid_text")
		r := f.do(req{method: "PUT", path: "/circles/open/guidelines", token: f.facilitator.Access, body: map[string]string{"text": "Be kind.\nKeep what is shared here."}})
		expect(t, r, http.StatusOK, "")
		if g := r.JSON(t); g["version"] != float64(1) || g["text"] != "Be kind.\nKeep what is shared here." || g["updated_at"] == nil {
			t.Errorf("first version %v", g)
		}
		if v := f.guidelines(f.admin, "open", "Be kind. Keep what is shared here."); v != 2 {
			t.Errorf("an admin's version is %d, want 2", v)
		}

		// A member sees them, not yet accepted; the facilitator who wrote
		// version 1 has not accepted the admin's version 2.
		c = decode[circleDetailJSON](t, f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}))
		if c.Guidelines == nil || c.Guidelines.Version != 2 || c.Guidelines.Text != "Be kind. Keep what is shared here." || c.Guidelines.AcceptedByMe {
			t.Fatalf("guidelines as a member: %+v", c.Guidelines)
		}

		// New writing waits, and nothing is stored.
		r = f.do(req{method: "POST", path: "/circles/open/stories", token: f.member.Access, body: map[string]string{"title": "Hello", "body": "First steps."}})
		expect(t, r, http.StatusConflict, "guidelines_not_accepted")
		if p := r.JSON(t); p["version"] != float64(2) || p["crisis_resources"] != nil {
			t.Errorf("409 %v", p)
		}
		r = f.do(req{method: "POST", path: "/stories/" + before.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "I want to end my life."}})
		expect(t, r, http.StatusConflict, "guidelines_not_accepted")
		if !strings.Contains(string(r.Body), `"crisis_resources"`) {
			t.Errorf("a crisis held back carries no resources: %s", r.Body)
		}
		page := decode[pageJSON[storyJSON]](t, f.do(req{method: "GET", path: "/circles/open/stories", token: f.member.Access}))
		replies := decode[pageJSON[replyJSON]](t, f.do(req{method: "GET", path: "/stories/" + before.ID + "/replies", token: f.member.Access}))
		if len(page.Items) != 1 || len(replies.Items) != 0 {
			t.Errorf("held-back writing was stored: %d stories, %d replies", len(page.Items), len(replies.Items))
		}
		queue := decode[pageJSON[map[string]any]](t, f.do(req{method: "GET", path: "/moderation/queue", token: f.moderator.Access}))
		if len(queue.Items) != 0 {
			t.Errorf("held-back crisis reached the queue: %v", queue.Items)
		}

		// Edits are never held back.
		expect(t, f.do(req{method: "PATCH", path: "/stories/" + before.ID, token: f.author.Access, body: map[string]string{"body": "Edited without my address."}}), http.StatusOK, "")

		// Accepting: a stale version, one that never was, outsiders.
		expect(t, f.accept(f.member, "open", 1), http.StatusConflict, "stale_version")
		expect(t, f.accept(f.member, "open", 3), http.StatusBadRequest, "invalid_version")
		expect(t, f.accept(f.outsider, "open", 2), http.StatusForbidden, "not_circle_member")
		expect(t, f.accept(f.member, "open", 2), http.StatusNoContent, "")
		expect(t, f.accept(f.member, "open", 2), http.StatusNoContent, "")
		c = decode[circleDetailJSON](t, f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}))
		if !c.Guidelines.AcceptedByMe {
			t.Errorf("accepted guidelines read %+v", c.Guidelines)
		}
		f.story(f.member, "open", "After agreeing")
		f.reply(f.member, before.ID, "", "Welcome.")

		// A new version asks again before the next post (not before reading);
		// its writer has accepted it.
		v := f.guidelines(f.facilitator, "open", "Be kind. No phone numbers.")
		expect(t, f.do(req{method: "GET", path: "/stories/" + before.ID, token: f.member.Access}), http.StatusOK, "")
		expect(t, f.do(req{method: "POST", path: "/stories/" + before.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "Again."}}), http.StatusConflict, "guidelines_not_accepted")
		f.story(f.facilitator, "open", "From the writer of the guidelines")
		expect(t, f.accept(f.member, "open", v), http.StatusNoContent, "")
		f.reply(f.member, before.ID, "", "Again.")

		// Other circles are not touched.
		f.story(f.member, "hidden", "Elsewhere")
	})
}

// TestCircleResources: who sets them, their limits, the circle page, and
// the crisis resources of writing in that circle.
func TestCircleResources(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		res := func(n int) map[string]any {
			list := []map[string]string{}
			for i := range n {
				list = append(list, map[string]string{"name": "Line " + string(rune('A'+i)), "contact": "Call 0800 000 00" + string(rune('0'+i))})
			}
			return map[string]any{"resources": list}
		}
		put := func(a *account, slug string, body any) *response {
			return f.do(req{method: "PUT", path: "/circles/" + slug + "/resources", token: a.Access, body: body})
		}
		expect(t, put(f.member, "open", res(1)), http.StatusForbidden, "not_facilitator")
		expect(t, put(f.otherFacilitator, "open", res(1)), http.StatusForbidden, "not_facilitator")
		expect(t, put(f.facilitator, "open", res(11)), http.StatusBadRequest, "too_many_resources")
		expect(t, put(f.facilitator, "open", map[string]any{"resources": []map[string]string{{"name": "", "contact": "x"}}}), http.StatusBadRequest, "invalid_name")
		expect(t, put(f.facilitator, "open", map[string]any{"resources": []map[string]string{{"name": "x", "contact": strings.Repeat("c", 201)}}}), http.StatusBadRequest, "invalid_contact")
		expect(t, put(f.facilitator, "open", map[string]any{"resources": []map[string]string{{"name": "x", "contact": "y", "url": "z"}}}), http.StatusBadRequest, "unknown_field")
		expect(t, put(f.admin, "open", res(10)), http.StatusOK, "")
		r := put(f.facilitator, "open", map[string]any{"resources": []map[string]string{{"name": "Heart line", "contact": "Call 0800 123 456"}}})
		expect(t, r, http.StatusOK, "")

		c := decode[circleDetailJSON](t, f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}))
		if len(c.Resources) != 1 || c.Resources[0].Name != "Heart line" || c.Resources[0].Contact != "Call 0800 123 456" {
			t.Errorf("resources on the circle: %+v", c.Resources)
		}
		r = f.do(req{method: "POST", path: "/circles/open/stories", token: f.member.Access, body: map[string]string{"title": "A hard night", "body": "Tonight I want to end my life."}})
		expect(t, r, http.StatusCreated, "")
		if !strings.Contains(string(r.Body), "Heart line") || !strings.Contains(string(r.Body), "Call 0800 123 456") {
			t.Errorf("crisis resources lack the circle's: %s", r.Body)
		}
		// Another circle's writing does not get them.
		r = f.do(req{method: "POST", path: "/circles/hidden/stories", token: f.member.Access, body: map[string]string{"title": "A hard night", "body": "Tonight I want to end my life."}})
		expect(t, r, http.StatusCreated, "")
		if strings.Contains(string(r.Body), "Heart line") {
			t.Errorf("another circle's resources leak: %s", r.Body)
		}
		expect(t, put(f.facilitator, "open", map[string]any{"resources": []any{}}), http.StatusOK, "")
		c = decode[circleDetailJSON](t, f.do(req{method: "GET", path: "/circles/open", token: f.member.Access}))
		if len(c.Resources) != 0 {
			t.Errorf("cleared resources: %+v", c.Resources)
		}
	})
}

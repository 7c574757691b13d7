package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"hearth/internal/kernel"
	"hearth/internal/store"
)

// forumFixture is a forum with one member of every kind the role × route
// matrix names, an open circle "open" and a private circle "hidden" (the
// same people in both), and a third circle "other" with its own
// facilitator.
type forumFixture struct {
	*testServer
	// outsider is signed in but in no circle; member is in both circles;
	// author writes the stories; facilitator runs both circles;
	// otherFacilitator runs "other" only.
	outsider, member, author, facilitator, otherFacilitator, moderator, admin *account
	// pinned are stories a test pinned and may need to unpin.
	pinned []string
}

var handleSeq atomic.Int64

// uniqueHandle returns a handle no other test in this process uses.
func uniqueHandle(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, handleSeq.Add(1))
}

// newForum builds the fixture on a fresh server of dialect.
func newForum(t *testing.T, dialect string, opts ...serverOption) *forumFixture {
	t.Helper()
	f := &forumFixture{testServer: newTestServerOn(t, dialect, opts...)}
	f.outsider = f.register(uniqueHandle("outsider"))
	f.member = f.register(uniqueHandle("member"))
	f.author = f.register(uniqueHandle("author"))
	f.facilitator = f.register(uniqueHandle("facil"))
	f.otherFacilitator = f.register(uniqueHandle("otherfacil"))
	f.moderator = f.withRole(f.register(uniqueHandle("mod")), kernel.RoleModerator)
	f.admin = f.withRole(f.register(uniqueHandle("adm")), kernel.RoleAdmin)
	f.circle("open", store.VisibilityOpen)
	f.circle("hidden", store.VisibilityPrivate)
	f.circle("other", store.VisibilityOpen)
	f.appoint("other", f.otherFacilitator)
	for _, slug := range []string{"open", "hidden"} {
		f.appoint(slug, f.facilitator)
		for _, a := range []*account{f.member, f.author} {
			f.join(slug, a)
		}
	}
	return f
}

// withRole gives a its global role straight in the store; the next request
// sees it, as roles are read with the session.
func (f *forumFixture) withRole(a *account, role string) *account {
	f.t.Helper()
	if err := f.store.UpdateMember(context.Background(), a.ID, store.MemberUpdate{Role: &role}); err != nil {
		f.t.Fatal(err)
	}
	a.Role = role
	return a
}

func (f *forumFixture) circle(slug, visibility string) {
	f.t.Helper()
	r := f.do(req{method: "POST", path: "/circles", token: f.admin.Access,
		body: map[string]any{"slug": slug, "name": "Circle " + slug, "description": "A circle for tests.", "visibility": visibility}})
	expect(f.t, r, http.StatusCreated, "")
}

func (f *forumFixture) appoint(slug string, a *account) {
	f.t.Helper()
	expect(f.t, f.do(req{method: "PUT", path: "/circles/" + slug + "/facilitators/" + a.Handle, token: f.admin.Access}), http.StatusNoContent, "")
}

// join puts a in circle slug, through an invite when it is private.
func (f *forumFixture) join(slug string, a *account) {
	f.t.Helper()
	var body any
	if slug == "hidden" {
		body = map[string]string{"invite_code": f.invite(slug, 1)}
	}
	expect(f.t, f.do(req{method: "POST", path: "/circles/" + slug + "/join", token: a.Access, body: body}), http.StatusNoContent, "")
}

// invite makes an invite code as the circle's facilitator.
func (f *forumFixture) invite(slug string, uses int) string {
	f.t.Helper()
	return f.newInvite(slug, uses)["code"].(string)
}

// newInvite makes an invite as the circle's facilitator and returns it.
func (f *forumFixture) newInvite(slug string, uses int) map[string]any {
	f.t.Helper()
	r := f.do(req{method: "POST", path: "/circles/" + slug + "/invites", token: f.facilitator.Access,
		body: map[string]int{"max_uses": uses, "expires_in_hours": 24}})
	expect(f.t, r, http.StatusCreated, "")
	return r.JSON(f.t)
}

// storyJSON is a story as the API returns it.
type storyJSON struct {
	ID             string
	Circle         string
	Author         *struct{ Handle string }
	Title          *string
	Body           *string
	ContentWarning *string `json:"content_warning"`
	Kind           string
	Status         string
	Pinned         bool
	SupportCount   int     `json:"support_count"`
	SupportedByMe  bool    `json:"supported_by_me"`
	ReplyCount     int     `json:"reply_count"`
	CreatedAt      string  `json:"created_at"`
	EditedAt       *string `json:"edited_at"`
}

// replyJSON is a reply as the API returns it.
type replyJSON struct {
	ID            string
	StoryID       string  `json:"story_id"`
	ParentID      *string `json:"parent_id"`
	Depth         int
	Author        *struct{ Handle string }
	Body          *string
	Status        string
	SupportCount  int  `json:"support_count"`
	SupportedByMe bool `json:"supported_by_me"`
}

type pageJSON[T any] struct {
	Items      []T
	NextCursor *string `json:"next_cursor"`
}

func decode[T any](t *testing.T, r *response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
	return v
}

// story shares a story as a in circle slug.
func (f *forumFixture) story(a *account, slug, title string) storyJSON {
	f.t.Helper()
	r := f.do(req{method: "POST", path: "/circles/" + slug + "/stories", token: a.Access,
		body: map[string]string{"title": title, "body": "The body of " + title}})
	expect(f.t, r, http.StatusCreated, "")
	return decode[storyJSON](f.t, r)
}

// crisisStory shares, as a, a story that reads as a crisis: it waits at
// the head of the queue.
func (f *forumFixture) crisisStory(a *account, slug string) storyJSON {
	f.t.Helper()
	r := f.do(req{method: "POST", path: "/circles/" + slug + "/stories", token: a.Access,
		body: map[string]string{"title": "A hard night", "body": "Tonight I want to end my life."}})
	expect(f.t, r, http.StatusCreated, "")
	return decode[storyJSON](f.t, r)
}

// reply replies as a to a story, under parent when it is not "".
func (f *forumFixture) reply(a *account, storyID, parent, body string) replyJSON {
	f.t.Helper()
	in := map[string]any{"body": body}
	if parent != "" {
		in["parent_id"] = parent
	}
	r := f.do(req{method: "POST", path: "/stories/" + storyID + "/replies", token: a.Access, body: in})
	expect(f.t, r, http.StatusCreated, "")
	return decode[replyJSON](f.t, r)
}

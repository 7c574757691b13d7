package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"hearth/internal/store/storetest"
)

// role is a column of the role × route matrix.
type role int

const (
	asAnonymous        role = iota // no token
	asMember                       // a member in no circle
	asCircleMember                 // a member of the target's circle
	asAuthor                       // the circle member who wrote the target
	asFacilitator                  // a facilitator of the target's circle
	asOtherFacilitator             // a facilitator of another circle only
	asModerator                    // global moderator, in no circle
	asAdmin                        // global admin, in no circle
	roleCount
)

var roleNames = [roleCount]string{"anonymous", "member", "circle member", "author", "facilitator", "facilitator of another", "moderator", "admin"}

// account of a role in the fixture; anonymous gets a fresh account of its
// own, whose credentials anyone-routes may use, but sends no token.
func (f *forumFixture) roleAccount(r role) *account {
	switch r {
	case asMember:
		return f.outsider
	case asCircleMember:
		return f.member
	case asAuthor:
		return f.author
	case asFacilitator:
		return f.facilitator
	case asOtherFacilitator:
		return f.otherFacilitator
	case asModerator:
		return f.moderator
	case asAdmin:
		return f.admin
	}
	return f.register(uniqueHandle("anon"))
}

// fresh signs a in again, so a row that logs out, changes the password or
// deletes the account leaves the fixture's own sessions alone.
func (f *forumFixture) fresh(a *account) *account {
	f.t.Helper()
	r := f.login(a.Handle, a.Password)
	expect(f.t, r, http.StatusOK, "")
	var g struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(r.Body, &g); err != nil {
		f.t.Fatal(err)
	}
	c := *a
	c.Access, c.Refresh = g.AccessToken, g.RefreshToken
	return &c
}

// matrixRow is one route (as routes.go registers it), the request a cell
// makes (built fresh for each cell, as some rows change what they touch),
// and the status each role gets.
type matrixRow struct {
	route string
	req   func(f *forumFixture, me *account) req
	want  [roleCount]int
}

const (
	s200 = http.StatusOK
	s201 = http.StatusCreated
	s204 = http.StatusNoContent
	s400 = http.StatusBadRequest
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
)

// matrix is who may call what. Later issues add their rows here.
var matrix = []matrixRow{
	// Accounts and sessions.
	{"POST /auth/register", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/auth/register", body: map[string]string{"handle": uniqueHandle("new"), "password": testPassword}}
	}, [roleCount]int{s201, s201, s201, s201, s201, s201, s201, s201}},
	{"POST /auth/login", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/auth/login", body: map[string]string{"handle": me.Handle, "password": me.Password}}
	}, [roleCount]int{s200, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /auth/refresh", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": me.Refresh}}
	}, [roleCount]int{s200, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /auth/recover", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/auth/recover", body: map[string]string{"handle": me.Handle, "recovery_code": me.RecoveryCodes[0], "new_password": "a new calm harbour at dawn"}}
	}, [roleCount]int{s200, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /auth/logout", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/auth/logout"}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"GET /me", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /me/password", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/me/password", body: map[string]string{"current_password": me.Password, "new_password": "a new calm harbour at dawn"}}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"GET /me/recovery-codes", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/recovery-codes"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /me/recovery-codes", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/me/recovery-codes", body: map[string]string{"password": me.Password}}
	}, [roleCount]int{s401, s201, s201, s201, s201, s201, s201, s201}},
	{"GET /me/export", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/export"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /me/notices", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/notices"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /me/notices/unread-count", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/notices/unread-count"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /me/notices/read", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/me/notices/read", body: map[string]string{"up_to": "zzzzzzzzzzzzzzzzzzzzzzzzzz"}}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"GET /me/unanswered", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/unanswered"}
	}, [roleCount]int{s401, s403, s403, s403, s200, s200, s200, s200}},
	{"DELETE /me", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/me", body: map[string]string{"password": me.Password}}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},

	// Circles.
	{"GET /circles", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /circles", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles", body: map[string]string{"slug": uniqueHandle("c"), "name": "New", "description": "", "visibility": "open"}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s403, s201}},
	{"GET /circles/:slug", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/open"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /circles/:slug (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/hidden"}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s200, s200}},
	{"PATCH /circles/:slug", func(f *forumFixture, me *account) req {
		return req{method: "PATCH", path: "/circles/open", body: map[string]string{"name": "Renamed"}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s403, s200}},
	{"POST /circles/:slug/join", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/join"}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"POST /circles/:slug/join (private, no code)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/hidden/join"}
	}, [roleCount]int{s401, s404, s204, s204, s204, s404, s400, s400}},
	{"POST /circles/:slug/join (private, with code)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/hidden/join", body: map[string]string{"invite_code": f.invite("hidden", 1)}}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"POST /circles/:slug/leave", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/leave"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"POST /circles/:slug/invites", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/hidden/invites", body: map[string]int{"max_uses": 3, "expires_in_hours": 48}}
	}, [roleCount]int{s401, s404, s403, s403, s201, s404, s403, s403}},
	{"GET /circles/:slug/invites", func(f *forumFixture, me *account) req {
		f.invite("hidden", 2)
		return req{method: "GET", path: "/circles/hidden/invites"}
	}, [roleCount]int{s401, s404, s403, s403, s200, s404, s403, s403}},
	{"DELETE /circles/:slug/invites/:id", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/circles/hidden/invites/" + f.newInvite("hidden", 2)["id"].(string)}
	}, [roleCount]int{s401, s404, s403, s403, s204, s404, s403, s403}},
	{"GET /circles/:slug/facilitators", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/open/facilitators"}
	}, [roleCount]int{s401, s403, s403, s403, s200, s403, s200, s200}},
	{"GET /circles/:slug/facilitators (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/hidden/facilitators"}
	}, [roleCount]int{s401, s404, s403, s403, s200, s404, s200, s200}},
	{"PUT /circles/:slug/facilitators/:handle", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/circles/open/facilitators/" + f.outsider.Handle}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s403, s204}},
	{"DELETE /circles/:slug/facilitators/:handle", func(f *forumFixture, me *account) req {
		f.appoint("other", f.outsider)
		return req{method: "DELETE", path: "/circles/other/facilitators/" + f.outsider.Handle}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s403, s204}},
	{"GET /circles/:slug/stories", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/open/stories"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /circles/:slug/stories (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/hidden/stories"}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s403, s403}},

	// Stories.
	{"POST /circles/:slug/stories", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/stories", body: map[string]string{"title": "Hello", "body": "First steps."}}
	}, [roleCount]int{s401, s403, s201, s201, s201, s403, s403, s403}},
	{"POST /circles/:slug/stories (private)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/hidden/stories", body: map[string]string{"title": "Hello", "body": "First steps."}}
	}, [roleCount]int{s401, s404, s201, s201, s201, s404, s403, s403}},
	{"POST /circles/:slug/stories (guidance)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/stories", body: map[string]string{"title": "How we talk", "body": "Kindly.", "kind": "guidance"}}
	}, [roleCount]int{s401, s403, s403, s403, s201, s403, s403, s403}},
	{"GET /stories/:id", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/stories/" + f.story(f.author, "open", "A story").ID}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /stories/:id (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/stories/" + f.story(f.author, "hidden", "A story").ID}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s404, s404}},
	{"GET /stories/:id (private, in the queue)", func(f *forumFixture, me *account) req {
		s := f.story(f.author, "hidden", "A story")
		expect(f.t, f.flag(f.member, "story", s.ID, "privacy", ""), s201, "")
		return req{method: "GET", path: "/stories/" + s.ID}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s200, s200}},
	{"PATCH /stories/:id", func(f *forumFixture, me *account) req {
		return req{method: "PATCH", path: "/stories/" + f.story(f.author, "open", "A story").ID, body: map[string]string{"body": "Edited."}}
	}, [roleCount]int{s401, s403, s403, s200, s403, s403, s403, s403}},
	{"PATCH /stories/:id (private)", func(f *forumFixture, me *account) req {
		return req{method: "PATCH", path: "/stories/" + f.story(f.author, "hidden", "A story").ID, body: map[string]string{"body": "Edited."}}
	}, [roleCount]int{s401, s404, s403, s200, s403, s404, s404, s404}},
	{"DELETE /stories/:id", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/stories/" + f.story(f.author, "open", "A story").ID}
	}, [roleCount]int{s401, s403, s403, s204, s403, s403, s403, s403}},
	{"PUT /stories/:id/pin", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/pin"}
	}, [roleCount]int{s401, s403, s403, s403, s204, s403, s403, s403}},
	{"DELETE /stories/:id/pin", func(f *forumFixture, me *account) req {
		// Cells that may not unpin leave their pin: take it down first,
		// so the circle stays under its pin limit.
		for _, old := range f.pinned {
			expect(f.t, f.do(req{method: "DELETE", path: "/stories/" + old + "/pin", token: f.facilitator.Access}), s204, "")
		}
		id := f.story(f.author, "open", "A story").ID
		expect(f.t, f.do(req{method: "PUT", path: "/stories/" + id + "/pin", token: f.facilitator.Access}), s204, "")
		f.pinned = append(f.pinned, id)
		return req{method: "DELETE", path: "/stories/" + id + "/pin"}
	}, [roleCount]int{s401, s403, s403, s403, s204, s403, s403, s403}},
	{"GET /stories/:id/replies", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/replies"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"GET /stories/:id/replies (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/stories/" + f.story(f.author, "hidden", "A story").ID + "/replies"}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s404, s404}},
	{"GET /stories/:id/replies (private, a reply in the queue)", func(f *forumFixture, me *account) req {
		s := f.story(f.author, "hidden", "A story")
		expect(f.t, f.flag(f.author, "reply", f.reply(f.member, s.ID, "", "With you.").ID, "privacy", ""), s201, "")
		return req{method: "GET", path: "/stories/" + s.ID + "/replies"}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s200, s200}},
	{"POST /stories/:id/replies", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/replies", body: map[string]string{"body": "With you."}}
	}, [roleCount]int{s401, s403, s201, s201, s201, s403, s403, s403}},
	{"PATCH /replies/:id", func(f *forumFixture, me *account) req {
		s := f.story(f.member, "open", "A story")
		return req{method: "PATCH", path: "/replies/" + f.reply(f.author, s.ID, "", "With you.").ID, body: map[string]string{"body": "Edited."}}
	}, [roleCount]int{s401, s403, s403, s200, s403, s403, s403, s403}},
	{"DELETE /replies/:id", func(f *forumFixture, me *account) req {
		s := f.story(f.member, "open", "A story")
		return req{method: "DELETE", path: "/replies/" + f.reply(f.author, s.ID, "", "With you.").ID}
	}, [roleCount]int{s401, s403, s403, s204, s403, s403, s403, s403}},
	{"PUT /stories/:id/follow", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/follow"}
	}, [roleCount]int{s401, s204, s204, s204, s204, s204, s204, s204}},
	{"PUT /stories/:id/follow (private)", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/stories/" + f.story(f.author, "hidden", "A story").ID + "/follow"}
	}, [roleCount]int{s401, s404, s204, s204, s204, s404, s404, s404}},
	{"DELETE /stories/:id/follow", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/stories/" + f.story(f.author, "hidden", "A story").ID + "/follow"}
	}, [roleCount]int{s401, s404, s204, s204, s204, s404, s404, s404}},
	{"PUT /stories/:id/support", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/support"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"DELETE /stories/:id/support", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/stories/" + f.story(f.author, "open", "A story").ID + "/support"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"PUT /replies/:id/support", func(f *forumFixture, me *account) req {
		s := f.story(f.member, "open", "A story")
		return req{method: "PUT", path: "/replies/" + f.reply(f.author, s.ID, "", "With you.").ID + "/support"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"DELETE /replies/:id/support", func(f *forumFixture, me *account) req {
		s := f.story(f.member, "open", "A story")
		return req{method: "DELETE", path: "/replies/" + f.reply(f.author, s.ID, "", "With you.").ID + "/support"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},

	// Flags and moderation.
	{"POST /flags", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/flags", body: map[string]string{"target_type": "story", "target_id": f.story(f.author, "open", "A story").ID, "reason": "spam"}}
	}, [roleCount]int{s401, s201, s201, s400, s201, s201, s201, s201}},
	{"POST /flags (private)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/flags", body: map[string]string{"target_type": "story", "target_id": f.story(f.author, "hidden", "A story").ID, "reason": "spam"}}
	}, [roleCount]int{s401, s404, s201, s400, s201, s404, s404, s404}},
	{"GET /moderation/queue", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/moderation/queue"}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"POST /moderation/items/:target_type/:target_id/acknowledge", func(f *forumFixture, me *account) req {
		s := f.crisisStory(f.author, "open")
		return req{method: "POST", path: "/moderation/items/story/" + s.ID + "/acknowledge"}
	}, [roleCount]int{s401, s403, s403, s403, s200, s403, s200, s200}},
	{"POST /moderation/items/:target_type/:target_id/acknowledge (private)", func(f *forumFixture, me *account) req {
		s := f.crisisStory(f.author, "hidden")
		return req{method: "POST", path: "/moderation/items/story/" + s.ID + "/acknowledge"}
	}, [roleCount]int{s401, s404, s403, s403, s200, s404, s200, s200}},
	{"POST /moderation/items/:target_type/:target_id/actions", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/moderation/items/story/" + f.story(f.author, "open", "A story").ID + "/actions", body: map[string]string{"action": "hide", "reason": "Checking it."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"POST /moderation/items/:target_type/:target_id/actions (private)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/moderation/items/story/" + f.story(f.author, "hidden", "A story").ID + "/actions", body: map[string]string{"action": "hide", "reason": "Checking it."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	// add_themes: a moderator's (and so an admin's), never a facilitator's
	// or the author's, on others' writing wherever it is.
	{"POST /moderation/items/:target_type/:target_id/actions (add_themes)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/moderation/items/story/" + f.story(f.author, "open", "A story").ID + "/actions",
			body: map[string]any{"action": "add_themes", "themes": []string{"disaster"}, "reason": "It tells of a flood."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"POST /moderation/items/:target_type/:target_id/actions (add_themes, a reply in private)", func(f *forumFixture, me *account) req {
		s := f.story(f.facilitator, "hidden", "A story")
		return req{method: "POST", path: "/moderation/items/reply/" + f.reply(f.author, s.ID, "", "A reply").ID + "/actions",
			body: map[string]any{"action": "add_themes", "themes": []string{"death_loss"}, "reason": "It tells of a loss."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"POST /moderation/members/:handle/actions", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/moderation/members/" + f.register(uniqueHandle("target")).Handle + "/actions", body: map[string]string{"action": "warn", "reason": "Please be kind."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"GET /moderation/log", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/moderation/log"}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"PUT /admin/members/:handle/role", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/admin/members/" + f.register(uniqueHandle("target")).Handle + "/role", body: map[string]string{"role": "moderator"}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s403, s204}},

	// Search.
	{"POST /search", func(f *forumFixture, me *account) req {
		f.story(f.author, "open", "A story")
		return req{method: "POST", path: "/search", body: map[string]string{"q": "story"}}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /search (private circle)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/search", body: map[string]string{"q": "story", "circle": "hidden"}}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s404, s404}},

	// Reader safety: every member keeps their own preferences and lists.
	{"GET /me/preferences", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/preferences"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"PUT /me/preferences", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/me/preferences", body: map[string]any{"themes": map[string]string{"eating": "hide"}}}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"PUT /me/muted/:handle", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/me/muted/" + f.author.Handle}
	}, [roleCount]int{s401, s204, s204, s400, s204, s204, s204, s204}},
	{"DELETE /me/muted/:handle", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/me/muted/" + f.author.Handle}
	}, [roleCount]int{s401, s204, s204, s400, s204, s204, s204, s204}},
	{"GET /me/muted", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/muted"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"PUT /me/blocked/:handle", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/me/blocked/" + f.author.Handle}
	}, [roleCount]int{s401, s204, s204, s400, s204, s204, s204, s204}},
	{"DELETE /me/blocked/:handle", func(f *forumFixture, me *account) req {
		return req{method: "DELETE", path: "/me/blocked/" + f.author.Handle}
	}, [roleCount]int{s401, s204, s204, s400, s204, s204, s204, s204}},
	{"GET /me/blocked", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/me/blocked"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},

	// Checks before posting.
	{"POST /checks/text", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/checks/text", body: map[string]string{"text": "Call me on 07700 900123."}}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},

	// Appeals: only the member an action was about appeals it; any
	// moderator but the one who acted decides.
	{"POST /appeals", func(f *forumFixture, me *account) req {
		s := f.story(f.author, "open", "A story")
		expect(f.t, f.act("story", s.ID, "hide", "Checking it."), s200, "")
		return req{method: "POST", path: "/appeals", body: map[string]string{"action_id": f.actionNotice(f.author, "hidden"), "text": "Please look again."}}
	}, [roleCount]int{s401, s404, s404, s201, s404, s404, s404, s404}},
	{"GET /moderation/appeals", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/moderation/appeals"}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},
	{"POST /moderation/appeals/:id/decide", func(f *forumFixture, me *account) req {
		s := f.story(f.author, "open", "A story")
		expect(f.t, f.do(req{method: "POST", path: "/moderation/items/story/" + s.ID + "/actions", token: f.admin.Access,
			body: map[string]string{"action": "hide", "reason": "Checking it."}}), s200, "")
		r := f.appeal(f.author, f.actionNotice(f.author, "hidden"), "Please look again.")
		expect(f.t, r, s201, "")
		return req{method: "POST", path: "/moderation/appeals/" + r.JSON(f.t)["id"].(string) + "/decide", body: map[string]string{"outcome": "upheld", "reason": "It stands."}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s403}},
	{"GET /moderation/items/:target_type/:target_id/history", func(f *forumFixture, me *account) req {
		s := f.story(f.author, "open", "A story")
		expect(f.t, f.flag(f.member, "story", s.ID, "spam", ""), s201, "")
		return req{method: "GET", path: "/moderation/items/story/" + s.ID + "/history"}
	}, [roleCount]int{s401, s403, s403, s403, s403, s403, s200, s200}},

	// Circle care.
	{"PUT /circles/:slug/guidelines", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/circles/open/guidelines", body: map[string]string{"text": "Be kind."}}
	}, [roleCount]int{s401, s403, s403, s403, s200, s403, s403, s200}},
	{"PUT /circles/:slug/guidelines (private)", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/circles/hidden/guidelines", body: map[string]string{"text": "Be kind."}}
	}, [roleCount]int{s401, s404, s403, s403, s200, s404, s403, s200}},
	{"POST /circles/:slug/guidelines/accept", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/guidelines/accept", body: map[string]int{"version": f.guidelines(f.facilitator, "open", "Be kind.")}}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"POST /circles/:slug/guidelines/accept (none written)", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/other/guidelines/accept", body: map[string]int{"version": 1}}
	}, [roleCount]int{s401, s403, s403, s403, s403, s404, s403, s403}},
	{"PUT /circles/:slug/resources", func(f *forumFixture, me *account) req {
		return req{method: "PUT", path: "/circles/open/resources", body: map[string]any{"resources": []map[string]string{{"name": "Heart line", "contact": "Call 0800 123 456"}}}}
	}, [roleCount]int{s401, s403, s403, s403, s200, s403, s403, s200}},
	{"POST /circles/:slug/stories (guidelines not accepted)", func(f *forumFixture, me *account) req {
		f.guidelines(f.admin, "open", "Be kind.")
		return req{method: "POST", path: "/circles/open/stories", body: map[string]string{"title": "Hello", "body": "First steps."}}
	}, [roleCount]int{s401, s403, s409, s409, s409, s403, s403, s403}},

	// Mentorship. The author of the matrix is the mentor; the circle member
	// is the mentee where a row needs one, and a newcomer otherwise.
	{"PUT /circles/:slug/mentors/me", func(f *forumFixture, me *account) req {
		f.tryStories(me, "open")
		return req{method: "PUT", path: "/circles/open/mentors/me", body: map[string]any{"intro": "I can listen.", "max_mentees": 2}}
	}, [roleCount]int{s401, s403, s201, s201, s201, s403, s403, s403}},
	{"DELETE /circles/:slug/mentors/me", func(f *forumFixture, me *account) req {
		f.tryStories(me, "open")
		f.do(req{method: "PUT", path: "/circles/open/mentors/me", token: me.Access, body: map[string]any{"intro": "I can listen."}})
		return req{method: "DELETE", path: "/circles/open/mentors/me"}
	}, [roleCount]int{s401, s403, s204, s204, s204, s403, s403, s403}},
	{"GET /circles/:slug/mentors", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/open/mentors"}
	}, [roleCount]int{s401, s403, s200, s200, s200, s403, s403, s403}},
	{"GET /circles/:slug/mentors (private)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/hidden/mentors"}
	}, [roleCount]int{s401, s404, s200, s200, s200, s404, s403, s403}},
	{"GET /circles/:slug/mentors (pending)", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/circles/open/mentors?status=pending"}
	}, [roleCount]int{s401, s403, s403, s403, s200, s403, s403, s200}},
	{"POST /circles/:slug/mentors/:handle/approve", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/mentors/" + f.pendingMentor() + "/approve"}
	}, [roleCount]int{s401, s403, s403, s403, s204, s403, s403, s403}},
	{"POST /circles/:slug/mentors/:handle/remove", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/circles/open/mentors/" + f.pendingMentor() + "/remove"}
	}, [roleCount]int{s401, s403, s403, s403, s204, s403, s403, s403}},
	{"POST /mentorships", func(f *forumFixture, me *account) req {
		f.matrixMentor()
		return req{method: "POST", path: "/mentorships", body: map[string]string{"circle": "open", "mentor": f.author.Handle, "message": "Hello."}}
	}, [roleCount]int{s401, s403, s201, s403, s201, s403, s403, s403}},
	{"GET /mentorships", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/mentorships"}
	}, [roleCount]int{s401, s200, s200, s200, s200, s200, s200, s200}},
	{"POST /mentorships/:id/accept", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/mentorships/" + f.matrixMentorship(f.joined("mentee"), false) + "/accept"}
	}, [roleCount]int{s401, s404, s404, s200, s404, s404, s404, s404}},
	{"POST /mentorships/:id/decline", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/mentorships/" + f.matrixMentorship(f.joined("mentee"), false) + "/decline"}
	}, [roleCount]int{s401, s404, s404, s200, s404, s404, s404, s404}},
	{"POST /mentorships/:id/withdraw", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/mentorships/" + f.matrixMentorship(f.member, false) + "/withdraw"}
	}, [roleCount]int{s401, s404, s200, s403, s404, s404, s404, s404}},
	{"POST /mentorships/:id/end", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/mentorships/" + f.matrixMentorship(f.member, true) + "/end"}
	}, [roleCount]int{s401, s404, s200, s200, s404, s404, s404, s404}},
	{"GET /mentorships/:id/messages", func(f *forumFixture, me *account) req {
		return req{method: "GET", path: "/mentorships/" + f.matrixMentorship(f.member, true) + "/messages"}
	}, [roleCount]int{s401, s404, s200, s200, s404, s404, s404, s404}},
	{"POST /flags (a mentorship message)", func(f *forumFixture, me *account) req {
		r := f.say(f.author, f.matrixMentorship(f.member, true), "Let us talk tomorrow.")
		expect(f.t, r, s201, "")
		return req{method: "POST", path: "/flags", body: map[string]string{"target_type": "message", "target_id": r.JSON(f.t)["id"].(string), "reason": "privacy"}}
	}, [roleCount]int{s401, s404, s201, s400, s404, s404, s404, s404}},
	{"POST /mentorships/:id/messages", func(f *forumFixture, me *account) req {
		return req{method: "POST", path: "/mentorships/" + f.matrixMentorship(f.member, true) + "/messages", body: map[string]string{"body": "How are you?"}}
	}, [roleCount]int{s401, s404, s201, s201, s404, s404, s404, s404}},
}

// TestRoleRouteMatrix runs every route as every role and checks the status;
// it also fails when a route of the API has no row.
func TestRoleRouteMatrix(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			covered := map[string]bool{}
			for _, row := range matrix {
				route, _, _ := strings.Cut(row.route, " (")
				covered[route] = true
			}
			ts := newTestServerOn(t, dialect)
			for _, r := range ts.echo.Routes() {
				if !strings.HasPrefix(r.Path, Prefix+"/") {
					continue
				}
				if route := r.Method + " " + strings.TrimPrefix(r.Path, Prefix); !covered[route] {
					t.Errorf("route %s has no row in the role × route matrix", route)
				}
			}
			for _, row := range matrix {
				t.Run(row.route, func(t *testing.T) {
					t.Parallel()
					f := newForum(t, dialect)
					for r := range roleCount {
						me := f.roleAccount(r)
						if r != asAnonymous {
							me = f.fresh(me)
						}
						rq := row.req(f, me)
						if r != asAnonymous {
							rq.token = me.Access
						}
						got := f.do(rq)
						if got.Status != row.want[r] {
							t.Errorf("%s as %s: status %d, want %d; body %s", row.route, roleNames[r], got.Status, row.want[r], got.Body)
						}
					}
				})
			}
		})
	}
}

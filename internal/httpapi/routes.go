package httpapi

import (
	"hearth/internal/kernel"
	"hearth/internal/safety"
	"net/http"

	"github.com/labstack/echo/v4"
)

// access is who may call a route, before any rule of its domain.
type access int

const (
	anyone    access = iota // no token
	member                  // any signed-in member
	moderator               // moderators and admins
	admin                   // admins only
)

// limit is which rate limit a route counts against.
type limit int

const (
	// byDefault: reads count against nothing; every route that changes
	// something counts against the member's write limit
	// (--member-write-rate), so a route added later cannot forget it.
	byDefault limit = iota
	byAddress       // --auth-rate per client address (sign-up, sign-in, recovery, refresh)
	hashing         // routes that hash a password: a few an hour per member
	never           // signing out is never refused
	// searching is search's own limit per member (--search-rate). Search
	// only reads, but by POST (so its words stay out of URLs and logs):
	// it takes a read's turn and counts against no write limit.
	searching
	// checking is the text check's own limit per member (--check-rate).
	// The web app checks a draft before every post, so checks must not
	// eat the write limit the post itself needs.
	checking
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  access
	handler echo.HandlerFunc
	limit   limit
}

// routes is every route of the API, readable top to bottom. Rules finer than
// the access column (author, circle member, facilitator) live in the domain
// services' policy functions.
func (a *API) routes() []route {
	muteOn, muteOff, muted := a.silencing(safety.Muted)
	blockOn, blockOff, blocked := a.silencing(safety.Blocked)
	return []route{
		// Accounts and sessions.
		{method: http.MethodPost, path: "/auth/register", access: anyone, handler: a.register, limit: byAddress},
		{method: http.MethodPost, path: "/auth/login", access: anyone, handler: a.login, limit: byAddress},
		{method: http.MethodPost, path: "/auth/refresh", access: anyone, handler: a.refresh, limit: byAddress},
		{method: http.MethodPost, path: "/auth/recover", access: anyone, handler: a.recoverAccount, limit: byAddress},
		{method: http.MethodPost, path: "/auth/logout", access: member, handler: a.logout, limit: never},
		{method: http.MethodGet, path: "/me", access: member, handler: a.me},
		{method: http.MethodPost, path: "/me/password", access: member, handler: a.changePassword, limit: hashing},
		{method: http.MethodGet, path: "/me/recovery-codes", access: member, handler: a.recoveryCodesLeft},
		{method: http.MethodPost, path: "/me/recovery-codes", access: member, handler: a.renewRecoveryCodes, limit: hashing},
		{method: http.MethodGet, path: "/me/export", access: member, handler: a.export},
		{method: http.MethodDelete, path: "/me", access: member, handler: a.deleteAccount, limit: hashing},
		{method: http.MethodGet, path: "/me/notices", access: member, handler: a.notices},
		{method: http.MethodGet, path: "/me/notices/unread-count", access: member, handler: a.unreadCount},
		{method: http.MethodPost, path: "/me/notices/read", access: member, handler: a.markNoticesRead},
		{method: http.MethodGet, path: "/me/unanswered", access: member, handler: a.waitingForReply},

		// Circles.
		{method: http.MethodGet, path: "/circles", access: member, handler: a.listCircles},
		{method: http.MethodPost, path: "/circles", access: admin, handler: a.createCircle},
		{method: http.MethodGet, path: "/circles/:slug", access: member, handler: a.getCircle},
		{method: http.MethodPatch, path: "/circles/:slug", access: admin, handler: a.updateCircle},
		{method: http.MethodPost, path: "/circles/:slug/join", access: member, handler: a.joinCircle},
		{method: http.MethodPost, path: "/circles/:slug/leave", access: member, handler: a.leaveCircle},
		{method: http.MethodPost, path: "/circles/:slug/invites", access: member, handler: a.createInvite},
		{method: http.MethodGet, path: "/circles/:slug/invites", access: member, handler: a.listInvites},
		{method: http.MethodDelete, path: "/circles/:slug/invites/:id", access: member, handler: a.revokeInvite},
		{method: http.MethodGet, path: "/circles/:slug/facilitators", access: member, handler: a.listFacilitators},
		{method: http.MethodPut, path: "/circles/:slug/facilitators/:handle", access: admin, handler: a.appointFacilitator},
		{method: http.MethodDelete, path: "/circles/:slug/facilitators/:handle", access: admin, handler: a.removeFacilitator},
		{method: http.MethodGet, path: "/circles/:slug/stories", access: member, handler: a.listStories},

		// Stories, replies, support.
		{method: http.MethodPost, path: "/circles/:slug/stories", access: member, handler: a.createStory},
		{method: http.MethodGet, path: "/stories/:id", access: member, handler: a.getStory},
		{method: http.MethodPatch, path: "/stories/:id", access: member, handler: a.updateStory},
		{method: http.MethodDelete, path: "/stories/:id", access: member, handler: a.deleteStory},
		{method: http.MethodPut, path: "/stories/:id/pin", access: member, handler: a.pinStory},
		{method: http.MethodDelete, path: "/stories/:id/pin", access: member, handler: a.unpinStory},
		{method: http.MethodGet, path: "/stories/:id/replies", access: member, handler: a.listReplies},
		{method: http.MethodPost, path: "/stories/:id/replies", access: member, handler: a.createReply},
		{method: http.MethodPatch, path: "/replies/:id", access: member, handler: a.updateReply},
		{method: http.MethodDelete, path: "/replies/:id", access: member, handler: a.deleteReply},
		{method: http.MethodPut, path: "/stories/:id/follow", access: member, handler: a.followStory},
		{method: http.MethodDelete, path: "/stories/:id/follow", access: member, handler: a.unfollowStory},
		{method: http.MethodPut, path: "/stories/:id/support", access: member, handler: a.supportStory},
		{method: http.MethodDelete, path: "/stories/:id/support", access: member, handler: a.unsupportStory},
		{method: http.MethodPut, path: "/replies/:id/support", access: member, handler: a.supportReply},
		{method: http.MethodDelete, path: "/replies/:id/support", access: member, handler: a.unsupportReply},

		// Flags and moderation.
		{method: http.MethodPost, path: "/flags", access: member, handler: a.fileFlag},
		{method: http.MethodGet, path: "/moderation/queue", access: moderator, handler: a.queue},
		{method: http.MethodPost, path: "/moderation/items/:target_type/:target_id/actions", access: moderator, handler: a.actOnItem},
		{method: http.MethodPost, path: "/moderation/items/:target_type/:target_id/acknowledge", access: member, handler: a.acknowledge},
		{method: http.MethodPost, path: "/moderation/members/:handle/actions", access: moderator, handler: a.actOnMember},
		{method: http.MethodGet, path: "/moderation/log", access: moderator, handler: a.moderationLog},
		{method: http.MethodPut, path: "/admin/members/:handle/role", access: admin, handler: a.setRole},

		// Search.
		{method: http.MethodPost, path: "/search", access: member, handler: a.findWriting, limit: searching},

		// Reader safety: preferences, mute and block.
		{method: http.MethodGet, path: "/me/preferences", access: member, handler: a.preferences},
		{method: http.MethodPut, path: "/me/preferences", access: member, handler: a.setPreferences},
		{method: http.MethodPut, path: "/me/muted/:handle", access: member, handler: muteOn},
		{method: http.MethodDelete, path: "/me/muted/:handle", access: member, handler: muteOff},
		{method: http.MethodGet, path: "/me/muted", access: member, handler: muted},
		{method: http.MethodPut, path: "/me/blocked/:handle", access: member, handler: blockOn},
		{method: http.MethodDelete, path: "/me/blocked/:handle", access: member, handler: blockOff},
		{method: http.MethodGet, path: "/me/blocked", access: member, handler: blocked},

		// Checks before posting.
		{method: http.MethodPost, path: "/checks/text", access: member, handler: a.checkText, limit: checking},

		// Appeals and moderation service levels. A suspended member may
		// appeal: moderation's policy lets them.
		{method: http.MethodPost, path: "/appeals", access: member, handler: a.fileAppeal},
		{method: http.MethodGet, path: "/moderation/appeals", access: moderator, handler: a.appeals},
		{method: http.MethodPost, path: "/moderation/appeals/:id/decide", access: moderator, handler: a.decideAppeal},
		{method: http.MethodGet, path: "/moderation/items/:target_type/:target_id/history", access: moderator, handler: a.itemHistory},

		// Circle care: guidelines and resources.
		{method: http.MethodPut, path: "/circles/:slug/guidelines", access: member, handler: a.setGuidelines},
		{method: http.MethodPost, path: "/circles/:slug/guidelines/accept", access: member, handler: a.acceptGuidelines},
		{method: http.MethodPut, path: "/circles/:slug/resources", access: member, handler: a.setResources},

		// Mentorship.
		{method: http.MethodPut, path: "/circles/:slug/mentors/me", access: member, handler: a.offerToMentor},
		{method: http.MethodDelete, path: "/circles/:slug/mentors/me", access: member, handler: a.stopMentoring},
		{method: http.MethodGet, path: "/circles/:slug/mentors", access: member, handler: a.listMentors},
		{method: http.MethodPost, path: "/circles/:slug/mentors/:handle/approve", access: member, handler: a.approveMentor},
		{method: http.MethodPost, path: "/circles/:slug/mentors/:handle/remove", access: member, handler: a.removeMentor},
		{method: http.MethodPost, path: "/mentorships", access: member, handler: a.askForMentor},
		{method: http.MethodGet, path: "/mentorships", access: member, handler: a.listMentorships},
		{method: http.MethodPost, path: "/mentorships/:id/accept", access: member, handler: a.acceptMentee},
		{method: http.MethodPost, path: "/mentorships/:id/decline", access: member, handler: a.declineMentee},
		{method: http.MethodPost, path: "/mentorships/:id/withdraw", access: member, handler: a.withdrawRequest},
		{method: http.MethodPost, path: "/mentorships/:id/end", access: member, handler: a.endMentorship},
		{method: http.MethodGet, path: "/mentorships/:id/messages", access: member, handler: a.listMessages},
		{method: http.MethodPost, path: "/mentorships/:id/messages", access: member, handler: a.postMessage},
	}
}

// guard turns a route's access column into middleware.
func (a *API) guard(r route) []echo.MiddlewareFunc {
	var mw []echo.MiddlewareFunc
	if r.method == http.MethodGet || r.limit == searching {
		mw = append(mw, a.readTurn) // first, so the session check takes its turn too
	}
	if r.limit == byAddress {
		mw = append(mw, a.limitAuth)
	}
	switch r.access {
	case member:
		mw = append(mw, a.authenticate)
	case moderator:
		mw = append(mw, a.authenticate, requireRole(kernel.RoleModerator, kernel.RoleAdmin))
	case admin:
		mw = append(mw, a.authenticate, requireRole(kernel.RoleAdmin))
	}
	switch {
	case r.limit == hashing:
		mw = append(mw, a.limitHashing)
	case r.limit == searching:
		mw = append(mw, a.limitSearches)
	case r.limit == checking:
		mw = append(mw, a.limitChecks)
	case r.limit == byDefault && r.access != anyone && r.method != http.MethodGet:
		mw = append(mw, a.limitWrites)
	}
	return mw
}

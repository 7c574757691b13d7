package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
)

// access is who may call a route, before any rule of its domain.
type access int

const (
	anyone    access = iota // no token
	member                  // any signed-in member
	moderator               // moderators and admins
	admin                   // admins only
)

// route is one line of the route table.
type route struct {
	method  string
	path    string
	access  access
	handler echo.HandlerFunc
	// authLimited routes count against --auth-rate by client address.
	authLimited bool
	// writes count against --member-write-rate for the member.
	writes bool
}

// routes is every route of the API, readable top to bottom. Rules finer than
// the access column (author, circle member, facilitator) live in the domain
// services' policy functions.
func (a *API) routes() []route {
	return []route{
		// Accounts and sessions.
		{method: http.MethodPost, path: "/auth/register", access: anyone, handler: a.register, authLimited: true},
		{method: http.MethodPost, path: "/auth/login", access: anyone, handler: a.login, authLimited: true},
		{method: http.MethodPost, path: "/auth/refresh", access: anyone, handler: a.refresh, authLimited: true},
		{method: http.MethodPost, path: "/auth/recover", access: anyone, handler: a.recoverAccount, authLimited: true},
		{method: http.MethodPost, path: "/auth/logout", access: member, handler: a.logout},
		{method: http.MethodGet, path: "/me", access: member, handler: a.me},
		{method: http.MethodPost, path: "/me/password", access: member, handler: a.changePassword},
		{method: http.MethodGet, path: "/me/export", access: member, handler: a.export},
		{method: http.MethodDelete, path: "/me", access: member, handler: a.deleteAccount},
	}
}

// guard turns a route's access column into middleware.
func (a *API) guard(r route) []echo.MiddlewareFunc {
	var mw []echo.MiddlewareFunc
	if r.authLimited {
		mw = append(mw, a.limitAuth)
	}
	switch r.access {
	case member:
		mw = append(mw, a.authenticate)
	case moderator:
		mw = append(mw, a.authenticate, requireRole(auth.RoleModerator, auth.RoleAdmin))
	case admin:
		mw = append(mw, a.authenticate, requireRole(auth.RoleAdmin))
	}
	if r.writes {
		mw = append(mw, a.limitWrites)
	}
	return mw
}

package httpapi

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// What a request carries that every handler reads: who asks, and how much
// of a list they want.

const (
	principalKey = "principal"
	actorKey     = "actor"
)

// principal is the session of the request; routes that need one have been
// through authenticate.
func principal(c echo.Context) *store.Principal {
	p, _ := c.Get(principalKey).(*store.Principal)
	return p
}

// actor is who the request acts as, as authentication decided it.
func actor(c echo.Context) kernel.Actor {
	a, _ := c.Get(actorKey).(kernel.Actor)
	return a
}

// boolParam reads a query flag: absent or "false" is false, "true" is true.
func boolParam(c echo.Context, name string) (bool, error) {
	switch c.QueryParam(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, apperr.Invalid("invalid_"+name, name+" is true or false.")
}

// listParams reads ?limit= (default 20, 1 to 100) and ?cursor=.
func listParams(c echo.Context) (int, string, error) {
	limit := 20
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			return 0, "", apperr.Invalid("invalid_limit", "limit must be a whole number from 1 to 100.")
		}
		limit = n
	}
	return limit, c.QueryParam("cursor"), nil
}

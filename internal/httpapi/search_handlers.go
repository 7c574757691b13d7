package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/search"
)

// POST /search - stories and replies the member may read that hold every
// word of q, newest first. A POST so the words are in no URL, and the
// request log names only the route.
func (a *API) findWriting(c echo.Context) error {
	var q search.Query
	if err := bind(c, &q); err != nil {
		return err
	}
	page, err := a.search.Search(c.Request().Context(), actor(c), q)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/forum"
)

// GET /stories/{id}/replies - the thread, in thread order (?reveal=true:
// folded replies whole)
func (a *API) listReplies(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	reveal, err := boolParam(c, "reveal")
	if err != nil {
		return err
	}
	page, err := a.forum.ListReplies(c.Request().Context(), actor(c), c.Param("id"), limit, cursor, reveal)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// POST /stories/{id}/replies - reply to a story or to a reply in its thread
func (a *API) createReply(c echo.Context) error {
	var in forum.NewReply
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.CreateReply(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// PATCH /replies/{id} - the author edits a reply
func (a *API) updateReply(c echo.Context) error {
	var in forum.ReplyPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.UpdateReply(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// DELETE /replies/{id} - the author deletes a reply
func (a *API) deleteReply(c echo.Context) error {
	if err := a.forum.DeleteReply(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// PUT /replies/{id}/support - support a reply
func (a *API) supportReply(c echo.Context) error { return a.replySupport(c, true) }

// DELETE /replies/{id}/support - take support back
func (a *API) unsupportReply(c echo.Context) error { return a.replySupport(c, false) }

func (a *API) replySupport(c echo.Context, on bool) error {
	if err := a.forum.SupportReply(c.Request().Context(), actor(c), c.Param("id"), on); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// GET /me/notices - notices to the member, newest first (?unread=true: only
// those not yet read)
func (a *API) notices(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	unread, err := boolParam(c, "unread")
	if err != nil {
		return err
	}
	page, err := a.notify.List(c.Request().Context(), actor(c), unread, limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// GET /me/notices/unread-count - how many notices wait unread
func (a *API) unreadCount(c echo.Context) error {
	n, err := a.notify.UnreadCount(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, struct {
		Count int64 `json:"count"`
	}{n})
}

// POST /me/notices/read - mark notices read: some by id, or one and every
// older one
func (a *API) markNoticesRead(c echo.Context) error {
	var in struct {
		IDs  []string `json:"ids"`
		UpTo string   `json:"up_to"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.notify.MarkRead(c.Request().Context(), actor(c), in.IDs, in.UpTo); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// PUT /stories/{id}/follow - hear of the replies to a story
func (a *API) followStory(c echo.Context) error { return a.follow(c, true) }

// DELETE /stories/{id}/follow - stop hearing of them
func (a *API) unfollowStory(c echo.Context) error { return a.follow(c, false) }

func (a *API) follow(c echo.Context, on bool) error {
	if err := a.forum.Follow(c.Request().Context(), actor(c), c.Param("id"), on); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /me/unanswered - stories waiting for a reply across the circles the
// caller looks after, oldest first
func (a *API) waitingForReply(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.forum.WaitingForReply(c.Request().Context(), actor(c), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/forum"
)

// GET /circles/{slug}/stories - pinned stories first, then newest first
// (?unanswered=true: the stories nobody has answered, oldest first)
func (a *API) listStories(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	unanswered, err := boolParam(c, "unanswered")
	if err != nil {
		return err
	}
	list := a.forum.ListStories
	if unanswered {
		list = a.forum.ListUnanswered
	}
	page, err := list(c.Request().Context(), actor(c), c.Param("slug"), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// POST /circles/{slug}/stories - share a story, or guidance
func (a *API) createStory(c echo.Context) error {
	var in forum.NewStory
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.CreateStory(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /stories/{id} - one story (?reveal=true: whole, even where the
// reader's own safety settings fold it)
func (a *API) getStory(c echo.Context) error {
	reveal, err := boolParam(c, "reveal")
	if err != nil {
		return err
	}
	out, err := a.forum.GetStory(c.Request().Context(), actor(c), c.Param("id"), reveal)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// PATCH /stories/{id} - the author edits a story
func (a *API) updateStory(c echo.Context) error {
	var in forum.StoryPatch
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.UpdateStory(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// DELETE /stories/{id} - the author deletes a story
func (a *API) deleteStory(c echo.Context) error {
	if err := a.forum.DeleteStory(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// PUT /stories/{id}/pin - pin a story to the top of its circle
func (a *API) pinStory(c echo.Context) error { return a.pin(c, true) }

// DELETE /stories/{id}/pin - unpin it
func (a *API) unpinStory(c echo.Context) error { return a.pin(c, false) }

func (a *API) pin(c echo.Context, on bool) error {
	if err := a.forum.Pin(c.Request().Context(), actor(c), c.Param("id"), on); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// PUT /stories/{id}/support - support a story
func (a *API) supportStory(c echo.Context) error { return a.storySupport(c, true) }

// DELETE /stories/{id}/support - take support back
func (a *API) unsupportStory(c echo.Context) error { return a.storySupport(c, false) }

func (a *API) storySupport(c echo.Context, on bool) error {
	if err := a.forum.SupportStory(c.Request().Context(), actor(c), c.Param("id"), on); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

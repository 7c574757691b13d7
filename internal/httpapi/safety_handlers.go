package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/safety"
)

// GET /me/preferences - the reader's choice per theme
func (a *API) preferences(c echo.Context) error {
	out, err := a.safety.Preferences(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// PUT /me/preferences - choose show, warn or hide per theme
func (a *API) setPreferences(c echo.Context) error {
	var in safety.Preferences
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.safety.SetPreferences(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// silencing makes the handlers of one list (muted or blocked): PUT and
// DELETE /me/{list}/{handle}, GET /me/{list}.
func (a *API) silencing(list string) (put, del, get echo.HandlerFunc) {
	set := func(on bool) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := a.safety.Silence(c.Request().Context(), actor(c), list, c.Param("handle"), on); err != nil {
				return err
			}
			return c.NoContent(http.StatusNoContent)
		}
	}
	get = func(c echo.Context) error {
		items, err := a.safety.List(c.Request().Context(), actor(c), list)
		if err != nil {
			return err
		}
		return respond(c, http.StatusOK, map[string]any{"items": items})
	}
	return set(true), set(false), get
}

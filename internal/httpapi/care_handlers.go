package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/forum"
)

// PUT /circles/{slug}/guidelines - a facilitator or admin writes a new version
func (a *API) setGuidelines(c echo.Context) error {
	var in forum.GuidelinesText
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.SetGuidelines(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /circles/{slug}/guidelines/accept - a member accepts the current version
func (a *API) acceptGuidelines(c echo.Context) error {
	var in forum.GuidelinesAcceptance
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.forum.AcceptGuidelines(c.Request().Context(), actor(c), c.Param("slug"), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// PUT /circles/{slug}/resources - a facilitator or admin sets the circle's resources
func (a *API) setResources(c echo.Context) error {
	var in forum.CircleResources
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.SetResources(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/moderation"
)

// POST /appeals - ask the moderation team to look again at an action
func (a *API) fileAppeal(c echo.Context) error {
	var in moderation.NewAppeal
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.moderation.FileAppeal(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /moderation/appeals - open appeals, oldest first
func (a *API) appeals(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.moderation.Appeals(c.Request().Context(), actor(c), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// POST /moderation/appeals/{id}/decide - uphold or overturn
func (a *API) decideAppeal(c echo.Context) error {
	var in moderation.AppealDecision
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.moderation.DecideAppeal(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// GET /moderation/items/{target_type}/{target_id}/history - the versions
// of edited writing in the queue
func (a *API) itemHistory(c echo.Context) error {
	out, err := a.moderation.History(c.Request().Context(), actor(c), c.Param("target_type"), c.Param("target_id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

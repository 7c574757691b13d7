package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/moderation"
)

// POST /flags - flag writing for the moderation team
func (a *API) fileFlag(c echo.Context) error {
	var in moderation.NewFlag
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.moderation.FileFlag(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /moderation/queue - open items, crisis first, then oldest
func (a *API) queue(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.moderation.Queue(c.Request().Context(), actor(c), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// POST /moderation/items/{target_type}/{target_id}/actions - act on writing
func (a *API) actOnItem(c echo.Context) error {
	var in moderation.Decision
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.moderation.ActOnWriting(c.Request().Context(), actor(c), c.Param("target_type"), c.Param("target_id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /moderation/members/{handle}/actions - warn, suspend, unsuspend, ban
func (a *API) actOnMember(c echo.Context) error {
	var in moderation.Decision
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.moderation.ActOnMember(c.Request().Context(), actor(c), c.Param("handle"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// GET /moderation/log - every moderation action, newest first
func (a *API) moderationLog(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.moderation.Log(c.Request().Context(), actor(c), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// PUT /admin/members/{handle}/role - change a member's global role
func (a *API) setRole(c echo.Context) error {
	var in struct {
		Role string `json:"role"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := a.moderation.SetRole(c.Request().Context(), actor(c), c.Param("handle"), in.Role); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// POST /moderation/items/{target_type}/{target_id}/acknowledge - "I'm with
// them": a facilitator of the circle, or the moderation team, is with
// someone who wrote in crisis
func (a *API) acknowledge(c echo.Context) error {
	out, err := a.moderation.Acknowledge(c.Request().Context(), actor(c), c.Param("target_type"), c.Param("target_id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/forum"
)

// GET /circles - the circles the member can see
func (a *API) listCircles(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.forum.ListCircles(c.Request().Context(), actor(c), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// POST /circles - an admin creates a circle
func (a *API) createCircle(c echo.Context) error {
	var in forum.NewCircle
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.CreateCircle(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /circles/{slug} - one circle
func (a *API) getCircle(c echo.Context) error {
	out, err := a.forum.GetCircle(c.Request().Context(), actor(c), c.Param("slug"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// PATCH /circles/{slug} - an admin changes a circle
func (a *API) updateCircle(c echo.Context) error {
	var in forum.CirclePatch
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.UpdateCircle(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /circles/{slug}/join - join, with an invite code for a private circle
func (a *API) joinCircle(c echo.Context) error {
	var in struct {
		InviteCode string `json:"invite_code"`
	}
	if c.Request().ContentLength != 0 {
		if err := bind(c, &in); err != nil {
			return err
		}
	}
	if err := a.forum.Join(c.Request().Context(), actor(c), c.Param("slug"), in.InviteCode); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// POST /circles/{slug}/leave - leave a circle
func (a *API) leaveCircle(c echo.Context) error {
	if err := a.forum.Leave(c.Request().Context(), actor(c), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// POST /circles/{slug}/invites - a facilitator makes an invite code
func (a *API) createInvite(c echo.Context) error {
	var in forum.NewInvite
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.forum.CreateInvite(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /circles/{slug}/invites - the live invites, without their codes
func (a *API) listInvites(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.forum.ListInvites(c.Request().Context(), actor(c), c.Param("slug"), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// DELETE /circles/{slug}/invites/{id} - a facilitator revokes an invite
func (a *API) revokeInvite(c echo.Context) error {
	if err := a.forum.RevokeInvite(c.Request().Context(), actor(c), c.Param("slug"), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /circles/{slug}/facilitators - its facilitators and the moderation
// team list a circle's facilitators
func (a *API) listFacilitators(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	page, err := a.forum.ListFacilitators(c.Request().Context(), actor(c), c.Param("slug"), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, page)
}

// PUT /circles/{slug}/facilitators/{handle} - an admin appoints a facilitator
func (a *API) appointFacilitator(c echo.Context) error {
	return a.setFacilitator(c, true)
}

// DELETE /circles/{slug}/facilitators/{handle} - an admin removes one
func (a *API) removeFacilitator(c echo.Context) error {
	return a.setFacilitator(c, false)
}

func (a *API) setFacilitator(c echo.Context, on bool) error {
	if err := a.forum.SetFacilitator(c.Request().Context(), actor(c), c.Param("slug"), c.Param("handle"), on); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

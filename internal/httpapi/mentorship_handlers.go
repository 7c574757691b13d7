package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
	"hearth/internal/mentorship"
)

var invalidStatus = apperr.Invalid("invalid_status", "status is approved or pending.")

// PUT /circles/{slug}/mentors/me - offer to mentor, or change the offer
func (a *API) offerToMentor(c echo.Context) error {
	var in mentorship.Offer
	if err := bind(c, &in); err != nil {
		return err
	}
	out, created, err := a.mentorship.PutOffer(c.Request().Context(), actor(c), c.Param("slug"), in)
	if err != nil {
		return err
	}
	if created {
		return respond(c, http.StatusCreated, out)
	}
	return respond(c, http.StatusOK, out)
}

// DELETE /circles/{slug}/mentors/me - stop taking new mentees
func (a *API) stopMentoring(c echo.Context) error {
	if err := a.mentorship.StopOffer(c.Request().Context(), actor(c), c.Param("slug")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// GET /circles/{slug}/mentors[?status=pending] - the circle's mentors
func (a *API) listMentors(c echo.Context) error {
	pending := false
	switch c.QueryParam("status") {
	case "", "approved":
	case "pending":
		pending = true
	default:
		return invalidStatus
	}
	out, err := a.mentorship.ListMentors(c.Request().Context(), actor(c), c.Param("slug"), pending)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /circles/{slug}/mentors/{handle}/approve - a facilitator approves an offer
func (a *API) approveMentor(c echo.Context) error { return a.decideMentor(c, true) }

// POST /circles/{slug}/mentors/{handle}/remove - a facilitator removes a mentor
func (a *API) removeMentor(c echo.Context) error { return a.decideMentor(c, false) }

func (a *API) decideMentor(c echo.Context, approve bool) error {
	var in mentorship.Decision
	if c.Request().ContentLength != 0 {
		if err := bind(c, &in); err != nil {
			return err
		}
	}
	if err := a.mentorship.DecideOffer(c.Request().Context(), actor(c), c.Param("slug"), c.Param("handle"), approve, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// POST /mentorships - ask a mentor, with a first message
func (a *API) askForMentor(c echo.Context) error {
	var in mentorship.Request
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.mentorship.Ask(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

// GET /mentorships[?status=] - the caller's mentorships
func (a *API) listMentorships(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	out, err := a.mentorship.List(c.Request().Context(), actor(c), c.QueryParam("status"), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /mentorships/{id}/accept - the mentor takes the request up
func (a *API) acceptMentee(c echo.Context) error {
	out, err := a.mentorship.Accept(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /mentorships/{id}/decline - the mentor declines, naming no reason
func (a *API) declineMentee(c echo.Context) error {
	out, err := a.mentorship.Decline(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /mentorships/{id}/withdraw - the mentee takes the request back
func (a *API) withdrawRequest(c echo.Context) error {
	out, err := a.mentorship.Withdraw(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /mentorships/{id}/end - either side ends it
func (a *API) endMentorship(c echo.Context) error {
	var in mentorship.Ending
	if c.Request().ContentLength != 0 {
		if err := bind(c, &in); err != nil {
			return err
		}
	}
	out, err := a.mentorship.End(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// GET /mentorships/{id}/messages - the conversation, oldest first
func (a *API) listMessages(c echo.Context) error {
	limit, cursor, err := listParams(c)
	if err != nil {
		return err
	}
	out, err := a.mentorship.Messages(c.Request().Context(), actor(c), c.Param("id"), limit, cursor)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, out)
}

// POST /mentorships/{id}/messages - write to the other member
func (a *API) postMessage(c echo.Context) error {
	var in mentorship.NewMessage
	if err := bind(c, &in); err != nil {
		return err
	}
	out, err := a.mentorship.Post(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, out)
}

package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"hearth/internal/safety"
)

// POST /checks/text - a draft read for crisis wording and identifying
// details before it is posted. The text is neither stored nor logged (the
// request log names only the route).
func (a *API) checkText(c echo.Context) error {
	var req safety.CheckRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := a.checker.Check(req)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res)
}

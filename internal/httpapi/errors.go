package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
	"hearth/internal/store"
)

// statusClientClosed is the status logged and counted for a request whose
// client went away before it was answered.
const statusClientClosed = 499

// problem is an RFC 9457 problem details body.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
}

// echoCodes names the errors Echo raises itself (routing, body limits).
var echoCodes = map[int]struct{ code, detail string }{
	http.StatusNotFound:              {"not_found", "We could not find that."},
	http.StatusMethodNotAllowed:      {"method_not_allowed", "This address does not take that method."},
	http.StatusRequestEntityTooLarge: {"body_too_large", "The request is larger than 64 KiB."},
	http.StatusUnsupportedMediaType:  {"unsupported_media_type", "Send JSON with Content-Type: application/json."},
	http.StatusUnauthorized:          {"unauthenticated", "Please sign in again."},
	http.StatusBadRequest:            {"bad_request", "The request could not be read."},
}

// handleError is the one place errors become responses. Causes are logged
// (they never hold member text); clients get only the safe face.
func (a *API) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var p problem
	var retryAfter int
	var extensions map[string]any
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The client hung up before the answer was ready: nothing failed,
		// and nobody is listening. 499, as proxies count it.
		a.log.InfoContext(c.Request().Context(), "client closed the request", "request_id", requestID(c), "route", c.Path())
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	// A client's own broken connection is not the database's: only errors
	// that would otherwise be a 500 can mean the store is out of reach.
	if e, ok := apperr.As(err); (!ok || e.Status >= 500) && store.Unavailable(err) {
		// The database went away: say so, and that it is worth a retry.
		a.log.ErrorContext(c.Request().Context(), "store unavailable", "request_id", requestID(c), "route", c.Path(), "err", err)
		p = problem{Status: http.StatusServiceUnavailable, Code: "store_unavailable", Detail: "Hearth cannot reach its database just now. Please try again in a moment."}
		retryAfter = 5
	} else if e, ok := apperr.As(err); ok {
		p = problem{Status: e.Status, Code: e.Code, Detail: e.Detail}
		retryAfter = e.RetryAfter
		extensions = e.Extensions
		// Shedding load (busy) is the server working as meant, not a failure.
		if e.Status >= 500 && e.Code != "busy" {
			a.log.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID(c), "route", c.Path(), "code", e.Code, "err", e.Cause)
		}
	} else if he := (*echo.HTTPError)(nil); errors.As(err, &he) && he.Code < 500 {
		known, ok := echoCodes[he.Code]
		if !ok {
			known = echoCodes[http.StatusBadRequest]
		}
		p = problem{Status: he.Code, Code: known.code, Detail: known.detail}
	} else {
		a.log.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID(c), "route", c.Path(), "err", err)
		ie := apperr.Internal(nil)
		p = problem{Status: ie.Status, Code: ie.Code, Detail: ie.Detail}
	}
	p.Type = "urn:hearth:problem:" + p.Code
	p.Title = http.StatusText(p.Status)
	h := c.Response().Header()
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	var body any = p
	if len(extensions) > 0 {
		body = withExtensions(p, extensions)
	}
	if err := writeJSON(c, p.Status, "application/problem+json", body); err != nil {
		a.log.Debug("write problem", "err", err)
	}
}

// withExtensions is p with further members beside its own (which win).
func withExtensions(p problem, ext map[string]any) map[string]any {
	out := make(map[string]any, len(ext)+5)
	for k, v := range ext {
		out[k] = v
	}
	out["type"], out["title"], out["status"], out["code"] = p.Type, p.Title, p.Status, p.Code
	if p.Detail != "" {
		out["detail"] = p.Detail
	}
	return out
}

// logPanic records a recovered panic without its stack's arguments, which
// could hold member text; the client gets a bare 500.
func (a *API) logPanic(c echo.Context, _ error, _ []byte) error {
	a.log.ErrorContext(c.Request().Context(), "panic recovered", slog.String("request_id", requestID(c)), slog.String("route", c.Path()))
	return apperr.Internal(errPanic)
}

var errPanic = errors.New("handler panicked")

// Package apperr is the error type services return: an HTTP status, a stable
// code clients switch on, a message safe to show anyone, and a private cause
// that is logged but never sent.
package apperr

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is a domain error with a safe face. Detail must never hold member
// text, a handle, a token or anything from the store's internals: it goes to
// the client as is. Cause is for the log only, and the log never prints member
// text either, so causes must not wrap it.
type Error struct {
	Status     int
	Code       string
	Detail     string
	RetryAfter int // seconds; set for 429 and 503
	// Extensions are further members of the problem details (RFC 9457
	// §3.2), as safe to show as Detail.
	Extensions map[string]any
	Cause      error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %v", e.Code, e.Cause)
	}
	return e.Code
}

func (e *Error) Unwrap() error { return e.Cause }

// New builds an Error without a cause.
func New(status int, code, detail string) *Error {
	return &Error{Status: status, Code: code, Detail: detail}
}

// Wrap builds an Error that keeps cause for the log.
func Wrap(cause error, status int, code, detail string) *Error {
	return &Error{Status: status, Code: code, Detail: detail, Cause: cause}
}

// Internal hides cause behind a bare 500.
func Internal(cause error) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "internal", Detail: "Something went wrong on our side. Please try again in a moment.", Cause: cause}
}

// ErrUnauthenticated is the 401 for a missing, bad or dead session.
var ErrUnauthenticated = New(http.StatusUnauthorized, "unauthenticated", "Please sign in again.")

// Invalid is a 400 for a field that breaks a rule.
func Invalid(code, detail string) *Error {
	return New(http.StatusBadRequest, code, detail)
}

// TooMany is a 429 asking the client to wait retryAfter seconds.
func TooMany(retryAfter int) *Error {
	return &Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Detail: "Too many attempts. Please wait a little and try again.", RetryAfter: retryAfter}
}

// Busy is a 503 asking the client to come back after retryAfter seconds.
func Busy(retryAfter int) *Error {
	return &Error{Status: http.StatusServiceUnavailable, Code: "busy", Detail: "Hearth is busy right now. Please try again in a moment.", RetryAfter: retryAfter}
}

// As finds an *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

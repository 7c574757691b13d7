// Package apperrtest helps tests read what a service answered.
package apperrtest

import "hearth/internal/apperr"

// Code is what an operation answered, as the policy tables spell it: "ok"
// for no error, the stable code of an apperr.Error, or the text of any
// other error (so an unexpected one shows in the failure).
func Code(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return err.Error()
}

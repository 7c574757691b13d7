package auth

import "hearth/internal/apperr"

func codeOf(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return err.Error()
}

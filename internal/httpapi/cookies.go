package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
)

// The refresh cookie carries the refresh token for the web app, out of
// reach of scripts. Over TLS it is a __Host- cookie (Secure, whole origin);
// on plain HTTP (a newcomer on 127.0.0.1) browsers refuse Secure and __Host-
// cookies, so it goes without them there, limited to the auth routes.
const (
	cookieTLS   = "__Host-hearth_refresh"
	cookiePlain = "hearth_refresh"
)

func refreshCookieFor(c echo.Context, value string, maxAge int) *http.Cookie {
	ck := &http.Cookie{Name: cookiePlain, Value: value, Path: Prefix + "/auth", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: maxAge}
	if c.Scheme() == "https" {
		ck.Name, ck.Path, ck.Secure = cookieTLS, "/", true
	}
	return ck
}

func setRefreshCookie(c echo.Context, token string) {
	c.SetCookie(refreshCookieFor(c, token, int((auth.AbsoluteTTL / time.Second))))
}

func clearRefreshCookie(c echo.Context) {
	c.SetCookie(refreshCookieFor(c, "", -1))
}

func refreshCookie(c echo.Context) string {
	for _, name := range []string{cookieTLS, cookiePlain} {
		if ck, err := c.Cookie(name); err == nil && ck.Value != "" {
			return ck.Value
		}
	}
	return ""
}

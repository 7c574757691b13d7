package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
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

// overTLS reports whether the client reached us over TLS: the connection
// itself says so, or X-Forwarded-Proto does and the peer is one of the
// trusted proxies. Anyone else's X-Forwarded-Proto is ignored, as Echo's
// c.Scheme() would not.
func (a *API) overTLS(c echo.Context) bool {
	r := c.Request()
	if r.TLS != nil {
		return true
	}
	proto := r.Header.Values(echo.HeaderXForwardedProto)
	if len(proto) == 0 || !a.fromTrustedProxy(r) {
		return false
	}
	// The last value is the one our proxy set or appended.
	parts := strings.Split(proto[len(proto)-1], ",")
	return strings.EqualFold(strings.TrimSpace(parts[len(parts)-1]), "https")
}

// fromTrustedProxy reports whether the TCP peer is a trusted proxy.
func (a *API) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range a.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func (a *API) refreshCookieFor(c echo.Context, value string, maxAge int) *http.Cookie {
	ck := &http.Cookie{Name: cookiePlain, Value: value, Path: Prefix + "/auth", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: maxAge}
	if a.overTLS(c) {
		ck.Name, ck.Path, ck.Secure = cookieTLS, "/", true
	}
	return ck
}

// sessionMarker travels beside the refresh cookie and holds no secret: it
// tells the web app, which cannot read the HttpOnly refresh cookie, that
// there is a session to restore, so a signed-out first visit asks for none
// (and the browser logs no 401).
const sessionMarker = "hearth_session"

func (a *API) markerFor(c echo.Context, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionMarker, Value: "1", Path: "/", SameSite: http.SameSiteStrictMode, Secure: a.overTLS(c), MaxAge: maxAge}
}

func (a *API) setRefreshCookie(c echo.Context, token string) {
	ttl := int(auth.AbsoluteTTL / time.Second)
	c.SetCookie(a.refreshCookieFor(c, token, ttl))
	c.SetCookie(a.markerFor(c, ttl))
}

func (a *API) clearRefreshCookie(c echo.Context) {
	c.SetCookie(a.refreshCookieFor(c, "", -1))
	c.SetCookie(a.markerFor(c, -1))
}

// Device cookies (see auth.Devices) travel like the refresh cookie: only
// to the auth routes on plain HTTP, as __Host- cookies over TLS.
const deviceCookieTLS = "__Host-" + auth.DeviceCookiePrefix

func (a *API) setDeviceCookie(c echo.Context, d *auth.DeviceCookie) {
	ck := &http.Cookie{Name: d.Name, Value: d.Value, Path: Prefix + "/auth", HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: int(d.MaxAge / time.Second)}
	if a.overTLS(c) {
		ck.Name, ck.Path, ck.Secure = "__Host-"+d.Name, "/", true
	}
	c.SetCookie(ck)
}

// deviceCookies reads the values of this transport's device cookies.
func (a *API) deviceCookies(c echo.Context) []string {
	prefix := auth.DeviceCookiePrefix
	if a.overTLS(c) {
		prefix = deviceCookieTLS
	}
	var out []string
	for _, ck := range c.Cookies() {
		if strings.HasPrefix(ck.Name, prefix) {
			out = append(out, ck.Value)
		}
	}
	return out
}

// refreshCookie reads the refresh token from the cookie of this transport
// only: over TLS a plain cookie may have been planted by anyone on the
// network path or a sibling domain, which a __Host- cookie cannot be.
func (a *API) refreshCookie(c echo.Context) string {
	name := cookiePlain
	if a.overTLS(c) {
		name = cookieTLS
	}
	if ck, err := c.Cookie(name); err == nil {
		return ck.Value
	}
	return ""
}

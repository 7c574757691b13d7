package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/throttle"
)

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
	"form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the contract's headers on every response.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("X-XSS-Protection", "0")
		h.Set("X-Frame-Options", "DENY")
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// ipExtractor believes X-Forwarded-For only from the trusted proxies; with
// none, the client is the TCP peer.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

const requestIDKey = "request_id"

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// requestLog gives each request a fresh id (never one the client chose) and
// logs one line: id, route template, status, duration. Never a path with ids
// in it, a handle, a token or an address.
func (a *API) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" || route == "/*" {
			route = "(other)"
		}
		a.metrics.observe(c, route, start)
		a.log.InfoContext(c.Request().Context(), "request", "request_id", id, "method", c.Request().Method, "route", route,
			"status", c.Response().Status, "duration_ms", float64(time.Since(start).Microseconds())/1000)
		return nil
	}
}

// authenticate reads the bearer token from the Authorization header (never a
// query string) and checks its session.
func (a *API) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			return apperr.ErrUnauthenticated
		}
		p, err := a.auth.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if err != nil {
			return err
		}
		c.Set(principalKey, p)
		c.Set(actorKey, a.auth.ActorOf(p))
		return next(c)
	}
}

// limitAuth caps sign-up, sign-in, recovery and refresh per client address.
func (a *API) limitAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ok, wait := a.authLimit.Allow(c.RealIP()); !ok {
			return apperr.TooMany(wait)
		}
		return next(c)
	}
}

// limitWrites caps how many changes one member may make a minute.
func (a *API) limitWrites(next echo.HandlerFunc) echo.HandlerFunc {
	return limitMember(a.writeLimit, next)
}

// limitHashing caps the routes that hash a password, per member: each
// costs a core for a moment, and a stolen session must not become a
// password-guessing machine.
func (a *API) limitHashing(next echo.HandlerFunc) echo.HandlerFunc {
	return limitMember(a.hashLimit, next)
}

// limitSearches caps how many searches one member may make a minute, so
// a stolen session cannot comb the index word by word.
func (a *API) limitSearches(next echo.HandlerFunc) echo.HandlerFunc {
	return limitMember(a.searchLimit, next)
}

// limitChecks caps how many drafts one member may have checked a minute.
func (a *API) limitChecks(next echo.HandlerFunc) echo.HandlerFunc {
	return limitMember(a.checkLimit, next)
}

func limitMember(l *throttle.Limiter, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ok, wait := l.Allow(principal(c).MemberID); !ok {
			return apperr.TooMany(wait)
		}
		return next(c)
	}
}

func requireRole(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principal(c)
			for _, r := range roles {
				if p.Role == r {
					return next(c)
				}
			}
			return kernel.ErrForbidden
		}
	}
}

// readTurns lets reads of the API (GET routes, see guard) run n at a time,
// the rest waiting
// their turn in the order they came. Go's scheduler does not serve
// runnable goroutines in order, so with dozens of reads running at once
// some waited many turns while others waited none: on SQLite the slowest
// read in a hundred took four times the median, and now takes twice (see
// readsAtOnce for n).
// A turn ends when the answer is ready to send, so a client that reads it
// slowly holds no turn. Writes are not held here: they mostly wait for a
// commit, and the more of them wait together, the more share one (see
// store/groupcommit.go).
func readTurns(n int) echo.MiddlewareFunc {
	turns := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			select {
			case turns <- struct{}{}:
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
			done := false
			leave := func() {
				if !done {
					done = true
					<-turns
				}
			}
			c.Response().Before(leave)
			defer leave()
			return next(c)
		}
	}
}

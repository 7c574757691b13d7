package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/throttle"
)

// TestReadTurns puts every route of routes.go behind the middleware guard()
// builds for it, fills the read turns, and sees which requests wait: every
// GET waits, even one that will be refused for want of a token (the turn
// comes before the session check), and no write does. A turn ends once the
// answer is on its way, not when the client has read it. The handlers are
// stand-ins that hold or answer at once; the middleware is the server's.
// Everything runs in a synctest bubble: synctest.Wait, not a clock, says
// when a request is waiting.
func TestReadTurns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 2
		a := &API{
			log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
			authLimit:  throttle.New(0, time.Minute),
			hashLimit:  throttle.New(0, time.Hour),
			writeLimit: throttle.New(0, time.Minute),
			readTurn:   readTurns(n),
		}
		e := echo.New()
		e.HTTPErrorHandler = a.handleError
		api := e.Group(Prefix)
		answer := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
		routes := a.routes()
		for _, r := range routes {
			api.Add(r.method, r.path, answer, a.guard(r)...)
		}
		// Two reads of the test's own, through guard() as any GET route:
		// one holds its turn while at work, one while its answer is sent.
		release, sending := make(chan struct{}), make(chan struct{})
		api.Add(http.MethodGet, "/test/hold", func(c echo.Context) error {
			<-release
			return c.NoContent(http.StatusOK)
		}, a.guard(route{method: http.MethodGet, access: anyone})...)
		api.Add(http.MethodGet, "/test/sending", func(c echo.Context) error {
			c.Response().WriteHeader(http.StatusOK)
			c.Response().Flush()
			<-sending // a client reading slowly, as far as the handler knows
			return nil
		}, a.guard(route{method: http.MethodGet, access: anyone})...)

		type call struct {
			done   chan int
			cancel context.CancelFunc
		}
		var calls []call
		defer func() { // on failure too: nothing may stay blocked in the bubble
			for _, c := range calls {
				c.cancel()
			}
			closeOnce(release)
			closeOnce(sending)
			synctest.Wait()
		}()
		serve := func(method, path string) call {
			ctx, cancel := context.WithCancel(context.Background())
			c := call{done: make(chan int, 1), cancel: cancel}
			calls = append(calls, c)
			go func() {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, method, Prefix+path, nil))
				c.done <- rec.Code
			}()
			return c
		}
		// answered says whether c has its answer once everything in the
		// bubble has settled, and which.
		answered := func(c call) (int, bool) {
			synctest.Wait()
			select {
			case code := <-c.done:
				return code, true
			default:
				return 0, false
			}
		}

		// n reads at work take every turn.
		holders := make([]call, n)
		for i := range holders {
			holders[i] = serve(http.MethodGet, "/test/hold")
		}
		synctest.Wait()
		probe := serve(http.MethodGet, "/me")
		if _, ok := answered(probe); ok {
			t.Fatalf("a read ran beside %d reads holding every turn", n)
		}
		probe.cancel()
		if code, ok := answered(probe); !ok || code != statusClientClosed {
			t.Fatalf("a read that gave up waiting for its turn: answered %v, status %d; want %d", ok, code, statusClientClosed)
		}

		for _, r := range routes {
			c := serve(r.method, strings.NewReplacer(":", "x-").Replace(r.path))
			code, ok := answered(c)
			// Search reads, by POST (its words stay out of URLs).
			read := r.method == http.MethodGet || r.limit == searching
			switch {
			case read && ok:
				t.Errorf("%s %s answered %d while every read turn was taken: it takes no turn, or takes it after the session check", r.method, r.path, code)
			case !read && !ok:
				t.Errorf("%s %s waited for a read turn: writes take none", r.method, r.path)
			case !read && code == statusClientClosed:
				t.Errorf("%s %s: %d", r.method, r.path, code)
			}
			if !ok {
				c.cancel()
				if _, ok := answered(c); !ok {
					t.Fatalf("%s %s still waits after its request ended", r.method, r.path)
				}
			}
		}

		// Once the reads at work are done, the turns are free again.
		closeOnce(release)
		for _, h := range holders {
			if code, ok := answered(h); !ok || code != http.StatusOK {
				t.Fatalf("a held read after release: answered %v, status %d", ok, code)
			}
		}
		if code, ok := answered(serve(http.MethodGet, "/me")); !ok || code != http.StatusUnauthorized {
			t.Fatalf("GET /me with the turns free: answered %v, status %d; want 401", ok, code)
		}

		// n answers on their way out hold no turn: a read still gets in.
		for range n {
			serve(http.MethodGet, "/test/sending")
		}
		synctest.Wait()
		if code, ok := answered(serve(http.MethodGet, "/me")); !ok || code != http.StatusUnauthorized {
			t.Fatalf("GET /me while %d answers were being sent: answered %v, status %d; want 401", n, ok, code)
		}
	})
}

// closeOnce closes c unless it is closed already.
func closeOnce(c chan struct{}) {
	select {
	case <-c:
	default:
		close(c)
	}
}

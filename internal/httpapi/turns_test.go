package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// TestReadTurns: at most n reads run at once and the rest wait; a read
// whose answer is being sent holds no turn.
func TestReadTurns(t *testing.T) {
	const n = 2
	hold, entered := make(chan struct{}), make(chan struct{}, n)
	sending := make(chan struct{})
	e := echo.New()
	turn := readTurns(n)
	g := e.Group("")
	g.GET("/hold", func(c echo.Context) error {
		entered <- struct{}{}
		<-hold
		return c.NoContent(http.StatusOK)
	}, turn)
	g.GET("/sending", func(c echo.Context) error {
		c.Response().WriteHeader(http.StatusOK)
		c.Response().Flush()
		<-sending // a client reading slowly, as far as the server knows
		return nil
	}, turn)
	quick := func(c echo.Context) error { return c.NoContent(http.StatusOK) }
	g.GET("/quick", quick, turn)
	g.POST("/quick", quick) // writes take no turn (see guard)
	srv := httptest.NewServer(e)
	defer srv.Close()
	// On failure, let every handler finish, or Close would wait for them.
	var releaseHold, releaseSending sync.Once
	release := func() {
		releaseHold.Do(func() { close(hold) })
		releaseSending.Do(func() { close(sending) })
	}
	defer release()

	do := func(ctx context.Context, method, path string) error {
		req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, nil)
		if err != nil {
			return err
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
	within := func(d time.Duration) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return ctx
	}

	// n answers on their way out hold no turn: a read still gets in.
	var wg sync.WaitGroup
	headers := make(chan struct{}, n)
	for range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/sending", nil)
			resp, err := srv.Client().Do(req) // returns once the header is out
			if err != nil {
				t.Error(err)
				headers <- struct{}{}
				return
			}
			headers <- struct{}{}
			<-sending
			resp.Body.Close()
		})
	}
	for range n {
		<-headers
	}
	if err := do(within(5*time.Second), http.MethodGet, "/quick"); err != nil {
		t.Fatalf("a read waited behind answers being sent: %v", err)
	}
	releaseSending.Do(func() { close(sending) })
	wg.Wait()

	// n reads at work take every turn: another read waits, a write does not.
	for range n {
		wg.Go(func() {
			if err := do(context.Background(), http.MethodGet, "/hold"); err != nil {
				t.Error(err)
			}
		})
	}
	for range n {
		<-entered
	}
	if err := do(within(300*time.Millisecond), http.MethodGet, "/quick"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a read ran while %d reads held every turn: err = %v", n, err)
	}
	if err := do(within(5*time.Second), http.MethodPost, "/quick"); err != nil {
		t.Fatalf("a write waited for a read's turn: %v", err)
	}
	releaseHold.Do(func() { close(hold) })
	wg.Wait()
	if err := do(within(5*time.Second), http.MethodGet, "/quick"); err != nil {
		t.Fatalf("a read after the others finished: %v", err)
	}
}

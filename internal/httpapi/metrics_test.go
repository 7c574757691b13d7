package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMetrics: /metrics counts requests by route template, times the
// store, counts seals and the queue, and names no member, id or text.
func TestMetrics(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		s := f.story(f.author, "open", "Metrics canary title")
		expect(t, f.do(req{method: "GET", path: "/stories/" + s.ID, token: f.member.Access}), http.StatusOK, "")
		expect(t, f.do(req{method: "GET", path: "/stories/nope", token: f.member.Access}), http.StatusNotFound, "not_found")
		expect(t, f.flag(f.member, "story", s.ID, "crisis", "worried"), http.StatusCreated, "")

		r := f.do(req{method: "GET", path: "/metrics", raw: true})
		expect(t, r, http.StatusOK, "")
		body := string(r.Body)
		for _, want := range []string{
			`hearth_http_requests_total{method="GET",route="/api/v1/stories/:id",status="200"} 1`,
			`hearth_http_requests_total{method="GET",route="/api/v1/stories/:id",status="404"} 1`,
			`hearth_http_request_duration_seconds_bucket{method="POST",route="/api/v1/flags"`,
			`hearth_store_query_duration_seconds_count{op="row"}`,
			`hearth_moderation_queue_items{priority="crisis"} 1`,
			`hearth_moderation_queue_items{priority="normal"} 0`,
			`hearth_sessions_alive 7`,
			`hearth_seal_open_failures_total 0`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if !strings.Contains(body, "hearth_seal_seals_total") || strings.Contains(body, "hearth_seal_seals_total 0\n") {
			t.Error("no seals counted")
		}
		for _, secret := range []string{s.ID, f.author.Handle, f.member.Handle, "canary", "worried"} {
			if strings.Contains(body, secret) {
				t.Errorf("/metrics holds %q", secret)
			}
		}
	})
}

// TestClientThatHangsUpIsNotAnError: a request whose client goes away is
// logged quietly and counted as 499, never as a 500.
func TestClientThatHangsUpIsNotAnError(t *testing.T) {
	t.Parallel()
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("leaves-early")
		ctx, cancel := context.WithCancel(context.Background())
		rec := httptest.NewRecorder()
		r := httptest.NewRequestWithContext(ctx, "GET", Prefix+"/me", nil)
		r.Header.Set("Authorization", "Bearer "+a.Access)
		cancel()
		s.echo.ServeHTTP(rec, r)
		if rec.Code != 499 {
			t.Errorf("status %d, want 499", rec.Code)
		}
		if strings.Contains(s.logs.String(), "level=ERROR") {
			t.Errorf("a client hanging up was logged as an error:\n%s", s.logs.String())
		}
	})
}

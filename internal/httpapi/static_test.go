package httpapi

import (
	"bytes"
	"net/http"
	"testing"
)

// A path under /api/ that no route matches is a 404 problem, whatever the
// version or method: never the web app's index.html with a 200.
func TestUnknownAPIPathsAreProblems(t *testing.T) {
	s := newServerForHTTP(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api"},
		{"GET", "/api/"},
		{"GET", "/api/v1"},
		{"GET", "/api/v1/"},
		{"GET", "/api/v1/no/such/route"},
		{"GET", "/api/v2/me"},
		{"GET", "/api/anything"},
		{"POST", "/api/v2/auth/login"},
		{"DELETE", "/api/whatever"},
	} {
		r := s.do(req{method: c.method, path: c.path, raw: true})
		if r.Status != http.StatusNotFound || r.Code() != "not_found" || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d %q %s", c.method, c.path, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		if bytes.Contains(r.Body, []byte("<html")) {
			t.Errorf("%s %s served the web app", c.method, c.path)
		}
	}
}

// The web app is read-only: GET and HEAD, nothing else.
func TestStaticFilesOnlyGetAndHead(t *testing.T) {
	s := newServerForHTTP(t)
	for _, path := range []string{"/", "/c/some-circle", "/index.html"} {
		for _, method := range []string{"POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			r := s.do(req{method: method, path: path, raw: true})
			if r.Status != http.StatusMethodNotAllowed || r.Code() != "method_not_allowed" {
				t.Errorf("%s %s: %d %s, want 405", method, path, r.Status, r.Body)
			}
			if allow := r.Header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", method, path, allow)
			}
		}
		if r := s.do(req{method: "GET", path: path, raw: true}); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte("<html")) {
			t.Errorf("GET %s: %d", path, r.Status)
		}
		if r := s.do(req{method: "HEAD", path: path, raw: true}); r.Status != http.StatusOK {
			t.Errorf("HEAD %s: %d", path, r.Status)
		}
	}
	// The server's own routes keep their methods.
	expect(t, s.do(req{method: "POST", path: "/healthz", raw: true}), http.StatusMethodNotAllowed, "method_not_allowed")
	expect(t, s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "still-works", "password": testPassword}}), http.StatusCreated, "")
}

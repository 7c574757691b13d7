package httpapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
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

// robots.txt asks every crawler to stay out, and every page says noindex
// and what Hearth is.
func TestRobotsAndNoindex(t *testing.T) {
	s := newServerForHTTP(t)
	r := s.do(req{method: "GET", path: "/robots.txt", raw: true})
	if r.Status != http.StatusOK || string(r.Body) != "User-agent: *\nDisallow: /\n" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("robots.txt: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	for _, p := range []string{"/", "/join", "/signin", "/c/anything"} {
		r := s.do(req{method: "GET", path: p, raw: true})
		if !bytes.Contains(r.Body, []byte(`<meta name="robots" content="noindex">`)) || !bytes.Contains(r.Body, []byte(`<meta name="description" content="`)) {
			t.Errorf("%s lacks noindex or a description", p)
		}
	}
}

// rawGet fetches path from a live server as a browser would, asking for
// gzip itself, so the answer is read as it travelled.
func rawGet(t *testing.T, url string, gzipOK bool) *http.Response {
	t.Helper()
	rq, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gzipOK {
		rq.Header.Set("Accept-Encoding", "gzip")
	}
	res, err := http.DefaultTransport.RoundTrip(rq)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// Static files carry their version in their URLs and are kept a year; the
// page and unversioned URLs are asked again; the modules import each
// other by versioned URLs, so one module is one URL.
func TestStaticFilesCachedByVersion(t *testing.T) {
	s := newServerForHTTP(t)
	index := rawGet(t, s.URL+"/", false)
	body, _ := io.ReadAll(index.Body)
	if index.Header.Get("Cache-Control") != "no-cache" || index.Header.Get("ETag") == "" {
		t.Errorf("index.html: Cache-Control %q ETag %q", index.Header.Get("Cache-Control"), index.Header.Get("ETag"))
	}
	m := regexp.MustCompile(`src="(/app\.js\?v=([0-9a-f]{16}))"`).FindSubmatch(body)
	if m == nil || !bytes.Contains(body, []byte(`href="/style.css?v=`+string(m[2])+`"`)) {
		t.Fatalf("index.html does not name its files by version:\n%s", body)
	}
	app := rawGet(t, s.URL+string(m[1]), false)
	appJS, _ := io.ReadAll(app.Body)
	if cc := app.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" || !strings.HasPrefix(app.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("versioned app.js: Cache-Control %q, Content-Type %q", cc, app.Header.Get("Content-Type"))
	}
	if !bytes.Contains(appJS, []byte(`from './api.js?v=`+string(m[2])+`'`)) || !bytes.Contains(appJS, []byte(`import('./pages/home.js?v=`+string(m[2])+`')`)) {
		t.Errorf("app.js imports without the version")
	}
	if cc := rawGet(t, s.URL+"/app.js", false).Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("unversioned app.js: Cache-Control %q", cc)
	}
	if cc := rawGet(t, s.URL+"/app.js?v=0000000000000000", false).Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("another version's app.js: Cache-Control %q", cc)
	}
	// Asked again with its ETag, an unchanged file is not sent again.
	rq, _ := http.NewRequest("GET", s.URL+"/", nil)
	rq.Header.Set("If-None-Match", index.Header.Get("ETag"))
	res, err := http.DefaultTransport.RoundTrip(rq)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", res.StatusCode)
	}
}

// Static files and JSON travel gzipped; answers that carry tokens, recovery
// codes or invite codes never do (BREACH).
func TestCompressionSparesSecrets(t *testing.T) {
	s := newServerForHTTP(t)
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		res := rawGet(t, s.URL+p, true)
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Content-Encoding %q Vary %q", p, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if b, err := io.ReadAll(zr); err != nil || len(b) < 512 {
			t.Errorf("%s: %d bytes, %v", p, len(b), err)
		}
	}
	if res := rawGet(t, s.URL+"/", false); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip without Accept-Encoding")
	}

	send := func(method, path, token string, body any) *http.Response {
		b, _ := json.Marshal(body)
		rq, _ := http.NewRequest(method, s.URL+Prefix+path, bytes.NewReader(b))
		rq.Header.Set("Content-Type", "application/json")
		rq.Header.Set("Accept-Encoding", "gzip")
		if token != "" {
			rq.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultTransport.RoundTrip(rq)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	reg := send("POST", "/auth/register", "", map[string]string{"handle": uniqueHandle("gz"), "password": testPassword})
	var grant struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(reg.Body).Decode(&grant); err != nil || reg.Header.Get("Content-Encoding") != "" {
		t.Fatalf("register answered gzip (%q) or unreadable: %v", reg.Header.Get("Content-Encoding"), err)
	}
	if res := send("POST", "/me/recovery-codes", grant.AccessToken, map[string]string{"password": testPassword}); res.StatusCode != http.StatusCreated || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("new recovery codes: %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if !carriesSecret(echoContext("POST", Prefix+"/circles/x/invites")) || carriesSecret(echoContext("GET", Prefix+"/circles/x/invites")) ||
		!carriesSecret(echoContext("POST", Prefix+"/auth/refresh")) || carriesSecret(echoContext("GET", Prefix+"/circles")) {
		t.Error("carriesSecret draws the line wrong")
	}
}

func echoContext(method, path string) echo.Context {
	return echo.New().NewContext(httptest.NewRequest(method, path, nil), httptest.NewRecorder())
}

package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"hearth/internal/app"
	"io"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"
)

// specPath is api/openapi.yaml, relative to this package's directory (where
// go test runs).
const specPath = "../../api/openapi.yaml"

// apiSpec is the contract every test server's answers are held to.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
	// unrouted are the answers to requests no operation matches: a path
	// under /api/ the spec does not have (404), or a method a path of it
	// does not take (405), as the spec's description says.
	unrouted map[int]*routers.Route
}

// loadSpec reads and checks the spec once per test process: every test
// server validates every answer against it, and loading it is the costly
// part.
var loadSpec = sync.OnceValues(func() (*apiSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", specPath, err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", specPath, err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route %s: %w", specPath, err)
	}
	s := &apiSpec{doc: doc, router: router, unrouted: map[int]*routers.Route{}}
	for status, name := range map[int]string{http.StatusNotFound: "NotFound", http.StatusMethodNotAllowed: "MethodNotAllowed"} {
		ref := doc.Components.Responses[name]
		if ref == nil || ref.Value == nil {
			return nil, fmt.Errorf("%s: components.responses has no %s", specPath, name)
		}
		op := &openapi3.Operation{Responses: openapi3.NewResponses(openapi3.WithStatus(status, ref))}
		s.unrouted[status] = &routers.Route{Spec: doc, Operation: op}
	}
	return s, nil
})

// mustSpec is the loaded spec, or the test fails.
func mustSpec(t testing.TB) *apiSpec {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// check returns why an answer of status, header and body to r breaks the
// spec, or nil. The web app's own files are not the API's and are not
// checked.
func (s *apiSpec) check(r *http.Request, status int, header http.Header, body []byte) error {
	// The spec's server is "/": operations match the path alone.
	u := *r.URL
	u.Scheme, u.Host, u.User = "", "", nil
	r = r.WithContext(r.Context()) // a shallow copy, for its URL
	r.URL = &u
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		var re *routers.RouteError
		if !errors.As(err, &re) {
			return fmt.Errorf("find the operation: %w", err)
		}
		switch {
		case !serverPath(r.URL.Path):
			return nil
		case s.hasPath(r):
			route = s.unrouted[http.StatusMethodNotAllowed]
		default:
			route = s.unrouted[http.StatusNotFound]
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		return err
	}
	// kin-openapi checks a body only where the spec gives one; where it
	// gives none, none may be sent.
	resp := route.Operation.Responses.Status(status)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	if len(resp.Value.Content) == 0 {
		if len(body) > 0 || header.Get("Content-Type") != "" {
			return fmt.Errorf("the spec gives %d no body, but it came with %q and %d bytes", status, header.Get("Content-Type"), len(body))
		}
		return nil
	}
	// Nor does it check the media type beyond finding a key for it: a
	// problem must say it is one, and JSON must say so exactly.
	mt, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", header.Get("Content-Type"), err)
	}
	if resp.Value.Content[mt] == nil {
		return fmt.Errorf("Content-Type %s is not one the spec gives %d (%v)", mt, status, slices.Sorted(maps.Keys(resp.Value.Content)))
	}
	if n, err := strconv.Atoi(header.Get("Content-Length")); err == nil && n != len(body) {
		return fmt.Errorf("Content-Length %d, but the body is %d bytes", n, len(body))
	}
	return nil
}

// hasPath reports whether some operation of the spec has r's path, with
// another method.
func (s *apiSpec) hasPath(r *http.Request) bool {
	for _, m := range []string{"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"} {
		other := r.Clone(r.Context())
		other.Method = m
		if _, _, err := s.router.FindRoute(other); err == nil {
			return true
		}
	}
	return false
}

// specChecked wraps a test server's handler so that every answer it sends
// is held to the spec: a status, header or body the spec does not describe
// fails t, the test that owns the server and received the answer.
func specChecked(t *testing.T, h http.Handler) http.Handler {
	spec := mustSpec(t)
	var mu sync.Mutex
	ended := false
	t.Cleanup(func() {
		mu.Lock()
		ended = true
		mu.Unlock()
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recordingWriter{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.status == statusClientClosed && r.Context().Err() != nil {
			return // nobody is there to receive it
		}
		if rec.status == 0 { // nothing written: net/http sends 200 as it stands
			rec.status, rec.header = http.StatusOK, w.Header().Clone()
		}
		body := rec.body.Bytes()
		if rec.header.Get("Content-Encoding") == "gzip" { // the spec describes what is inside
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				body, err = io.ReadAll(zr)
			}
			if err != nil {
				t.Errorf("%s %s: a gzip body that does not open: %v", r.Method, r.URL.Path, err)
				return
			}
		}
		if err := spec.check(r, rec.status, rec.header, body); err != nil {
			mu.Lock()
			defer mu.Unlock()
			if !ended {
				t.Errorf("%s %s answered %d, which %s does not describe: %v\nbody: %.500s", r.Method, r.URL.Path, rec.status, specPath, err, rec.body.Bytes())
			}
		}
	})
}

// recordingWriter keeps a copy of what a handler sends: the status, the
// header as it went out, and the body.
type recordingWriter struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status, w.header = code, w.ResponseWriter.Header().Clone()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController (Echo's Flush) reach the connection.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// TestOpenAPIMatchesRouter keeps api/openapi.yaml and the router in step:
// every route the server has must be an operation in the spec, and every
// operation in the spec must be a route.
func TestOpenAPIMatchesRouter(t *testing.T) {
	spec := mustSpec(t)
	ops := map[string]bool{}
	for path, item := range spec.doc.Paths.Map() {
		for method := range item.Operations() {
			ops[strings.ToUpper(method)+" "+path] = true
		}
	}
	if len(ops) < 5 {
		t.Fatalf("%s: found only %d operations", specPath, len(ops))
	}

	// Registration calls no service, so nil services are fine here.
	e := New(Deps{Services: &app.Services{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	router := routerOperations(e.Routes())
	if len(router) < 5 {
		t.Fatalf("router: found only %d routes", len(router))
	}

	var missingFromSpec, missingFromRouter []string
	for op := range router {
		if !ops[op] {
			missingFromSpec = append(missingFromSpec, op)
		}
	}
	for op := range ops {
		if !router[op] {
			missingFromRouter = append(missingFromRouter, op)
		}
	}
	slices.Sort(missingFromSpec)
	slices.Sort(missingFromRouter)
	if len(missingFromSpec) > 0 {
		t.Errorf("routes the server has that %s does not describe:\n\t%s", specPath, strings.Join(missingFromSpec, "\n\t"))
	}
	if len(missingFromRouter) > 0 {
		t.Errorf("operations in %s the server does not have:\n\t%s", specPath, strings.Join(missingFromRouter, "\n\t"))
	}
	t.Logf("%d routes, %d spec operations", len(router), len(ops))
}

// routerOperations turns Echo's routes into "METHOD /path/{param}" keys,
// leaving out Echo's own entries: catch-alls (paths ending in /*, such as the
// /api/v1/* 404 registered for every method) and the pseudo-methods Echo uses
// for not-found and any-method routes.
func routerOperations(routes []*echo.Route) map[string]bool {
	ops := map[string]bool{}
	for _, r := range routes {
		if r.Path == "*" || strings.HasSuffix(r.Path, "/*") {
			continue
		}
		if r.Method == echo.RouteNotFound || strings.HasPrefix(r.Method, "echo_route_") {
			continue
		}
		ops[strings.ToUpper(r.Method)+" "+openAPIPath(r.Path)] = true
	}
	return ops
}

// openAPIPath writes Echo's :param segments as OpenAPI's {param}.
func openAPIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

func TestOpenAPIPathParams(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/me":                             "/api/v1/me",
		"/api/v1/stories/:id":                    "/api/v1/stories/{id}",
		"/api/v1/circles/:slug/facilitators/:h":  "/api/v1/circles/{slug}/facilitators/{h}",
		"/api/v1/moderation/items/:type/:id/act": "/api/v1/moderation/items/{type}/{id}/act",
	} {
		if got := openAPIPath(in); got != want {
			t.Errorf("openAPIPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSpecCheckFailsWhatTheSpecDoesNotSay: the check every test server runs
// refuses answers that break the spec, so a test passing through it means
// something.
func TestSpecCheckFailsWhatTheSpecDoesNotSay(t *testing.T) {
	spec := mustSpec(t)
	problem := func(status int, code string) []byte {
		return fmt.Appendf(nil, `{"type":"urn:hearth:problem:%s","title":%q,"status":%d,"code":%q}`, code, http.StatusText(status), status, code)
	}
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	problemCT := http.Header{"Content-Type": {"application/problem+json"}}
	health := []byte(`{"status":"ok"}`)
	for _, tc := range []struct {
		name         string
		method, path string
		status       int
		header       http.Header
		body         []byte
		ok           bool
	}{
		{"health as described", "GET", "/healthz", 200, jsonCT, health, true},
		{"a status the operation does not have", "GET", "/healthz", 201, jsonCT, health, false},
		{"a body off its schema", "GET", "/healthz", 200, jsonCT, []byte(`{"status":"fine"}`), false},
		{"a body that is not JSON", "GET", "/healthz", 200, jsonCT, []byte(`ok`), false},
		{"a field the spec does not give", "GET", "/healthz", 200, jsonCT, []byte(`{"status":"ok","uptime":3}`), false},
		{"me as described", "GET", "/api/v1/me", 200, jsonCT, []byte(`{"id":"m1","handle":"wren","role":"member","created_at":"2026-01-02T03:04:05Z","circles":[]}`), true},
		{"me with a field the spec does not give", "GET", "/api/v1/me", 200, jsonCT, []byte(`{"id":"m1","handle":"wren","role":"member","created_at":"2026-01-02T03:04:05Z","circles":[],"password_hash":"x"}`), false},
		{"a grant's member with a field the spec does not give", "POST", "/api/v1/auth/login", 200, jsonCT, []byte(`{"member":{"id":"m1","handle":"wren","role":"member","created_at":"2026-01-02T03:04:05Z","status":"active"},"access_token":"t","refresh_token":"r","expires_in":900}`), false},
		{"no Content-Type", "GET", "/healthz", 200, http.Header{}, health, false},
		{"the wrong Content-Type", "GET", "/healthz", 200, http.Header{"Content-Type": {"text/html"}}, health, false},
		{"a Content-Length that is not the body's", "GET", "/healthz", 200, http.Header{"Content-Type": {"application/json"}, "Content-Length": {"3"}}, health, false},
		{"a problem as described", "GET", "/api/v1/me", 401, problemCT, problem(401, "unauthenticated"), true},
		{"a problem sent as plain JSON", "GET", "/api/v1/me", 401, jsonCT, problem(401, "unauthenticated"), false},
		{"a problem without its code", "GET", "/api/v1/me", 401, problemCT, []byte(`{"type":"x","title":"Unauthorized","status":401}`), false},
		{"204 as described", "POST", "/api/v1/auth/logout", 204, http.Header{}, nil, true},
		{"204 with a body", "POST", "/api/v1/auth/logout", 204, jsonCT, []byte(`{}`), false},
		{"429 without Retry-After", "POST", "/api/v1/auth/login", 429, problemCT, problem(429, "rate_limited"), false},
		{"429 with Retry-After", "POST", "/api/v1/auth/login", 429, http.Header{"Content-Type": {"application/problem+json"}, "Retry-After": {"3"}}, problem(429, "rate_limited"), true},
		{"an unknown API path answers a 404 problem", "GET", "/api/v1/nowhere", 404, problemCT, problem(404, "not_found"), true},
		{"an unknown API path answering 200", "GET", "/api/v1/nowhere", 200, jsonCT, health, false},
		{"a method a path lacks answers a 405 problem", "PUT", "/api/v1/me", 405, problemCT, problem(405, "method_not_allowed"), true},
		{"a method a path lacks answering 404", "PUT", "/api/v1/me", 404, problemCT, problem(404, "not_found"), false},
		{"the web app is not the API's", "GET", "/s/anything", 200, http.Header{"Content-Type": {"text/html"}}, []byte("<!doctype html>"), true},
	} {
		r, err := http.NewRequestWithContext(context.Background(), tc.method, "http://hearth.test"+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = spec.check(r, tc.status, tc.header, tc.body)
		if (err == nil) != tc.ok {
			t.Errorf("%s: check says %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

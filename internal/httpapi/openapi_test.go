package httpapi

import (
	"bufio"
	"bytes"
	"fmt"
	"hearth/internal/app"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// specPath is api/openapi.yaml, relative to this package's directory (where
// go test runs).
const specPath = "../../api/openapi.yaml"

// specMethods are the operation keys of an OpenAPI path item.
var specMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true, "patch": true,
	"head": true, "options": true, "trace": true,
}

// TestOpenAPIMatchesRouter keeps api/openapi.yaml and the router in step:
// every route the server has must be an operation in the spec, and every
// operation in the spec must be a route.
func TestOpenAPIMatchesRouter(t *testing.T) {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatalf("read spec: %v", err)
	}
	if !bytes.HasPrefix(raw, []byte("openapi: 3.1")) {
		t.Fatalf("%s must start with %q", specPath, "openapi: 3.1")
	}
	spec, err := specOperations(raw)
	if err != nil {
		t.Fatalf("%s: %v", specPath, err)
	}
	if len(spec) < 5 {
		t.Fatalf("%s: found only %d operations under paths:; is the scanner still in step with the file's layout (paths at 2 spaces, methods at 4)?", specPath, len(spec))
	}

	// Registration calls no service, so nil services are fine here.
	e := New(Deps{Services: &app.Services{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	router := routerOperations(e.Routes())
	if len(router) < 5 {
		t.Fatalf("router: found only %d routes", len(router))
	}

	var missingFromSpec, missingFromRouter []string
	for op := range router {
		if !spec[op] {
			missingFromSpec = append(missingFromSpec, op)
		}
	}
	for op := range spec {
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
	t.Logf("%d routes, %d spec operations", len(router), len(spec))
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

// specOperations reads the operations of the spec's top-level paths: mapping
// with a line scanner, as go.mod has no YAML library. It relies on the layout
// api/openapi.yaml states at its top: each path is a key indented by exactly
// 2 spaces that starts with "/" and ends with ":", and each operation a
// lower-case method key indented by exactly 4 spaces under it. Anything else
// (parameters:, summary:, deeper lines, comments) is skipped. A duplicate
// path or operation is an error, as YAML forbids duplicate keys.
func specOperations(raw []byte) (map[string]bool, error) {
	ops := map[string]bool{}
	paths := map[string]bool{}
	inPaths, sawPaths := false, false
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimLeft(text, " ")
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(text) - len(trimmed)
		if indent == 0 {
			// A top-level key starts or ends the paths: mapping.
			inPaths = text == "paths:"
			if inPaths {
				if sawPaths {
					return nil, errf(line, "second top-level paths:")
				}
				sawPaths = true
			}
			current = ""
			continue
		}
		if !inPaths {
			continue
		}
		key, ok := yamlKey(trimmed)
		switch {
		case indent == 2:
			current = ""
			if !ok || !strings.HasPrefix(key, "/") {
				return nil, errf(line, "expected a path key such as %q at 2 spaces under paths:, got %q", "  /api/v1/me:", text)
			}
			if paths[key] {
				return nil, errf(line, "path %s appears twice", key)
			}
			paths[key] = true
			current = key
		case indent == 4 && ok && specMethods[key]:
			if current == "" {
				return nil, errf(line, "method %s outside any path", key)
			}
			op := strings.ToUpper(key) + " " + current
			if ops[op] {
				return nil, errf(line, "operation %s appears twice", op)
			}
			ops[op] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !sawPaths {
		return nil, errf(line, "no top-level paths: line")
	}
	return ops, nil
}

// yamlKey returns the key of a "key:" line whose value is on the lines below
// (a trailing comment allowed), unquoting a quoted key.
func yamlKey(s string) (string, bool) {
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimRight(s[:i], " ")
	}
	key, ok := strings.CutSuffix(s, ":")
	if !ok || key == "" {
		return "", false
	}
	if len(key) >= 2 && (key[0] == '"' || key[0] == '\'') && key[len(key)-1] == key[0] {
		key = key[1 : len(key)-1]
	}
	return key, true
}

// errf is an error pointing at a line of the spec.
func errf(line int, format string, args ...any) error {
	return fmt.Errorf("line %d: %s", line, fmt.Sprintf(format, args...))
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

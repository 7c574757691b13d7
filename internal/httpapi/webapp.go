package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// webApp serves the embedded web app. Every file's URL in index.html and
// in the modules' imports carries ?v=<version>, a hash of the whole app,
// so a browser may keep what it fetched for a year: a new build changes
// every URL. index.html itself, and any URL without the current version,
// is asked again each time (no-cache, with an ETag).
type webApp struct {
	version string
	files   map[string][]byte // by URL path, "/app.js"
}

// Where the web app names its own files: module imports ('./x.js',
// '../x.js') and index.html's href and src attributes.
var (
	moduleRef = regexp.MustCompile(`((?:from\s+|import\s*\(\s*)'\.{1,2}/[^'?]+\.js)'`)
	pageRef   = regexp.MustCompile(`((?:href|src)="/[^"?]+\.(?:js|css|svg))"`)
)

// newWebApp reads the web app and stamps its URLs with its version.
func newWebApp(files fs.FS) (*webApp, error) {
	w := &webApp{files: map[string][]byte{}}
	var names []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		w.files["/"+p] = b
		names = append(names, "/"+p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	sum := sha256.New()
	for _, n := range names {
		sum.Write([]byte(n))
		sum.Write([]byte{0})
		sum.Write(w.files[n])
	}
	w.version = hex.EncodeToString(sum.Sum(nil))[:16]
	stamp := []byte("$1?v=" + w.version)
	for n, b := range w.files {
		switch path.Ext(n) {
		case ".js":
			w.files[n] = moduleRef.ReplaceAll(b, append(append([]byte(nil), stamp...), '\''))
		case ".html":
			w.files[n] = pageRef.ReplaceAll(b, append(append([]byte(nil), stamp...), '"'))
		}
	}
	return w, nil
}

// serve answers every path of the web app: its files, and index.html for
// the rest (the app routes in the browser).
func (w *webApp) serve(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if serverPath(r.URL.Path) {
			return next(c)
		}
		name := r.URL.Path
		body, ok := w.files[name]
		if !ok {
			name = "/index.html"
			body = w.files[name]
		}
		h := c.Response().Header()
		if ok && name != "/index.html" && r.URL.Query().Get("v") == w.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		h.Set(echo.HeaderContentType, ctype)
		h.Set("ETag", `"`+w.version+`"`)
		http.ServeContent(c.Response(), r, "", time.Time{}, bytes.NewReader(body))
		return nil
	}
}

// compress gzips static files and JSON, except answers that carry a
// secret (tokens, recovery codes, invite codes): compressing a secret
// beside words an attacker can choose lets them guess it from the size
// (BREACH). /metrics compresses itself.
func compress() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 512, Skipper: func(c echo.Context) bool {
		return c.Request().URL.Path == "/metrics" || carriesSecret(c)
	}})
}

// carriesSecret reports whether the answer to c may carry a secret.
func carriesSecret(c echo.Context) bool {
	r := c.Request()
	p := r.URL.Path
	return strings.HasPrefix(p, Prefix+"/auth/") ||
		p == Prefix+"/me/recovery-codes" ||
		r.Method == http.MethodPost && strings.HasPrefix(p, Prefix+"/circles/") && strings.HasSuffix(p, "/invites")
}

// robots asks every crawler to stay out: a confidential forum is never
// indexed (every page also says noindex).
func robots(c echo.Context) error {
	return c.String(http.StatusOK, "User-agent: *\nDisallow: /\n")
}

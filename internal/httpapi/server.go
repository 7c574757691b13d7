// Package httpapi is Hearth's HTTP face: the Echo router, thin handlers, the
// middleware every request meets, and the one error handler.
package httpapi

import (
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"hearth/frontend"
	"hearth/internal/app"
	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/forum"
	"hearth/internal/mentorship"
	"hearth/internal/moderation"
	"hearth/internal/notify"
	"hearth/internal/safety"
	"hearth/internal/search"
	"hearth/internal/store"
	"hearth/internal/throttle"
)

// Prefix is where the JSON API lives.
const Prefix = "/api/v1"

// hashesPerHour is how often one member may call a route that hashes a
// password (password change, new recovery codes, account deletion).
const hashesPerHour = 5

// maxBody is the largest request body accepted.
const maxBody = "64KiB"

// Deps are what the API runs on: its settings, the services, its log.
type Deps struct {
	Config   config.Config
	Services *app.Services
	Log      *slog.Logger
}

// API holds what handlers need.
type API struct {
	cfg        config.Config
	store      *store.Store
	auth       *auth.Service
	forum      *forum.Service
	moderation *moderation.Service
	notify     *notify.Service
	search     *search.Service
	safety     *safety.Service
	mentorship *mentorship.Service
	log        *slog.Logger
	authLimit  *throttle.Limiter
	writeLimit *throttle.Limiter
	hashLimit  *throttle.Limiter
	// searchLimit: --search-rate searches a member a minute.
	searchLimit *throttle.Limiter
	metrics     *metrics
	readTurn    echo.MiddlewareFunc

	// checkLimit: --check-rate text checks a member a minute.
	checkLimit *throttle.Limiter
	checker    *safety.Checker
}

// New builds the Echo router with every route, middleware and the frontend.
func New(d Deps) *echo.Echo {
	svc := d.Services
	a := &API{
		cfg:         d.Config,
		store:       svc.Store,
		auth:        svc.Auth,
		forum:       svc.Forum,
		safety:      svc.Safety,
		moderation:  svc.Moderation,
		notify:      svc.Notify,
		search:      svc.Search,
		mentorship:  svc.Mentorship,
		log:         d.Log,
		authLimit:   throttle.New(d.Config.AuthRate, time.Minute),
		writeLimit:  throttle.New(d.Config.MemberWriteRate, time.Minute),
		hashLimit:   throttle.New(hashesPerHour, time.Hour),
		searchLimit: throttle.New(d.Config.SearchRate, time.Minute),
		checkLimit:  throttle.New(d.Config.CheckRate, time.Minute),
		checker:     svc.Checker,
		metrics:     newMetrics(svc.Store, svc.Sealer, svc.Moderation),
		readTurn:    readTurns(readsAtOnce(svc.Store)),
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(discard{})
	e.HTTPErrorHandler = a.handleError
	e.IPExtractor = ipExtractor(d.Config.TrustedProxies)

	// Headers first, so even a request refused by a later middleware, and
	// every static file, carries them.
	e.Pre(securityHeaders)
	e.Use(a.requestLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true, LogErrorFunc: a.logPanic}))
	e.Use(middleware.BodyLimit(maxBody))
	e.Use(compress())

	e.GET("/healthz", a.healthz)
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", a.metrics.handler())
	e.GET("/robots.txt", robots)
	api := e.Group(Prefix)
	for _, r := range a.routes() {
		api.Add(r.method, r.path, r.handler, a.guard(r)...)
	}

	web, err := newWebApp(frontend.Files)
	if err != nil {
		panic(err)
	}
	e.Use(staticReadOnly)
	e.Use(web.serve)
	return e
}

// readsAtOnce is how many API reads run at once: on SQLite a read is all
// CPU, so one a core; on PostgreSQL a read mostly waits for the network.
func readsAtOnce(st *store.Store) int {
	n := runtime.GOMAXPROCS(0)
	if st != nil && st.Dialect() == store.Postgres {
		n *= 4
	}
	return n
}

// serverPath reports whether p belongs to the server rather than the web
// app: anything under /api/ that no route matched is a 404 problem, never
// the web app's index.html served with 200 to a client expecting JSON.
func serverPath(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/metrics" || p == "/robots.txt"
}

// staticReadOnly answers 405 to any method but GET and HEAD on the web
// app's paths: a POST to / must not look like it succeeded.
func staticReadOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead && !serverPath(r.URL.Path) {
			c.Response().Header().Set(echo.HeaderAllow, "GET, HEAD")
			return echo.ErrMethodNotAllowed
		}
		return next(c)
	}
}

// NewHTTPServer wraps the handler in a server with every timeout set, so slow
// or idle clients cannot hold connections forever.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug),
	}
}

// GET /healthz - the process runs
func (a *API) healthz(c echo.Context) error {
	return respond(c, http.StatusOK, map[string]string{"status": "ok"})
}

// GET /readyz - the store answers
func (a *API) readyz(c echo.Context) error {
	if err := a.store.Ping(c.Request().Context()); err != nil {
		a.log.Warn("store not ready", "err", err)
		return respond(c, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return respond(c, http.StatusOK, map[string]string{"status": "ok"})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

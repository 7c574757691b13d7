package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hearth/internal/moderation"
	"hearth/internal/seal"
	"hearth/internal/store"
)

// metrics are what GET /metrics shows: labels are route templates,
// methods, statuses and kinds of things, never a handle, an id or a text.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	queries  *prometheus.HistogramVec
}

var priorityLabels = map[int]string{0: "crisis", 1: "privacy", 2: "harassment", 3: "normal"}

func newMetrics(st *store.Store, sealer *seal.Sealer, mod *moderation.Service) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hearth_http_requests_total", Help: "HTTP requests by route template, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hearth_http_request_duration_seconds", Help: "HTTP request latency by route template and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hearth_store_query_duration_seconds", Help: "Store statements by kind.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
		}, []string{"op"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.queries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st != nil { // a router built only to list its routes has no store
		st.OnQuery(func(op string, d time.Duration) { m.queries.WithLabelValues(op).Observe(d.Seconds()) })
		m.reg.MustRegister(&storeCollector{st: st, mod: mod,
			queue:    prometheus.NewDesc("hearth_moderation_queue_items", "Open moderation queue items by priority.", []string{"priority"}, nil),
			sessions: prometheus.NewDesc("hearth_sessions_alive", "Sessions neither ended nor expired.", nil, nil),
			oldest:   prometheus.NewDesc("hearth_queue_oldest_seconds", "How long the oldest open queue item has waited, by priority (0 when none waits).", []string{"priority"}, nil),
			overdue:  prometheus.NewDesc("hearth_queue_overdue", "Open queue items past their service level, by priority.", []string{"priority"}, nil),
		})
	}
	if sealer != nil {
		for _, c := range []struct {
			name, help string
			get        func(seal.Stats) uint64
		}{
			{"hearth_seal_seals_total", "Texts sealed.", func(s seal.Stats) uint64 { return s.Seals }},
			{"hearth_seal_opens_total", "Sealed texts opened, failures included.", func(s seal.Stats) uint64 { return s.Opens }},
			{"hearth_seal_open_failures_total", "Sealed texts that failed to open.", func(s seal.Stats) uint64 { return s.OpenFailures }},
			{"hearth_seal_key_cache_hits_total", "Data keys found in the cache.", func(s seal.Stats) uint64 { return s.CacheHits }},
			{"hearth_seal_key_cache_misses_total", "Data keys unwrapped from the store.", func(s seal.Stats) uint64 { return s.CacheMisses }},
		} {
			m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: c.name, Help: c.help},
				func() float64 { return float64(c.get(sealer.Stats())) }))
		}
	}
	return m
}

// storeCollector reads the queue and session counts, and the queue's
// service levels, at each scrape.
type storeCollector struct {
	st                               *store.Store
	mod                              *moderation.Service
	queue, sessions, oldest, overdue *prometheus.Desc
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.queue
	ch <- c.sessions
	ch <- c.oldest
	ch <- c.overdue
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if sizes, err := c.st.QueueSizes(ctx); err == nil {
		for p, name := range priorityLabels {
			ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(sizes[p]), name)
		}
	}
	if levels, err := c.mod.Levels(ctx); err == nil {
		for _, l := range levels {
			ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, l.OldestSeconds, l.Priority)
			ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(l.Overdue), l.Priority)
		}
	}
	if n, err := c.st.CountLiveSessions(ctx, time.Now()); err == nil {
		ch <- prometheus.MustNewConstMetric(c.sessions, prometheus.GaugeValue, float64(n))
	}
}

// observe counts a finished request under its route template.
func (m *metrics) observe(c echo.Context, route string, start time.Time) {
	method := c.Request().Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // a client must not be able to mint label values
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

func (m *metrics) handler() echo.HandlerFunc {
	h := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

package main

import (
	"context"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// requestFunc builds the i-th request of worker w. It only builds: the
// worker loop sends it and reads the body, so every scenario's latency is
// measured the same way, around the full request and response.
type requestFunc func(e *env, w, i int) (*http.Request, error)

// load is a request function and how many workers run it at once, each
// sending its next request as soon as the previous one is answered.
type load struct {
	workers int
	do      requestFunc
}

// tally is what workers counted. Latencies are of 2xx answers only: a shed
// (503) or refused request is answered fast and would flatter the
// percentiles of the work that was actually done.
type tally struct {
	ok     int
	errors int // non-2xx other than 503, and transport failures
	shed   int // 503: the server's admission control turned the request away
	lat    []time.Duration
}

func (t *tally) add(o tally) {
	t.ok += o.ok
	t.errors += o.errors
	t.shed += o.shed
	t.lat = append(t.lat, o.lat...)
}

// result is one row of the table.
type result struct {
	name string
	note string // the scenario's note, printed after the table
	tally
	wall  time.Duration // the measured window
	rssKB int64         // the server's peak resident memory in the row; -1: unknown
}

func (r result) perSecond() float64 { return float64(r.ok) / r.wall.Seconds() }

// percentile is the nearest-rank percentile of r's sorted latencies.
func (r result) percentile(p float64) (time.Duration, bool) {
	n := len(r.lat)
	if n == 0 {
		return 0, false
	}
	rank := int(math.Ceil(p * float64(n)))
	return r.lat[min(max(rank, 1), n)-1], true
}

// errorBackoff keeps a dead or refusing server from turning a worker into a
// busy loop of failed dials.
const errorBackoff = 50 * time.Millisecond

// measure runs sc's load (and its background loads, whose numbers are not
// reported) for warmup+dur. Only requests started after the warm-up count.
// Requests still in flight at the end are cancelled and counted nowhere: they
// were neither answered nor failed within the window.
func measure(ctx context.Context, e *env, sc scenario, warmup, dur time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, warmup+dur)
	defer cancel()
	from := time.Now().Add(warmup)
	var bg sync.WaitGroup
	for _, l := range sc.background {
		bg.Go(func() { drive(ctx, e, l, from) })
	}
	t := drive(ctx, e, sc.load, from)
	bg.Wait()
	slices.Sort(t.lat)
	return result{name: sc.name, tally: t, wall: min(time.Since(from), dur)}
}

// drive runs l's workers until ctx ends and merges what they counted. Each
// worker keeps its own tally, so the hot loop shares no lock.
func drive(ctx context.Context, e *env, l load, from time.Time) tally {
	tallies := make([]tally, l.workers)
	var wg sync.WaitGroup
	for w := range l.workers {
		wg.Go(func() { tallies[w] = work(ctx, e, l.do, w, from) })
	}
	wg.Wait()
	var t tally
	for _, wt := range tallies {
		t.add(wt)
	}
	return t
}

// work is one worker's loop. A 503 makes it wait as a well-behaved client
// would (Retry-After, or a second), which is what admission control asks.
func work(ctx context.Context, e *env, do requestFunc, w int, from time.Time) tally {
	var t tally
	for i := 0; ctx.Err() == nil; i++ {
		req, err := do(e, w, i)
		if err != nil {
			t.errors++
			sleep(ctx, errorBackoff)
			continue
		}
		start := time.Now()
		status, retry, err := send(ctx, e.client, req)
		d := time.Since(start)
		if err != nil && ctx.Err() != nil {
			break // cut off by the end of the row
		}
		counted := !start.Before(from)
		switch {
		case err != nil:
			if counted {
				t.errors++
			}
			sleep(ctx, errorBackoff)
		case status >= 200 && status < 300:
			if counted {
				t.ok++
				t.lat = append(t.lat, d)
			}
		case status == http.StatusServiceUnavailable:
			if counted {
				t.shed++
			}
			sleep(ctx, retry)
		case status == http.StatusTooManyRequests:
			// A rate limit (an --addr server with its limits on) is an
			// error here, but hammering it would only measure the limiter.
			if counted {
				t.errors++
			}
			sleep(ctx, retry)
		default:
			if counted {
				t.errors++
			}
		}
	}
	return t
}

// send does one request and reads the whole body, so the connection goes
// back to the pool for the next request instead of being redialled.
func send(ctx context.Context, c *http.Client, req *http.Request) (status int, retryAfter time.Duration, err error) {
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, 0, err
	}
	return resp.StatusCode, parseRetryAfter(resp.Header.Get("Retry-After")), nil
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date; without a
// usable value it is one second.
func parseRetryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return time.Second
}

// sleep waits d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// newClient is the one client every worker shares. Its idle pool holds more
// connections than the most workers a row runs, so connections are reused
// and no request pays for a dial after the warm-up.
func newClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 256
	tr.DisableCompression = true
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

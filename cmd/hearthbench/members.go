package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// env is what scenarios share: the server, the one HTTP client, and the
// members registered so far (written only by setups, before workers start).
type env struct {
	base    string   // where setups send their requests
	bases   []string // where row workers send theirs, worker w to bases[w%len]
	client  *http.Client
	runID   string        // keeps handles unique when --addr reuses a store
	rowLen  time.Duration // warm-up + duration of a row, to know if a token lasts
	members []member

	// An admin creates the forum scenarios' circle: createAdmin makes one in
	// the store of the server we started; with --addr, adminHandle and
	// adminPassword name an existing one. Neither: those rows are skipped.
	createAdmin   func(ctx context.Context, handle, password string) error
	adminHandle   string
	adminPassword string
	adminMade     bool   // createAdmin has run: later setups only sign in
	forum         *forum // seeded by needForum
	queue         *queue // seeded by needQueue
	care          *care  // seeded by needCare
	modLogin      []byte // the moderator's sign-in body
}

func newEnv(base string, rowLen time.Duration) *env {
	b := make([]byte, 3)
	rand.Read(b)
	return &env{base: base, bases: []string{base}, client: newClient(), runID: hex.EncodeToString(b), rowLen: rowLen}
}

// useSeed takes the members, admin, moderator and forum of a seeded store;
// the members sign in when a row first needs their tokens.
func (e *env) useSeed(s *seeded) {
	e.members = slices.Clone(s.members)
	e.adminHandle, e.adminPassword = s.admin.handle, s.admin.password
	e.modLogin = s.moderator.login
	f := *s.forum
	e.forum = &f
}

// baseFor is the server worker w sends its requests to, so that the load is
// split evenly when several processes serve one store.
func (e *env) baseFor(w int) string { return e.bases[w%len(e.bases)] }

// member is a registered account and its credentials.
type member struct {
	handle   string
	password string
	login    []byte // the sign-in body, marshalled once so the loop times the server, not encoding/json
	token    string // access token for authenticated scenarios
	tokenAt  time.Time
}

const (
	// registerWorkers is how many registrations run at once. Each hashes 11
	// argon2id values (~300 ms); more at once would only queue in the
	// server's hasher and risk 503s.
	registerWorkers = 4
	// accessTTL is the server's access-token lifetime, minus a margin.
	accessTTL   = 14 * time.Minute
	setupBudget = 3 * time.Minute
)

// needMembers is a setup that makes sure at least n members exist and that
// their access tokens will outlive the row about to run.
func needMembers(n int) setupFunc {
	return func(ctx context.Context, e *env, log io.Writer) error {
		ctx, cancel := context.WithTimeout(ctx, setupBudget)
		defer cancel()
		if err := e.register(ctx, n, log); err != nil {
			return err
		}
		return e.refreshTokens(ctx, n)
	}
}

// register adds members until there are n, in parallel.
func (e *env) register(ctx context.Context, n int, log io.Writer) error {
	have := len(e.members)
	if have >= n {
		return nil
	}
	start := time.Now()
	fmt.Fprintf(log, "hearthbench: registering %d members (slow by design: argon2id)\n", n-have)
	added := make([]member, n-have)
	err := parallel(ctx, len(added), registerWorkers, func(ctx context.Context, k int) error {
		idx := have + k
		m := member{
			handle:   fmt.Sprintf("bench-%s-%04d", e.runID, idx),
			password: fmt.Sprintf("bench member river stone %04d", idx),
		}
		body, err := json.Marshal(map[string]string{"handle": m.handle, "password": m.password})
		if err != nil {
			return err
		}
		m.login = body
		if m.token, err = e.grant(ctx, "/api/v1/auth/register", body, http.StatusCreated); err != nil {
			return err
		}
		m.tokenAt = time.Now()
		added[k] = m
		return nil
	})
	if err != nil {
		return err
	}
	e.members = append(e.members, added...)
	fmt.Fprintf(log, "hearthbench: registered %d members in %.1fs\n", len(added), time.Since(start).Seconds())
	return nil
}

// refreshTokens signs in again the first n members whose access tokens would
// expire before the next row ends, which only long --duration runs need.
func (e *env) refreshTokens(ctx context.Context, n int) error {
	deadline := time.Now().Add(e.rowLen + settle)
	return parallel(ctx, n, registerWorkers, func(ctx context.Context, k int) error {
		m := &e.members[k]
		if m.tokenAt.Add(accessTTL).After(deadline) {
			return nil
		}
		tok, err := e.grant(ctx, "/api/v1/auth/login", m.login, http.StatusOK)
		if err != nil {
			return err
		}
		m.token, m.tokenAt = tok, time.Now()
		return nil
	})
}

// grant posts body to path and returns the access token of the answer.
func (e *env) grant(ctx context.Context, path string, body []byte, want int) (string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := e.call(ctx, http.MethodPost, path, "", json.RawMessage(body), &out, want); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("POST %s: no access_token in the answer", path)
	}
	return out.AccessToken, nil
}

// call is one setup request: in (nil: no body) as JSON, as token's member
// ("": anonymous), decoding a want answer into out (nil: ignored). A 503
// (hasher busy) or 429 (rate limit, on an external server) is waited out as
// Retry-After asks; anything else unexpected breaks the setup.
func (e *env) call(ctx context.Context, method, path, token string, in, out any, want int) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = jsonBody(in); err != nil {
			return err
		}
	}
	for {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, e.base+path, rd)
		if err != nil {
			return err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := e.client.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil {
			return err
		}
		switch resp.StatusCode {
		case want:
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(b, out); err != nil {
				return fmt.Errorf("%s %s: %v in %.200q", method, path, err, b)
			}
			return nil
		case http.StatusServiceUnavailable, http.StatusTooManyRequests:
			if err := sleep(ctx, parseRetryAfter(resp.Header.Get("Retry-After"))); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s %s: %s: %.300s", method, path, resp.Status, b)
		}
	}
}

// jsonBody marshals a request body once, so load loops only copy bytes.
func jsonBody(v any) ([]byte, error) { return json.Marshal(v) }

// parallel runs fn for 0..n-1 on at most workers goroutines and returns the
// first error, cancelling the rest.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, k int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for k := range jobs {
				if err := fn(ctx, k); err != nil {
					cancel(err)
				}
			}
		})
	}
feed:
	for k := range n {
		select {
		case jobs <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return context.Cause(ctx)
}

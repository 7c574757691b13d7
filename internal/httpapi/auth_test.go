package httpapi

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/auth"
	"hearth/internal/config"
)

func TestRegisterAndMe(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("Quiet_River")
		if a.Handle != "quiet_river" || a.Role != "member" || a.ID == "" {
			t.Fatalf("member = %+v", a)
		}
		if len(a.RecoveryCodes) != 10 {
			t.Fatalf("%d recovery codes, want 10", len(a.RecoveryCodes))
		}
		seen := map[string]bool{}
		for _, c := range a.RecoveryCodes {
			if seen[c] || len(c) < 20 {
				t.Fatalf("recovery codes are not distinct and long: %v", a.RecoveryCodes)
			}
			seen[c] = true
		}
		r := s.do(req{method: "GET", path: "/me", token: a.Access})
		expect(t, r, http.StatusOK, "")
		me := r.JSON(t)
		if me["handle"] != "quiet_river" || me["id"] != a.ID || me["role"] != "member" {
			t.Fatalf("GET /me = %v", me)
		}
		if _, err := time.Parse(time.RFC3339, me["created_at"].(string)); err != nil || !strings.HasSuffix(me["created_at"].(string), "Z") {
			t.Fatalf("created_at %v is not RFC 3339 UTC", me["created_at"])
		}
		if c, ok := me["circles"].([]any); !ok || c == nil {
			t.Fatalf("circles = %v, want a list", me["circles"])
		}
		// Only hashes are stored: neither the password nor a code is in the row.
		codes, _ := s.store.RecoveryCodes(t.Context(), a.ID)
		if len(codes) != 10 {
			t.Fatalf("stored %d codes", len(codes))
		}
		for _, c := range codes {
			if !strings.HasPrefix(c.Hash, "$argon2id$") {
				t.Fatalf("recovery code stored as %q", c.Hash)
			}
		}
	})
}

func TestRegisterBadInput(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		s.register("taken")
		good := `{"handle":"newcomer","password":"` + testPassword + `"}`
		cases := []struct {
			name   string
			body   any
			ct     string
			status int
			code   string
		}{
			{"handle differing only in case", map[string]string{"handle": "TAKEN", "password": testPassword}, "", 409, "handle_taken"},
			{"reserved handle", map[string]string{"handle": "Admin", "password": testPassword}, "", 400, "handle_reserved"},
			{"short handle", map[string]string{"handle": "ab", "password": testPassword}, "", 400, "invalid_handle"},
			{"long handle", map[string]string{"handle": strings.Repeat("a", 31), "password": testPassword}, "", 400, "invalid_handle"},
			{"handle with a space", map[string]string{"handle": "two words", "password": testPassword}, "", 400, "invalid_handle"},
			{"handle with a control character", map[string]string{"handle": "bell\u0007", "password": testPassword}, "", 400, "invalid_handle"},
			{"short password", map[string]string{"handle": "newcomer", "password": "too short"}, "", 400, "password_too_short"},
			{"long password", map[string]string{"handle": "newcomer", "password": strings.Repeat("x", 257)}, "", 400, "password_too_long"},
			{"common password", map[string]string{"handle": "newcomer", "password": "passwordpassword"}, "", 400, "password_too_common"},
			{"role smuggled in", map[string]any{"handle": "newcomer", "password": testPassword, "role": "admin"}, "", 400, "unknown_field"},
			{"unknown field", `{"handle":"newcomer","password":"` + testPassword + `","email":"x@y"}`, "", 400, "unknown_field"},
			{"invalid UTF-8", []byte("{\"handle\":\"new\xffcomer\",\"password\":\"" + testPassword + "\"}"), "", 400, "invalid_utf8"},
			{"not JSON", "handle=newcomer", "", 400, "invalid_json"},
			{"empty body", "", "", 400, "invalid_json"},
			{"two JSON values", good + good, "", 400, "invalid_json"},
			{"wrong type", `{"handle":7,"password":"` + testPassword + `"}`, "", 400, "invalid_json"},
			{"form content type", good, "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
			{"text content type", good, "text/plain", 415, "unsupported_media_type"},
			{"body over 64 KiB", `{"handle":"newcomer","password":"` + strings.Repeat("x", 70<<10) + `"}`, "", 413, "body_too_large"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := s.memberCount()
				r := req{method: "POST", path: "/auth/register", body: c.body}
				if c.ct != "" {
					r.header = map[string]string{"Content-Type": c.ct}
				}
				resp := s.do(r)
				expect(t, resp, c.status, c.code)
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Fatalf("Content-Type %q", ct)
				}
				p := resp.JSON(t)
				if p["status"] != float64(c.status) || p["title"] == "" || p["type"] == "" || p["detail"] == "" {
					t.Fatalf("problem body %v lacks RFC 9457 members", p)
				}
				if after := s.memberCount(); after != before {
					t.Fatalf("members %d -> %d: bad input changed the store", before, after)
				}
			})
		}
	})
}

func TestMethodNotAllowed(t *testing.T) {
	s := newServerForHTTP(t)
	for _, r := range []req{{method: "GET", path: "/auth/register"}, {method: "DELETE", path: "/auth/login"}, {method: "PUT", path: "/me"}} {
		expect(t, s.do(r), http.StatusMethodNotAllowed, "method_not_allowed")
	}
	expect(t, s.do(req{method: "GET", path: "/no/such/route"}), http.StatusNotFound, "not_found")
}

func TestLoginAndEnumeration(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("harbour")
		expect(t, s.login("HARBOUR", testPassword), http.StatusOK, "")
		wrong := s.login("harbour", "not the right passphrase")
		unknown := s.login("nobody-here", testPassword)
		invalid := s.login("x", testPassword)
		for _, r := range []*response{wrong, unknown, invalid} {
			expect(t, r, http.StatusUnauthorized, "invalid_credentials")
		}
		if !bytes.Equal(wrong.Body, unknown.Body) || !bytes.Equal(wrong.Body, invalid.Body) {
			t.Fatalf("bodies differ:\n%s\n%s\n%s", wrong.Body, unknown.Body, invalid.Body)
		}
		if a.Access == "" {
			t.Fatal("no access token")
		}
	})
}

// An unknown handle costs a full argon2id computation, like a wrong
// password, so timing does not tell whether a handle exists.
func TestEnumerationTiming(t *testing.T) {
	s := newServerForHTTP(t, withParams(auth.DefaultParams, 2))
	s.register("lantern")
	// Samples alternate between the two, so that load from elsewhere on the
	// machine weighs on both alike.
	var knownD, unknownD []time.Duration
	for i := 0; i < 9; i++ {
		for _, h := range []string{"lantern", "no-such-member"} {
			start := time.Now()
			expect(t, s.login(h, "not the right passphrase"), http.StatusUnauthorized, "invalid_credentials")
			if h == "lantern" {
				knownD = append(knownD, time.Since(start))
			} else {
				unknownD = append(unknownD, time.Since(start))
			}
		}
	}
	median := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	known, unknown := median(knownD), median(unknownD)
	ratio := float64(unknown) / float64(known)
	t.Logf("median wrong password %v, unknown handle %v", known, unknown)
	if ratio < 0.5 || ratio > 2 {
		t.Fatalf("unknown handle takes %.2fx the time of a wrong password", ratio)
	}
	if unknown < 5*time.Millisecond {
		t.Fatalf("unknown handle answered in %v: no dummy hash was computed", unknown)
	}
}

func TestRefreshRotatesAndReplayKillsSession(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("ember")
		r := s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": a.Refresh}})
		expect(t, r, http.StatusOK, "")
		g := r.JSON(t)
		next, access := g["refresh_token"].(string), g["access_token"].(string)
		if next == "" || next == a.Refresh || access == "" {
			t.Fatalf("refresh did not rotate: %v", g)
		}
		expect(t, s.do(req{method: "GET", path: "/me", token: access}), http.StatusOK, "")
		// Someone replays the spent token: the whole session dies.
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": a.Refresh}}), http.StatusUnauthorized, "invalid_refresh_token")
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": next}}), http.StatusUnauthorized, "invalid_refresh_token")
		expect(t, s.do(req{method: "GET", path: "/me", token: access}), http.StatusUnauthorized, "unauthenticated")
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "unauthenticated")
		// Garbage is refused without harm.
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": "garbage"}}), http.StatusUnauthorized, "invalid_refresh_token")
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": ""}}), http.StatusUnauthorized, "invalid_refresh_token")
	})
}

// setCookies returns the cookies a response sets, by name.
func setCookies(r *response) map[string]*http.Cookie {
	out := map[string]*http.Cookie{}
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		out[c.Name] = c
	}
	return out
}

func TestRefreshByCookie(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		r := s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "cookie-jar", "password": testPassword}})
		expect(t, r, http.StatusCreated, "")
		ck := setCookies(r)["hearth_refresh"]
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/api/v1/auth" || ck.Secure {
			t.Fatalf("refresh cookie = %+v, want HttpOnly, SameSite=Strict, Path=/api/v1/auth", ck)
		}
		jsonCT := map[string]string{"Content-Type": "application/json"}
		withCookie := func(value string) map[string]string {
			return map[string]string{"Content-Type": "application/json", "Cookie": "hearth_refresh=" + value}
		}

		// Without a JSON content type the cookie is not even looked at: a
		// cross-site form cannot ride on it. Nothing is spent, nothing cleared.
		r = s.do(req{method: "POST", path: "/auth/refresh", header: map[string]string{"Cookie": "hearth_refresh=" + ck.Value}})
		expect(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
		r = s.do(req{method: "POST", path: "/auth/refresh", header: map[string]string{"Cookie": "hearth_refresh=" + ck.Value, "Content-Type": "text/plain"}})
		expect(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
		if len(setCookies(r)) != 0 {
			t.Fatal("a refused content type touched the cookie")
		}

		// The web app refreshes with the cookie and no body; the new token goes
		// back in the cookie only, never where a script could read it.
		r = s.do(req{method: "POST", path: "/auth/refresh", header: withCookie(ck.Value)})
		expect(t, r, http.StatusOK, "")
		g := r.JSON(t)
		if _, ok := g["refresh_token"]; ok {
			t.Fatalf("refresh by cookie put the refresh token in the body: %s", r.Body)
		}
		if g["access_token"] == "" {
			t.Fatal("no access token")
		}
		next := setCookies(r)["hearth_refresh"]
		if next == nil || next.Value == "" || next.Value == ck.Value || next.MaxAge <= 0 {
			t.Fatalf("cookie after refresh = %+v", next)
		}
		// An empty JSON object is a body without a token: the cookie again.
		r = s.do(req{method: "POST", path: "/auth/refresh", body: "{}", header: withCookie(next.Value)})
		expect(t, r, http.StatusOK, "")
		if _, ok := r.JSON(t)["refresh_token"]; ok {
			t.Fatal("refresh by cookie put the refresh token in the body")
		}
		next = setCookies(r)["hearth_refresh"]

		// A client that sends the token in the body gets the next one there.
		r = s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": next.Value}})
		expect(t, r, http.StatusOK, "")
		if tok, _ := r.JSON(t)["refresh_token"].(string); tok == "" {
			t.Fatalf("refresh by body did not return the next token: %s", r.Body)
		}

		// A refused token clears the cookie.
		r = s.do(req{method: "POST", path: "/auth/refresh", header: withCookie("not-a-token")})
		expect(t, r, http.StatusUnauthorized, "invalid_refresh_token")
		if c := setCookies(r)["hearth_refresh"]; c == nil || c.MaxAge >= 0 {
			t.Fatalf("a refused refresh left the cookie: %+v", c)
		}
		r = s.do(req{method: "POST", path: "/auth/refresh", header: jsonCT})
		expect(t, r, http.StatusUnauthorized, "invalid_refresh_token")
	})
}

// X-Forwarded-Proto counts only from a trusted proxy; over TLS only the
// __Host- cookie is read, never a plain one someone may have planted.
func TestRefreshCookieOverTLS(t *testing.T) {
	onEveryStore(t, func(t *testing.T, plain *testServer) {
		r := plain.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "spoofer", "password": testPassword}, header: map[string]string{"X-Forwarded-Proto": "https"}})
		expect(t, r, http.StatusCreated, "")
		if c := setCookies(r); c["hearth_refresh"] == nil || c["__Host-hearth_refresh"] != nil {
			t.Fatalf("an untrusted peer's X-Forwarded-Proto chose the cookie: %v", r.Header.Values("Set-Cookie"))
		}

		s := newTestServerOn(t, plain.dialect, withConfig(func(c *config.Config) {
			c.TrustedProxies, _ = config.ParseCIDRs("127.0.0.1/32")
		}))
		https := func(cookie string) map[string]string {
			h := map[string]string{"X-Forwarded-Proto": "https", "Content-Type": "application/json"}
			if cookie != "" {
				h["Cookie"] = cookie
			}
			return h
		}
		r = s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "behind-proxy", "password": testPassword}, header: https("")})
		expect(t, r, http.StatusCreated, "")
		host := setCookies(r)["__Host-hearth_refresh"]
		if host == nil || !host.Secure || host.Path != "/" || !host.HttpOnly || host.SameSite != http.SameSiteStrictMode {
			t.Fatalf("TLS cookie = %v", r.Header.Values("Set-Cookie"))
		}
		// A plain cookie over TLS is ignored, even one holding a good token.
		r = s.do(req{method: "POST", path: "/auth/refresh", header: https("hearth_refresh=" + host.Value)})
		expect(t, r, http.StatusUnauthorized, "invalid_refresh_token")
		r = s.do(req{method: "POST", path: "/auth/refresh", header: https("__Host-hearth_refresh=" + host.Value)})
		expect(t, r, http.StatusOK, "")
		if setCookies(r)["__Host-hearth_refresh"] == nil {
			t.Fatal("refresh over TLS did not renew the __Host- cookie")
		}

		// A connection that is itself TLS needs no proxy to say so.
		hr := httptest.NewRequest("POST", Prefix+"/auth/login", strings.NewReader(`{"handle":"behind-proxy","password":"`+testPassword+`"}`))
		hr.Header.Set("Content-Type", "application/json")
		hr.TLS = &tls.ConnectionState{}
		w := httptest.NewRecorder()
		plain.handler.ServeHTTP(w, hr)
		if w.Code != http.StatusUnauthorized { // that member lives on the other server
			t.Fatalf("login: %d", w.Code)
		}
		hr = httptest.NewRequest("POST", Prefix+"/auth/login", strings.NewReader(`{"handle":"spoofer","password":"`+testPassword+`"}`))
		hr.Header.Set("Content-Type", "application/json")
		hr.TLS = &tls.ConnectionState{}
		w = httptest.NewRecorder()
		plain.handler.ServeHTTP(w, hr)
		if set := w.Header().Get("Set-Cookie"); w.Code != http.StatusOK || !strings.HasPrefix(set, "__Host-hearth_refresh=") || !strings.Contains(set, "Secure") {
			t.Fatalf("login over TLS: %d, cookie %q", w.Code, set)
		}
	})
}

// A refresh that fails on our side (500) or is throttled (429) leaves the
// cookie alone: only a refusal (401, 403) signs the web app out.
func TestRefreshCookieKeptOnServerTrouble(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		r := s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "steady-lamp", "password": testPassword}})
		expect(t, r, http.StatusCreated, "")
		value := setCookies(r)["hearth_refresh"].Value
		hdr := map[string]string{"Content-Type": "application/json", "Cookie": "hearth_refresh=" + value}
		r = s.do(req{method: "POST", path: "/auth/refresh", header: hdr})
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		if len(setCookies(r)) != 0 {
			t.Fatalf("429 touched the cookie: %v", r.Header.Values("Set-Cookie"))
		}

		s = newTestServerOn(t, s.dialect)
		r = s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "steady-lamp", "password": testPassword}})
		expect(t, r, http.StatusCreated, "")
		hdr["Cookie"] = "hearth_refresh=" + setCookies(r)["hearth_refresh"].Value
		s.store.Close()
		r = s.do(req{method: "POST", path: "/auth/refresh", header: hdr})
		expect(t, r, http.StatusInternalServerError, "internal")
		if len(setCookies(r)) != 0 {
			t.Fatalf("500 cleared the cookie: %v", r.Header.Values("Set-Cookie"))
		}
	}, withConfig(func(c *config.Config) { c.AuthRate = 1 }))
}

func TestLogoutEndsSessionAtOnce(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("willow")
		other := s.login("willow", testPassword).JSON(t)
		expect(t, s.do(req{method: "POST", path: "/auth/logout", token: a.Access}), http.StatusNoContent, "")
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "unauthenticated")
		expect(t, s.do(req{method: "POST", path: "/auth/refresh", body: map[string]string{"refresh_token": a.Refresh}}), http.StatusUnauthorized, "invalid_refresh_token")
		// Another device's session is untouched.
		expect(t, s.do(req{method: "GET", path: "/me", token: other["access_token"].(string)}), http.StatusOK, "")
		expect(t, s.do(req{method: "POST", path: "/auth/logout"}), http.StatusUnauthorized, "unauthenticated")
	})
}

func TestRecover(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("meadow")
		const newPassword = "a new dawn over the hills"
		body := func(code, pw string) map[string]string {
			return map[string]string{"handle": "meadow", "recovery_code": code, "new_password": pw}
		}
		expect(t, s.do(req{method: "POST", path: "/auth/recover", body: body("wrong-code-here-xxxxx", newPassword)}), http.StatusUnauthorized, "invalid_recovery")
		expect(t, s.do(req{method: "POST", path: "/auth/recover", body: body(a.RecoveryCodes[3], "short")}), http.StatusBadRequest, "password_too_short")
		r := s.do(req{method: "POST", path: "/auth/recover", body: body(strings.ToUpper(a.RecoveryCodes[3]), newPassword)})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["access_token"] == "" {
			t.Fatal("no token after recovery")
		}
		// The code is spent, the old session is dead, the new password works.
		expect(t, s.do(req{method: "POST", path: "/auth/recover", body: body(a.RecoveryCodes[3], "yet another new passphrase")}), http.StatusUnauthorized, "invalid_recovery")
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusUnauthorized, "unauthenticated")
		expect(t, s.login("meadow", testPassword), http.StatusUnauthorized, "invalid_credentials")
		expect(t, s.login("meadow", newPassword), http.StatusOK, "")
		// Another code still works once.
		expect(t, s.do(req{method: "POST", path: "/auth/recover", body: body(a.RecoveryCodes[0], "third passphrase for meadow")}), http.StatusOK, "")
		// An unknown handle answers like a wrong code.
		unknown := s.do(req{method: "POST", path: "/auth/recover", body: map[string]string{"handle": "nobody-at-all", "recovery_code": a.RecoveryCodes[1], "new_password": newPassword}})
		expect(t, unknown, http.StatusUnauthorized, "invalid_recovery")
	})
}

// TestRenewRecoveryCodes: after spending codes, a member makes a new set
// with their password; the old codes, spent or not, stop working, and a
// wrong password changes nothing.
func TestRenewRecoveryCodes(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("willowbank")
		left := func(want int, when string) {
			t.Helper()
			r := s.do(req{method: "GET", path: "/me/recovery-codes", token: a.Access})
			expect(t, r, http.StatusOK, "")
			if got := r.JSON(t); got["left"] != float64(want) || got["total"] != float64(10) {
				t.Errorf("recovery codes %s: %v, want %d of 10 left", when, got, want)
			}
		}
		recoverWith := func(code, pw string) *response {
			return s.do(req{method: "POST", path: "/auth/recover", body: map[string]string{"handle": a.Handle, "recovery_code": code, "new_password": pw}})
		}
		renew := func(pw string) *response {
			return s.do(req{method: "POST", path: "/me/recovery-codes", token: a.Access, body: map[string]string{"password": pw}})
		}
		left(10, "at sign-up")
		const pw = "a new dawn over the hills"
		r := recoverWith(a.RecoveryCodes[0], pw)
		expect(t, r, http.StatusOK, "")
		a.Access = r.JSON(t)["access_token"].(string)
		left(9, "after one was spent")

		expect(t, renew(testPassword), http.StatusUnauthorized, "invalid_credentials")
		expect(t, renew(""), http.StatusUnauthorized, "invalid_credentials")
		left(9, "after a renewal with the wrong password")

		r = renew(pw)
		expect(t, r, http.StatusCreated, "")
		var got struct {
			RecoveryCodes []string `json:"recovery_codes"`
		}
		if err := json.Unmarshal(r.Body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.RecoveryCodes) != 10 || slices.Contains(got.RecoveryCodes, a.RecoveryCodes[1]) {
			t.Fatalf("renewed codes %v", got.RecoveryCodes)
		}
		left(10, "after renewal")
		// This session lives on; the old codes are dead, the new ones work once.
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")
		expect(t, recoverWith(a.RecoveryCodes[1], "old code, new passphrase"), http.StatusUnauthorized, "invalid_recovery")
		expect(t, recoverWith(got.RecoveryCodes[9], "new code, new passphrase"), http.StatusOK, "")
		expect(t, recoverWith(got.RecoveryCodes[9], "same code, once more"), http.StatusUnauthorized, "invalid_recovery")
		expect(t, s.login(a.Handle, "new code, new passphrase"), http.StatusOK, "")
	})
}

func TestChangePassword(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("cedar")
		other := s.login("cedar", testPassword).JSON(t)["access_token"].(string)
		const next = "steady breath slow steps"
		change := func(cur, nw string) *response {
			return s.do(req{method: "POST", path: "/me/password", token: a.Access, body: map[string]string{"current_password": cur, "new_password": nw}})
		}
		expect(t, change("wrong current passphrase", next), http.StatusUnauthorized, "invalid_credentials")
		expect(t, change(testPassword, "short"), http.StatusBadRequest, "password_too_short")
		expect(t, s.login("cedar", testPassword), http.StatusOK, "")
		expect(t, change(testPassword, next), http.StatusNoContent, "")
		// This session lives on; the others are gone.
		expect(t, s.do(req{method: "GET", path: "/me", token: a.Access}), http.StatusOK, "")
		expect(t, s.do(req{method: "GET", path: "/me", token: other}), http.StatusUnauthorized, "unauthenticated")
		expect(t, s.login("cedar", testPassword), http.StatusUnauthorized, "invalid_credentials")
		expect(t, s.login("cedar", next), http.StatusOK, "")
	})
}

func TestTokensOnlyFromHeader(t *testing.T) {
	s := newServerForHTTP(t)
	a := s.register("thistle")
	expect(t, s.do(req{method: "GET", path: "/me?access_token=" + a.Access}), http.StatusUnauthorized, "unauthenticated")
	expect(t, s.do(req{method: "GET", path: "/me", header: map[string]string{"Authorization": "Basic " + a.Access}}), http.StatusUnauthorized, "unauthenticated")
	expect(t, s.do(req{method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer " + a.Refresh}}), http.StatusUnauthorized, "unauthenticated")
	expect(t, s.do(req{method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer " + strings.Repeat("x", 1<<20)}}), http.StatusUnauthorized, "unauthenticated")
	expect(t, s.do(req{method: "GET", path: "/me", header: map[string]string{"Authorization": "bearer " + a.Access}}), http.StatusOK, "")
}

// The real server caps header size; a 1 MB bearer never reaches a handler.
func TestRealServerCapsHeaders(t *testing.T) {
	s := newServerForHTTP(t)
	srv := NewHTTPServer("127.0.0.1:0", s.handler)
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Fatalf("server timeouts or header cap unset: %+v", srv)
	}
	hs := httptest.NewUnstartedServer(s.handler)
	hs.Config = srv
	hs.Start()
	defer hs.Close()
	hr, _ := http.NewRequest("GET", hs.URL+Prefix+"/me", nil)
	hr.Header.Set("Authorization", "Bearer "+strings.Repeat("a", 1<<20))
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("1 MB header got %d, want 431", resp.StatusCode)
	}
}

func TestAuthRateByClientAddress(t *testing.T) {
	s := newServerForHTTP(t, withConfig(func(c *config.Config) { c.AuthRate = 3 }))
	for i := 0; i < 3; i++ {
		// Spoofed X-Forwarded-For from an untrusted peer changes nothing.
		r := s.do(req{method: "POST", path: "/auth/login", body: map[string]string{"handle": "nobody", "password": testPassword}, header: map[string]string{"X-Forwarded-For": "203.0.113." + string(rune('1'+i))}})
		expect(t, r, http.StatusUnauthorized, "invalid_credentials")
	}
	r := s.do(req{method: "POST", path: "/auth/register", body: map[string]string{"handle": "late", "password": testPassword}, header: map[string]string{"X-Forwarded-For": "198.51.100.9"}})
	expect(t, r, http.StatusTooManyRequests, "rate_limited")
	if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After = %q", ra)
	}
	if s.memberCount() != 0 {
		t.Fatal("a throttled sign-up created a member")
	}
	// Routes other than sign-up, sign-in, recovery and refresh are not
	// limited by address.
	expect(t, s.do(req{method: "GET", path: "/me"}), http.StatusUnauthorized, "unauthenticated")
}

func TestAuthRateBehindTrustedProxy(t *testing.T) {
	s := newServerForHTTP(t, withConfig(func(c *config.Config) {
		c.AuthRate = 1
		c.TrustedProxies, _ = config.ParseCIDRs("127.0.0.1/32")
	}))
	for _, client := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		r := s.do(req{method: "POST", path: "/auth/login", body: map[string]string{"handle": "nobody", "password": testPassword}, header: map[string]string{"X-Forwarded-For": client}})
		expect(t, r, http.StatusUnauthorized, "invalid_credentials")
	}
	r := s.do(req{method: "POST", path: "/auth/login", body: map[string]string{"handle": "nobody", "password": testPassword}, header: map[string]string{"X-Forwarded-For": "203.0.113.1"}})
	expect(t, r, http.StatusTooManyRequests, "rate_limited")
}

func TestFailedSignInsThrottledPerHandle(t *testing.T) {
	s := newServerForHTTP(t)
	s.register("sparrow")
	var last *response
	for i := 0; i < 12; i++ {
		last = s.login("sparrow", "wrong passphrase number "+string(rune('a'+i)))
		if last.Status == http.StatusTooManyRequests {
			break
		}
		expect(t, last, http.StatusUnauthorized, "invalid_credentials")
	}
	expect(t, last, http.StatusTooManyRequests, "rate_limited")
	// Even the right password waits now; another handle is unaffected.
	expect(t, s.login("sparrow", testPassword), http.StatusTooManyRequests, "rate_limited")
	s.register("robin")
	expect(t, s.login("robin", testPassword), http.StatusOK, "")
}

func TestHashingSaturationAnswers503(t *testing.T) {
	s := newServerForHTTP(t, withParams(auth.Params{Memory: 16 * 1024, Time: 3, Threads: 1}, 1))
	s.register("falcon")
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	retryAfter := ""
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := s.login("falcon", testPassword)
			mu.Lock()
			defer mu.Unlock()
			statuses[r.Status]++
			if r.Status == http.StatusServiceUnavailable {
				retryAfter = r.Header.Get("Retry-After")
				if r.Code() != "busy" {
					t.Errorf("503 code %q", r.Code())
				}
			}
		}()
	}
	wg.Wait()
	// Sixteen sign-ins of one handle at once also meet the per-handle
	// throttle, which holds a slot for each attempt while it hashes: 429s
	// are fine here, anything else is not.
	if statuses[http.StatusOK] == 0 || statuses[http.StatusServiceUnavailable] == 0 || statuses[200]+statuses[503]+statuses[429] != 16 {
		t.Fatalf("statuses %v: want some 200 and some 503, and nothing but 429 besides", statuses)
	}
	if retryAfter == "" {
		t.Fatal("503 without Retry-After")
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	s := newServerForHTTP(t)
	// A real route that panics, so the 500 is held to the spec like any answer.
	s.echo.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("X-Test-Panic") != "" {
				panic("a member's secret words")
			}
			return next(c)
		}
	})
	panicky := req{method: "GET", path: "/me", header: map[string]string{"X-Test-Panic": "1"}}
	cases := []req{
		{method: "GET", path: "/me"},                                             // 401
		{method: "GET", path: "/nope"},                                           // 404 under /api
		{method: "GET", path: "/auth/login"},                                     // 405
		{method: "POST", path: "/auth/login", body: strings.Repeat("x", 70<<10)}, // 413
		panicky,                               // 500
		{method: "GET", path: "/", raw: true}, // the web app
		{method: "GET", path: "/c/some-circle", raw: true}, // an HTML5 route
		{method: "GET", path: "/healthz", raw: true},
		{method: "GET", path: "/readyz", raw: true},
	}
	for _, c := range cases {
		r := s.do(c)
		for h, want := range map[string]string{
			"X-Content-Type-Options":     "nosniff",
			"Referrer-Policy":            "no-referrer",
			"Cross-Origin-Opener-Policy": "same-origin",
			"X-XSS-Protection":           "0",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s %s: %s = %q, want %q", c.method, c.path, h, got, want)
			}
		}
		csp := r.Header.Get("Content-Security-Policy")
		for _, d := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, d) || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s %s: CSP %q lacks %s", c.method, c.path, csp, d)
			}
		}
		pp := r.Header.Get("Permissions-Policy")
		for _, f := range []string{"camera=()", "microphone=()", "geolocation=()"} {
			if !strings.Contains(pp, f) {
				t.Errorf("%s %s: Permissions-Policy %q lacks %s", c.method, c.path, pp, f)
			}
		}
		if r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s %s: CORS header present", c.method, c.path)
		}
		isAPI := !c.raw
		if got := r.Header.Get("Cache-Control"); isAPI && got != "no-store" {
			t.Errorf("%s %s: Cache-Control %q", c.method, c.path, got)
		}
	}
	// The panic became a bare 500 and its words reached neither the client
	// nor the log.
	r := s.do(panicky)
	expect(t, r, http.StatusInternalServerError, "internal")
	if bytes.Contains(r.Body, []byte("secret")) || strings.Contains(s.logs.String(), "secret") || bytes.Contains(r.Body, []byte("goroutine")) {
		t.Fatalf("panic leaked: body %s", r.Body)
	}
	if r := s.do(req{method: "GET", path: "/", raw: true}); r.Status != 200 || !bytes.Contains(r.Body, []byte("<html")) {
		t.Fatalf("web app at / = %d", r.Status)
	}
}

// Logs carry ids, routes, statuses and timings: never a handle, a password,
// a token or an address.
func TestLogsHoldNoSecrets(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		a := s.register("hidden-heron")
		s.login("hidden-heron", "wrong passphrase for heron")
		s.do(req{method: "GET", path: "/me", token: a.Access})
		logs := s.logs.String()
		for _, secret := range []string{"hidden-heron", testPassword, "wrong passphrase", a.Access[:40], a.Refresh, a.RecoveryCodes[0], "127.0.0.1"} {
			if strings.Contains(logs, secret) {
				t.Fatalf("log holds %q:\n%s", secret, logs)
			}
		}
		if !strings.Contains(logs, "route=/api/v1/auth/login") || !strings.Contains(logs, "status=401") {
			t.Fatalf("log lacks route and status:\n%s", logs)
		}
	})
}

func TestHealth(t *testing.T) {
	onEveryStore(t, func(t *testing.T, s *testServer) {
		expect(t, s.do(req{method: "GET", path: "/healthz", raw: true}), http.StatusOK, "")
		expect(t, s.do(req{method: "GET", path: "/readyz", raw: true}), http.StatusOK, "")
		s.store.Close()
		r := s.do(req{method: "GET", path: "/readyz", raw: true})
		expect(t, r, http.StatusServiceUnavailable, "")
		if got := r.JSON(t)["status"]; got != "unavailable" {
			t.Errorf("readyz on a closed store says %v, want unavailable", got)
		}
	})
}

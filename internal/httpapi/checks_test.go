package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"hearth/internal/config"
	"hearth/internal/store"
)

// checkJSON is the answer of POST /checks/text.
type checkJSON struct {
	Crisis          bool
	CrisisResources *struct {
		Message   string
		Resources []struct{ Name, Contact string }
	} `json:"crisis_resources"`
	Identifying []struct {
		Kind       string
		Start, End int
	}
}

func (f *forumFixture) check(a *account, text string) *response {
	f.t.Helper()
	return f.do(req{method: "POST", path: "/checks/text", token: a.Access, body: map[string]string{"text": text}})
}

// TestCheckTextNamesDetailsAndCrisis: the check names each identifying
// detail with offsets a browser highlights in (UTF-16: an emoji before a
// number counts two), reads crisis wording with the writing's matcher and
// answers it with the resources; an ordinary draft gets an empty list.
// The draft is never logged.
func TestCheckTextNamesDetailsAndCrisis(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		text := "🌱 30 days today. Tonight I want to end my life. Text me on 07700 900123 or jo@example.org 🙏"
		r := f.check(f.member, text)
		expect(t, r, http.StatusOK, "")
		got := decode[checkJSON](t, r)
		if !got.Crisis || got.CrisisResources == nil || got.CrisisResources.Message == "" || len(got.CrisisResources.Resources) == 0 {
			t.Errorf("crisis wording: %+v", got)
		}
		units := utf16.Encode([]rune(text))
		var found []string
		for _, id := range got.Identifying {
			found = append(found, id.Kind+"="+string(utf16.Decode(units[id.Start:id.End])))
		}
		if want := "phone=07700 900123|email=jo@example.org"; strings.Join(found, "|") != want {
			t.Errorf("found %v, want %s", found, want)
		}
		if got.Identifying[0].Start != strings.Index(text, "07700")-2 { // the emoji: 4 bytes, 2 units
			t.Errorf("phone starts at %d", got.Identifying[0].Start)
		}

		r = f.check(f.outsider, "Thirty days today, step 4, 50 mg, since 2019. Thank you all.")
		expect(t, r, http.StatusOK, "")
		if body := strings.TrimSpace(string(r.Body)); body != `{"crisis":false,"identifying":[]}` {
			t.Errorf("an ordinary draft: %s", body)
		}
		if logs := f.logs.String(); strings.Contains(logs, "900123") || strings.Contains(logs, "example.org") || !strings.Contains(logs, "/api/v1/checks/text") {
			t.Errorf("the log holds the draft, or names no check:\n%s", logs)
		}
	})
}

// TestCheckTextRefusesBadDrafts: over 20,000 characters, a control
// character, an unknown field, no token.
func TestCheckTextRefusesBadDrafts(t *testing.T) {
	t.Parallel()
	f := newForum(t, store.SQLite)
	expect(t, f.check(f.member, strings.Repeat("é", 20000)), http.StatusOK, "")
	expect(t, f.check(f.member, strings.Repeat("a", 20001)), http.StatusBadRequest, "invalid_text")
	expect(t, f.check(f.member, "a\x00b"), http.StatusBadRequest, "invalid_text")
	expect(t, f.do(req{method: "POST", path: "/checks/text", token: f.member.Access, body: map[string]string{"text": "hi", "circle": "open"}}), http.StatusBadRequest, "unknown_field")
	expect(t, f.do(req{method: "POST", path: "/checks/text", body: map[string]string{"text": "hi"}}), http.StatusUnauthorized, "")
}

// TestCheckTextHasItsOwnLimit: checks count against --check-rate per
// member, never against the write limit: a member checked out can still
// post, and another member still checks.
func TestCheckTextHasItsOwnLimit(t *testing.T) {
	t.Parallel()
	f := &forumFixture{testServer: newServerForHTTP(t, withConfig(func(c *config.Config) { c.CheckRate, c.MemberWriteRate = 3, 2 }))}
	f.admin = f.withRole(f.register(uniqueHandle("adm")), "admin")
	f.circle("open", store.VisibilityOpen)
	writer, other := f.outsiderIn("open"), f.outsiderIn("open") // one write each of their two
	for range 3 {
		expect(t, f.check(writer, "A draft."), http.StatusOK, "")
	}
	r := f.check(writer, "A draft.")
	expect(t, r, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	f.write(writer, "open", "Still writing", "Checking took nothing from my writes.")
	expect(t, f.check(other, "A draft."), http.StatusOK, "")
}

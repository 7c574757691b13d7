package httpapi

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"hearth/internal/store"
)

// TestWritesAndReadsCostFewTrips counts what one write or read of each
// kind costs the store, request to answer, every check included: the
// statements it runs on each store, and on PostgreSQL the round trips
// (a statement sent alone, BEGIN and COMMIT included, or a pipelined
// batch), which are what a write costs there. It fails when one grows.
func TestWritesAndReadsCostFewTrips(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		var statements atomic.Int64
		f.store.OnQuery(func(string, time.Duration) { statements.Add(1) })
		s := f.story(f.author, "open", "A story to answer")
		r := f.reply(f.member, s.ID, "", "A first answer, so the story is answered.")
		f.reply(f.author, s.ID, r.ID, "Warming the member's data key and the statement cache.")
		for _, c := range []struct {
			name string
			do   func() *response
			want int
			// At most: round trips to PostgreSQL, and statements on
			// each store (SQLite's writes have no pipeline, and it
			// counts BEGIN and COMMIT of none). New writing's words take
			// two statements, in one trip: its postings and its row of
			// search terms.
			trips, sqlite, postgres int64
		}{
			{"a reply", func() *response {
				return f.do(req{method: "POST", path: "/stories/" + s.ID + "/replies", token: f.member.Access, body: map[string]string{"body": "Another answer."}})
			}, http.StatusCreated, 3, 9, 7},
			{"a story", func() *response {
				return f.do(req{method: "POST", path: "/circles/open/stories", token: f.member.Access, body: map[string]string{"title": "Mine", "body": "My own story."}})
			}, http.StatusCreated, 3, 8, 6},
			{"a flag", func() *response {
				return f.do(req{method: "POST", path: "/flags", token: f.author.Access, body: map[string]string{"target_type": "reply", "target_id": r.ID, "reason": "spam"}})
				// The first flag: it cannot hide the reply, so it is
				// filed in one batch. A flag that may make three takes
				// the transaction that decides the hide (TestThirdFlag…).
			}, http.StatusCreated, 3, 8, 1},
			{"support", func() *response {
				return f.do(req{method: "PUT", path: "/stories/" + s.ID + "/support", token: f.member.Access})
			}, http.StatusNoContent, 3, 6, 3},
			{"the thread", func() *response {
				return f.do(req{method: "GET", path: "/stories/" + s.ID + "/replies", token: f.member.Access})
			}, http.StatusOK, 2, 3, 1},
			{"a circle's first page", func() *response {
				return f.do(req{method: "GET", path: "/circles/open/stories", token: f.member.Access})
			}, http.StatusOK, 2, 4, 1},
		} {
			trips, stmts := f.store.RoundTrips(), statements.Load()
			expect(t, c.do(), c.want, "")
			trips, stmts = f.store.RoundTrips()-trips, statements.Load()-stmts
			t.Logf("%s: %d statements, %d round trips", c.name, stmts, trips)
			if f.dialect == store.Postgres && trips > c.trips {
				t.Errorf("%s: %d round trips to PostgreSQL, want at most %d", c.name, trips, c.trips)
			}
			if most := map[string]int64{store.SQLite: c.sqlite, store.Postgres: c.postgres}[f.dialect]; stmts > most {
				t.Errorf("%s: %d statements on %s, want at most %d", c.name, stmts, f.dialect, most)
			}
		}
	})
}

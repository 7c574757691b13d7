package httpapi

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// levelJSON is what a queue item says of its service level.
type levelJSON struct {
	TargetID       string    `json:"target_id"`
	Priority       string    `json:"priority"`
	FirstFlaggedAt time.Time `json:"first_flagged_at"`
	DueAt          time.Time `json:"due_at"`
	Overdue        bool      `json:"overdue"`
	AcknowledgedBy *string   `json:"acknowledged_by"`
}

func (f *forumFixture) levels() map[string]levelJSON {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/moderation/queue", token: f.moderator.Access})
	expect(f.t, r, http.StatusOK, "")
	out := map[string]levelJSON{}
	for _, it := range decode[pageJSON[levelJSON]](f.t, r).Items {
		out[it.TargetID] = it
	}
	return out
}

// metric reads one sample of /metrics.
func (f *forumFixture) metric(name string) float64 {
	f.t.Helper()
	r := f.do(req{method: "GET", path: "/metrics", raw: true})
	expect(f.t, r, http.StatusOK, "")
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindStringSubmatch(string(r.Body))
	if m == nil {
		f.t.Fatalf("/metrics lacks %s", name)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// TestQueueServiceLevels: queue items carry when they are due (15 minutes
// for a crisis, 24 hours for the rest) and whether they are overdue; a
// crisis stops being overdue once someone is with the writer; /metrics
// counts the overdue and times the oldest by priority.
func TestQueueServiceLevels(t *testing.T) {
	onEachStore(t, func(t *testing.T, f *forumFixture) {
		crisis := f.crisisStory(f.member, "open")
		calm := f.story(f.author, "open", "A calm story")
		expect(t, f.flag(f.member, "story", calm.ID, "spam", ""), http.StatusCreated, "")

		q := f.levels()
		c, n := q[crisis.ID], q[calm.ID]
		if c.Priority != "crisis" || !c.DueAt.Equal(c.FirstFlaggedAt.Add(15*time.Minute)) || c.Overdue {
			t.Errorf("a new crisis item %+v", c)
		}
		if n.Priority != "normal" || !n.DueAt.Equal(n.FirstFlaggedAt.Add(24*time.Hour)) || n.Overdue {
			t.Errorf("a new flagged item %+v", n)
		}
		if v := f.metric(`hearth_queue_overdue{priority="crisis"}`); v != 0 {
			t.Errorf("overdue crises before time: %v", v)
		}

		// The clock moves on: the crisis has waited two hours, the other
		// item a day and an hour.
		db := f.storeDB(t)
		now := time.Now().UTC()
		for id, ago := range map[string]time.Duration{crisis.ID: 2 * time.Hour, calm.ID: 25 * time.Hour} {
			if err := db.Exec("UPDATE moderation_items SET first_flagged_at = ? WHERE target_id = ?", now.Add(-ago), id).Error; err != nil {
				t.Fatal(err)
			}
		}
		q = f.levels()
		if !q[crisis.ID].Overdue || !q[calm.ID].Overdue {
			t.Errorf("items past their targets are not overdue: %+v %+v", q[crisis.ID], q[calm.ID])
		}
		for _, p := range []string{"crisis", "normal"} {
			if v := f.metric(fmt.Sprintf(`hearth_queue_overdue{priority=%q}`, p)); v != 1 {
				t.Errorf("overdue %s items: %v", p, v)
			}
		}
		if v := f.metric(`hearth_queue_oldest_seconds{priority="crisis"}`); v < 7200 || v > 7200+600 {
			t.Errorf("the oldest crisis waited %v s", v)
		}
		if v := f.metric(`hearth_queue_oldest_seconds{priority="privacy"}`); v != 0 {
			t.Errorf("an empty priority's oldest item waited %v s", v)
		}

		// Someone is with the writer: the crisis is looked after.
		expect(t, f.do(req{method: "POST", path: "/moderation/items/story/" + crisis.ID + "/acknowledge", token: f.facilitator.Access}), http.StatusOK, "")
		if c := f.levels()[crisis.ID]; c.Overdue || c.AcknowledgedBy == nil {
			t.Errorf("an acknowledged crisis %+v", c)
		}
		if v := f.metric(`hearth_queue_overdue{priority="crisis"}`); v != 0 {
			t.Errorf("overdue crises after acknowledging: %v", v)
		}
		r := f.do(req{method: "GET", path: "/metrics", raw: true})
		if strings.Contains(string(r.Body), crisis.ID) {
			t.Error("/metrics names an item")
		}
	})
}

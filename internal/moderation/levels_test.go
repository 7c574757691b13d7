package moderation

import (
	"testing"
	"time"
)

// TestDue: an item is due its priority's target after it was first
// flagged, and overdue past it while it waits; a crisis someone is with is
// looked after.
func TestDue(t *testing.T) {
	first := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	targets := Targets{Crisis: 15 * time.Minute, Other: 24 * time.Hour}
	for _, c := range []struct {
		name         string
		priority     int
		acknowledged bool
		at           time.Duration
		due          time.Duration
		overdue      bool
	}{
		{"crisis in time", 0, false, 10 * time.Minute, 15 * time.Minute, false},
		{"crisis late", 0, false, 16 * time.Minute, 15 * time.Minute, true},
		{"crisis late but someone is with them", 0, true, 2 * time.Hour, 15 * time.Minute, false},
		{"privacy in time", 1, false, 23 * time.Hour, 24 * time.Hour, false},
		{"normal late", 3, false, 25 * time.Hour, 24 * time.Hour, true},
		{"acknowledging means nothing outside a crisis", 3, true, 25 * time.Hour, 24 * time.Hour, true},
	} {
		due, overdue := targets.due(c.priority, first, c.acknowledged, first.Add(c.at))
		if !due.Equal(first.Add(c.due)) || overdue != c.overdue {
			t.Errorf("%s: due %v overdue %v", c.name, due, overdue)
		}
	}
}

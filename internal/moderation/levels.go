package moderation

import (
	"context"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/store"
)

// Targets are the moderation team's service levels: how soon someone
// should be with a member who wrote in crisis, and how soon any other item
// is decided.
type Targets struct {
	Crisis, Other time.Duration
}

// DefaultTargets are serve's defaults (--queue-target-crisis, --queue-target).
var DefaultTargets = Targets{Crisis: 15 * time.Minute, Other: 24 * time.Hour}

// of is the target of an item of priority p.
func (t Targets) of(priority int) time.Duration {
	if priority == store.PriorityCrisis {
		return t.Crisis
	}
	return t.Other
}

// due is when an item of priority p first flagged at first should be
// looked after, and whether it is overdue at now: a crisis item stops
// being overdue once someone is with the writer, any other once decided
// (it leaves the queue).
func (t Targets) due(priority int, first time.Time, acknowledged bool, now time.Time) (time.Time, bool) {
	due := first.Add(t.of(priority)).UTC()
	return due, now.After(due) && !(priority == store.PriorityCrisis && acknowledged)
}

// Level is how the queue stands at one priority: how long its oldest open
// item has waited, and how many are overdue.
type Level struct {
	Priority      string
	OldestSeconds float64
	Overdue       int64
}

// Levels reads the queue's service levels at every priority, for
// /metrics: a few index lookups, whatever the queue's length.
func (s *Service) Levels(ctx context.Context) ([]Level, error) {
	now := s.now()
	out := make([]Level, 0, len(priorityNames))
	for p := 0; p < len(priorityNames); p++ {
		st, err := s.st.QueueLevel(ctx, p, now.Add(-s.targets.of(p)), p == store.PriorityCrisis)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		l := Level{Priority: priorityNames[p], Overdue: st.Overdue}
		if st.Oldest != nil {
			l.OldestSeconds = max(0, now.Sub(*st.Oldest).Seconds())
		}
		out = append(out, l)
	}
	return out, nil
}

package notify

import "sync"

// maxQuiet bounds the marks one process keeps: past it they are all
// forgotten at once, and each member's next ask reads their follows again.
const maxQuiet = 100_000

// quietMarks remembers, per member, a place in the feed up to which their
// last ask found nothing waiting. Nothing published before that place can
// start waiting later (following again starts from now, and a reply
// approved later takes a new place), so the next ask need only look past
// it. Each process keeps its own: a mark is what this process read from
// the store, true for every process.
type quietMarks struct {
	mu sync.Mutex
	to map[string]string
}

func (q *quietMarks) get(memberID string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.to[memberID]
}

// set moves memberID's mark forward to place.
func (q *quietMarks) set(memberID, place string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.to == nil || len(q.to) >= maxQuiet {
		q.to = make(map[string]string)
	}
	if place > q.to[memberID] {
		q.to[memberID] = place
	}
}

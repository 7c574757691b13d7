package moderation

import (
	"context"
	"strconv"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// QueueItem is one piece of writing waiting for a moderator. Reporters are
// never named.
type QueueItem struct {
	TargetType     string        `json:"target_type"`
	TargetID       string        `json:"target_id"`
	StoryID        string        `json:"story_id"` // the story itself, or the one a reply answers
	Circle         string        `json:"circle"`
	Author         kernel.Author `json:"author"`
	Excerpt        string        `json:"excerpt"`
	Flags          []FlagSummary `json:"flags"`
	Priority       string        `json:"priority"`
	FirstFlaggedAt time.Time     `json:"first_flagged_at"`
	Status         string        `json:"status"`
	// DueAt is when the item should be looked after by the service
	// levels (a crisis: someone with the writer); Overdue says it is past
	// that and still waits.
	DueAt   time.Time `json:"due_at"`
	Overdue bool      `json:"overdue"`
	// AcknowledgedBy is who said they are with the writer of writing in
	// crisis (a handle), and AcknowledgedAt when; both null until someone
	// has.
	AcknowledgedBy *string    `json:"acknowledged_by"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
}

// FlagSummary is the open flags of one reason on an item, counted: an
// item flagged a thousand times is as short as one flagged once. Note is
// the newest note, Notes the newest few; CreatedAt is when the first of
// them came, LatestAt the last.
type FlagSummary struct {
	Reason    string    `json:"reason"`
	Count     int       `json:"count"`
	System    bool      `json:"system"`
	Note      string    `json:"note"`
	Notes     []string  `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	LatestAt  time.Time `json:"latest_at"`
}

const excerptChars = 280

// excerpt is the first excerptChars characters of s, marked when cut.
func excerpt(s string) string {
	n := 0
	for i := range s {
		if n == excerptChars {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Queue lists open items: crisis first, then privacy, then harassment, then
// the rest; oldest first within each. A page costs the same few queries
// whatever its size.
func (s *Service) Queue(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[QueueItem], error) {
	if err := policy(a, readQueue, on{}); err != nil {
		return nil, err
	}
	f := store.FindQueue{Limit: limit + 1}
	if cursor != "" {
		kind, p, err := kernel.DecodeCursor(cursor, "q")
		if err != nil || kind != "q" || len(p) != 4 {
			return nil, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again from the first page.")
		}
		prio, err1 := strconv.Atoi(p[0])
		ns, err2 := strconv.ParseInt(p[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again from the first page.")
		}
		f.After = &store.QueueItem{Priority: prio, FirstFlaggedAt: time.Unix(0, ns).UTC(), TargetType: p[2], TargetID: p[3]}
	}
	rows, err := s.st.ListQueue(ctx, f)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[QueueItem]{Items: []QueueItem{}}
	if len(rows) > limit {
		last := rows[limit-1]
		page.NextCursor = kernel.EncodeCursor("q", strconv.Itoa(last.Priority), strconv.FormatInt(last.FirstFlaggedAt.UnixNano(), 10), last.TargetType, last.TargetID)
		rows = rows[:limit]
	}
	ids := make([]string, len(rows))
	blobs := make([][]byte, 0, 2*len(rows))
	for i, r := range rows {
		ids[i] = r.TargetID
		blobs = append(blobs, r.Body)
	}
	groups, err := s.st.FlagGroups(ctx, ids)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	for _, g := range groups {
		for _, n := range g.Notes {
			blobs = append(blobs, n.Note)
		}
	}
	if ctx, err = s.sealer.Warm(ctx, blobs...); err != nil {
		return nil, apperr.Internal(err)
	}
	byTarget := make(map[string][]FlagSummary, len(rows))
	for _, g := range groups {
		sum := FlagSummary{Reason: g.Reason, Count: g.Count, System: g.System, Notes: []string{},
			CreatedAt: g.First.UTC(), LatestAt: g.Latest.UTC()}
		for _, n := range g.Notes {
			note, err := open(ctx, s.sealer, n.Note, store.FlagNoteLocation(n.FlagID))
			if err != nil {
				return nil, err
			}
			if note != "" {
				sum.Notes = append(sum.Notes, note)
			}
		}
		if len(sum.Notes) > 0 {
			sum.Note = sum.Notes[0]
		}
		byTarget[g.TargetID] = append(byTarget[g.TargetID], sum)
	}
	page.Items = make([]QueueItem, len(rows))
	now := s.now()
	for i, r := range rows {
		text, err := s.queueText(ctx, &r)
		if err != nil {
			return nil, err
		}
		fs := byTarget[r.TargetID]
		if fs == nil {
			fs = []FlagSummary{}
		}
		// A message in a mentorship waits whole: while a flag on it waits
		// is the one time a moderator reads it.
		if r.TargetType != string(store.TargetMessage) {
			text = excerpt(text)
		}
		page.Items[i] = QueueItem{TargetType: r.TargetType, TargetID: r.TargetID, StoryID: r.StoryID, Circle: r.CircleSlug,
			Author: kernel.Author{Handle: handleOrGone(&r.AuthorHandle, "")}, Excerpt: text, Flags: fs,
			Priority: priorityNames[r.Priority], FirstFlaggedAt: r.FirstFlaggedAt.UTC(), Status: r.TargetStatus}
		page.Items[i].DueAt, page.Items[i].Overdue = s.targets.due(r.Priority, r.FirstFlaggedAt, r.AcknowledgedBy != nil, now)
		if r.AcknowledgedBy != nil {
			by, at := handleOrGone(r.AcknowledgedBy, ""), r.AcknowledgedAt.UTC()
			page.Items[i].AcknowledgedBy, page.Items[i].AcknowledgedAt = &by, &at
		}
	}
	return page, nil
}

// queueText is the text a queue item shows: a story's title and body, or a
// reply's or message's body ("" once destroyed).
func (s *Service) queueText(ctx context.Context, r *store.QueueItem) (string, error) {
	switch r.TargetType {
	case string(store.TargetReply):
		return open(ctx, s.sealer, r.Body, store.ReplyLocation(r.TargetID))
	case string(store.TargetMessage):
		return open(ctx, s.sealer, r.Body, store.MessageLocation(r.TargetID))
	}
	lt, lb, _ := store.StoryLocations(r.TargetID)
	title, err := open(ctx, s.sealer, r.Title, lt)
	if err != nil {
		return "", err
	}
	body, err := open(ctx, s.sealer, r.Body, lb)
	if err != nil {
		return "", err
	}
	if title == "" && body == "" {
		return "", nil
	}
	return title + "\n\n" + body, nil
}

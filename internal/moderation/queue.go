package moderation

import (
	"context"
	"strconv"
	"time"
	"unicode/utf8"

	"hearth/internal/apperr"
	"hearth/internal/forum"
	"hearth/internal/store"
)

// QueueItem is one piece of writing waiting for a moderator. Reporters are
// never named.
type QueueItem struct {
	TargetType     string        `json:"target_type"`
	TargetID       string        `json:"target_id"`
	StoryID        string        `json:"story_id"` // the story itself, or the one a reply answers
	Circle         string        `json:"circle"`
	Author         forum.Author  `json:"author"`
	Excerpt        string        `json:"excerpt"`
	Flags          []FlagSummary `json:"flags"`
	Priority       string        `json:"priority"`
	FirstFlaggedAt time.Time     `json:"first_flagged_at"`
	Status         string        `json:"status"`
}

// FlagSummary is a flag as the queue shows it.
type FlagSummary struct {
	Reason    string    `json:"reason"`
	Note      string    `json:"note"`
	System    bool      `json:"system"`
	CreatedAt time.Time `json:"created_at"`
}

const excerptChars = 280

func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptChars {
		return s
	}
	r := []rune(s)
	return string(r[:excerptChars]) + "…"
}

// Queue lists open items: crisis first, then privacy, then harassment, then
// the rest; oldest first within each. A page costs the same few queries
// whatever its size.
func (s *Service) Queue(ctx context.Context, a forum.Actor, limit int, cursor string) (*forum.Page[QueueItem], error) {
	if err := policy(a, readQueue, nil); err != nil {
		return nil, err
	}
	f := store.FindQueue{Limit: limit + 1}
	if cursor != "" {
		kind, p, err := forum.DecodeCursor(cursor, "q")
		if err != nil || kind != "q" || len(p) != 4 {
			return nil, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again from the first page.")
		}
		prio, err1 := strconv.Atoi(p[0])
		ns, err2 := strconv.ParseInt(p[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again from the first page.")
		}
		f.After = &store.QueueItem{ModerationItem: store.ModerationItem{Priority: prio, FirstFlaggedAt: time.Unix(0, ns).UTC(), TargetType: p[2], TargetID: p[3]}}
	}
	rows, err := s.st.ListQueue(ctx, f)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &forum.Page[QueueItem]{Items: []QueueItem{}}
	if len(rows) > limit {
		last := rows[limit-1]
		page.NextCursor = forum.EncodeCursor("q", strconv.Itoa(last.Priority), strconv.FormatInt(last.FirstFlaggedAt.UnixNano(), 10), last.TargetType, last.TargetID)
		rows = rows[:limit]
	}
	var storyIDs, replyIDs, all []string
	for _, r := range rows {
		if r.TargetType == string(store.TargetStory) {
			storyIDs = append(storyIDs, r.TargetID)
		} else {
			replyIDs = append(replyIDs, r.TargetID)
		}
		all = append(all, r.TargetID)
	}
	stories, err := s.st.StoriesByID(ctx, storyIDs)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	replies, err := s.st.RepliesByID(ctx, replyIDs)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	flags, err := s.st.OpenFlags(ctx, all)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var blobs [][]byte
	for _, st := range stories {
		blobs = append(blobs, st.Body)
	}
	for _, r := range replies {
		blobs = append(blobs, r.Body)
	}
	for _, fl := range flags {
		blobs = append(blobs, fl.Note)
	}
	if ctx, err = s.sealer.Warm(ctx, blobs...); err != nil {
		return nil, apperr.Internal(err)
	}
	texts := map[string]string{}
	status := map[string]string{}
	storyOf := map[string]string{}
	for _, st := range stories {
		title, err := s.open(ctx, st.Title, forum.StoryLocation(st.ID, "title"))
		if err != nil {
			return nil, err
		}
		body, err := s.open(ctx, st.Body, forum.StoryLocation(st.ID, "body"))
		if err != nil {
			return nil, err
		}
		texts[st.ID], status[st.ID], storyOf[st.ID] = excerpt(title+"\n\n"+body), st.Status, st.ID
	}
	for _, r := range replies {
		body, err := s.open(ctx, r.Body, forum.ReplyLocation(r.ID))
		if err != nil {
			return nil, err
		}
		texts[r.ID], status[r.ID], storyOf[r.ID] = excerpt(body), r.Status, r.StoryID
	}
	byTarget := map[string][]FlagSummary{}
	for _, fl := range flags {
		note, err := s.open(ctx, fl.Note, flagLoc(fl.ID))
		if err != nil {
			return nil, err
		}
		byTarget[fl.TargetID] = append(byTarget[fl.TargetID], FlagSummary{Reason: fl.Reason, Note: note, System: fl.ReporterID == nil, CreatedAt: fl.CreatedAt.UTC()})
	}
	for _, r := range rows {
		fs := byTarget[r.TargetID]
		if fs == nil {
			fs = []FlagSummary{}
		}
		page.Items = append(page.Items, QueueItem{TargetType: r.TargetType, TargetID: r.TargetID, StoryID: storyOf[r.TargetID], Circle: r.CircleSlug,
			Author: forum.Author{Handle: handleOrGone(&r.AuthorHandle, "")}, Excerpt: texts[r.TargetID], Flags: fs,
			Priority: priorityNames[r.Priority], FirstFlaggedAt: r.FirstFlaggedAt.UTC(), Status: status[r.TargetID]})
	}
	return page, nil
}

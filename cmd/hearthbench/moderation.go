package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The moderation scenarios share a second open circle of many short stories,
// queueItems of them flagged once each, seeded through the API the first
// time one of them runs.
const (
	// queueStoriesEach stories by each of the forumMembers make the pool of
	// writing that is flagged: 64 × 160 = 10,240 stories.
	queueStoriesEach = 160
	// queueItems of those stories get one flag each, so the queue holds that
	// many open items.
	queueItems = 10000
	// queuePage is the page the moderation page of the web app asks for.
	queuePage = 50
	// queueReaders is the moderation team of the queue row, each reading
	// again the moment an answer arrives: more moderators on shift than a
	// forum of support circles has, with none of their pauses.
	queueReaders = 16
	// queueFlood is the connections of the queue's stress row, the same as
	// the forum rows, to show the read when the server is saturated.
	queueFlood = 64
	// queueSeedWorkers: stories and flags are cheap, so seeding runs many at
	// once to stay within a minute.
	queueSeedWorkers = 64
)

// flagReasons are the reasons, in the order seeded flags take them, so the
// queue holds every priority.
var flagReasons = []string{"crisis", "privacy", "harassment", "spam", "misinformation", "other"}

// queue is the seeded circle, its stories, and where the flag row is.
type queue struct {
	slug     string
	stories  []string // story k is by member k % forumMembers
	modToken string   // a moderator's access token
	modAt    time.Time
	// next is the flag row's next (member, story) pair; see flagPair.
	next atomic.Int64
}

// needQueue makes sure the members exist, then seeds the queue once: an
// admin creates the circle and makes a moderator, the first forumMembers
// members join and each share queueStoriesEach short stories, and queueItems stories are flagged
// by the member after their author, so no one flags their own writing and
// no story gathers the three flags that would hide it.
func needQueue(ctx context.Context, e *env, log io.Writer) error {
	if err := needMembers(forumMembers)(ctx, e, log); err != nil {
		return err
	}
	if e.queue != nil {
		return e.refreshModerator(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, setupBudget)
	defer cancel()
	start := time.Now()
	admin, err := e.adminToken(ctx)
	if err != nil {
		return err
	}
	q := &queue{slug: "bench-" + e.runID + "-queue"}
	circle := map[string]any{"slug": q.slug, "name": "Bench queue " + e.runID, "description": "Where hearthbench flags writing.", "visibility": "open"}
	if err := e.call(ctx, http.MethodPost, "/api/v1/circles", admin, circle, nil, http.StatusCreated); err != nil {
		return err
	}
	if err := e.makeModerator(ctx, admin, q); err != nil {
		return err
	}
	err = parallel(ctx, forumMembers, queueSeedWorkers, func(ctx context.Context, k int) error {
		return e.call(ctx, http.MethodPost, "/api/v1/circles/"+q.slug+"/join", e.members[k].token, nil, nil, http.StatusNoContent)
	})
	if err != nil {
		return err
	}

	n := forumMembers * queueStoriesEach
	q.stories = make([]string, n)
	err = parallel(ctx, n, queueSeedWorkers, func(ctx context.Context, k int) error {
		story := map[string]string{"title": fmt.Sprintf("Queue story %d", k), "body": fmt.Sprintf("Story %d: we talked about the garden and the long walk by the river.", k)}
		var out struct {
			ID string `json:"id"`
		}
		if err := e.call(ctx, http.MethodPost, "/api/v1/circles/"+q.slug+"/stories", e.members[k%forumMembers].token, story, &out, http.StatusCreated); err != nil {
			return err
		}
		q.stories[k] = out.ID
		return nil
	})
	if err != nil {
		return err
	}
	storiesTook := time.Since(start)

	flagStart := time.Now()
	err = parallel(ctx, queueItems, queueSeedWorkers, func(ctx context.Context, k int) error {
		flag := map[string]string{"target_type": "story", "target_id": q.stories[k], "reason": flagReasons[k%len(flagReasons)]}
		return e.call(ctx, http.MethodPost, "/api/v1/flags", e.members[(k+1)%forumMembers].token, flag, nil, http.StatusCreated)
	})
	if err != nil {
		return err
	}
	if err := e.checkQueue(ctx, q); err != nil {
		return err
	}
	e.queue = q
	fmt.Fprintf(log, "hearthbench: seeded queue circle %s (%d stories in %.1fs, %d flags in %.1fs) in %.1fs\n",
		q.slug, n, storiesTook.Seconds(), queueItems, time.Since(flagStart).Seconds(), time.Since(start).Seconds())
	return nil
}

// makeModerator signs in the moderator: the seeded one, or else one more
// member registered now, outside e.members so the other rows never act as
// it, whom the admin makes a moderator.
func (e *env) makeModerator(ctx context.Context, admin string, q *queue) error {
	if e.modLogin == nil {
		handle := fmt.Sprintf("bench-%s-moderator", e.runID)
		login, err := json.Marshal(map[string]string{"handle": handle, "password": "bench moderator reads the queue " + e.runID})
		if err != nil {
			return err
		}
		if _, err := e.grant(ctx, "/api/v1/auth/register", login, http.StatusCreated); err != nil {
			return err
		}
		role := map[string]string{"role": "moderator"}
		if err := e.call(ctx, http.MethodPut, "/api/v1/admin/members/"+handle+"/role", admin, role, nil, http.StatusNoContent); err != nil {
			return err
		}
		e.modLogin = login
	}
	// Signed in after the role changed, so the token carries it.
	var err error
	q.modToken, err = e.grant(ctx, "/api/v1/auth/login", e.modLogin, http.StatusOK)
	q.modAt = time.Now()
	return err
}

// refreshModerator signs the moderator in again when its token would not
// last the next row.
func (e *env) refreshModerator(ctx context.Context) error {
	q := e.queue
	if q.modAt.Add(accessTTL).After(time.Now().Add(e.rowLen + settle)) {
		return nil
	}
	tok, err := e.grant(ctx, "/api/v1/auth/login", e.modLogin, http.StatusOK)
	if err != nil {
		return err
	}
	q.modToken, q.modAt = tok, time.Now()
	return nil
}

// checkQueue makes sure the row reads a full page of a queue at least
// queueItems long: the first page as the moderator, the count from /metrics
// (hearth_moderation_queue_items, summed over priorities).
func (e *env) checkQueue(ctx context.Context, q *queue) error {
	var page struct {
		Items      []struct{} `json:"items"`
		NextCursor *string    `json:"next_cursor"`
	}
	if err := e.call(ctx, http.MethodGet, queuePath(), q.modToken, nil, &page, http.StatusOK); err != nil {
		return err
	}
	if len(page.Items) != queuePage || page.NextCursor == nil {
		return fmt.Errorf("queue: first page of %d items, more to come %v; want %d and more", len(page.Items), page.NextCursor != nil, queuePage)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/metrics", nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil // an --addr server may keep its metrics to itself
	}
	var open float64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "hearth_moderation_queue_items{") {
			continue
		}
		if v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
			open += v
		}
	}
	if open < queueItems {
		return fmt.Errorf("queue: /metrics counts %.0f open items; want %d", open, queueItems)
	}
	return nil
}

// queuePath is the queue's first page, as the moderation page asks for it.
func queuePath() string { return fmt.Sprintf("/api/v1/moderation/queue?limit=%d", queuePage) }

// readQueue is the moderator opening the moderation page.
func readQueue(e *env, w, _ int) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodGet, e.baseFor(w)+queuePath(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.queue.modToken)
	return req, nil
}

// flagPair is the j-th flag of the flag row: story j mod n, by the member
// 2+p after its author in pass p = j / n. The seeding flagged with the
// member 1 after, so no pair repeats and no one flags their own writing.
// Pass 0 cycles through the reasons; later passes flag `crisis`, which
// never hides, so no story gathers three hiding flags (seed's and pass 0's
// are at most two) and every flag is filed on writing its reporter can read.
func flagPair(q *queue, j int) (reporter int, story, reason string, ok bool) {
	n := len(q.stories)
	k, p := j%n, j/n
	if p > forumMembers-3 {
		return 0, "", "", false
	}
	reason = "crisis"
	if p == 0 {
		reason = flagReasons[(k+3)%len(flagReasons)]
	}
	return (k%forumMembers + 2 + p) % forumMembers, q.stories[k], reason, true
}

// postFlag files the next flag of the row, whichever worker sends it.
func postFlag(e *env, w, _ int) (*http.Request, error) {
	q := e.queue
	reporter, story, reason, ok := flagPair(q, int(q.next.Add(1)-1))
	if !ok {
		return nil, fmt.Errorf("flag row: every (member, story) pair is used")
	}
	body := []byte(`{"target_type":"story","target_id":"` + story + `","reason":"` + reason + `"}`)
	req, err := http.NewRequest(http.MethodPost, e.baseFor(w)+"/api/v1/flags", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.members[reporter].token)
	return req, nil
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The forum scenarios share one open circle, seeded through the API of the
// server under test the first time one of them runs.
const (
	// forumMembers join the circle; the write row posts as all of them at
	// once, one worker each, and the read rows read as them.
	forumMembers = 64
	// forumConns is how many connections the read rows keep busy.
	forumConns = 64
	// circleStories makes the first page (limit 20) one of many.
	circleStories = 200
	// threadReplies by threadAuthors, each textBytes long, make the thread the
	// read row fetches in one page: 30 authors mean 30 data keys to open.
	threadReplies = 50
	threadAuthors = 30
	textBytes     = 1024
	seedWorkers   = 8
)

// forum is the seeded circle and the stories the rows use.
type forum struct {
	slug        string
	threadStory string // threadReplies replies by threadAuthors authors
	busyStory   string // where the write row posts
	// followedStory is where the fan-out row posts: every member follows it.
	followedStory string
	stories       []string // what the single-story row reads, in turn
	replyBody     []byte   // {"body": textBytes of text}, marshalled once
	// commonSearch and rareSearch are the search rows' bodies (seeded
	// stores only: their stories are written to be searched).
	commonSearch, rareSearch []byte
	checked                  bool // checkForum has read it back
}

// skipError is a setup's way of saying its row cannot run against this
// server (an --addr server without --admin-handle); the run goes on without it.
type skipError struct{ reason string }

func (s skipError) Error() string { return s.reason }

// needForum makes sure the members exist and the circle is there (seeded
// into the store before the server started, or else through the API), and
// reads it back once.
func needForum(ctx context.Context, e *env, log io.Writer) error {
	if err := needMembers(forumMembers)(ctx, e, log); err != nil {
		return err
	}
	if e.forum == nil {
		f, err := e.seedForum(ctx, log)
		if err != nil {
			return err
		}
		e.forum = f
	}
	if !e.forum.checked {
		if err := e.checkForum(ctx, e.forum); err != nil {
			return err
		}
		e.forum.checked = true
	}
	return nil
}

// seedForum seeds the circle through the API, where hearthbench has no
// store of its own to write (PostgreSQL, --addr): an admin creates it,
// every member joins, circleStories stories are shared and one of them gets
// its thread.
func (e *env) seedForum(ctx context.Context, log io.Writer) (*forum, error) {
	ctx, cancel := context.WithTimeout(ctx, setupBudget)
	defer cancel()
	start := time.Now()
	admin, err := e.adminToken(ctx)
	if err != nil {
		return nil, err
	}
	f := &forum{slug: "bench-" + e.runID}
	circle := map[string]any{"slug": f.slug, "name": "Bench circle " + e.runID, "description": "Where hearthbench reads and writes.", "visibility": "open"}
	if err := e.call(ctx, http.MethodPost, "/api/v1/circles", admin, circle, nil, http.StatusCreated); err != nil {
		return nil, err
	}
	err = parallel(ctx, len(e.members), seedWorkers, func(ctx context.Context, k int) error {
		return e.call(ctx, http.MethodPost, "/api/v1/circles/"+f.slug+"/join", e.members[k].token, nil, nil, http.StatusNoContent)
	})
	if err != nil {
		return nil, err
	}

	ids := make([]string, circleStories)
	err = parallel(ctx, circleStories, seedWorkers, func(ctx context.Context, k int) error {
		story := map[string]string{"title": fmt.Sprintf("Bench story %d", k), "body": text(fmt.Sprintf("Story %d. ", k))}
		var out struct {
			ID string `json:"id"`
		}
		if err := e.call(ctx, http.MethodPost, "/api/v1/circles/"+f.slug+"/stories", e.members[k%len(e.members)].token, story, &out, http.StatusCreated); err != nil {
			return err
		}
		ids[k] = out.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.threadStory, f.busyStory, f.followedStory, f.stories = ids[0], ids[1], ids[2], ids
	err = parallel(ctx, len(e.members), seedWorkers, func(ctx context.Context, k int) error {
		return e.call(ctx, http.MethodPut, "/api/v1/stories/"+f.followedStory+"/follow", e.members[k].token, nil, nil, http.StatusNoContent)
	})
	if err != nil {
		return nil, err
	}

	// The thread, in order: every fifth reply answers the story and the four
	// after it each answer the one before, so depths run 0 to 4.
	var parent string
	for k := range threadReplies {
		reply := map[string]any{"body": text(fmt.Sprintf("Reply %d. ", k))}
		if k%5 != 0 {
			reply["parent_id"] = parent
		}
		var out struct {
			ID string `json:"id"`
		}
		if err := e.call(ctx, http.MethodPost, "/api/v1/stories/"+f.threadStory+"/replies", e.members[k%threadAuthors].token, reply, &out, http.StatusCreated); err != nil {
			return nil, err
		}
		parent = out.ID
	}
	if f.replyBody, err = jsonBody(map[string]string{"body": text("A reply under load. ")}); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "hearthbench: seeded circle %s through the API (%d members, %d stories, a thread of %d replies) in %.1fs\n",
		f.slug, len(e.members), circleStories, threadReplies, time.Since(start).Seconds())
	return f, nil
}

// checkForum reads back what the rows will read, so a row never measures a
// shorter page than its name says.
func (e *env) checkForum(ctx context.Context, f *forum) error {
	tok := e.members[0].token
	var stories struct {
		Items      []struct{} `json:"items"`
		NextCursor *string    `json:"next_cursor"`
	}
	if err := e.call(ctx, http.MethodGet, storiesPath(f), tok, nil, &stories, http.StatusOK); err != nil {
		return err
	}
	if len(stories.Items) != 20 || stories.NextCursor == nil || *stories.NextCursor == "" {
		return fmt.Errorf("first page of %s: %d stories, next_cursor %v; want 20 and more to come", f.slug, len(stories.Items), stories.NextCursor != nil)
	}
	var replies struct {
		Items []struct {
			Author *struct {
				Handle string `json:"handle"`
			} `json:"author"`
			Body string `json:"body"`
		} `json:"items"`
	}
	if err := e.call(ctx, http.MethodGet, threadPath(f), tok, nil, &replies, http.StatusOK); err != nil {
		return err
	}
	authors := map[string]bool{}
	for _, r := range replies.Items {
		if r.Author == nil || len(r.Body) != textBytes {
			return fmt.Errorf("thread of %s: a reply without author or of %d bytes", f.threadStory, len(r.Body))
		}
		authors[r.Author.Handle] = true
	}
	if len(replies.Items) != threadReplies || len(authors) != threadAuthors {
		return fmt.Errorf("thread of %s: %d replies by %d authors; want %d by %d", f.threadStory, len(replies.Items), len(authors), threadReplies, threadAuthors)
	}
	return nil
}

// adminToken signs in an admin: the one given with --admin-handle, or one
// made in the started server's store with `hearth admin create-member`.
func (e *env) adminToken(ctx context.Context) (string, error) {
	handle, password := e.adminHandle, e.adminPassword
	if handle == "" {
		if e.createAdmin == nil {
			return "", skipError{"needs an admin to create its circle: with --addr, pass --admin-handle and HEARTH_PASSWORD"}
		}
		handle, password = fmt.Sprintf("bench-%s-admin", e.runID), "bench admin keeps the circle "+e.runID
		if !e.adminMade {
			if err := e.createAdmin(ctx, handle, password); err != nil {
				return "", err
			}
			e.adminMade = true
		}
	}
	body, err := jsonBody(map[string]string{"handle": handle, "password": password})
	if err != nil {
		return "", err
	}
	return e.grant(ctx, "/api/v1/auth/login", body, http.StatusOK)
}

// text is prefix followed by plain prose, textBytes bytes in all.
func text(prefix string) string {
	const prose = "We sat by the window with tea and talked about the garden, the long walk by the river, and the letters we still mean to write. "
	s := (prefix + strings.Repeat(prose, textBytes/len(prose)+1))[:textBytes-1]
	return s + "."
}

func storiesPath(f *forum) string { return "/api/v1/circles/" + f.slug + "/stories" }

// threadPath asks for the whole thread in one page (the default is 20).
func threadPath(f *forum) string {
	return fmt.Sprintf("/api/v1/stories/%s/replies?limit=%d", f.threadStory, threadReplies)
}

// listStories reads the circle's first page, as opening the circle does.
func listStories(e *env, w, _ int) (*http.Request, error) {
	return authed(e, w, http.MethodGet, storiesPath(e.forum))
}

// readThread reads the whole thread, as opening the story does.
func readThread(e *env, w, _ int) (*http.Request, error) {
	return authed(e, w, http.MethodGet, threadPath(e.forum))
}

// readStory reads one story, as opening it does, each worker going through
// the forum's stories in turn from a place of its own.
func readStory(e *env, w, i int) (*http.Request, error) {
	ids := e.forum.stories
	return authed(e, w, http.MethodGet, "/api/v1/stories/"+ids[(w*len(ids)/forumConns+i)%len(ids)])
}

// postReply is worker w's member replying to the busy story.
func postReply(e *env, w, _ int) (*http.Request, error) {
	return replyTo(e, w, e.forum.busyStory)
}

// postFollowedReply is worker w's member replying to the story every
// member follows.
func postFollowedReply(e *env, w, _ int) (*http.Request, error) {
	return replyTo(e, w, e.forum.followedStory)
}

func replyTo(e *env, w int, story string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, e.baseFor(w)+"/api/v1/stories/"+story+"/replies", bytes.NewReader(e.forum.replyBody))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.members[w%len(e.members)].token)
	return req, nil
}

// unreadCount is worker w's member asking how many notices wait, as every
// open page of the web app does twice a minute.
func unreadCount(e *env, w, _ int) (*http.Request, error) {
	return authed(e, w, http.MethodGet, "/api/v1/me/notices/unread-count")
}

// needSearch is needForum on a seeded store, whose stories the search
// rows' queries were written for.
func needSearch(ctx context.Context, e *env, log io.Writer) error {
	if err := needForum(ctx, e, log); err != nil {
		return err
	}
	if e.forum.rareSearch == nil {
		return skipError{"searches the seeded store's words; a circle seeded through the API has none of them"}
	}
	return nil
}

// searchWith is worker w's member searching with body.
func searchWith(e *env, w int, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, e.baseFor(w)+"/api/v1/search", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.members[w%len(e.members)].token)
	return req, nil
}

// searchCommon searches for two words nearly every story holds.
func searchCommon(e *env, w, _ int) (*http.Request, error) {
	return searchWith(e, w, e.forum.commonSearch)
}

// searchRare searches for two rare words that meet in one story.
func searchRare(e *env, w, _ int) (*http.Request, error) { return searchWith(e, w, e.forum.rareSearch) }

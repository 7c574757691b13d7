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

// The community-and-care rows: a mentorship conversation read and written,
// the check before posting, and the forum read by a member whose reader
// safety folds much of it. They share the forum's circle and its members.
const (
	// careMembers: the forum's 64 members are the mentees; after them come
	// the circle's facilitator, the mentors and the filtering reader's
	// muted members.
	careMembers     = forumMembers + 1 + careMentors + 1 + mutedMembers
	careMentors     = (forumMembers + maxMenteesEach - 1) / maxMenteesEach
	maxMenteesEach  = 5
	mutedMembers    = 50
	conversationLen = 200
	// checkChars is a long story's draft, read before it is posted.
	checkChars = 2000
)

// care is what the care rows use.
type care struct {
	mentorships  []string // mentee w's mentorship with its mentor
	conversation string   // mentorships[0], conversationLen messages long
	mentorOf0    int      // the member index of that conversation's mentor
	reader       int      // the member who hides three themes and mutes 50
	messageBody  []byte
	checkBody    []byte
}

// Member indexes of the care rows' people.
func facilitatorIdx() int    { return forumMembers }
func mentorIdx(i int) int    { return forumMembers + 1 + i }
func readerIdx() int         { return forumMembers + 1 + careMentors }
func mutedIdx(i int) int     { return readerIdx() + 1 + i }
func careMentorOf(w int) int { return mentorIdx(w / maxMenteesEach) }

// needCare seeds, once, through the API: a facilitator of the forum's
// circle, mentors approved by them, a mentorship for each of the 64
// members, a conversation of conversationLen messages, and a reader who
// hides three themes and mutes 50 members.
func needCare(ctx context.Context, e *env, log io.Writer) error {
	if err := needForum(ctx, e, log); err != nil {
		return err
	}
	if err := needMembers(careMembers)(ctx, e, log); err != nil {
		return err
	}
	if e.care != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*setupBudget)
	defer cancel()
	start := time.Now()
	slug := e.forum.slug
	tok := func(i int) string { return e.members[i].token }
	admin, err := e.adminToken(ctx)
	if err != nil {
		return err
	}
	for _, i := range append([]int{facilitatorIdx(), readerIdx()}, mentorIndexes()...) {
		if err := e.call(ctx, http.MethodPost, "/api/v1/circles/"+slug+"/join", tok(i), map[string]any{}, nil, http.StatusNoContent); err != nil {
			return err
		}
	}
	if err := e.call(ctx, http.MethodPut, "/api/v1/circles/"+slug+"/facilitators/"+e.members[facilitatorIdx()].handle, admin, nil, nil, http.StatusNoContent); err != nil {
		return err
	}
	err = parallel(ctx, careMentors, seedWorkers, func(ctx context.Context, k int) error {
		i := mentorIdx(k)
		for s := range 3 { // the bar: three published writings in the circle
			body := map[string]string{"title": fmt.Sprintf("Step %d", s+1), "body": text("A mentor's story. ")}
			if err := e.call(ctx, http.MethodPost, storiesPath(e.forum), tok(i), body, nil, http.StatusCreated); err != nil {
				return err
			}
		}
		offer := map[string]any{"intro": "I have walked this road for a few years and I am glad to listen.", "max_mentees": maxMenteesEach}
		if err := e.call(ctx, http.MethodPut, "/api/v1/circles/"+slug+"/mentors/me", tok(i), offer, nil, http.StatusCreated); err != nil {
			return err
		}
		return e.call(ctx, http.MethodPost, "/api/v1/circles/"+slug+"/mentors/"+e.members[i].handle+"/approve", tok(facilitatorIdx()), nil, nil, http.StatusNoContent)
	})
	if err != nil {
		return err
	}
	c := &care{mentorships: make([]string, forumMembers), mentorOf0: careMentorOf(0), reader: readerIdx()}
	err = parallel(ctx, forumMembers, seedWorkers, func(ctx context.Context, w int) error {
		var m struct{ ID string }
		ask := map[string]string{"circle": slug, "mentor": e.members[careMentorOf(w)].handle, "message": "Hello, I am new here and would like someone to talk to."}
		if err := e.call(ctx, http.MethodPost, "/api/v1/mentorships", tok(w), ask, &m, http.StatusCreated); err != nil {
			return err
		}
		c.mentorships[w] = m.ID
		return e.call(ctx, http.MethodPost, "/api/v1/mentorships/"+m.ID+"/accept", tok(careMentorOf(w)), nil, nil, http.StatusOK)
	})
	if err != nil {
		return err
	}
	c.conversation = c.mentorships[0]
	for n := 1; n < conversationLen; n++ { // the request's message is the first
		who := 0
		if n%2 == 1 {
			who = c.mentorOf0
		}
		body := map[string]string{"body": fmt.Sprintf("Message %d. ", n) + text("")[:400]}
		if err := e.call(ctx, http.MethodPost, "/api/v1/mentorships/"+c.conversation+"/messages", tok(who), body, nil, http.StatusCreated); err != nil {
			return err
		}
	}
	prefs := map[string]any{"themes": map[string]string{"suicide": "hide", "self_harm": "hide", "eating": "hide"}}
	if err := e.call(ctx, http.MethodPut, "/api/v1/me/preferences", tok(c.reader), prefs, nil, http.StatusOK); err != nil {
		return err
	}
	for k := range mutedMembers {
		if err := e.call(ctx, http.MethodPut, "/api/v1/me/muted/"+e.members[mutedIdx(k)].handle, tok(c.reader), nil, nil, http.StatusNoContent); err != nil {
			return err
		}
	}
	if c.messageBody, err = jsonBody(map[string]string{"body": text("How was today? ")[:400]}); err != nil {
		return err
	}
	draft := strings.Repeat("Six weeks since the bypass. I walked to the post box and back, and sat on the low wall at lamppost nine. ", checkChars/100+1)[:checkChars]
	if c.checkBody, err = jsonBody(map[string]string{"text": draft}); err != nil {
		return err
	}
	e.care = c
	fmt.Fprintf(log, "hearthbench: seeded %d mentorships, a conversation of %d messages and a filtering reader in %.1fs\n",
		forumMembers, conversationLen, time.Since(start).Seconds())
	return nil
}

func mentorIndexes() []int {
	out := make([]int, careMentors)
	for i := range out {
		out[i] = mentorIdx(i)
	}
	return out
}

// as is a request from member i's token.
func as(e *env, w, i int, method, path string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.baseFor(w)+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+e.members[i].token)
	return req, nil
}

// readConversation reads the first 50 messages of the long conversation,
// as its two members in turn.
func readConversation(e *env, w, _ int) (*http.Request, error) {
	who := 0
	if w%2 == 1 {
		who = e.care.mentorOf0
	}
	return as(e, w, who, http.MethodGet, "/api/v1/mentorships/"+e.care.conversation+"/messages?limit=50", nil)
}

// postMessage is mentee w writing to their mentor.
func postMessage(e *env, w, _ int) (*http.Request, error) {
	return as(e, w, w, http.MethodPost, "/api/v1/mentorships/"+e.care.mentorships[w]+"/messages", e.care.messageBody)
}

// checkDraft is member w checking a long story's draft before sharing it.
func checkDraft(e *env, w, _ int) (*http.Request, error) {
	return as(e, w, w, http.MethodPost, "/api/v1/checks/text", e.care.checkBody)
}

// listStoriesFiltered and readThreadFiltered are the forum rows' reads by
// the reader who hides three themes and mutes 50 members.
func listStoriesFiltered(e *env, w, _ int) (*http.Request, error) {
	return as(e, w, e.care.reader, http.MethodGet, storiesPath(e.forum), nil)
}

func readThreadFiltered(e *env, w, _ int) (*http.Request, error) {
	return as(e, w, e.care.reader, http.MethodGet, threadPath(e.forum), nil)
}

package frontend_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the server's store, to move one row's time on
)

// TestAppealOverturnedBySecondModerator: a moderator hides a story; its
// author appeals from the notice; the moderator who hid it may not decide;
// a second one overturns it, the story is back for the circle, and the
// author is told.
func TestAppealOverturnedBySecondModerator(t *testing.T) {
	author := newTab(t)
	who := handle("alder")
	author.join(who, testPassword)
	author.open("/c/cardiac-recovery")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	title := "A good walk " + who
	storyPath := author.shareStory("cardiac-recovery", title, "Round the park twice, no stopping.", "")

	maple := newTab(t)
	maple.signIn("maple", demoPassword)
	maple.open(storyPath)
	maple.get("heading", title)
	maple.all("button", "Flag")[0].click()
	maple.get("combobox", "Reason").choose("spam")
	maple.get("button", "Send flag").click()
	maple.waitJS("the thank-you", `document.querySelector('.story .status')?.textContent.includes('Thank you')`)

	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	heron.open("/moderation")
	item := heron.get("heading", "Story by "+who+" in cardiac-recovery").closest("li")
	item.in("textbox", "Reason").fill("It read like an advert.")
	item.in("button", "Hide").click()
	heron.waitJS("the outcome", `[...document.querySelectorAll('.queue-item .status')].some(s => s.textContent.startsWith('Hidden'))`)

	author.open("/notices")
	author.get("heading", "Notices")
	author.get("button", "Appeal").click()
	author.get("textbox", "What should the team know?").fill("It is my own walk, not an advert.")
	author.get("button", "Send appeal").click()
	author.waitJS("the thank-you", `document.querySelector('main').innerText.includes('Your appeal is with the moderation team')`)

	heron.open("/moderation/appeals")
	heron.get("heading", "Appeals")
	mine := heron.get("heading", "Appeal by "+who).closest("li")
	if text := mine.text(); !strings.Contains(text, "It is my own walk, not an advert.") || !strings.Contains(text, "It read like an advert.") {
		t.Fatalf("the appeal does not show its words and the action's reason:\n%s", text)
	}
	mine.in("textbox", "Reason").fill("I would like to decide my own.")
	mine.in("button", "Overturn").click()
	heron.waitJS("the refusal", `document.querySelector('main').innerText.includes('another moderator decides')`)

	juniper := newTab(t)
	juniper.signIn("juniper", demoPassword)
	juniper.open("/moderation")
	juniper.get("link", "Appeals").click()
	juniper.get("heading", "Appeals")
	theirs := juniper.get("heading", "Appeal by "+who).closest("li")
	theirs.in("textbox", "Reason").fill("A walk in the park is not an advert.")
	theirs.in("button", "Overturn").click()
	juniper.waitJS("the outcome", `document.querySelector('main').innerText.includes('Overturned and undone')`)
	juniper.axeCheck("/moderation/appeals after a decision")

	maple.open(storyPath)
	maple.get("heading", title)
	maple.waitJS("the story's body", `document.querySelector('main').innerText.includes('Round the park twice')`)
	author.open("/notices")
	author.waitJS("the decision", `document.querySelector('main').innerText.includes('overturned it')`)
}

// flaggedAgo moves the first flag on a queue item back by ago, in the
// server's store, as if that much time had passed.
func flaggedAgo(t *testing.T, targetID string, ago time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dataDir, "hearth.db")+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec("UPDATE moderation_items SET first_flagged_at = ? WHERE target_id = ? AND status = 'open'", time.Now().UTC().Add(-ago), targetID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("moved %d open queue items for %s, want 1", n, targetID)
	}
}

// TestQueueShowsEveryVersion: the queue says how long the oldest crisis
// has waited (the demo's) and when each item is due; a moderator opens
// every version of a story edited after it was flagged, so the flag about
// words edited away still makes sense.
func TestQueueShowsEveryVersion(t *testing.T) {
	author := newTab(t)
	who := handle("hazel")
	author.join(who, testPassword)
	author.open("/c/cardiac-recovery")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	title := "Rehab class " + who
	// The phone number is the point: the check before sharing names it, and
	// the author shares anyway, then thinks better of it and edits it out.
	author.open("/c/cardiac-recovery/new")
	author.get("textbox", "Title").fill(title)
	author.get("textbox", "Story").fill("Ring me on 07700 900123 to share lifts.")
	author.get("button", "Share").click()
	author.get("button", "Share anyway").click()
	author.waitJS("the new story", `location.pathname.startsWith('/s/') && !!document.querySelector('main > .page h1')`)
	storyPath := author.path()

	maple := newTab(t)
	maple.signIn("maple", demoPassword)
	maple.open(storyPath)
	maple.get("heading", title)
	maple.all("button", "Flag")[0].click()
	maple.get("combobox", "Reason").choose("privacy")
	maple.get("button", "Send flag").click()
	maple.waitJS("the thank-you", `document.querySelector('.story .status')?.textContent.includes('Thank you')`)

	author.open(storyPath)
	author.get("button", "Edit").click()
	author.get("textbox", "Story").fill("Ask me in the class about sharing lifts.")
	author.get("button", "Save changes").click()
	author.waitJS("the edit", `document.querySelector('main').innerText.includes('Ask me in the class')`)

	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	heron.open("/moderation")
	heron.get("heading", "Moderation queue")
	heron.waitJS("how long the oldest crisis waited", `document.querySelector('main').innerText.includes('The oldest crisis has waited')`)
	item := heron.get("heading", "Story by "+who+" in cardiac-recovery").closest("li")
	if text := item.text(); !strings.Contains(text, "due") || strings.Contains(text, "Overdue") {
		t.Fatalf("a flag made a moment ago should say when it is due, and not that it is overdue:\n%s", text)
	}

	// A day and an hour later the item is past its 24-hour target.
	flaggedAgo(t, strings.TrimPrefix(storyPath, "/s/"), 25*time.Hour)
	heron.open("/moderation")
	item = heron.get("heading", "Story by "+who+" in cardiac-recovery").closest("li")
	if text := item.text(); !strings.Contains(text, "Overdue") || !strings.Contains(text, "overdue, due") {
		t.Fatalf("an item flagged 25 hours ago is not marked overdue:\n%s", text)
	}
	heron.waitJS("the count of overdue items", `/\d+ items? (is|are) overdue/.test(document.querySelector('main').innerText)`)
	item.in("button", "Show every version").click()
	heron.waitJS("both versions", `(() => { const v = [...document.querySelectorAll('.versions .version-body')].map(e => e.textContent); return v.length === 2 && v[0].includes('07700 900123') && v[1].startsWith('Ask me in the class'); })()`)
	heron.axeCheck("/moderation with every version of an item open")
}

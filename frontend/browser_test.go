package frontend_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const testPassword = "quiet harbour lantern morning"

// A newcomer joins and saves their codes, signs out and in again, stays
// signed in across a reload, joins a circle, shares a story behind a
// content warning whose body looks like HTML, replies in a thread, gives
// support, and meets the crisis resources after writing that reads as a
// crisis.
func TestJoinShareReplyAndSupport(t *testing.T) {
	b := newTab(t)
	me := handle("fern")

	b.open("/")
	b.get("link", "Join")
	b.get("link", "Sign in")
	b.axeCheck("/ signed out")

	b.open("/join")
	b.axeCheck("/join")
	b.get("textbox", "Handle").fill(me)
	b.get("textbox", "Password").fill("short")
	b.get("button", "Join").click()
	b.waitJS("the password advice", `document.querySelector('.field-error:not([hidden])')?.textContent.includes('15 characters')`)
	b.get("textbox", "Password").fill(testPassword)
	b.get("button", "Join").click()
	b.get("button", "I have saved my codes")
	codes := eval[[]string](b, `[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`)
	if len(codes) != 10 {
		t.Fatalf("want 10 recovery codes, got %d", len(codes))
	}
	b.axeCheck("/join recovery codes")
	b.screenshot("anon-join-codes-1280")
	b.get("button", "I have saved my codes").click()
	b.waitJS("the circles", `document.querySelector('main h1')?.textContent === 'Circles'`)

	// Sign out, then in.
	b.open("/me")
	b.get("button", "Sign out").click()
	b.get("link", "Join")
	b.signIn(me, testPassword)

	// A reload keeps the member signed in: the access token lived in
	// memory only, and the refresh cookie brings a new one.
	b.open("/")
	if got := eval[string](b, `document.querySelector('main h1').textContent`); got != "Circles" {
		t.Fatalf("after a reload the page is %q, want the circles", got)
	}

	// Join a circle.
	b.get("link", "Cardiac recovery").click()
	b.waitJS("the circle", `document.querySelector('main h1')?.textContent === 'Cardiac recovery'`)
	pinned := eval[[]bool](b, `[...document.querySelectorAll('.stories > li')].map(li => !!li.querySelector('.badge.pinned'))`)
	if len(pinned) < 3 || !pinned[0] {
		t.Fatalf("pinned guidance should come first, marked Pinned: %v", pinned)
	}
	seenPinned := true
	for _, p := range pinned {
		if p && !seenPinned {
			t.Fatalf("a pinned story comes after an unpinned one: %v", pinned)
		}
		seenPinned = p
	}
	b.get("button", "Join circle").click()
	b.agree()
	b.get("link", "Share a story").click()
	b.waitJS("the share form", `location.pathname === '/c/cardiac-recovery/new'`)

	// Share a story with a warning and a body that looks like HTML.
	const evil = `<img src=x onerror=alert(1)>`
	b.get("textbox", "Title").fill("First walk after the ward")
	b.get("textbox", "Story").fill(evil)
	b.get("textbox", "Content warning").fill("hospital stay in detail")
	b.get("button", "Share").click()
	b.waitJS("the story page", `location.pathname.startsWith('/s/')`)
	storyPath := b.path()
	b.get("heading", "First walk after the ward")
	if !strings.Contains(b.mainText(), "hospital stay in detail") {
		t.Fatalf("the content warning is not shown:\n%s", b.mainText())
	}
	if eval[bool](b, `[...document.querySelectorAll('.story .cw-body')].some(e => e.checkVisibility())`) {
		t.Fatal("the story's body shows before Show story is pressed")
	}
	b.get("button", "Show story").click()
	body := eval[string](b, `document.querySelector('.story .cw-body .body').innerText.trim()`)
	if body != evil {
		t.Fatalf("the body reads %q, want the text %q", body, evil)
	}
	if n := eval[int](b, `document.querySelectorAll('main img').length`); n != 0 {
		t.Fatalf("member text became %d img elements", n)
	}
	if d := b.dialogs.Load(); d != 0 {
		t.Fatalf("%d JavaScript dialogs opened", d)
	}

	// The warning also guards the body in the circle's list.
	b.open("/c/cardiac-recovery")
	card := b.get("link", "First walk after the ward").closest("li")
	if eval[bool](b, `[...document.querySelectorAll('.stories .cw-body')].some(e => e.checkVisibility())`) {
		t.Fatal("a warned story's excerpt shows in the list before Show story is pressed")
	}
	card.in("button", "Show story").click()
	if got := card.text(); !strings.Contains(got, evil) {
		t.Fatalf("after Show story the card reads %q", got)
	}
	b.open(storyPath)

	// Support the story.
	support := b.all("button", "Support")[0]
	if support.attr("aria-pressed") != "false" {
		t.Fatalf("support starts pressed")
	}
	support.click()
	b.waitJS("support to be given", `document.querySelector('.story .support')?.getAttribute('aria-pressed') === 'true'`)
	if got := eval[string](b, `document.querySelector('.story .counts .count').textContent`); got != "1 person gave support" {
		t.Fatalf("support count reads %q", got)
	}

	// Reply, then reply to the reply.
	b.get("textbox", "Reply").fill("Thank you all for reading.")
	b.get("button", "Send reply").click()
	b.waitJS("the reply", `document.querySelectorAll('.thread .reply').length === 1`)
	first := b.get("button", "Reply").closest("li")
	first.in("button", "Reply").click()
	b.waitJS("the form under the reply", `document.activeElement?.tagName === 'TEXTAREA' && !!document.activeElement.closest('li.reply')`)
	b.get("textbox", "Reply").fill("And a thread under it.")
	b.get("button", "Send reply").click()
	b.waitJS("the threaded reply", `document.querySelectorAll('.thread .reply .thread .reply').length === 1`)
	if got := eval[string](b, `document.querySelector('.thread .reply .thread .reply .body').innerText.trim()`); got != "And a thread under it." {
		t.Fatalf("the threaded reply reads %q", got)
	}
	b.axeCheck("/s/{id} with replies")

	// A reply that reads as a crisis brings the crisis resources before
	// it is sent (TestCheckBeforeSharing), and after, in an alert.
	b.get("textbox", "Reply").fill("Some nights I want to end it all.")
	b.get("button", "Send reply").click()
	b.get("dialog", "Before you share: you are not alone").in("button", "Share anyway").click()
	alert := b.get("alert", "You are not alone")
	for _, name := range []string{"Find a helpline", "Emergency services"} {
		if !strings.Contains(alert.text(), name) {
			t.Errorf("the crisis alert does not name %q:\n%s", name, alert.text())
		}
	}

	// So does a story that reads as a crisis, on the page that follows it.
	b.open("/c/cardiac-recovery/new")
	b.get("textbox", "Title").fill("A hard week")
	b.get("textbox", "Story").fill("I feel like there is no reason to live lately.")
	b.get("button", "Share").click()
	b.get("dialog", "Before you share: you are not alone").in("button", "Share anyway").click()
	alert = b.get("alert", "You are not alone")
	for _, name := range []string{"Find a helpline", "Emergency services"} {
		if !strings.Contains(alert.text(), name) {
			t.Errorf("the crisis alert after a story does not name %q:\n%s", name, alert.text())
		}
	}
	b.axeCheck("/s/{id} with the crisis alert")
	b.screenshot("member-crisis-alert-1280")
	b.viewport(360, 800)
	b.noSidewaysScroll("the crisis alert at 360 px")
	b.screenshot("member-crisis-alert-360")
	b.viewport(1280, 900)
	if d := b.dialogs.Load(); d != 0 {
		t.Fatalf("%d JavaScript dialogs opened", d)
	}
}

// A flagged reply in the queue links to its thread, so the moderator reads
// it where it was written. The demo's privacy flag is on such a reply.
func TestQueueReplyOpensItsThread(t *testing.T) {
	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	heron.open("/moderation")
	item := heron.get("heading", "Reply by saltmarsh in after-the-disaster").closest("li")
	item.in("link", "Open the thread").click()
	heron.get("heading", "The line on the wall")
	heron.waitJS("the flagged reply in its thread", `document.querySelector('main').innerText.includes('yellow house at the end of Mill Lane')`)
}

// A moderator outside a private circle finds its name and why its stories
// are not listed, with the way to the queue, where its flagged writing goes.
func TestModeratorSeesPrivateCircleWithoutItsStories(t *testing.T) {
	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	heron.waitJS("the private circle's card says who reads it", `[...document.querySelectorAll('.circle-card')].some(c => c.innerText.includes('Addiction recovery') && c.innerText.includes('only its members read its stories'))`)
	heron.get("link", "Addiction recovery").click()
	heron.get("heading", "Addiction recovery")
	heron.waitJS("the private circle's note", `document.querySelector('main').innerText.includes('only its members read its stories')`)
	heron.waitJS("no list of stories", `!document.getElementById('stories-title') && !document.querySelector('.story-card')`)
	heron.get("link", "moderation queue").click()
	heron.get("heading", "Moderation queue")
}

// Three members flag a story and it is hidden from the circle; a moderator
// finds it in the queue blurred, reveals it and restores it; the author and
// the reporters hear what happened.
func TestFlagsHideAndModeratorRestores(t *testing.T) {
	author := newTab(t)
	who := handle("birch")
	author.join(who, testPassword)
	author.open("/c/cardiac-recovery")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	title := "Stairs again " + who
	storyPath := author.shareStory("cardiac-recovery", title, "Two flights today, slowly, holding the rail.", "")

	flag := func(b *tab, reason string) {
		b.t.Helper()
		b.open(storyPath)
		b.get("heading", title)
		b.all("button", "Flag")[0].click()
		b.get("combobox", "Reason").choose(reason)
		b.get("textbox", "Note").fill("Flagged in a browser test.")
		b.get("button", "Send flag").click()
		b.waitJS("the thank-you", `document.querySelector('.story .status')?.textContent.includes('Thank you')`)
	}
	maple := newTab(t)
	maple.signIn("maple", demoPassword)
	flag(maple, "harassment")
	willow := newTab(t)
	willow.signIn("willow", demoPassword)
	flag(willow, "spam")
	third := newTab(t)
	third.join(handle("reed"), testPassword)
	flag(third, "other")

	// Hidden: others see a placeholder, the author a note.
	maple.open(storyPath)
	maple.get("heading", "This story is hidden while the moderation team looks at it.")
	if strings.Contains(maple.mainText(), "Two flights today") {
		t.Fatal("a hidden story's body still shows to other members")
	}
	author.open(storyPath)
	if !strings.Contains(author.mainText(), "hidden from others") {
		t.Fatalf("the author is not told the story is hidden:\n%s", author.mainText())
	}

	// The moderator: blurred until Reveal, then Restore with a reason.
	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	heron.open("/moderation")
	heron.get("heading", "Moderation queue")
	item := heron.get("heading", "Story by "+who+" in cardiac-recovery").closest("li")
	excerpt := callOn[[]string](item, `function(){const e=this.querySelector('.mod-excerpt'); return [getComputedStyle(e).filter, e.getAttribute('aria-hidden') || '', e.innerText]}`)
	if !strings.Contains(excerpt[0], "blur") || excerpt[1] != "true" {
		t.Fatalf("the excerpt is not blurred and hidden from screen readers before Reveal: filter %q, aria-hidden %q", excerpt[0], excerpt[1])
	}
	if !strings.Contains(excerpt[2], "Two flights today") {
		t.Fatalf("the excerpt holds %q", excerpt[2])
	}
	item.in("button", "Reveal").click()
	heron.waitJS("the excerpt to clear", `[...document.querySelectorAll('.mod-excerpt[aria-hidden="false"]')].some(e => getComputedStyle(e).filter === 'none')`)
	item.in("button", "Restore").click()
	heron.waitJS("the reason to be asked for", `!!document.querySelector('.queue-item .field-error:not([hidden])')`)
	item.in("textbox", "Reason").fill("Not harassment; an ordinary update.")
	item.in("button", "Restore").click()
	heron.waitJS("the outcome", `[...document.querySelectorAll('.queue-item .status')].some(s => s.textContent.startsWith('Restored'))`)

	maple.open(storyPath)
	maple.get("heading", title)
	heron.open("/moderation/log")
	heron.waitJS("the log entry", `document.querySelector('main').innerText.includes('Not harassment; an ordinary update.')`)

	author.open("/notices")
	author.waitJS("the author's notices", `document.querySelector('main').innerText.includes('can be seen by the circle again')`)
	maple.open("/notices")
	maple.waitJS("the reporter's notice", `document.querySelector('main').innerText.includes('Thank you for your flag')`)
}

// A member downloads their data as a file, then deletes their account
// after a calm warning; what they wrote reads as removed.
func TestDownloadMyDataAndDeleteAccount(t *testing.T) {
	b := newTab(t)
	who := handle("aster")
	b.join(who, testPassword)
	b.open("/c/grief-and-loss")
	b.get("button", "Join circle").click()
	b.agree()
	b.get("link", "Share a story")
	title := "For my grandmother " + who
	storyPath := b.shareStory("grief-and-loss", title, "She taught me to bake bread.", "")

	dir := t.TempDir()
	ctxID := chromedp.FromContext(b.ctx).BrowserContextID
	if _, err := chromedp.CallBrowser(b.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, BrowserContextID: ctxID, DownloadPath: dir, EventsEnabled: new(true),
	}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	b.open("/me")
	b.get("button", "Download my data").click()
	file := filepath.Join(dir, "hearth-export.json")
	var export struct {
		Member  struct{ Handle string }
		Stories []struct{ Title, Body string }
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(file)
		if err == nil && json.Unmarshal(data, &export) == nil {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no hearth-export.json was downloaded (%v, folder holds %v)", err, entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if export.Member.Handle != who || len(export.Stories) != 1 || export.Stories[0].Title != title {
		t.Fatalf("the export is not this member's: %+v", export)
	}

	// The warning, a wrong password, then the real one.
	b.get("button", "Delete my account").click()
	dialog := b.get("dialog", "Delete your account?")
	for _, want := range []string{"cannot be undone", "can never be read again", "show as removed"} {
		if !strings.Contains(dialog.text(), want) {
			t.Errorf("the warning does not say %q:\n%s", want, dialog.text())
		}
	}
	b.axeCheck("/me delete dialog")
	dialog.in("textbox", "Password").fill("not the right password at all")
	dialog.in("button", "Delete everything for good").click()
	b.waitJS("the wrong password to be named", `document.querySelector('dialog .field-error:not([hidden])')?.textContent.includes('do not match')`)
	if !b.has("button", "Delete everything for good") {
		t.Fatal("a wrong password closed the dialog")
	}
	dialog.in("textbox", "Password").fill(testPassword)
	dialog.in("button", "Delete everything for good").click()
	b.waitJS("the farewell", `location.pathname === '/' && document.querySelector('main').innerText.includes('Your account is deleted')`)
	b.get("link", "Join")

	// Gone for good: the handle no longer signs in, the story reads as removed.
	b.open("/signin")
	b.get("textbox", "Handle").fill(who)
	b.get("textbox", "Password").fill(testPassword)
	b.get("button", "Sign in").click()
	b.waitJS("the sign-in error", `document.querySelector('.form-error')?.textContent.includes('do not match')`)
	maple := newTab(t)
	maple.signIn("maple", demoPassword)
	maple.open(storyPath)
	maple.get("heading", "This story was removed.")
}

// A facilitator posts pinned guidance and unpins it; another makes an
// invite code, and a newcomer joins the private circle with it.
func TestFacilitatorGuidancePinsAndInvites(t *testing.T) {
	willow := newTab(t)
	willow.signIn("willow", demoPassword)
	willow.open("/c/cardiac-recovery")
	willow.get("link", "Post guidance").click()
	willow.waitJS("the guidance form", `location.search === '?kind=guidance'`)
	title := "Before your first rehab class " + handle("g")
	willow.get("textbox", "Title").fill(title)
	willow.get("textbox", "Guidance").fill("Wear comfortable shoes, and bring your list of medicines.")
	if willow.get("checkbox", "Pin it to the top of the circle").attr("id") == "" {
		t.Fatal("no pin checkbox")
	}
	willow.get("button", "Post guidance").click()
	willow.waitJS("the guidance page", `location.pathname.startsWith('/s/')`)
	guidancePath := willow.path()
	willow.get("button", "Unpin")
	willow.open("/c/cardiac-recovery")
	first := eval[string](willow, `document.querySelector('.stories > li h3').textContent`)
	if first != title {
		t.Fatalf("the newest pinned guidance is not first: %q", first)
	}
	if !strings.Contains(willow.get("link", title).closest("li").text(), "Pinned") {
		t.Fatal("the guidance is not marked Pinned")
	}
	willow.open(guidancePath)
	willow.get("button", "Unpin").click()
	willow.get("button", "Pin to top")
	willow.open("/c/cardiac-recovery")
	if strings.Contains(willow.get("link", title).closest("li").text(), "Pinned") {
		t.Fatal("unpinned guidance is still marked Pinned")
	}

	// Invites to a private circle.
	sage := newTab(t)
	sage.signIn("sage", demoPassword)
	sage.open("/c/addiction-recovery")
	sage.get("spinbutton", "How many people may use it").fill("2")
	sage.get("button", "Make invite code").click()
	sage.waitJS("the invite code", `!!document.querySelector('.invite-code')`)
	code := eval[string](sage, `document.querySelector('.invite-code').textContent`)
	link := eval[string](sage, `document.querySelector('.invite-link').textContent`)
	if !strings.Contains(link, "/c/addiction-recovery?invite=") {
		t.Fatalf("odd invite link %q", link)
	}

	// One newcomer follows the link; another types the code at home.
	n1 := newTab(t)
	n1.join(handle("moss"), testPassword)
	n1.open(strings.TrimPrefix(link, baseURL))
	n1.get("heading", "A private circle")
	n1.get("button", "Join circle").click()
	n1.waitJS("the private circle", `document.querySelector('main h1')?.textContent === 'Addiction recovery'`)
	n1.agree()
	n1.get("link", "Share a story")

	n2 := newTab(t)
	n2.join(handle("sorrel"), testPassword)
	n2.get("textbox", "Circle").fill("addiction-recovery")
	n2.get("textbox", "Invite code").fill("wrong-code-0000")
	n2.get("button", "Join with invite").click()
	n2.waitJS("the invite error", `document.querySelector('.field-error:not([hidden])')?.textContent.includes('not valid')`)
	n2.get("textbox", "Invite code").fill(code)
	n2.get("button", "Join with invite").click()
	n2.waitJS("the private circle", `document.querySelector('main h1')?.textContent === 'Addiction recovery'`)
}

// A moderator warns and suspends a member, who reads the notices and
// cannot write until the suspension is lifted; every action is in the log.
func TestModeratorMemberActions(t *testing.T) {
	m := newTab(t)
	who := handle("wren")
	m.join(who, testPassword)

	heron := newTab(t)
	heron.signIn("heron", demoPassword)
	act := func(action, reason string, until string) {
		t.Helper()
		heron.open("/moderation/members")
		heron.get("heading", "Member actions")
		heron.get("textbox", "Handle").fill(who)
		heron.get("combobox", "Action").choose(action)
		if until != "" {
			callOn[chromedp.Void](heron.get("DateTime", "Suspended until"), `function(v){this.value=v; this.dispatchEvent(new Event('input',{bubbles:true}))}`, until)
		}
		heron.get("textbox", "Reason").fill(reason)
		heron.get("button", "Apply action").click()
		heron.waitJS("the outcome of "+action, `document.querySelector('main .status')?.textContent.startsWith('Done.')`)
	}
	act("warn", "Please keep replies kind.", "")
	// A page for members only opens: the warning left the session alone.
	m.open("/me")
	if p := m.path(); p != "/me" {
		t.Fatalf("after a warning the member's tab is at %s, want /me", p)
	}
	tomorrow := time.Now().Add(24 * time.Hour).Format("2006-01-02T15:04")
	act("suspend", "A day away to cool off.", tomorrow)
	if got := eval[string](heron, `document.querySelector('main .status').textContent`); !strings.Contains(got, "suspended") {
		t.Fatalf("the outcome reads %q", got)
	}

	// The suspension ended the member's session: loading the page again,
	// the tab's refresh cookie no longer signs them in. They sign in anew
	// and read.
	m.open("/me")
	if p := m.path(); p != "/signin?next=%2Fme" {
		t.Fatalf("after the suspension the member's tab is at %s: the session lives on", p)
	}
	m.signIn(who, testPassword)
	m.open("/notices")
	m.waitJS("the notices", `document.querySelector('main').innerText.includes('Please keep replies kind.') && document.querySelector('main').innerText.includes('suspended until')`)
	m.open("/c/grief-and-loss")
	m.get("button", "Join circle").click()
	m.waitJS("the suspension to be explained", `document.querySelector('.form-error')?.textContent.includes('suspended')`)

	act("unsuspend", "Welcome back.", "")
	m.open("/c/grief-and-loss")
	m.get("button", "Join circle").click()
	m.agree()
	m.get("link", "Share a story")

	heron.open("/moderation/log")
	for _, want := range []string{"Please keep replies kind.", "A day away to cool off.", "Welcome back."} {
		heron.waitJS("the log to hold "+want, `document.querySelector('main').innerText.includes(`+string(mustJSON(want))+`)`)
	}
}

// An access token that has expired (a 401) is refreshed once, silently,
// and the request sent again: the member never notices.
func TestExpiredTokenRefreshesSilently(t *testing.T) {
	b := newTab(t)
	b.signIn("maple", demoPassword)

	var refreshes atomic.Int32
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok && strings.HasSuffix(ev.Request.URL, "/api/v1/auth/refresh") {
			refreshes.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	paused := chromedp.Events(b.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/circles/cardiac-recovery"}}}); err != nil {
		t.Fatal(err)
	}
	var expired atomic.Int32
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if expired.Add(1) == 1 {
				_, _ = chromedp.Call(b.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID: ev.RequestID, ResponseCode: 401,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/problem+json"}},
					Body:            []byte(`{"type":"urn:hearth:problem:unauthenticated","title":"Unauthorized","status":401,"detail":"Please sign in again.","code":"unauthenticated"}`),
				})
				continue
			}
			_, _ = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	}()
	before := refreshes.Load()
	b.get("link", "Cardiac recovery").click()
	b.waitJS("the circle", `document.querySelector('main h1')?.textContent === 'Cardiac recovery'`)
	if expired.Load() < 2 {
		t.Fatalf("the request was not sent again after the 401 (%d sent)", expired.Load())
	}
	if refreshes.Load() != before+1 {
		t.Fatalf("want exactly one refresh, saw %d", refreshes.Load()-before)
	}
	if _, err := chromedp.Call(b.ctx, fetch.Disable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}

	// When the check on load itself fails (here: too many tries), the page
	// says so plainly, and the session survives for the next load.
	c := newTab(t)
	c.signIn("maple", demoPassword)
	busy := chromedp.Events(c.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(c.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/auth/refresh"}}}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range busy {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(c.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 429,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/problem+json"}, {Name: "Retry-After", Value: "30"}},
				Body:            []byte(`{"type":"urn:hearth:problem:too_many_requests","title":"Too Many Requests","status":429,"detail":"Too many tries; please wait a little.","code":"too_many_requests"}`),
			})
		}
	}()
	c.open("/")
	c.waitJS("the plain words", `document.querySelector('main').innerText.includes('We could not check whether you are signed in')`)
	if _, err := chromedp.Call(c.ctx, fetch.Disable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	c.open("/")
	c.get("heading", "Circles")
}

// The first load of a page is small and asks nothing of any other origin.
func TestFirstLoadIsSmallAndLocal(t *testing.T) {
	signedIn := newTab(t)
	signedIn.signIn("maple", demoPassword)
	storyPath := eval[string](signedIn, `''`)
	signedIn.open("/c/cardiac-recovery")
	storyPath = eval[string](signedIn, `document.querySelector('.stories > li h3 a').getAttribute('href')`)

	// measure loads path and counts every request of that page until the
	// browser reports the network idle (no request for 500 ms after the
	// load), so a request the app makes late is counted too.
	measure := func(b *tab, path string) {
		t.Helper()
		var mu sync.Mutex
		var loader cdp.LoaderID // the navigation's own, once its document is asked for
		urls := map[network.RequestID]string{}
		finished := map[network.RequestID]float64{}
		idle := make(chan struct{})
		if err := chromedp.Listen(b.ctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch ev := ev.(type) {
			case *network.EventRequestWillBeSent:
				if ev.Type == network.ResourceTypeDocument && ev.Request.URL == baseURL+path {
					loader = ev.LoaderID
				}
				// What an earlier page of the tab still asked for is not this page's.
				if loader != "" && ev.LoaderID == loader {
					urls[ev.RequestID] = ev.Request.URL
				}
			case *network.EventLoadingFinished:
				finished[ev.RequestID] = ev.EncodedDataLength
			case *network.EventLoadingFailed:
				finished[ev.RequestID] = 0
			case *page.EventLifecycleEvent:
				if ev.Name == "networkIdle" && loader != "" && ev.LoaderID == loader {
					select {
					case <-idle:
					default:
						close(idle)
					}
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(b.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(b.ctx, page.SetLifecycleEventsEnabled, page.SetLifecycleEventsEnabledParams{Enabled: true}); err != nil {
			t.Fatal(err)
		}
		b.open(path)
		select {
		case <-idle:
		case <-time.After(30 * time.Second):
			mu.Lock()
			var open []string
			for id, u := range urls {
				if _, ok := finished[id]; !ok {
					open = append(open, u)
				}
			}
			mu.Unlock()
			t.Fatalf("%s: the network never went idle; still open: %v", path, open)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(urls) == 0 {
			t.Fatalf("%s: no request of the page was seen", path)
		}
		var total float64
		for id, u := range urls {
			if !strings.HasPrefix(u, baseURL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
				t.Errorf("%s asked another origin for %s", path, u)
			}
			n, ok := finished[id]
			if !ok {
				t.Errorf("%s: %s still loading when the network was reported idle", path, u)
			}
			total += n
		}
		t.Logf("first load of %s: %d requests, %.1f KB", path, len(urls), total/1024)
		if total > 100*1024 {
			t.Errorf("the first load of %s is %.1f KB, over 100 KB", path, total/1024)
		}
	}
	measure(newTab(t), "/")
	measure(newTab(t), "/join")
	signedIn.open("/")
	measure(signedIn, "/c/cardiac-recovery")
	measure(signedIn, storyPath)
	measure(signedIn, "/me")
}

// Everything works from the keyboard: reaching fields with Tab, sending a
// form with Enter, a dialog that Escape closes and that gives focus back,
// focus on the heading after moving to a new page, and a visible focus ring.
func TestKeyboard(t *testing.T) {
	b := newTab(t)
	b.open("/signin")
	b.press(kb.Tab)
	if got := b.focused(); got != "a:Skip to content" {
		t.Fatalf("the first Tab reaches %q, want the skip link", got)
	}
	if style := eval[string](b, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Fatal("the focused skip link shows no focus ring")
	}
	for i := 0; i < 10 && b.focused() != "input:Handle"; i++ {
		b.press(kb.Tab)
	}
	if b.focused() != "input:Handle" {
		t.Fatalf("Tab never reached the Handle field (at %q)", b.focused())
	}
	b.press("maple")
	b.press(kb.Tab)
	if b.focused() != "input:Password" {
		t.Fatalf("Tab from Handle went to %q", b.focused())
	}
	b.press(demoPassword)
	b.press(kb.Enter)
	b.waitJS("the circles", `document.querySelector('main h1')?.textContent === 'Circles'`)

	b.get("link", "Cardiac recovery").click()
	b.waitJS("focus on the circle's heading", `document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Cardiac recovery'`)

	link := eval[string](b, `document.querySelector('.stories > li:not(.is-pinned) h3 a').getAttribute('href')`)
	b.open(link)
	flag := b.all("button", "Flag")[0]
	callOn[chromedp.Void](flag, `function(){this.focus()}`)
	b.press(kb.Enter)
	b.get("button", "Send flag")
	if b.focused() != "select:Reason" {
		t.Fatalf("the flag dialog opened with focus on %q", b.focused())
	}
	b.press(kb.Escape)
	b.waitJS("the dialog to close", `!document.querySelector('dialog[open]')`)
	if b.focused() != "button:Flag" {
		t.Fatalf("after Escape focus is on %q, want the Flag button", b.focused())
	}
}

// A member changes their password (a wrong current one is named as such and
// signs nobody out), then forgets it and comes back with a recovery code,
// which works once; then makes a new set of codes, which replaces the old.
func TestChangePasswordAndRecover(t *testing.T) {
	b := newTab(t)
	who := handle("hazel")
	codes := b.join(who, testPassword)
	if len(codes) != 10 {
		t.Fatalf("want 10 codes, got %d", len(codes))
	}
	const second = "copper kettle evening rain"
	const third = "seven gentle harbour lights"

	b.open("/me")
	b.get("textbox", "Current password").fill("this is not my password")
	b.get("textbox", "New password").fill(second)
	b.get("button", "Change password").click()
	b.waitJS("the wrong password to be named", `[...document.querySelectorAll('.field-error:not([hidden])')].some(e => e.textContent.includes('do not match'))`)
	b.get("button", "Sign out")
	b.get("textbox", "Current password").fill(testPassword)
	b.get("textbox", "New password").fill(second)
	b.get("button", "Change password").click()
	b.waitJS("the change", `document.querySelector('main').innerText.includes('Your password is changed')`)

	// recoverWith signs out from /me and tries to come back in with code.
	recoverWith := func(code, password string) {
		t.Helper()
		b.get("button", "Sign out").click()
		b.get("link", "Sign in")
		b.open("/recover")
		b.get("textbox", "Handle").fill(who)
		b.get("textbox", "Recovery code").fill(code)
		b.get("textbox", "New password").fill(password)
		b.get("button", "Recover my account").click()
	}
	const backIn = `document.querySelector('main').innerText.includes('You are back in')`
	const refused = `[...document.querySelectorAll('.field-error:not([hidden])')].some(e => e.textContent.includes('used already'))`

	recoverWith(codes[0], third)
	b.waitJS("the way back in", backIn)
	b.open("/me")
	recoverWith(codes[0], testPassword)
	b.waitJS("a spent code to be refused", refused)
	b.signIn(who, third)

	// A new set of codes, made with the password, replaces the old one.
	b.open("/me")
	b.waitJS("the codes left", `document.querySelector('main').innerText.includes('You have 9 of 10 recovery codes left')`)
	b.get("textbox", "Your password").fill(testPassword)
	b.get("button", "Make new recovery codes").click()
	b.waitJS("the wrong password to be named", `[...document.querySelectorAll('.field-error:not([hidden])')].some(e => e.textContent.includes('do not match'))`)
	b.get("textbox", "Your password").fill(third)
	b.get("button", "Make new recovery codes").click()
	b.get("heading", "Your new recovery codes")
	b.axeCheck("/me new recovery codes")
	b.screenshot("member-me-new-codes-1280")
	renewed := eval[[]string](b, `[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`)
	if len(renewed) != 10 || slices.Contains(renewed, codes[1]) {
		t.Fatalf("renewed codes %v", renewed)
	}
	b.get("button", "I have saved my codes").click()
	b.waitJS("the full set", `document.querySelector('main').innerText.includes('You have 10 of 10 recovery codes left')`)
	recoverWith(codes[1], second)
	b.waitJS("an old code to be refused", refused)
	b.get("textbox", "Recovery code").fill(renewed[4])
	b.get("button", "Recover my account").click()
	b.waitJS("the way back in with a new code", backIn)
}

// Every page, for each kind of person, at a phone's width and a desktop's:
// no serious or critical axe-core violation, no sideways scroll at 360 px.
// With HEARTH_SCREENSHOTS=dir each page is also saved as a picture.
func TestEveryPageAccessibleAndFits(t *testing.T) {
	anon := newTab(t)
	member := newTab(t)
	member.signIn("maple", demoPassword)
	facilitator := newTab(t)
	facilitator.signIn("willow", demoPassword)
	moderator := newTab(t)
	moderator.signIn("heron", demoPassword)
	privateFacilitator := newTab(t)
	privateFacilitator.signIn("sage", demoPassword)
	admin := newTab(t)
	admin.signIn("juniper", demoPassword)

	// A story with replies, one with a warning, and a queue item.
	member.open("/c/cardiac-recovery")
	firstStory := eval[string](member, `[...document.querySelectorAll('.stories > li')].find(li => !li.querySelector('.badge.pinned') && /[1-9]\d* repl/.test(li.innerText))?.querySelector('h3 a')?.getAttribute('href') || ''`)
	if firstStory == "" {
		t.Fatal("no story with replies in cardiac-recovery")
	}
	warned := member.shareStory("cardiac-recovery", "Scans week", "Waiting for the results is the hardest part. "+strings.Repeat("waiting", 30), "medical detail")
	member.get("button", "Show story").click()
	member.get("textbox", "Reply").fill("A long word, to see that it wraps: " + strings.Repeat("pneumonoultramicroscopic", 6))
	member.get("button", "Send reply").click()
	member.waitJS("the reply", `document.querySelectorAll('.thread .reply').length === 1`)
	facilitator.open(warned)
	facilitator.all("button", "Flag")[0].click()
	facilitator.get("combobox", "Reason").choose("other")
	facilitator.get("button", "Send flag").click()
	facilitator.waitJS("the flag to be sent", `document.querySelector('.story .status')?.textContent.includes('Thank you')`)

	type visit struct {
		who  string
		b    *tab
		path string
		name string
		// open puts the page in a state worth checking (a dialog open).
		open func(b *tab)
	}
	flagOpen := func(b *tab) {
		b.all("button", "Flag")[0].click()
		b.get("button", "Send flag")
	}
	deleteOpen := func(b *tab) {
		b.get("button", "Delete my account").click()
		b.get("button", "Delete everything for good")
	}
	revealFirst := func(b *tab) {
		b.all("button", "Reveal")[0].click()
	}
	searched := func(b *tab) {
		b.get("textbox", "Search").fill("rehab")
		b.get("button", "Search").click()
		b.waitJS("the results", `document.querySelector('.search-results')?.hidden === false`)
	}
	// maple mentors bluejay in the demo.
	member.open("/mentorships")
	conversation := eval[string](member, `(async () => { for (let i = 0; i < 100; i++) { const a = document.querySelector('main a[href^="/mentorships/"]'); if (a) return a.getAttribute('href'); await new Promise(r => setTimeout(r, 50)); } return ''; })()`)
	if conversation == "" {
		t.Fatal("maple's mentorship is not listed on /mentorships")
	}
	visits := []visit{
		{"anon", anon, "/", "home", nil},
		{"anon", anon, "/join", "join", nil},
		{"anon", anon, "/signin", "signin", nil},
		{"anon", anon, "/recover", "recover", nil},
		{"anon", anon, "/no/such/page", "notfound", nil},
		{"member", member, "/", "home", nil},
		{"member", member, "/c/cardiac-recovery", "circle", nil},
		{"member", member, "/c/after-the-disaster", "circle-not-joined", nil},
		{"member", member, "/c/cardiac-recovery/new", "new-story", nil},
		{"member", member, firstStory, "story", nil},
		{"member", member, warned, "story-warned", nil},
		{"member", member, firstStory, "flag-dialog", flagOpen},
		{"member", member, "/notices", "notices", nil},
		{"member", member, "/c/cardiac-recovery/waiting", "circle-waiting", nil},
		{"member", member, "/search", "search", searched},
		{"member", member, "/mentorships", "mentorships", nil},
		{"member", member, conversation, "mentorship-conversation", nil},
		{"member", member, "/me", "me", nil},
		{"member", member, "/me", "delete-dialog", deleteOpen},
		{"member", member, "/c/no-such-circle", "private-gate", nil},
		{"member", member, "/moderation", "moderation-forbidden", nil},
		{"facilitator", facilitator, "/", "home", nil},
		{"facilitator", facilitator, "/c/cardiac-recovery", "circle", nil},
		{"facilitator", facilitator, "/mentorships", "mentorships", nil},
		{"facilitator", facilitator, "/c/cardiac-recovery/new?kind=guidance", "new-guidance", nil},
		{"facilitator", facilitator, firstStory, "story", nil},
		{"facilitator", privateFacilitator, "/c/addiction-recovery", "private-circle-invite", func(b *tab) {
			b.get("button", "Make invite code").click()
			b.get("button", "Copy link")
		}},
		{"moderator", moderator, "/", "home", nil},
		{"moderator", moderator, "/moderation", "queue", nil},
		{"moderator", moderator, "/moderation", "queue-revealed", revealFirst},
		{"moderator", moderator, "/moderation/members", "members", nil},
		{"moderator", moderator, "/moderation/log", "log", nil},
		{"moderator", moderator, "/moderation/appeals", "appeals", nil},
		{"moderator", moderator, "/c/addiction-recovery", "private-circle", nil},
		{"member", member, "/admin", "admin-forbidden", nil},
		{"admin", admin, "/admin", "admin", nil},
	}
	for _, v := range visits {
		for _, width := range []int64{360, 1280} {
			name := fmt.Sprintf("%s-%s-%d", v.who, v.name, width)
			v.b.viewport(width, 800)
			v.b.open(v.path)
			if v.open != nil {
				v.open(v.b)
			}
			if width == 360 {
				v.b.noSidewaysScroll(name)
			} else {
				v.b.axeCheck(name)
			}
			v.b.screenshot(name)
		}
	}
	// Dark mode too, for one page of each kind.
	for _, v := range visits {
		if v.open != nil || (v.who+"-"+v.name != "anon-home" && v.who+"-"+v.name != "member-story" && v.who+"-"+v.name != "moderator-queue" && v.who+"-"+v.name != "member-circle") {
			continue
		}
		v.b.do("dark mode", darkMode(true))
		v.b.viewport(1280, 800)
		v.b.open(v.path)
		v.b.axeCheck(v.who + "-" + v.name + "-dark")
		v.b.screenshot(v.who + "-" + v.name + "-dark")
		v.b.do("light mode", darkMode(false))
	}
	if !strings.HasPrefix(firstStory, "/s/") {
		t.Fatalf("odd story path %q", firstStory)
	}
}

// Members may edit or delete what they wrote (they cannot flag it: the API
// refuses, so no Flag button shows on their own writing).
func TestEditAndDeleteOwnWriting(t *testing.T) {
	b := newTab(t)
	who := handle("rowan")
	b.join(who, testPassword)
	b.open("/c/cancer-survivors")
	b.get("button", "Join circle").click()
	b.agree()
	b.get("link", "Share a story")
	path := b.shareStory("cancer-survivors", "Last day of chemo", "I rang the bell today.", "")
	if b.has("button", "Flag") {
		t.Fatal("a Flag button shows on the member's own story")
	}
	b.get("button", "Edit").click()
	b.get("textbox", "Title").fill("Last day of chemo, at last")
	b.get("textbox", "Content warning").fill("treatment detail")
	b.get("button", "Save changes").click()
	b.get("heading", "Last day of chemo, at last")
	b.get("button", "Show story")

	b.get("textbox", "Reply").fill("Thank you for the cake, nurses.")
	b.get("button", "Send reply").click()
	b.waitJS("the reply", `document.querySelectorAll(".thread .reply").length === 1`)
	reply := b.all("button", "Delete")[1].closest("li")
	if len(b.all("button", "Edit")) != 2 {
		t.Fatal("want Edit on the story and on the reply")
	}
	reply.in("button", "Edit").click()
	b.get("textbox", "Edit reply").fill("Thank you for the cake, dear nurses.")
	b.get("button", "Save changes").click()
	b.waitJS("the edited reply", `document.querySelector('.thread .reply .body')?.innerText.trim() === 'Thank you for the cake, dear nurses.'`)
	reply.in("button", "Delete").click()
	b.get("dialog", "Delete this reply?").in("button", "Delete reply").click()
	b.waitJS("the removed reply", `document.querySelector('.thread .reply')?.innerText.includes('This reply was removed.')`)

	b.open(path)
	b.all("button", "Delete")[0].click()
	b.get("dialog", "Delete this story?").in("button", "Delete story").click()
	b.waitJS("the circle after deleting", `location.pathname === '/c/cancer-survivors' && document.querySelector('main').innerText.includes('Your story is deleted.')`)
	b.open(path)
	b.get("heading", "This story was removed.")
}

// A member searches from the header. The words go only in the request's
// body, never in the address; the results page holds them in its own field
// (the header's steps aside), links each result to its story or to the
// reply in its thread, keeps a warned story's snippet behind its warning,
// narrows to one circle, and says what is wrong with a query it refuses.
func TestSearchFromTheHeader(t *testing.T) {
	b := newTab(t)
	b.signIn("maple", demoPassword)
	b.get("textbox", "Search").fill("Clipboard")
	b.axeCheck("the header's search form")
	b.screenshot("member-header-search-1280")
	b.viewport(360, 800)
	b.noSidewaysScroll("the header's search form at 360 px")
	b.screenshot("member-header-search-360")
	b.viewport(1280, 900)
	b.get("button", "Search").click()
	b.waitJS("the results", `location.pathname === '/search' && document.querySelectorAll('.search-result').length === 2`)
	if href := eval[string](b, `location.href + history.state`); strings.Contains(strings.ToLower(href), "clipboard") {
		t.Fatalf("the words are in the address: %s", href)
	}
	if n := len(b.all("textbox", "Search")); n != 1 || eval[string](b, `document.querySelector('main input[name=q]').value`) != "Clipboard" {
		t.Fatalf("want one Search field, the page's own, holding the words; %d fields", n)
	}
	b.get("link", "What nobody told me about intensive care")
	reply := b.get("link", "A reply to “What nobody told me about intensive care”")
	if eval[bool](b, `[...document.querySelectorAll('.search-result .cw-body')].some(e => e.checkVisibility())`) {
		t.Fatal("a warned story's snippet shows before Show snippet is pressed")
	}
	b.get("button", "Show snippet").click()
	if got := eval[string](b, `document.querySelector('.search-result .cw-body').innerText`); !strings.Contains(got, "clipboard") {
		t.Fatalf("the story's snippet reads %q", got)
	}
	b.axeCheck("/search with results")
	b.screenshot("member-search-1280")
	b.viewport(360, 800)
	b.noSidewaysScroll("/search at 360 px")
	b.viewport(1280, 900)

	// Narrowed to a circle that does not hold the word: nothing.
	b.get("combobox", "Circle").choose("grief-and-loss")
	b.get("button", "Search").click()
	b.waitJS("nothing found", `document.querySelector('main [role=status]')?.textContent.startsWith('Nothing found')`)
	b.get("combobox", "Circle").choose("cardiac-recovery")
	b.get("button", "Search").click()
	b.waitJS("the results again", `document.querySelectorAll('.search-result').length === 2`)

	// A query of one-letter words is refused at the field.
	b.get("textbox", "Search").fill("a")
	b.get("button", "Search").click()
	b.waitJS("the advice", `document.querySelector('.field-error:not([hidden])')?.textContent.includes('at least 2 letters')`)

	// A reply found opens its thread at the reply.
	b.get("textbox", "Search").fill("clipboard saying")
	b.get("button", "Search").click()
	b.waitJS("the reply alone", `document.querySelectorAll('.search-result').length === 1`)
	reply = b.get("link", "A reply to “What nobody told me about intensive care”")
	reply.click()
	b.waitJS("the reply in its thread", `location.pathname.startsWith('/s/') && document.activeElement?.id.startsWith('r-') && document.activeElement.innerText.includes('forty times')`)

	// A circle's page leads to searching it alone.
	b.open("/c/cardiac-recovery")
	b.get("link", "Search this circle").click()
	b.waitJS("the circle chosen", `location.pathname === '/search' && document.querySelector('main select[name=circle]').value === 'cardiac-recovery'`)
}

package frontend_test

import (
	"strings"
	"testing"
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

	// A reply that reads as a crisis brings the crisis resources, in an alert.
	b.get("textbox", "Reply").fill("Some nights I want to end it all.")
	b.get("button", "Send reply").click()
	alert := b.get("alert", "You are not alone")
	for _, name := range []string{"Find a helpline", "Emergency services"} {
		if !strings.Contains(alert.text(), name) {
			t.Errorf("the crisis alert does not name %q:\n%s", name, alert.text())
		}
	}

	// So does a story that reads as a crisis, on the page that follows it.
	b.shareStory("cardiac-recovery", "A hard week", "I feel like there is no reason to live lately.", "")
	alert = b.get("alert", "You are not alone")
	for _, name := range []string{"Find a helpline", "Emergency services"} {
		if !strings.Contains(alert.text(), name) {
			t.Errorf("the crisis alert after a story does not name %q:\n%s", name, alert.text())
		}
	}
	if d := b.dialogs.Load(); d != 0 {
		t.Fatalf("%d JavaScript dialogs opened", d)
	}
}

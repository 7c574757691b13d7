package frontend_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// agree presses "I agree" under a circle's guidelines and waits until the
// page says so.
func (b *tab) agree() {
	b.t.Helper()
	b.get("button", "I agree").click()
	b.waitJS("the guidelines agreed to", `!document.querySelector('.agree') && !!document.querySelector('main')?.textContent.includes('You have agreed to these guidelines')`)
}

// TestAdminCreatesCircleAndAppointsFacilitator: an admin makes a circle,
// appoints a facilitator and sees them listed, and writes the circle's
// first guidelines and resources, entirely in the browser; the new
// facilitator finds them on the circle's page and writes the next version;
// a member who is no admin finds /admin closed, calmly.
func TestAdminCreatesCircleAndAppointsFacilitator(t *testing.T) {
	keeper := newTab(t)
	who := handle("rowan")
	keeper.join(who, testPassword)
	if keeper.has("link", "Administration") {
		t.Fatal("a member sees the Administration link")
	}
	keeper.open("/admin")
	keeper.get("heading", "Only for administrators")

	admin := newTab(t)
	admin.signIn("juniper", demoPassword)
	admin.get("link", "Administration").click()
	admin.get("heading", "Administration")
	admin.axeCheck("/admin")
	// Each circle is folded under its name, and opens to its settings,
	// facilitators (read on opening), guidelines and resources.
	if admin.has("form", "Settings of Cardiac recovery") {
		t.Error("a circle's settings show before it is opened")
	}
	admin.get("heading", "Cardiac recovery /c/cardiac-recovery").click()
	admin.get("form", "Settings of Cardiac recovery")
	admin.waitJS("Cardiac recovery's facilitators read on opening", `[...document.querySelectorAll('ul[aria-label="Who facilitates Cardiac recovery"] li')].some(li => li.innerText.startsWith('willow, since '))`)
	slug := "walkers-" + strings.ReplaceAll(handle("c"), "c-", "")
	name := "Evening walkers " + slug[len(slug)-4:]
	form := admin.get("form", "New circle")
	form.in("textbox", "Slug").fill(slug)
	form.in("textbox", "Name").fill(name)
	form.in("textbox", "Description").fill("For walking off a long day together.")
	form.in("combobox", "Visibility").choose("open")
	form.in("checkbox", "Premoderation").click()
	form.in("button", "Create circle").click()
	// The circle just made is shown open.
	facilitators := admin.get("form", "Facilitators of "+name)
	listed := facilitators.in("list", "Who facilitates "+name)
	admin.waitJS("nobody facilitates the new circle yet", fmt.Sprintf(`[...document.querySelectorAll('ul[aria-label=%q] li')].map(li => li.innerText).join('|') === 'Nobody facilitates this circle yet.'`, "Who facilitates "+name))
	facilitators.in("textbox", "Handle").fill(who)
	facilitators.in("button", "Appoint").click()
	admin.waitJS("the appointment confirmed", `!!document.querySelector('main')?.innerText.includes('now facilitates')`)
	admin.waitJS("the new facilitator listed", fmt.Sprintf(`[...document.querySelectorAll('ul[aria-label=%q] li')].map(li => li.innerText).join('|').startsWith(%q)`, "Who facilitates "+name, who+", since "))
	if n := callOn[int](listed, `function(){return this.querySelectorAll('li').length}`); n != 1 {
		t.Errorf("%d facilitators listed, want 1", n)
	}
	created := admin.get("form", "Settings of "+name)
	if !callOn[bool](created.in("checkbox", "Premoderation"), `function(){return this.checked}`) {
		t.Error("the new circle's settings do not show premoderation on")
	}
	admin.get("form", "Roles")

	// The admin, who facilitates nothing, writes the circle's first
	// guidelines and resources here.
	guidelines := admin.get("form", "Guidelines of "+name)
	guidelines.in("textbox", "Guidelines").fill("Walk at your own pace.")
	guidelines.in("button", "Save guidelines").click()
	admin.waitJS("the admin's guidelines saved", `!!document.querySelector('main')?.innerText.includes('Version 1 is saved, and logged.')`)
	resources := admin.get("form", "Resources of "+name)
	resources.in("textbox", "Resources").fill("Evening line: call 0800 555 0199")
	resources.in("button", "Save resources").click()
	admin.waitJS("the admin's resources saved", `!!document.querySelector('main')?.innerText.includes('The resources are saved, and logged.')`)
	admin.axeCheck("/admin with a circle's facilitators, guidelines and resources")

	// The new facilitator finds the circle theirs and writes its guidelines.
	keeper.open("/c/" + slug)
	keeper.get("heading", name)
	keeper.get("heading", "Facilitator tools")
	if text := keeper.mainText(); !strings.Contains(text, "Walk at your own pace.") || !strings.Contains(text, "Evening line: call 0800 555 0199") {
		t.Fatalf("the admin's guidelines and resources are not on the circle's page:\n%s", text)
	}
	keeper.get("textbox", "Guidelines").fill("Walk kindly. No phone numbers.")
	keeper.get("button", "Save guidelines").click()
	keeper.waitJS("the guidelines on the page", `[...document.querySelectorAll('.guidelines-text')].some(e => e.textContent.includes('Walk kindly'))`)
	keeper.get("textbox", "Resources").fill("Walking line: call 0800 555 0101")
	keeper.get("button", "Save resources").click()
	keeper.waitJS("the resources on the page", `!!document.querySelector('.resources')?.innerText.includes('Walking line: call 0800 555 0101')`)
	keeper.axeCheck("/c/{slug} as its facilitator")
}

// TestMemberAgreesToGuidelinesThenPosts: a newcomer joins a demo circle,
// meets its guidelines before writing, and a story sent before agreeing is
// held back with its draft kept; after "I agree" it is shared.
func TestMemberAgreesToGuidelinesThenPosts(t *testing.T) {
	b := newTab(t)
	b.join(handle("moss"), testPassword)
	b.open("/c/grief-and-loss")
	b.get("button", "Join circle").click()
	b.get("heading", "Circle guidelines")
	b.get("button", "I agree")
	if text := eval[string](b, `document.querySelector('main').innerText`); !strings.Contains(text, "Keep contact inside Hearth") || !strings.Contains(text, "Bereavement support") {
		t.Fatalf("the circle page lacks its guidelines or resources:\n%s", text)
	}
	b.axeCheck("/c/{slug} before agreeing")

	// Writing before agreeing: the draft is kept and the guidelines come.
	b.open("/c/grief-and-loss/new")
	b.get("button", "I agree")
	b.get("textbox", "Title").fill("The first winter")
	b.get("textbox", "Story").fill("The first winter without her is the hardest.")
	b.get("button", "Share").click()
	b.waitJS("the story held back", `!!document.querySelector('.care-slot .notice-banner')`)
	if got := eval[string](b, `document.querySelector('textarea[name=body]').value`); got != "The first winter without her is the hardest." {
		t.Fatalf("the draft was lost: %q", got)
	}
	b.agree()
	b.get("button", "Share").click()
	b.waitJS("the new story", `location.pathname.startsWith('/s/') && document.querySelector('main h1')?.textContent === 'The first winter'`)

	// On the circle page the guidelines are folded away now.
	b.open("/c/grief-and-loss")
	b.get("heading", "Stories")
	if b.has("button", "I agree") {
		t.Error("the circle still asks to agree")
	}
}

// TestSignedOutFirstVisitIsQuiet: a first visit, signed out, asks for no
// session it does not have, so the console holds no error (a 401 on the
// session probe was one); signing in still restores the session on reload.
func TestSignedOutFirstVisitIsQuiet(t *testing.T) {
	b := newTab(t)
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(b.ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				problems = append(problems, ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		case *network.EventResponseReceived:
			if ev.Response.Status >= 400 {
				problems = append(problems, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(b.ctx, cdplog.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(b.ctx, network.Enable, network.EnableParams{}); return err },
		func() error { _, err := chromedp.Call(b.ctx, runtime.Enable, cdp.Empty{}); return err },
	} {
		if err := enable(); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"/join", "/signin", "/"} {
		b.open(p)
	}
	b.get("link", "Join")
	time.Sleep(500 * time.Millisecond) // anything late still shows
	mu.Lock()
	if len(problems) > 0 {
		t.Errorf("a signed-out visit logged errors: %v", problems)
	}
	mu.Unlock()

	// Signed in, a reload still finds the session.
	b.signIn("maple", demoPassword)
	b.open("/me")
	b.get("button", "Sign out")
}

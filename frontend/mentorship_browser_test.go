package frontend_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestMentorshipFromOfferToEnd: a member offers to mentor, the circle's
// facilitator approves, a newcomer asks, the mentor accepts, they talk in
// a conversation that says who can read it, and the newcomer ends it.
func TestMentorshipFromOfferToEnd(t *testing.T) {
	mentor := newTab(t)
	mh := handle("oak")
	mentor.join(mh, testPassword)
	mentor.open("/c/cardiac-recovery")
	mentor.get("button", "Join circle").click()
	mentor.agree()
	mentor.get("button", "Offer to mentor")
	for _, title := range []string{"Week one", "Week two", "Week three"} {
		mentor.shareStory("cardiac-recovery", title+" "+handle("w"), "Slowly, and with help.", "")
	}
	mentor.open("/c/cardiac-recovery")
	mentor.get("button", "Offer to mentor").click()
	mentor.get("textbox", "Intro").fill("Two years past my bypass. I remember the first weeks well.")
	mentor.get("button", "Send offer").click()
	mentor.waitJS("the offer sent", `!document.querySelector('dialog[open]')`)

	willow := newTab(t)
	willow.signIn("willow", demoPassword)
	willow.open("/mentorships")
	willow.get("heading", "Mentorship")
	if len(willow.all("button", "Approve")) != 2 || len(willow.all("button", "Remove")) != 2 {
		t.Fatal("willow does not see both waiting offers, each with Approve and Remove")
	}
	willow.waitJS("the offer listed", `[...document.querySelectorAll('main li')].some(li => li.textContent.includes('`+mh+`'))`)
	willow.axeCheck("/mentorships with offers")
	eval[bool](willow, `(() => { const li = [...document.querySelectorAll('main li')].find(li => li.textContent.includes('`+mh+`')); [...li.querySelectorAll('button')].find(b => b.textContent === 'Approve').click(); return true })()`)
	willow.waitJS("the offer approved", `!document.querySelector('main').textContent.includes('`+mh+`')`)

	newcomer := newTab(t)
	nh := handle("sprout")
	newcomer.join(nh, testPassword)
	newcomer.open("/c/cardiac-recovery")
	newcomer.get("button", "Join circle").click()
	newcomer.agree()
	newcomer.get("heading", "Mentors")
	newcomer.waitJS("the mentor listed", `[...document.querySelectorAll('.mentors li')].some(li => li.textContent.includes('`+mh+`'))`)
	eval[bool](newcomer, `(() => { const li = [...document.querySelectorAll('.mentors li')].find(li => li.textContent.includes('`+mh+`')); li.querySelector('button').click(); return true })()`)
	newcomer.get("textbox", "Message").fill("Hello. I had my surgery last month and I am scared of the stairs.")
	newcomer.get("button", "Send request").click()
	newcomer.waitJS("the conversation", `location.pathname.startsWith('/mentorships/')`)
	conversation := newcomer.path()

	mentor.open("/mentorships")
	mentor.get("link", "You mentor "+nh+" in Cardiac recovery")
	mentor.get("button", "Accept").click()
	mentor.waitJS("the request accepted", `!document.querySelector('main button.primary')`)
	mentor.open(conversation)
	mentor.get("heading", "Mentorship")
	if text := mentor.mainText(); !strings.Contains(text, "You mentor "+nh+" in Cardiac recovery") ||
		!strings.Contains(text, "Only you and "+nh+" can read this conversation. Moderators read a message only if one of you flags it.") ||
		!strings.Contains(text, "scared of the stairs") {
		t.Fatalf("the conversation reads %q", text)
	}
	mentor.get("textbox", "Message").fill("Welcome. One step at a time; the stairs get easier.")
	mentor.get("button", "Send").click()
	mentor.waitJS("the message sent", `document.querySelector('.messages').textContent.includes('the stairs get easier')`)
	mentor.axeCheck("a mentorship conversation")

	newcomer.open("/notices")
	newcomer.waitJS("the mentorship notices", `document.querySelectorAll('a[href="`+conversation+`"]').length >= 2`)
	if n := len(newcomer.all("link", "Open the conversation")); n < 2 {
		t.Fatalf("%d notices lead to the conversation, want the acceptance and the message", n)
	}
	newcomer.open(conversation)
	newcomer.waitJS("the mentor's message", `document.querySelector('.messages')?.textContent.includes('the stairs get easier')`)
	if !strings.Contains(newcomer.mainText(), "Only you and "+mh+" can read this conversation.") {
		t.Fatal("the newcomer is not told who reads the conversation")
	}
	newcomer.get("button", "End mentorship").click()
	newcomer.waitJS("the end", `document.querySelector('main').textContent.includes('This mentorship has ended')`)
	if newcomer.has("button", "Send") {
		t.Fatal("an ended mentorship still takes messages")
	}
	newcomer.open("/")
	newcomer.get("link", "Mentorship").click()
	newcomer.waitJS("the mentorship list", `location.pathname === '/mentorships'`)
	newcomer.get("heading", "Mentorship")
}

// TestAskForAMentorChecksFirst: the request's first message meets the same
// check as every other writing before it leaves: Edit keeps the draft in
// the open request and sends nothing; Share anyway sends it.
func TestAskForAMentorChecksFirst(t *testing.T) {
	b := newTab(t)
	b.join(handle("fern"), testPassword)
	b.open("/c/cardiac-recovery")
	b.get("button", "Join circle").click()
	b.agree()
	b.get("heading", "Mentors")
	b.waitJS("maple listed", `[...document.querySelectorAll('.mentors li')].some(li => li.textContent.includes('maple'))`)
	eval[bool](b, `(() => { const li = [...document.querySelectorAll('.mentors li')].find(li => li.textContent.includes('maple')); li.querySelector('button').click(); return true })()`)
	const draft = "Hello maple. I am scared of the stairs; my number is 07700 900123."
	b.get("textbox", "Message").fill(draft)
	b.get("button", "Send request").click()
	dlg := b.get("dialog", "Before you share")
	if text := dlg.text(); !strings.Contains(text, "a phone number") || !strings.Contains(text, "Once shared, maple can read it.") {
		t.Fatalf("the check's dialog reads %q", text)
	}
	if marks := eval[[]string](b, `[...document.querySelectorAll('dialog.precheck mark')].map(m => m.textContent)`); strings.Join(marks, "|") != "07700 900123" {
		t.Fatalf("marked %q, want the phone number", marks)
	}
	b.axeCheck("the check before asking for a mentor")
	dlg.in("button", "Edit").click()
	b.waitJS("the check to close", `!document.querySelector('dialog.precheck')`)
	if b.path() != "/c/cardiac-recovery" || !eval[bool](b, `!!document.querySelector('dialog[open] textarea[name=message]')`) {
		t.Fatalf("after Edit: %s, and the request is no longer open", b.path())
	}
	if got := eval[string](b, `document.querySelector('dialog[open] textarea[name=message]').value`); got != draft {
		t.Fatalf("after Edit the draft reads %q", got)
	}
	b.open("/mentorships")
	b.get("heading", "Mentorship")
	if b.has("link", "maple mentors you in Cardiac recovery") {
		t.Fatal("Edit sent the request")
	}

	b.open("/c/cardiac-recovery")
	b.waitJS("maple listed", `[...document.querySelectorAll('.mentors li')].some(li => li.textContent.includes('maple'))`)
	eval[bool](b, `(() => { const li = [...document.querySelectorAll('.mentors li')].find(li => li.textContent.includes('maple')); li.querySelector('button').click(); return true })()`)
	b.get("textbox", "Message").fill(draft)
	b.get("button", "Send request").click()
	b.get("dialog", "Before you share").in("button", "Share anyway").click()
	b.waitJS("the conversation", `location.pathname.startsWith('/mentorships/')`)
	b.waitJS("the first message", `document.querySelector('.messages')?.textContent.includes('07700 900123')`)
}

// TestAdminDecidesAFacilitatorsOffer: a facilitator's own offer waits for
// an admin, who sees it with Approve and Remove and approves it; the
// facilitator is not shown their own offer to approve.
func TestAdminDecidesAFacilitatorsOffer(t *testing.T) {
	willow := newTab(t)
	willow.signIn("willow", demoPassword)
	for _, title := range []string{"Stairs", "Walks", "Sleep"} {
		willow.shareStory("cardiac-recovery", title+" "+handle("w"), "What helped me, slowly.", "")
	}
	willow.open("/c/cardiac-recovery")
	willow.get("button", "Offer to mentor").click()
	willow.get("textbox", "Intro").fill("I facilitate here, and I mentor too.")
	willow.get("button", "Send offer").click()
	willow.waitJS("the offer sent", `!document.querySelector('dialog[open]')`)
	willow.open("/mentorships")
	willow.get("heading", "Mentorship")
	if strings.Contains(willow.mainText(), "I facilitate here, and I mentor too.") {
		t.Fatal("willow is shown her own offer to decide on")
	}

	admin := newTab(t)
	admin.signIn("juniper", demoPassword)
	admin.open("/mentorships")
	offers := `[...document.querySelectorAll('section[aria-labelledby="offers-title"] li')]`
	admin.waitJS("willow's offer", offers+`.some(li => li.textContent.includes('willow') && li.textContent.includes('I facilitate here'))`)
	if eval[bool](admin, offers+`.some(li => li.textContent.includes('steadyoak'))`) {
		t.Fatal("the admin is shown an offer that is the facilitator's to decide")
	}
	admin.axeCheck("/mentorships with a facilitator's offer, for an admin")
	eval[bool](admin, `(() => { const li = `+offers+`.find(li => li.textContent.includes('willow')); [...li.querySelectorAll('button')].find(b => b.textContent === 'Approve').click(); return true })()`)
	admin.waitJS("the offer approved", `!`+offers+`.some(li => li.textContent.includes('willow'))`)

	newcomer := newTab(t)
	newcomer.join(handle("moss"), testPassword)
	newcomer.open("/c/cardiac-recovery")
	newcomer.get("button", "Join circle").click()
	newcomer.agree()
	newcomer.waitJS("willow listed as a mentor", `[...document.querySelectorAll('.mentors li')].some(li => li.textContent.includes('willow'))`)
}

// TestMentorshipHeldBackForGuidelines: a member who has not yet agreed to
// the circle's guidelines asks for a mentor in words that read as a
// crisis, and shares them anyway past the check: the request dialog keeps
// the words and shows the crisis resources, the circle's own among them,
// with the guidelines to agree to. An offer held back the same way in calm
// words brings the guidelines alone, and once agreed, is answered on its
// merits.
func TestMentorshipHeldBackForGuidelines(t *testing.T) {
	b := newTab(t)
	b.join(handle("fern"), testPassword)
	b.open("/c/cardiac-recovery")
	b.get("button", "Join circle").click()
	b.get("heading", "Mentors")
	b.waitJS("a mentor to ask", `!!document.querySelector('.mentors li button:not([disabled])')`)
	eval[bool](b, `(() => { document.querySelector('.mentors li button:not([disabled])').click(); return true })()`)
	words := "Tonight I want to end my life. Could you walk beside me?"
	b.get("textbox", "Message").fill(words)
	b.get("button", "Send request").click()
	b.get("dialog", "Before you share: you are not alone").in("button", "Share anyway").click()
	b.waitJS("the request held back", `!!document.querySelector('dialog[open] .care-slot .notice-banner')`)
	alert := b.get("alert", "You are not alone")
	if text := alert.text(); !strings.Contains(text, "Your cardiac rehab team") || !strings.Contains(text, "Find a helpline") {
		t.Errorf("the held-back request's crisis resources read %q", text)
	}
	if got := eval[string](b, `document.querySelector('dialog[open] textarea[name=message]').value`); got != words {
		t.Fatalf("the message was lost: %q", got)
	}
	b.get("button", "I agree")
	b.axeCheck("a mentorship request held back for the guidelines")
	b.press(kb.Escape)
	b.waitJS("the dialog closed", `!document.querySelector('dialog[open]')`)

	b.get("button", "Offer to mentor").click()
	b.get("textbox", "Intro").fill("I can listen.")
	b.get("button", "Send offer").click()
	b.waitJS("the offer held back", `!!document.querySelector('dialog[open] .care-slot .notice-banner')`)
	if b.has("alert", "You are not alone") {
		t.Error("calm words held back brought crisis resources")
	}
	b.get("button", "I agree").click()
	b.waitJS("agreed in the dialog", `!!document.querySelector('dialog[open] .care-slot')?.textContent.includes('You have agreed to these guidelines')`)
	b.get("button", "Send offer").click()
	b.waitJS("the offer answered on its merits", `!!document.querySelector('dialog[open] .form-error')?.textContent.includes('Mentors have shared at least 3 stories or replies in this circle first.')`)
}

package frontend_test

import (
	"strings"
	"testing"
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

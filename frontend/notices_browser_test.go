package frontend_test

import (
	"strconv"
	"strings"
	"testing"
)

// TestReplyRaisesTheNoticesBadge: a second member's reply raises the first
// member's Notices count, in its accessible name too, without a reload;
// the notice says who replied to the member's story; Mark all read clears
// it.
func TestReplyRaisesTheNoticesBadge(t *testing.T) {
	writer := newTab(t)
	writer.join(handle("lark"), testPassword)
	writer.open("/c/cardiac-recovery")
	writer.get("button", "Join circle").click()
	writer.agree()
	writer.get("link", "Share a story")
	storyPath := writer.shareStory("cardiac-recovery", "Waiting to hear from someone", "The first week home was quiet.", "")
	writer.get("button", "Following")
	writer.open("/")
	writer.get("link", "Notices")

	replier := newTab(t)
	who := handle("wren")
	replier.join(who, testPassword)
	replier.open("/c/cardiac-recovery")
	replier.get("button", "Join circle").click()
	replier.agree()
	replier.get("link", "Share a story")
	replier.open(storyPath)
	replier.get("textbox", "Reply").fill("The quiet passes. It did for me.")
	replier.get("button", "Send reply").click()
	replier.waitJS("the reply in the thread", `document.querySelector('.thread')?.innerText.includes('The quiet passes')`)

	// No reload: the page asks by itself, within the half-minute.
	writer.waitJS("the Notices link to count the reply", `document.getElementById('notices-link')?.getAttribute('aria-label') === 'Notices, 1 unread'`)
	writer.get("link", "Notices, 1 unread").click()
	writer.get("heading", "Notices")
	writer.waitJS("the notice to name the story", `document.querySelector('.notice cite')?.textContent === 'Waiting to hear from someone'`)
	if text := writer.mainText(); !strings.Contains(text, who+" replied to your story Waiting to hear from someone") || !strings.Contains(text, "New") {
		t.Fatalf("the notice does not say who replied to the member's story, or that it is new:\n%s", text)
	}
	writer.axeCheck("/notices with an unread notice")
	writer.get("button", "Mark all read").click()
	writer.waitJS("the count to clear", `document.getElementById('notices-link')?.getAttribute('aria-label') === 'Notices' && !document.querySelector('.notice.unread')`)
	writer.get("link", "Read the reply").click()
	writer.waitJS("the reply, in focus", `document.activeElement?.innerText?.includes('The quiet passes')`)
}

// TestFacilitatorIsSeenAndCalled: a facilitator's writing carries the
// Facilitator badge in lists and threads; a member can stop and start
// following their story; crisis words in a reply call the circle's
// facilitator, who answers "I'm with them" from the notice.
func TestFacilitatorIsSeenAndCalled(t *testing.T) {
	member := newTab(t)
	member.join(handle("alder"), testPassword)
	member.open("/c/cardiac-recovery")
	member.get("button", "Join circle").click()
	member.agree()
	member.waitJS("willow's guidance with the Facilitator badge", `[...document.querySelectorAll('.story-card')].some(c =>
		c.querySelector('.handle')?.textContent === 'willow' && c.querySelector('.badge.facilitator'))`)
	title := "Home from hospital " + handle("t")
	storyPath := member.shareStory("cardiac-recovery", title, "Three days home and the stairs still frighten me.", "")
	if eval[bool](member, `!!document.querySelector('main .badge.facilitator')`) {
		t.Fatal("a member's own story carries the Facilitator badge")
	}

	// Following: on by writing the story; off, and on again, by the button.
	member.get("button", "Following").click()
	member.waitJS("word that replies will not be heard of", `document.querySelector('.follow-status')?.textContent === 'You will no longer hear of new replies.'`)
	member.open(storyPath)
	member.get("button", "Follow").click()
	member.waitJS("word that replies will be heard of", `document.querySelector('.follow-status')?.textContent === 'You will hear of new replies.'`)
	member.open(storyPath)
	member.get("button", "Following")

	facilitator := newTab(t)
	facilitator.signIn("willow", demoPassword)
	facilitator.open(storyPath)
	facilitator.get("textbox", "Reply").fill("The stairs get easier. One at a time is enough.")
	facilitator.get("button", "Send reply").click()
	facilitator.waitJS("the facilitator's reply", `document.querySelector('.thread')?.innerText.includes('One at a time')`)

	member.open(storyPath)
	member.waitJS("the facilitator's reply with its badge", `[...document.querySelectorAll('.thread .reply')].some(r =>
		r.innerText.includes('One at a time') && r.querySelector('.badge.facilitator'))`)

	// Crisis words in a reply: shared anyway, the facilitator is called.
	member.get("textbox", "Reply").fill("Some nights I want to end my life.")
	member.get("button", "Send reply").click()
	member.get("dialog", "Before you share: you are not alone").in("button", "Share anyway").click()
	member.waitJS("the reply in the thread", `document.querySelector('.thread')?.innerText.includes('Some nights')`)

	facilitator.open("/notices")
	find := `[...document.querySelectorAll('.notice')].find(n => n.querySelector('cite')?.textContent === ` + strconv.Quote(title) + ` && n.innerText.includes('Someone may need you'))`
	facilitator.waitJS("the call to the facilitator", `!!`+find)
	if text := eval[string](facilitator, find+`.innerText`); strings.Contains(text, "end my life") {
		t.Fatalf("the call quotes the member's words:\n%s", text)
	}
	eval[bool](facilitator, `(() => { `+find+`.querySelector('button').click(); return true; })()`)
	facilitator.waitJS("the thanks", find+`.innerText.includes('The moderation team can see that you are with them')`)
}

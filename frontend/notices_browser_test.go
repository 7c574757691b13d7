package frontend_test

import (
	"strings"
	"testing"
)

// TestReplyRaisesTheNoticesBadge: a second member's reply raises the first
// member's Notices count, in its accessible name too, without a reload;
// the notice names who replied and the story; Mark all read clears it.
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
	if text := writer.mainText(); !strings.Contains(text, who) || !strings.Contains(text, "New") {
		t.Fatalf("the notice does not say who replied, or that it is new:\n%s", text)
	}
	writer.axeCheck("/notices with an unread notice")
	writer.get("button", "Mark all read").click()
	writer.waitJS("the count to clear", `document.getElementById('notices-link')?.getAttribute('aria-label') === 'Notices' && !document.querySelector('.notice.unread')`)
	writer.get("link", "Read the reply").click()
	writer.waitJS("the reply, in focus", `document.activeElement?.innerText?.includes('The quiet passes')`)
}

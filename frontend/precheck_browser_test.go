package frontend_test

import (
	"strings"
	"testing"
)

// TestCheckBeforeSharing: before a story or a reply is sent, the check
// runs; when it finds identifying details, a modal dialog names them and
// marks them in the writer's words (as text: nothing of the draft becomes
// markup). Edit goes back to the form with the draft as it was and
// nothing posted; Share anyway posts. Crisis wording brings the crisis
// resources in the dialog, before posting. Ordinary writing goes straight
// through, and so does any writing when the check cannot run.
func TestCheckBeforeSharing(t *testing.T) {
	b := newTab(t)
	b.join(handle("linden"), testPassword)
	b.open("/c/cancer-survivors")
	b.get("button", "Join circle").click()
	b.agree()
	b.get("link", "Share a story")

	// A story with a phone number, an email address and some markup.
	const draft = "🌱 <b>Day 30</b>. Text me on 07700 900123 or write to linden@example.org."
	b.open("/c/cancer-survivors/new")
	b.get("textbox", "Title").fill("Thirty days")
	b.get("textbox", "Story").fill(draft)
	b.get("button", "Share").click()
	dlg := b.get("dialog", "Before you share")
	if dlg.attr("aria-modal") != "true" || !eval[bool](b, `document.querySelector('dialog.precheck').open && document.querySelector('dialog.precheck').matches(':modal')`) {
		t.Fatal("the check's dialog is not modal")
	}
	text := dlg.text()
	for _, want := range []string{"a phone number", "an email address", "Edit", "Share anyway"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dialog does not name %q:\n%s", want, text)
		}
	}
	marks := eval[[]string](b, `[...document.querySelectorAll('dialog.precheck mark')].map(m => m.textContent)`)
	if strings.Join(marks, "|") != "07700 900123|linden@example.org" {
		t.Errorf("marked %q, want the phone number and the email address", marks)
	}
	if n := eval[int](b, `document.querySelectorAll('dialog.precheck b').length`); n != 0 {
		t.Error("the draft's markup became elements in the dialog")
	}
	b.axeCheck("the check's dialog")
	b.screenshot("member-precheck-dialog-1280")

	// Edit: back to the form, the draft kept, nothing posted.
	dlg.in("button", "Edit").click()
	b.waitJS("the dialog to close", `!document.querySelector('dialog.precheck')`)
	if b.path() != "/c/cancer-survivors/new" {
		t.Fatalf("Edit left the form for %s", b.path())
	}
	if got := eval[string](b, `document.querySelector('textarea[name=body]').value`); got != draft {
		t.Fatalf("after Edit the draft reads %q", got)
	}
	if got := eval[string](b, `document.querySelector('input[name=title]').value`); got != "Thirty days" {
		t.Fatalf("after Edit the title reads %q", got)
	}
	if !strings.Contains(b.focused(), "Story") {
		t.Errorf("after Edit focus is on %q, want the story", b.focused())
	}

	// Share anyway posts it as written.
	b.get("button", "Share").click()
	b.get("dialog", "Before you share").in("button", "Share anyway").click()
	b.waitJS("the story page", `location.pathname.startsWith('/s/')`)
	b.get("heading", "Thirty days")
	if !strings.Contains(b.mainText(), "07700 900123") {
		t.Fatal("the story shared anyway is not as written")
	}

	// A reply: crisis wording brings the resources before it is sent.
	b.get("textbox", "Reply").fill("I want to end my life. My address is 12 Baker Street.")
	b.get("button", "Send reply").click()
	dlg = b.get("dialog", "Before you share")
	text = dlg.text()
	for _, want := range []string{"a street address", "Find a helpline", "Emergency services"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reply's dialog does not name %q:\n%s", want, text)
		}
	}
	dlg.in("button", "Edit").click()
	b.waitJS("the dialog to close", `!document.querySelector('dialog.precheck')`)
	if n := eval[int](b, `document.querySelectorAll('.thread .reply').length`); n != 0 {
		t.Fatalf("Edit posted the reply (%d replies)", n)
	}
	b.get("textbox", "Reply").fill("Thank you for being here, everyone.")
	b.get("button", "Send reply").click()
	b.waitJS("the ordinary reply, with no dialog", `document.querySelectorAll('.thread .reply').length === 1 && !document.querySelector('dialog.precheck')`)

	// A check that cannot run (here: too many checks) never holds the
	// writing back: it is posted as it would have been.
	eval[bool](b, `(() => {
		const real = window.fetch;
		window.fetch = (url, init) => String(url).endsWith('/checks/text')
			? Promise.resolve(new Response('{"status":429,"code":"rate_limited"}', {status: 429, headers: {'Content-Type': 'application/problem+json', 'Retry-After': '30'}}))
			: real(url, init);
		return true;
	})()`)
	b.get("textbox", "Reply").fill("Ring me on 07700 900123 any time.")
	b.get("button", "Send reply").click()
	b.waitJS("the reply posted without a check", `document.querySelectorAll('.thread .reply').length === 2 && !document.querySelector('dialog.precheck')`)
	if d := b.dialogs.Load(); d != 0 {
		t.Fatalf("%d JavaScript dialogs opened", d)
	}
}

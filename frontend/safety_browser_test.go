package frontend_test

import (
	"strings"
	"testing"
)

// TestReaderSafetyFolds: an author ticks themes when sharing; a reader who
// hides one of them meets a calm placeholder with Show (which brings the
// story back whole); one who is warned of it meets the story folded
// behind its themes; muting the author from the story's menu folds it,
// and Unmute on /me lifts that.
func TestReaderSafetyFolds(t *testing.T) {
	author := newTab(t)
	who := handle("ash")
	author.join(who, testPassword)
	author.open("/c/cancer-survivors")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	author.open("/c/cancer-survivors/new")
	author.get("textbox", "Title").fill("Not eating after surgery")
	author.get("textbox", "Story").fill("For weeks food tasted of metal.")
	author.get("checkbox", "Eating").click()
	author.get("checkbox", "Graphic medical detail").click()
	author.get("button", "Share").click()
	author.waitJS("the new story", `location.pathname.startsWith('/s/') && !!document.querySelector('main > .page h1')`)
	path := author.path()
	if author.has("button", "Show story") {
		t.Fatal("the author's own story is folded for them")
	}

	reader := newTab(t)
	reader.join(handle("elm"), testPassword)
	reader.open("/me")
	reader.get("group", "Eating").in("radio", "Hide").click()
	reader.waitJS("the saved preference", `document.querySelector('main').innerText.includes('Saved: Eating, hide.')`)

	reader.open(path)
	reader.get("heading", "A story")
	if !strings.Contains(reader.mainText(), "Hidden by your preferences") || strings.Contains(reader.mainText(), "metal") {
		t.Fatalf("a hidden theme: %q", reader.mainText())
	}
	reader.get("button", "Show").click()
	reader.waitJS("the story revealed", `location.search.includes('reveal=true') && document.querySelector('main h1')?.textContent === 'Not eating after surgery'`)

	reader.open("/me")
	reader.get("group", "Eating").in("radio", "Warn").click()
	reader.waitJS("the saved preference", `document.querySelector('main').innerText.includes('Saved: Eating, warn.')`)
	reader.open(path)
	reader.get("heading", "Not eating after surgery")
	if !strings.Contains(reader.mainText(), "Touches on: Eating") {
		t.Fatalf("a warned theme is not named: %q", reader.mainText())
	}
	reader.waitJS("the folded body", `document.querySelector('.story .cw-body')?.hidden === true`)
	reader.get("button", "Show story").click()
	reader.waitJS("the opened body", `document.querySelector('.story .cw-body')?.hidden === false`)

	menu := reader.get("button", "More")
	if menu.attr("aria-haspopup") == "" {
		t.Fatal("the menu button does not say it opens a menu")
	}
	menu.click()
	reader.get("button", "Mute").click()
	reader.waitJS("the mute said", `document.querySelector('main').innerText.includes('You muted `+who+`.')`)
	reader.open(path)
	reader.get("heading", "A story")
	if !strings.Contains(reader.mainText(), "You muted or blocked the person who wrote this story.") {
		t.Fatalf("a muted author's story: %q", reader.mainText())
	}
	reader.open("/me")
	reader.get("region", "Muted").in("button", "Unmute").click()
	reader.waitJS("the unmute said", `document.querySelector('main').innerText.includes('Unmuted `+who+`.')`)
	reader.open(path)
	reader.get("heading", "Not eating after surgery")
}

// TestWarnedThemeFoldsInTheList: a story with a theme the reader is warned
// of (suicide, by default) shows in the circle's list with its opening
// words behind its themes and "Show story".
func TestWarnedThemeFoldsInTheList(t *testing.T) {
	author := newTab(t)
	author.join(handle("oak"), testPassword)
	author.open("/c/cancer-survivors")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	author.open("/c/cancer-survivors/new")
	author.get("textbox", "Title").fill("The darkest week")
	author.get("textbox", "Story").fill("I thought about not going on, and then I called.")
	author.get("checkbox", "Suicide").click()
	author.get("button", "Share").click()
	author.waitJS("the new story", `location.pathname.startsWith('/s/') && !!document.querySelector('main > .page h1')`)

	reader := newTab(t)
	reader.join(handle("fir"), testPassword)
	reader.open("/c/cancer-survivors")
	card := reader.get("link", "The darkest week").closest("li")
	if !strings.Contains(card.text(), "Touches on: Suicide") || card.closest("li").in("button", "Show story").attr("aria-expanded") != "false" {
		t.Fatalf("the card: %q", card.text())
	}
}

// TestBlockAndUnblock: a reader blocks an author from the More menu on
// their story; the story folds for them and leaves the circle's list;
// Unblock on /me brings it back, whole and listed.
func TestBlockAndUnblock(t *testing.T) {
	author := newTab(t)
	who := handle("yew")
	author.join(who, testPassword)
	author.open("/c/cancer-survivors")
	author.get("button", "Join circle").click()
	author.agree()
	author.get("link", "Share a story")
	title := "The scar is healing " + handle("x")
	path := author.shareStory("cancer-survivors", title, "Six weeks on and I can lift the kettle again.", "")

	reader := newTab(t)
	reader.join(handle("ash"), testPassword)
	reader.open(path)
	reader.get("heading", title)
	reader.get("button", "More").click()
	reader.get("button", "Block").click()
	reader.waitJS("the block said", `document.querySelector('main').innerText.includes('You blocked `+who+`.')`)

	reader.open(path)
	reader.get("heading", "A story")
	if text := reader.mainText(); !strings.Contains(text, "You muted or blocked the person who wrote this story.") || strings.Contains(text, "kettle") {
		t.Fatalf("a blocked author's story: %q", text)
	}
	storyLinks := `document.querySelectorAll('main a[href^="/s/"]').length > 0`
	reader.open("/c/cancer-survivors")
	reader.waitJS("the circle's stories", storyLinks)
	if reader.has("link", title) {
		t.Fatal("a blocked author's story is in the circle's list")
	}

	reader.open("/me")
	if muted, blocked := reader.get("region", "Muted").text(), reader.get("region", "Blocked").text(); strings.Contains(muted, who) || !strings.Contains(blocked, who) {
		t.Fatalf("the lists: muted %q, blocked %q; want the author blocked only", muted, blocked)
	}
	reader.get("region", "Blocked").in("button", "Unblock").click()
	reader.waitJS("the unblock said", `document.querySelector('main').innerText.includes('Unblocked `+who+`.')`)

	reader.open(path)
	reader.get("heading", title)
	if !strings.Contains(reader.mainText(), "kettle") {
		t.Fatalf("the unblocked author's story: %q", reader.mainText())
	}
	reader.open("/c/cancer-survivors")
	reader.get("link", title)
}

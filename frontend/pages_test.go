package frontend_test

import (
	"fmt"
	"strings"
	"testing"
)

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

	// A story with replies, one with a warning, and a queue item.
	member.open("/c/cardiac-recovery")
	firstStory := eval[string](member, `[...document.querySelectorAll('.stories > li')].find(li => !li.querySelector('.badge.pinned') && /[1-9]\d* repl/.test(li.innerText))?.querySelector('h3 a')?.getAttribute('href') || ''`)
	if firstStory == "" {
		t.Fatal("no story with replies in cardiac-recovery")
	}
	warned := member.shareStory("cardiac-recovery", "Scans week", "Waiting for the results is the hardest part.", "medical detail")
	member.open(warned)
	member.all("button", "Flag")[0].click()
	member.get("combobox", "Reason").choose("other")
	member.get("button", "Send flag").click()
	member.waitJS("the flag to be sent", `document.querySelector('.story .status')?.textContent.includes('Thank you')`)

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
		{"member", member, "/me", "me", nil},
		{"member", member, "/me", "delete-dialog", deleteOpen},
		{"member", member, "/c/no-such-circle", "private-gate", nil},
		{"member", member, "/moderation", "moderation-forbidden", nil},
		{"facilitator", facilitator, "/c/cardiac-recovery", "circle", nil},
		{"facilitator", facilitator, "/c/cardiac-recovery/new?kind=guidance", "new-guidance", nil},
		{"facilitator", facilitator, firstStory, "story", nil},
		{"moderator", moderator, "/", "home", nil},
		{"moderator", moderator, "/moderation", "queue", nil},
		{"moderator", moderator, "/moderation", "queue-revealed", revealFirst},
		{"moderator", moderator, "/moderation/members", "members", nil},
		{"moderator", moderator, "/moderation/log", "log", nil},
		{"moderator", moderator, "/c/addiction-recovery", "private-circle", nil},
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
	for _, v := range []visit{visits[0], visits[9], visits[21]} {
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

// Package demo fills an empty store with a living forum, so a newcomer who
// runs `make run` can sign in at once: demo accounts, five circles with
// their facilitators, pinned guidance, stories, threads and support, two
// stories waiting for a first reply (one reads as a crisis, so its
// facilitator is called), two flagged replies in the moderation queue, and
// a mentorship with a short conversation and an offer to mentor waiting.
// It never touches a store that holds members.
package demo

import (
	"context"
	"fmt"
	"slices"

	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/mentorship"
	"hearth/internal/moderation"
	"hearth/internal/store"
)

// Password is every demo account's password; the README lists it.
const Password = "hearth demo passphrase"

// Accounts are the demo sign-ins the README lists, by handle and role.
var Accounts = []struct{ Handle, Role string }{
	{"maple", kernel.RoleMember},
	{"willow", kernel.RoleMember}, // facilitator of cardiac-recovery
	{"heron", kernel.RoleModerator},
	{"juniper", kernel.RoleAdmin},
}

// seeder writes the demo content through the forum's and moderation's own
// rules.
type seeder struct {
	forum  *forum.Service
	mod    *moderation.Service
	actors map[string]kernel.Actor
}

// Seed fills the store when it has no members. It reports whether it did.
func Seed(ctx context.Context, st *store.Store, accounts *auth.Service, fm *forum.Service, mod *moderation.Service, ms *mentorship.Service) (bool, error) {
	n, err := st.CountMembers(ctx)
	if err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	s := seeder{forum: fm, mod: mod, actors: map[string]kernel.Actor{}}
	var all []auth.Account
	for _, p := range people {
		all = append(all, auth.Account{Handle: p.Handle, Role: p.Role})
	}
	for _, a := range Accounts {
		all = append(all, auth.Account{Handle: a.Handle, Role: a.Role})
	}
	made, err := accounts.CreateDemoMembers(ctx, Password, all)
	if err != nil {
		return false, fmt.Errorf("demo accounts: %w", err)
	}
	for h, m := range made {
		s.actors[h] = kernel.Actor{ID: m.ID, Role: m.Role, Handle: m.Handle, DataKeyID: *m.DataKeyID}
	}
	for _, c := range circles {
		if err := s.circle(ctx, c); err != nil {
			return false, fmt.Errorf("demo circle %s: %w", c.Slug, err)
		}
	}
	if err := s.mentor(ctx, ms); err != nil {
		return false, fmt.Errorf("demo mentorship: %w", err)
	}
	return true, nil
}

func (s *seeder) circle(ctx context.Context, c circleSeed) error {
	admin := s.actors["juniper"]
	vis := store.VisibilityOpen
	if c.Private {
		vis = store.VisibilityPrivate
	}
	if _, err := s.forum.CreateCircle(ctx, admin, forum.NewCircle{Slug: c.Slug, Name: c.Name, Description: c.Description, Visibility: vis}); err != nil {
		return err
	}
	if err := s.forum.SetFacilitator(ctx, admin, c.Slug, c.Facilitator, true); err != nil {
		return err
	}
	code := ""
	if c.Private {
		inv, err := s.forum.CreateInvite(ctx, s.actors[c.Facilitator], c.Slug, forum.NewInvite{MaxUses: 1000, ExpiresInHours: 24})
		if err != nil {
			return err
		}
		code = inv.Code
	}
	// The facilitator writes the guidelines (and so has accepted them);
	// everyone who writes here has accepted them too.
	g, err := s.forum.SetGuidelines(ctx, s.actors[c.Facilitator], c.Slug, forum.GuidelinesText{Text: guidelines})
	if err != nil {
		return err
	}
	if _, err := s.forum.SetResources(ctx, s.actors[c.Facilitator], c.Slug, forum.CircleResources{Resources: circleResources(c.Slug)}); err != nil {
		return err
	}
	for _, h := range members(c) {
		if err := s.forum.Join(ctx, s.actors[h], c.Slug, code); err != nil {
			return fmt.Errorf("%s joins: %w", h, err)
		}
		if err := s.forum.AcceptGuidelines(ctx, s.actors[h], c.Slug, forum.GuidelinesAcceptance{Version: g.Version}); err != nil {
			return fmt.Errorf("%s accepts the guidelines: %w", h, err)
		}
	}
	// Pins show newest first, and the list gives newest first, so both are
	// written from the end.
	for i := len(c.Guidance) - 1; i >= 0; i-- {
		id, err := s.story(ctx, c.Slug, forum.KindGuidance, c.Guidance[i])
		if err != nil {
			return err
		}
		if err := s.forum.Pin(ctx, s.actors[c.Facilitator], id, true); err != nil {
			return err
		}
	}
	for i := len(c.Stories) - 1; i >= 0; i-- {
		if _, err := s.story(ctx, c.Slug, forum.KindStory, c.Stories[i]); err != nil {
			return err
		}
	}
	return nil
}

// members is everyone who writes, supports or flags in a circle.
func members(c circleSeed) []string {
	seen := map[string]bool{}
	var out []string
	add := func(h string) {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	var replies func([]replySeed)
	replies = func(rs []replySeed) {
		for _, r := range rs {
			add(r.Author)
			for _, h := range r.Supporters {
				add(h)
			}
			for _, f := range r.Flags {
				add(f.By)
			}
			replies(r.Replies)
		}
	}
	for _, h := range c.Members {
		add(h)
	}
	for _, st := range slices.Concat(c.Guidance, c.Stories) {
		add(st.Author)
		for _, h := range st.Supporters {
			add(h)
		}
		replies(st.Replies)
	}
	return out
}

func (s *seeder) story(ctx context.Context, slug, kind string, st storySeed) (string, error) {
	out, err := s.forum.CreateStory(ctx, s.actors[st.Author], slug, forum.NewStory{Title: st.Title, Body: st.Body, ContentWarning: st.ContentWarning, Kind: kind})
	if err != nil {
		return "", fmt.Errorf("story %q: %w", st.Title, err)
	}
	for _, h := range st.Supporters {
		if err := s.forum.SupportStory(ctx, s.actors[h], out.ID, true); err != nil {
			return "", err
		}
	}
	return out.ID, s.replies(ctx, out.ID, nil, st.Replies)
}

func (s *seeder) replies(ctx context.Context, storyID string, parent *string, rs []replySeed) error {
	for _, r := range rs {
		out, err := s.forum.CreateReply(ctx, s.actors[r.Author], storyID, forum.NewReply{Body: r.Body, ParentID: parent})
		if err != nil {
			return fmt.Errorf("reply by %s: %w", r.Author, err)
		}
		for _, h := range r.Supporters {
			if err := s.forum.SupportReply(ctx, s.actors[h], out.ID, true); err != nil {
				return err
			}
		}
		for _, f := range r.Flags {
			in := moderation.NewFlag{TargetType: string(store.TargetReply), TargetID: out.ID, Reason: f.Reason, Note: f.Note}
			if _, err := s.mod.FileFlag(ctx, s.actors[f.By], in); err != nil {
				return fmt.Errorf("flag by %s: %w", f.By, err)
			}
		}
		if err := s.replies(ctx, storyID, &out.ID, r.Replies); err != nil {
			return err
		}
	}
	return nil
}

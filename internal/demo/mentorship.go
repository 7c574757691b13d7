package demo

import (
	"context"
	"fmt"

	"hearth/internal/mentorship"
)

// mentoring is the demo's mentorship: maple walks beside bluejay, new to
// cardiac recovery, in a short, calm conversation; steadyoak's offer waits
// for willow, the circle's facilitator.
var mentoring = struct {
	Circle, Mentor, Mentee, Facilitator, Intro string
	Messages                                   []struct{ By, Body string } // the first is the request's
	Waiting, WaitingIntro                      string
}{
	Circle:      "cardiac-recovery",
	Mentor:      "maple",
	Mentee:      "bluejay",
	Facilitator: "willow",
	Intro:       "Three years past a heart attack at 52. I remember how loud every twinge felt in the first months. Happy to listen, and to share what helped me.",
	Messages: []struct{ By, Body string }{
		{"bluejay", "Hi maple. I came home from hospital three weeks ago and I keep checking my pulse. Would you walk beside me for a while?"},
		{"maple", "Of course. Checking your pulse a lot is so common early on; I did it for weeks. What time of day does it worry you most?"},
		{"bluejay", "Evenings, when the house is quiet."},
		{"maple", "Evenings were mine too. A short walk after dinner and writing down one good thing from the day helped me. No rush: tell me how this week goes."},
	},
	Waiting:      "steadyoak",
	WaitingIntro: "Eighteen months into rehab and back on my bike. I'd be glad to help someone find their feet.",
}

// mentor seeds the demo's mentorship through mentorship's own rules.
func (s *seeder) mentor(ctx context.Context, ms *mentorship.Service) error {
	m := mentoring
	if _, _, err := ms.PutOffer(ctx, s.actors[m.Mentor], m.Circle, mentorship.Offer{Intro: m.Intro}); err != nil {
		return fmt.Errorf("offer by %s: %w", m.Mentor, err)
	}
	if err := ms.DecideOffer(ctx, s.actors[m.Facilitator], m.Circle, m.Mentor, true, mentorship.Decision{}); err != nil {
		return err
	}
	req, err := ms.Ask(ctx, s.actors[m.Mentee], mentorship.Request{Circle: m.Circle, Mentor: m.Mentor, Message: m.Messages[0].Body})
	if err != nil {
		return fmt.Errorf("request by %s: %w", m.Mentee, err)
	}
	if _, err := ms.Accept(ctx, s.actors[m.Mentor], req.ID); err != nil {
		return err
	}
	for _, msg := range m.Messages[1:] {
		if _, err := ms.Post(ctx, s.actors[msg.By], req.ID, mentorship.NewMessage{Body: msg.Body}); err != nil {
			return fmt.Errorf("message by %s: %w", msg.By, err)
		}
	}
	if _, _, err := ms.PutOffer(ctx, s.actors[m.Waiting], m.Circle, mentorship.Offer{Intro: m.WaitingIntro}); err != nil {
		return fmt.Errorf("offer by %s: %w", m.Waiting, err)
	}
	return nil
}

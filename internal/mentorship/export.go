package mentorship

import (
	"context"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Export is what of mentorship is in a member's GET /me/export: their
// mentorships, the messages they wrote (the other member's words are the
// other member's), their offers to mentor with their intros, and the
// reasons they gave for ending a mentorship.
type Export struct {
	Mentorships []Mentorship        `json:"mentorships"`
	Messages    []ExportedMessage   `json:"mentorship_messages"`
	Offers      []ExportedOffer     `json:"mentor_offers"`
	EndReasons  []ExportedEndReason `json:"mentorship_end_reasons"`
}

// ExportedOffer is one of the member's offers to mentor, its intro in
// clear.
type ExportedOffer struct {
	Circle     string    `json:"circle"`
	Intro      string    `json:"intro"`
	Status     string    `json:"status"`
	MaxMentees int       `json:"max_mentees"`
	CreatedAt  time.Time `json:"created_at"`
}

// ExportedEndReason is the reason the member gave for ending a
// mentorship, in clear.
type ExportedEndReason struct {
	MentorshipID string    `json:"mentorship_id"`
	Reason       string    `json:"reason"`
	EndedAt      time.Time `json:"ended_at"`
}

// ExportedMessage is one of the member's messages, in clear.
type ExportedMessage struct {
	ID           string    `json:"id"`
	MentorshipID string    `json:"mentorship_id"`
	Body         string    `json:"body"`
	CreatedAt    time.Time `json:"created_at"`
}

// exportPage is how many mentorships one read of the export takes.
const exportPage = 100

// Export gathers a's mentorships, messages, offers and end reasons.
func (s *Service) Export(ctx context.Context, a kernel.Actor) (*Export, error) {
	out := &Export{Mentorships: []Mentorship{}, Messages: []ExportedMessage{}, Offers: []ExportedOffer{}, EndReasons: []ExportedEndReason{}}
	f := store.FindMentorships{MemberID: a.ID, ExpiredBefore: s.now().Add(-store.RequestLife), Limit: exportPage}
	for {
		vs, err := s.st.ListMentorships(ctx, f)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		for i := range vs {
			out.Mentorships = append(out.Mentorships, *s.view(a, &vs[i]))
		}
		if len(vs) < exportPage {
			break
		}
		f.Before = vs[len(vs)-1].ID
	}
	ms, err := s.st.MessagesBy(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	for _, m := range ms {
		body, err := s.open(ctx, m.Body, store.MessageLocation(m.ID))
		if err != nil {
			return nil, err
		}
		if body != nil {
			out.Messages = append(out.Messages, ExportedMessage{ID: m.ID, MentorshipID: m.MentorshipID, Body: *body, CreatedAt: m.CreatedAt.UTC()})
		}
	}
	offers, err := s.st.OffersBy(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	for _, o := range offers {
		intro, err := s.open(ctx, o.Intro, store.MentorIntroLocation(o.ID))
		if err != nil {
			return nil, err
		}
		if intro != nil {
			out.Offers = append(out.Offers, ExportedOffer{Circle: o.CircleSlug, Intro: *intro, Status: o.Status, MaxMentees: o.MaxMentees, CreatedAt: o.CreatedAt.UTC()})
		}
	}
	ended, err := s.st.EndReasonsBy(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	for _, m := range ended {
		reason, err := s.open(ctx, m.EndReason, store.EndReasonLocation(m.ID))
		if err != nil {
			return nil, err
		}
		if reason != nil && m.EndedAt != nil {
			out.EndReasons = append(out.EndReasons, ExportedEndReason{MentorshipID: m.ID, Reason: *reason, EndedAt: m.EndedAt.UTC()})
		}
	}
	return out, nil
}

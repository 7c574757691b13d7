package mentorship

import (
	"context"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Export is what of mentorship is in a member's GET /me/export: their
// mentorships and the messages they wrote (the other member's words are
// the other member's).
type Export struct {
	Mentorships []Mentorship      `json:"mentorships"`
	Messages    []ExportedMessage `json:"mentorship_messages"`
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

// Export gathers a's mentorships and messages.
func (s *Service) Export(ctx context.Context, a kernel.Actor) (*Export, error) {
	out := &Export{Mentorships: []Mentorship{}, Messages: []ExportedMessage{}}
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
	return out, nil
}

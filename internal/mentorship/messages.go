package mentorship

import (
	"context"
	"errors"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// NewMessage is the body of POST /mentorships/{id}/messages.
type NewMessage struct {
	Body string `json:"body"`
}

// Message is a message as the two members read it. A message whose
// writer deleted their account reads as removed: no author, no body.
type Message struct {
	ID        string         `json:"id"`
	Author    *kernel.Author `json:"author"`
	Body      *string        `json:"body,omitempty"`
	Status    string         `json:"status"`
	CreatedAt time.Time      `json:"created_at"`
	// CrisisResources and Identifying answer the writer of a new message.
	CrisisResources *kernel.CrisisResources `json:"crisis_resources,omitempty"`
	Identifying     *[]kernel.Identifying   `json:"identifying,omitempty"`
}

// message seals a new message of a in mentorship m, in circle c, and asks
// moderation whether it reads as a crisis: the row, what is stored with
// it, and the resources for its writer.
func (s *Service) message(ctx context.Context, a kernel.Actor, m *store.Mentorship, c *store.CircleView, body string, now time.Time) (*store.MentorshipMessage, store.Effects, *kernel.CrisisResources, error) {
	keyID, err := s.keyOf(ctx, a.ID)
	if err != nil {
		return nil, store.Effects{}, nil, err
	}
	msg := &store.MentorshipMessage{ID: store.NewIDAt(now), MentorshipID: m.ID, AuthorID: a.ID, CreatedAt: now}
	eff, crisis, err := s.crisis.Message(ctx, kernel.Writing{Target: string(store.TargetMessage), ID: msg.ID, CircleID: c.ID, CircleName: c.Name, AuthorID: a.ID, Texts: []string{body}})
	if err != nil {
		return nil, eff, nil, err
	}
	if msg.Body, err = s.sealer.Seal(ctx, keyID, []byte(body), store.MessageLocation(msg.ID)); err != nil {
		return nil, eff, nil, apperr.Internal(err)
	}
	return msg, eff, crisis, nil
}

// Post writes a message in an active mentorship.
func (s *Service) Post(ctx context.Context, a kernel.Actor, id string, in NewMessage) (*Message, error) {
	v, err := s.getView(ctx, a, id, actWrite)
	if err != nil {
		return nil, err
	}
	if v.Status != store.MentorshipActive {
		return nil, errNotActive
	}
	if err := kernel.CheckText("body", in.Body, 1, maxMessage); err != nil {
		return nil, err
	}
	c, err := s.st.GetCircleByID(ctx, v.CircleID)
	if err != nil {
		return nil, storeErr(err)
	}
	now := s.now()
	msg, eff, crisis, err := s.message(ctx, a, &v.Mentorship, &store.CircleView{Circle: *c}, in.Body, now)
	if err != nil {
		return nil, err
	}
	if err := s.tellOther(ctx, &eff, store.NoticeMentorshipMessage, &v.Mentorship, a); err != nil {
		return nil, err
	}
	if err := s.st.AddMessage(ctx, msg, eff); errors.Is(err, store.ErrConflict) {
		return nil, errNotActive
	} else if err != nil {
		return nil, apperr.Internal(err)
	}
	handle := v.MentorHandle
	if a.ID == v.MenteeID {
		handle = v.MenteeHandle
	}
	body := in.Body
	return &Message{ID: msg.ID, Author: &kernel.Author{Handle: handle}, Body: &body, Status: store.Published, CreatedAt: now,
		CrisisResources: crisis, Identifying: s.identifying(in.Body)}, nil
}

// Messages lists a mentorship's messages oldest first, and marks read the
// reader's notice of new ones.
func (s *Service) Messages(ctx context.Context, a kernel.Actor, id string, limit int, cursor string) (*kernel.Page[Message], error) {
	v, err := s.getView(ctx, a, id, actRead)
	if err != nil {
		return nil, err
	}
	after, err := kernel.Position(cursor, "g")
	if err != nil {
		return nil, err
	}
	ms, err := s.st.ListMessages(ctx, v.ID, after, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := &kernel.Page[Message]{Items: make([]Message, 0, len(ms))}
	for i := range ms {
		if i == limit {
			out.NextCursor = kernel.EncodeCursor("g", ms[i-1].ID)
			break
		}
		m := Message{ID: ms[i].ID, Status: store.Removed, CreatedAt: ms[i].CreatedAt.UTC()}
		if m.Body, err = s.open(ctx, ms[i].Body, store.MessageLocation(ms[i].ID)); err != nil {
			return nil, err
		}
		if m.Body != nil {
			m.Status, m.Author = store.Published, &kernel.Author{Handle: ms[i].AuthorHandle}
		}
		out.Items = append(out.Items, m)
	}
	if unread, err := s.st.HasUnreadMessageNotice(ctx, a.ID, v.ID); err != nil {
		return nil, apperr.Internal(err)
	} else if unread {
		if err := s.st.MarkMentorshipRead(ctx, a.ID, v.ID, s.now()); err != nil {
			return nil, apperr.Internal(err)
		}
	}
	return out, nil
}

// identifying is what in a new message may give away who someone is; the
// answer to its writer always carries the list, empty or not.
func (s *Service) identifying(text string) *[]kernel.Identifying {
	hints := s.hints.Identifying(text)
	if hints == nil {
		hints = []kernel.Identifying{}
	}
	return &hints
}

// MessageRef finds a message for moderation: for its two members (who may
// flag it), or, with moderate, for the moderation team acting on a flag on
// it. Anyone else is answered 404, as if it did not exist.
func (s *Service) MessageRef(ctx context.Context, a kernel.Actor, id string, moderate bool) (*store.WritingRef, error) {
	m, err := s.st.GetMessage(ctx, id)
	if err != nil {
		return nil, storeErr(err)
	}
	if !moderate && a.ID != m.MentorID && a.ID != m.MenteeID {
		return nil, kernel.ErrNotFound
	}
	facilitates, err := s.facilitates(ctx, a.ID, m.CircleID)
	if err != nil {
		return nil, err
	}
	return &store.WritingRef{Target: store.TargetMessage, ID: m.ID, CircleID: m.CircleID, AuthorID: m.AuthorID, Status: store.Published,
		HasText: m.Body != nil, ReaderFacilitates: facilitates}, nil
}

package mentorship

import (
	"context"
	"errors"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Request is the body of POST /mentorships.
type Request struct {
	Circle  string `json:"circle"`
	Mentor  string `json:"mentor"`
	Message string `json:"message"`
}

// Ending is the body of POST /mentorships/{id}/end.
type Ending struct {
	Reason string `json:"reason"`
}

// Mentorship is a mentorship as its members see it. Role is which side
// the reader is on.
type Mentorship struct {
	ID        string        `json:"id"`
	Circle    string        `json:"circle"`
	Mentor    kernel.Author `json:"mentor"`
	Mentee    kernel.Author `json:"mentee"`
	Status    string        `json:"status"`
	Role      string        `json:"role"`
	CreatedAt time.Time     `json:"created_at"`
	EndedAt   *time.Time    `json:"ended_at"`
	// CrisisResources and Identifying answer the first message, as they
	// answer every message.
	CrisisResources *kernel.CrisisResources `json:"crisis_resources,omitempty"`
	Identifying     *[]kernel.Identifying   `json:"identifying,omitempty"`
}

// Ask asks a mentor of a circle to walk beside the caller, with a first
// message the mentor reads while deciding.
func (s *Service) Ask(ctx context.Context, a kernel.Actor, in Request) (*Mentorship, error) {
	c, err := s.circle(ctx, a, in.Circle)
	if err != nil {
		return nil, err
	}
	_, err = s.st.GetMentor(ctx, c.ID, a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, apperr.Internal(err)
	}
	if err := policy(a, actAsk, subject{circle: c, actorIsMentor: err == nil}); err != nil {
		return nil, err
	}
	if err := kernel.CheckText("message", in.Message, 1, maxMessage); err != nil {
		return nil, err
	}
	if err := s.rules.GuidelinesAccepted(ctx, a, heldWriting(a, c, in.Message)); err != nil {
		return nil, err
	}
	mentor, err := s.member(ctx, in.Mentor)
	if err != nil {
		return nil, err
	}
	v, err := s.st.GetMentor(ctx, c.ID, mentor.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && v.Status != store.OfferApproved {
		return nil, errNoOffer
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	now := s.now()
	standing, err := s.st.Standing(ctx, c.ID, mentor.ID, a.ID, now, now.Add(-declineHold))
	if err != nil {
		return nil, apperr.Internal(err)
	}
	switch {
	case standing.OpenWithMentor || standing.DeclinedRecently:
		return nil, errRequested
	case standing.OpenInCircle:
		return nil, errMentored
	}
	blockers, err := s.blocks.BlockersOf(ctx, a.ID, []string{v.MemberID})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if !accepting(a, v, blockers[v.MemberID]) {
		return nil, errNotAccepting
	}
	m := store.Mentorship{ID: store.NewIDAt(now), CircleID: c.ID, MentorID: mentor.ID, MenteeID: a.ID, Status: store.MentorshipRequested, CreatedAt: now}
	msg, eff, crisis, err := s.message(ctx, a, &m, c, in.Message, now)
	if err != nil {
		return nil, err
	}
	if err := s.tellOther(ctx, &eff, store.NoticeMentorshipRequested, &m, a); err != nil {
		return nil, err
	}
	if err := s.st.CreateMentorship(ctx, &m, msg, eff); errors.Is(err, store.ErrConflict) {
		return nil, errMentored
	} else if err != nil {
		return nil, apperr.Internal(err)
	}
	out, err := s.get(ctx, a, m.ID, actRead)
	if err != nil {
		return nil, err
	}
	out.CrisisResources, out.Identifying = crisis, s.identifying(in.Message)
	return out, nil
}

// get finds mentorship id for a to act on, or 404 when a is not in it.
func (s *Service) getView(ctx context.Context, a kernel.Actor, id string, act action) (*store.MentorshipView, error) {
	v, err := s.st.GetMentorship(ctx, id)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := policy(a, act, subject{mentorship: &v.Mentorship}); err != nil {
		return nil, err
	}
	v.Status = s.status(&v.Mentorship)
	return v, nil
}

func (s *Service) get(ctx context.Context, a kernel.Actor, id string, act action) (*Mentorship, error) {
	v, err := s.getView(ctx, a, id, act)
	if err != nil {
		return nil, err
	}
	return s.view(a, v), nil
}

// status is a mentorship's status as of now: a request that waited too
// long reads as expired, whether or not it was written so yet.
func (s *Service) status(m *store.Mentorship) string {
	if m.Status == store.MentorshipRequested && !m.CreatedAt.After(s.now().Add(-store.RequestLife)) {
		return store.MentorshipExpired
	}
	return m.Status
}

func (s *Service) view(a kernel.Actor, v *store.MentorshipView) *Mentorship {
	role := "mentee"
	if a.ID == v.MentorID {
		role = "mentor"
	}
	out := &Mentorship{ID: v.ID, Circle: v.CircleSlug, Mentor: kernel.Author{Handle: gone(v.MentorHandle)}, Mentee: kernel.Author{Handle: gone(v.MenteeHandle)},
		Status: s.status(&v.Mentorship), Role: role, CreatedAt: v.CreatedAt.UTC()}
	if v.EndedAt != nil {
		t := v.EndedAt.UTC()
		out.EndedAt = &t
	}
	return out
}

// gone shows an erased member's tombstone handle as a former member.
func gone(handle string) string {
	if len(handle) > 0 && handle[0] == '~' {
		return "a former member"
	}
	return handle
}

// List lists the caller's mentorships, newest first.
func (s *Service) List(ctx context.Context, a kernel.Actor, status string, limit int, cursor string) (*kernel.Page[Mentorship], error) {
	switch status {
	case "", store.MentorshipRequested, store.MentorshipActive, store.MentorshipDeclined, store.MentorshipWithdrawn, store.MentorshipExpired, store.MentorshipEnded:
	default:
		return nil, apperr.Invalid("invalid_status", "status is requested, active, declined, withdrawn, expired or ended.")
	}
	before, err := kernel.Position(cursor, "m")
	if err != nil {
		return nil, err
	}
	vs, err := s.st.ListMentorships(ctx, store.FindMentorships{MemberID: a.ID, Status: status, ExpiredBefore: s.now().Add(-store.RequestLife), Before: before, Limit: limit + 1})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := &kernel.Page[Mentorship]{Items: make([]Mentorship, 0, len(vs))}
	for i := range vs {
		if i == limit {
			out.NextCursor = kernel.EncodeCursor("m", vs[i-1].ID)
			break
		}
		out.Items = append(out.Items, *s.view(a, &vs[i]))
	}
	return out, nil
}

// Accept makes a request active, unless the mentor is full (409
// not_accepting, and the request stays open).
func (s *Service) Accept(ctx context.Context, a kernel.Actor, id string) (*Mentorship, error) {
	v, err := s.getView(ctx, a, id, actAnswer)
	if err != nil {
		return nil, err
	}
	if v.Status != store.MentorshipRequested {
		return nil, errNotRequested
	}
	offer, err := s.st.GetMentor(ctx, v.CircleID, a.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && offer.Status != store.OfferApproved {
		return nil, errNotAccepting
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var eff store.Effects
	if err := s.tellOther(ctx, &eff, store.NoticeMentorshipAccepted, &v.Mentorship, a); err != nil {
		return nil, err
	}
	switch err := s.st.Accept(ctx, &v.Mentorship, offer.MaxMentees, s.now(), eff); {
	case errors.Is(err, store.ErrFull):
		return nil, errNotAccepting
	case errors.Is(err, store.ErrConflict):
		return nil, errNotRequested
	case err != nil:
		return nil, apperr.Internal(err)
	}
	return s.get(ctx, a, id, actRead)
}

// Decline declines a request; the mentee is told kindly, with no reason.
func (s *Service) Decline(ctx context.Context, a kernel.Actor, id string) (*Mentorship, error) {
	return s.move(ctx, a, id, actAnswer, []string{store.MentorshipRequested}, store.MentorshipDeclined, nil, store.NoticeMentorshipDeclined)
}

// Withdraw takes back the caller's own request.
func (s *Service) Withdraw(ctx context.Context, a kernel.Actor, id string) (*Mentorship, error) {
	return s.move(ctx, a, id, actWithdraw, []string{store.MentorshipRequested}, store.MentorshipWithdrawn, nil, "")
}

// End ends an active mentorship, from either side; both keep reading what
// was said. The reason is sealed with the key of whoever gives it.
func (s *Service) End(ctx context.Context, a kernel.Actor, id string, in Ending) (*Mentorship, error) {
	if err := kernel.CheckText("reason", in.Reason, 0, maxEndReason); err != nil {
		return nil, err
	}
	var reason []byte
	if in.Reason != "" {
		keyID, err := s.keyOf(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		if reason, err = s.sealer.Seal(ctx, keyID, []byte(in.Reason), store.EndReasonLocation(id)); err != nil {
			return nil, apperr.Internal(err)
		}
	}
	return s.move(ctx, a, id, actEnd, []string{store.MentorshipActive}, store.MentorshipEnded, reason, store.NoticeMentorshipEnded)
}

// move changes a mentorship's status and tells the other side (kind "":
// nobody).
func (s *Service) move(ctx context.Context, a kernel.Actor, id string, act action, from []string, to string, reason []byte, kind string) (*Mentorship, error) {
	v, err := s.getView(ctx, a, id, act)
	if err != nil {
		return nil, err
	}
	conflict := errNotActive
	if from[0] == store.MentorshipRequested {
		conflict = errNotRequested
	}
	if v.Status != from[0] {
		return nil, conflict
	}
	var eff store.Effects
	if kind != "" {
		if err := s.tellOther(ctx, &eff, kind, &v.Mentorship, a); err != nil {
			return nil, err
		}
	}
	err = s.st.MoveMentorship(ctx, id, from, to, &a.ID, reason, s.now(), eff)
	if errors.Is(err, store.ErrConflict) {
		return nil, conflict
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return s.get(ctx, a, id, actRead)
}

// tellOther adds to eff the notice of kind to the other member of m of
// what a did; none when they muted or blocked a.
func (s *Service) tellOther(ctx context.Context, eff *store.Effects, kind string, m *store.Mentorship, a kernel.Actor) error {
	other := m.MentorID
	if a.ID == m.MentorID {
		other = m.MenteeID
	}
	told, err := s.notices.Mentorship(ctx, kind, m, other, a.ID)
	if err != nil {
		return err
	}
	eff.Notices = append(eff.Notices, told...)
	return nil
}

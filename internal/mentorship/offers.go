package mentorship

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Offer is the body of PUT /circles/{slug}/mentors/me.
type Offer struct {
	Intro      string `json:"intro"`
	MaxMentees *int   `json:"max_mentees"`
}

// MyOffer is an offer as its mentor sees it.
type MyOffer struct {
	Handle        string `json:"handle"`
	Intro         string `json:"intro"`
	Status        string `json:"status"`
	MaxMentees    int    `json:"max_mentees"`
	ActiveMentees int    `json:"active_mentees"`
}

// Mentor is a mentor as a circle's members see them; the counts are for
// its facilitators only, and never say what was written.
type Mentor struct {
	Handle      string    `json:"handle"`
	Intro       *string   `json:"intro"`
	Status      string    `json:"status"`
	Since       time.Time `json:"since"`
	Accepting   bool      `json:"accepting"`
	Mentorships *int      `json:"mentorships,omitempty"`
	EndedEarly  *int      `json:"ended_early,omitempty"`
	Flagged     *int      `json:"flagged,omitempty"`
}

// PutOffer offers to mentor in a circle, or changes the offer; created
// says which. A changed intro waits for approval again.
func (s *Service) PutOffer(ctx context.Context, a kernel.Actor, slug string, in Offer) (out *MyOffer, created bool, err error) {
	c, err := s.circle(ctx, a, slug)
	if err != nil {
		return nil, false, err
	}
	if err := policy(a, actOffer, subject{circle: c}); err != nil {
		return nil, false, err
	}
	if err := kernel.CheckText("intro", in.Intro, 1, maxIntro); err != nil {
		return nil, false, err
	}
	if err := s.rules.GuidelinesAccepted(ctx, a, heldWriting(a, c, in.Intro)); err != nil {
		return nil, false, err
	}
	maxMentees := defaultMaxMentees
	if in.MaxMentees != nil {
		maxMentees = *in.MaxMentees
	}
	if maxMentees < 1 || maxMentees > store.MaxMenteesInAll {
		return nil, false, errMaxMentees
	}
	old, err := s.st.GetMentor(ctx, c.ID, a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, apperr.Internal(err)
	}
	if err := s.eligible(ctx, a, c.ID); err != nil {
		return nil, false, err
	}
	keyID, err := s.keyOf(ctx, a.ID)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	o := store.MentorOffer{ID: store.NewIDAt(now), CircleID: c.ID, MemberID: a.ID, MaxMentees: maxMentees, Status: store.OfferPending, CreatedAt: now, UpdatedAt: now}
	if old != nil {
		o.ID, o.CreatedAt, o.Status, o.ApprovedAt = old.ID, old.CreatedAt, old.Status, old.ApprovedAt
		oldIntro, err := s.open(ctx, old.Intro, store.MentorIntroLocation(old.ID))
		if err != nil {
			return nil, false, err
		}
		if oldIntro == nil || *oldIntro != in.Intro {
			o.Status, o.ApprovedAt = store.OfferPending, nil
		}
	}
	if o.Intro, err = s.sealer.Seal(ctx, keyID, []byte(in.Intro), store.MentorIntroLocation(o.ID)); err != nil {
		return nil, false, apperr.Internal(err)
	}
	switch err := s.st.SaveOffer(ctx, &o, old == nil); {
	case errors.Is(err, store.ErrConflict):
		return nil, false, apperr.New(409, "conflict", "Your offer changed at the same time; please try again.")
	case errors.Is(err, store.ErrBelowActive):
		return nil, false, errMaxBelowActive
	case err != nil:
		return nil, false, apperr.Internal(err)
	}
	v, err := s.st.GetMentor(ctx, c.ID, a.ID)
	if err != nil {
		return nil, false, storeErr(err)
	}
	return &MyOffer{Handle: v.Handle, Intro: in.Intro, Status: v.Status, MaxMentees: v.MaxMentees, ActiveMentees: v.ActiveInCircle}, old == nil, nil
}

// eligible holds an offer to the bar: an account old enough, enough
// published writing in the circle, and nothing upheld against the member
// lately.
func (s *Service) eligible(ctx context.Context, a kernel.Actor, circleID string) error {
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &a.ID})
	if err != nil {
		return storeErr(err)
	}
	now := s.now()
	if m.CreatedAt.After(now.AddDate(0, 0, -s.o.MinDays)) {
		return notEligible(fmt.Sprintf("Mentors have been part of Hearth for at least %d days. Thank you for wanting to help; please offer again later.", s.o.MinDays))
	}
	n, err := s.st.CountPublished(ctx, a.ID, circleID)
	if err != nil {
		return apperr.Internal(err)
	}
	if n < minWritings {
		return notEligible(fmt.Sprintf("Mentors have shared at least %d stories or replies in this circle first.", minWritings))
	}
	against, err := s.st.ModerationAgainst(ctx, a.ID, now.AddDate(0, 0, -standingDays))
	if err != nil {
		return apperr.Internal(err)
	}
	if against > 0 {
		return notEligible(fmt.Sprintf("Mentors have had no warning, suspension, hidden or removed writing in the last %d days.", standingDays))
	}
	return nil
}

// StopOffer takes the caller's own offer away: no new requests, the open
// ones are declined; active mentorships go on until ended.
func (s *Service) StopOffer(ctx context.Context, a kernel.Actor, slug string) error {
	c, err := s.circle(ctx, a, slug)
	if err != nil {
		return err
	}
	if err := policy(a, actOffer, subject{circle: c}); err != nil {
		return err
	}
	return storeErr(s.st.WithdrawOffer(ctx, c.ID, a.ID, nil, s.now(), s.tell))
}

// tell is the notice of a mentorship closed by a safeguard or a removal.
func (s *Service) tell(m *store.Mentorship, to, kind string) *store.Notice {
	return s.notices.MentorshipClosed(kind, m, to)
}

// Decision is the body of POST /circles/{slug}/mentors/{handle}/approve
// and …/remove.
type Decision struct {
	Reason string `json:"reason"`
}

// DecideOffer approves or removes the offer of handle in a circle. The
// decision and its reason go into the moderation log, the reason sealed
// with the decider's key: who may walk alone with newcomers is a decision
// the moderation team can look back on.
func (s *Service) DecideOffer(ctx context.Context, a kernel.Actor, slug, handle string, approve bool, in Decision) error {
	if err := kernel.CheckText("reason", in.Reason, 0, maxDecisionReason); err != nil {
		return err
	}
	c, err := s.circle(ctx, a, slug)
	if err != nil {
		return err
	}
	m, err := s.member(ctx, handle)
	if err != nil {
		return err
	}
	byFacilitator, err := s.facilitates(ctx, m.ID, c.ID)
	if err != nil {
		return err
	}
	if err := policy(a, actDecideOffer, subject{circle: c, offerOf: m.ID, offerByFacilitator: byFacilitator}); err != nil {
		return err
	}
	if _, err := s.st.GetMentor(ctx, c.ID, m.ID); err != nil {
		return errNoOffer
	}
	action, why := "remove_mentor", "circle "+c.Slug
	if approve {
		action = "approve_mentor"
	}
	if in.Reason != "" {
		why += ": " + in.Reason
	}
	entry, err := s.log.Entry(ctx, a, action, "member", m.ID, why)
	if err != nil {
		return err
	}
	if approve {
		return storeErr(s.st.ApproveOffer(ctx, c.ID, m.ID, s.now(), entry))
	}
	return storeErr(s.st.WithdrawOffer(ctx, c.ID, m.ID, entry, s.now(), s.tell))
}

// facilitates reports whether memberID facilitates circleID.
func (s *Service) facilitates(ctx context.Context, memberID, circleID string) (bool, error) {
	set, err := s.facilitatorSet(ctx, circleID)
	return set[memberID], err
}

// facilitatorSet is the ids of circleID's facilitators.
func (s *Service) facilitatorSet(ctx context.Context, circleID string) (map[string]bool, error) {
	ids, err := s.st.FacilitatorIDs(ctx, circleID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set, nil
}

// ListMentors lists a circle's approved mentors, or the pending offers
// the caller may decide on, with counts for those who decide.
func (s *Service) ListMentors(ctx context.Context, a kernel.Actor, slug string, pending bool) (*kernel.Page[Mentor], error) {
	c, err := s.circle(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	act, status := actListMentors, store.OfferApproved
	if pending {
		act, status = actSeePending, store.OfferPending
	}
	if err := policy(a, act, subject{circle: c}); err != nil {
		return nil, err
	}
	vs, err := s.st.ListMentors(ctx, c.ID, status)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	var facilitators map[string]bool
	if pending {
		if facilitators, err = s.facilitatorSet(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	ids := make([]string, len(vs))
	for i := range vs {
		ids[i] = vs[i].MemberID
	}
	blockers, err := s.blocks.BlockersOf(ctx, a.ID, ids)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := &kernel.Page[Mentor]{Items: make([]Mentor, 0, len(vs))}
	for i := range vs {
		v := &vs[i]
		// A pending offer is listed to whoever may decide on it, so
		// nobody is shown an Approve they would be refused.
		if pending && policy(a, actDecideOffer, subject{circle: c, offerOf: v.MemberID, offerByFacilitator: facilitators[v.MemberID]}) != nil {
			continue
		}
		intro, err := s.open(ctx, v.Intro, store.MentorIntroLocation(v.ID))
		if err != nil {
			return nil, err
		}
		takes := accepting(a, v, blockers[v.MemberID])
		since := v.CreatedAt
		if v.ApprovedAt != nil {
			since = *v.ApprovedAt
		}
		m := Mentor{Handle: v.Handle, Intro: intro, Status: v.Status, Since: since.UTC(), Accepting: takes}
		if seesCounts(a, c) {
			m.Mentorships, m.EndedEarly, m.Flagged = &v.Mentorships, &v.EndedEarly, &v.Flags
		}
		out.Items = append(out.Items, m)
	}
	return out, nil
}

// accepting reports whether mentor v takes a new request from a: approved,
// not full, and not blocking a (which is never told apart from full).
func accepting(a kernel.Actor, v *store.MentorView, blocksA bool) bool {
	return v.Status == store.OfferApproved && v.ActiveInCircle < v.MaxMentees && v.ActiveInAll < store.MaxMenteesInAll &&
		v.MemberID != a.ID && !blocksA
}

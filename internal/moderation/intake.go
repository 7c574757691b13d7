package moderation

import (
	"context"
	"strings"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Intake decides what becomes of new writing: whether a newcomer's writing
// waits for review, whether it reads as a crisis, and who is told. The
// forum asks it before storing a story or reply.
type Intake struct {
	st        *store.Store
	notices   Notifier
	crisis    *Detector
	resources kernel.CrisisResources
}

// NewIntake returns the forum's intake.
func NewIntake(st *store.Store, notices Notifier, crisis *Detector, resources kernel.CrisisResources) *Intake {
	return &Intake{st: st, notices: notices, crisis: crisis, resources: resources}
}

// Receive is told of new writing. Writing that reads as a crisis is
// published as usual, even from a newcomer to a pre-moderated circle,
// answered with crisis resources, and put at the head of the queue by a
// system flag.
func (in *Intake) Receive(ctx context.Context, w kernel.Writing) (store.Verdict, *kernel.CrisisResources, error) {
	now := kernel.Now()
	v := store.Verdict{Status: store.Published}
	crisis := in.crisis.Match(w.Texts...)
	if w.Premoderation && !w.AuthorFacilitates && !w.AuthorModerates && !crisis {
		n, err := in.st.CountPublished(ctx, w.AuthorID, w.CircleID)
		if err != nil {
			return v, nil, apperr.Internal(err)
		}
		if n < heldFirst {
			v.Status = store.Pending
			v.Item = &store.ModerationItem{TargetType: w.Target, TargetID: w.ID, CircleID: w.CircleID,
				AuthorID: w.AuthorID, Priority: priorities["other"], FirstFlaggedAt: now, UpdatedAt: now}
			v.Notices = append(v.Notices, in.notices.About(w.AuthorID, store.NoticeHeld, ref(w), nil))
		}
	}
	var res *kernel.CrisisResources
	if crisis {
		var err error
		if res, err = in.crisisCare(ctx, w, &v.Effects); err != nil {
			return v, nil, err
		}
	}
	return v, res, nil
}

// Edited is told of an edit: one that reads as a crisis is cared for as new
// writing would be. Edits are never held back.
func (in *Intake) Edited(ctx context.Context, w kernel.Writing) (store.Effects, *kernel.CrisisResources, error) {
	var eff store.Effects
	if !in.crisis.Match(w.Texts...) {
		return eff, nil, nil
	}
	res, err := in.crisisCare(ctx, w, &eff)
	return eff, res, err
}

// CrisisResources answers writing that is not stored (held back before
// it could be): the resources when it reads as a crisis, and no flag, item
// or notice, as there is nothing to look at.
func (in *Intake) CrisisResources(ctx context.Context, w kernel.Writing) (*kernel.CrisisResources, error) {
	if !in.crisis.Match(w.Texts...) {
		return nil, nil
	}
	return in.resourcesFor(ctx, w)
}

// Message is told of a message in a mentorship: one that reads as a
// crisis is answered with resources, gets a system flag at the head of the
// queue (the one way a moderator reads a message, while it waits there),
// and calls the circle's facilitators.
func (in *Intake) Message(ctx context.Context, w kernel.Writing) (store.Effects, *kernel.CrisisResources, error) {
	return in.Edited(ctx, w)
}

// ref is where w sits, for the notices that name it.
func ref(w kernel.Writing) *store.WritingRef {
	r := &store.WritingRef{Target: store.Target(w.Target), ID: w.ID, StoryID: w.StoryID, CircleID: w.CircleID, AuthorID: w.AuthorID}
	if r.Target == store.TargetStory {
		r.StoryID = w.ID
	}
	return r
}

// crisisCare raises the system's crisis flag on w, calls the people who
// look after its circle, and returns the crisis resources for its author.
func (in *Intake) crisisCare(ctx context.Context, w kernel.Writing, eff *store.Effects) (*kernel.CrisisResources, error) {
	now := kernel.Now()
	eff.SystemFlag = &store.Flag{ID: store.NewID(), TargetType: w.Target, TargetID: w.ID, Reason: store.ReasonCrisis, Status: store.FlagOpen, CreatedAt: now}
	eff.Item = &store.ModerationItem{TargetType: w.Target, TargetID: w.ID, CircleID: w.CircleID, AuthorID: w.AuthorID,
		Priority: priorities[store.ReasonCrisis], FirstFlaggedAt: now, UpdatedAt: now}
	calls, err := in.notices.CrisisInCircle(ctx, w)
	if err != nil {
		return nil, err
	}
	eff.Notices = append(eff.Notices, calls...)
	return in.resourcesFor(ctx, w)
}

// resourcesFor adds the circle's own resources and its facilitators to the
// crisis resources.
func (in *Intake) resourcesFor(ctx context.Context, w kernel.Writing) (*kernel.CrisisResources, error) {
	res := &kernel.CrisisResources{Message: in.resources.Message, Resources: append([]kernel.CrisisResource(nil), in.resources.Resources...)}
	c, err := in.st.GetCircleByID(ctx, w.CircleID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	res.Resources = append(res.Resources, c.CircleResources()...)
	handles, err := in.st.CircleFacilitators(ctx, w.CircleID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if len(handles) > 0 {
		res.Resources = append(res.Resources, kernel.CrisisResource{Name: "Your circle's facilitators", Contact: strings.Join(handles, ", ") + ", here in " + w.CircleName})
	}
	return res, nil
}

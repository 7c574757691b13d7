package moderation

import (
	"context"
	"strings"

	"hearth/internal/apperr"
	"hearth/internal/auth"
	"hearth/internal/forum"
	"hearth/internal/store"
)

// Intake decides what becomes of new writing: whether a newcomer's writing
// waits for review, whether it reads as a crisis, and who is told.
type Intake struct {
	st        *store.Store
	sealer    forum.Sealer
	crisis    *Detector
	resources Resources
}

// NewIntake returns the forum's intake.
func NewIntake(st *store.Store, sealer forum.Sealer, crisis *Detector, resources Resources) *Intake {
	return &Intake{st: st, sealer: sealer, crisis: crisis, resources: resources}
}

// Receive implements forum.Intake. Writing that reads as a crisis is
// published as usual, answered with crisis resources, and put at the head
// of the queue by a system flag.
func (in *Intake) Receive(ctx context.Context, w forum.Writing) (*forum.Received, error) {
	now := auth.Now()
	out := &forum.Received{Status: store.Published}
	crisis := in.crisis.Match(w.Texts...)
	// Writing that reads as a crisis is never held back from the circle.
	if w.Circle.Premoderation && !w.Circle.IsFacilitator && !w.AuthorModerates && !crisis {
		n, err := in.st.CountPublished(ctx, w.AuthorID, w.Circle.ID)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		if n < heldFirst {
			out.Status = store.Pending
			out.Also = append(out.Also, &store.ModerationItem{TargetType: string(w.Target), TargetID: w.ID, CircleID: w.Circle.ID,
				AuthorID: w.AuthorID, Priority: priorities["other"], FirstFlaggedAt: now, UpdatedAt: now})
			n, err := notice(ctx, in.st, in.sealer, w.AuthorID, NoticeHeld, authorMessage(NoticeHeld, w.Target, ""), w.Target, w.ID, now)
			if err != nil {
				return nil, err
			}
			if n != nil {
				out.Also = append(out.Also, n)
			}
		}
	}
	if crisis {
		if err := in.crisisCare(ctx, w, out); err != nil {
			return nil, err
		}
	}
	if w.Target == store.TargetReply && out.Status == store.Published && w.StoryAuthorID != w.AuthorID {
		n, err := notice(ctx, in.st, in.sealer, w.StoryAuthorID, NoticeReply, "Someone in "+w.Circle.Name+" replied to your story.", store.TargetStory, w.StoryID, now)
		if err != nil {
			return nil, err
		}
		if n != nil {
			out.Also = append(out.Also, n)
		}
	}
	return out, nil
}

// Edited implements forum.Intake: an edit that reads as a crisis is cared
// for as new writing would be.
func (in *Intake) Edited(ctx context.Context, w forum.Writing) (*forum.Received, error) {
	out := &forum.Received{}
	if in.crisis.Match(w.Texts...) {
		if err := in.crisisCare(ctx, w, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// crisisCare files the system's crisis flag with w and answers with the
// crisis resources.
func (in *Intake) crisisCare(ctx context.Context, w forum.Writing, out *forum.Received) error {
	now := auth.Now()
	out.Also = append(out.Also,
		&store.Flag{ID: store.NewID(), TargetType: string(w.Target), TargetID: w.ID, Reason: store.ReasonCrisis, Status: store.FlagOpen, CreatedAt: now},
		&store.ModerationItem{TargetType: string(w.Target), TargetID: w.ID, CircleID: w.Circle.ID, AuthorID: w.AuthorID,
			Priority: priorities[store.ReasonCrisis], FirstFlaggedAt: now, UpdatedAt: now})
	res, err := in.resourcesFor(ctx, w.Circle)
	if err != nil {
		return err
	}
	out.Crisis = res
	return nil
}

// resourcesFor adds the circle's facilitators to the crisis resources.
func (in *Intake) resourcesFor(ctx context.Context, c *store.CircleView) (Resources, error) {
	res := Resources{Message: in.resources.Message, Resources: append([]Resource(nil), in.resources.Resources...)}
	handles, err := in.st.CircleFacilitators(ctx, c.ID)
	if err != nil {
		return res, apperr.Internal(err)
	}
	if len(handles) > 0 {
		res.Resources = append(res.Resources, Resource{Name: "Your circle's facilitators", Contact: strings.Join(handles, ", ") + ", here in " + c.Name})
	}
	return res, nil
}

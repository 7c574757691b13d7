package forum

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Guidelines are a circle's current guidelines as a member sees them.
type Guidelines struct {
	Version      int    `json:"version"`
	Text         string `json:"text"`
	AcceptedByMe bool   `json:"accepted_by_me"`
}

// GuidelinesVersion is what PUT /circles/{slug}/guidelines answers.
type GuidelinesVersion struct {
	Version   int       `json:"version"`
	Text      string    `json:"text"`
	UpdatedAt time.Time `json:"updated_at"`
}

// GuidelinesText is the body of PUT /circles/{slug}/guidelines.
type GuidelinesText struct {
	Text string `json:"text"`
}

// GuidelinesAcceptance is the body of POST /circles/{slug}/guidelines/accept.
type GuidelinesAcceptance struct {
	Version int `json:"version"`
}

// CircleResources is the body and answer of PUT /circles/{slug}/resources.
type CircleResources struct {
	Resources []kernel.CrisisResource `json:"resources"`
}

// Limits of circle care, as the API contract gives them.
const (
	maxGuidelines      = 10_000
	maxResources       = 10
	maxResourceName    = 100
	maxResourceContact = 200
)

var (
	errNoGuidelines     = apperr.New(http.StatusNotFound, "not_found", "This circle has no guidelines to accept.")
	errStaleVersion     = apperr.New(http.StatusConflict, "stale_version", "The guidelines have changed since you read them. Please read the new version.")
	errWrittenMeanwhile = apperr.New(http.StatusConflict, "conflict",
		"Someone saved this circle's guidelines at the same moment. Please read their version, then save yours again.")
)

// errGuidelines is the answer to new writing from someone who has not
// accepted version of the circle's guidelines; crisis, when the words read
// as a crisis, goes with it, so nobody in a hard moment meets only a rule.
func errGuidelines(version int, crisis *kernel.CrisisResources) error {
	e := apperr.New(http.StatusConflict, "guidelines_not_accepted",
		"Before writing here, please read this circle's guidelines and agree to them. Your words have not been lost: nothing was posted yet.")
	e.Extensions = map[string]any{"version": version}
	if crisis != nil {
		e.Extensions["crisis_resources"] = crisis
	}
	return e
}

// guidelinesOf is a circle's guidelines as c's reader sees them, or nil.
func guidelinesOf(c *store.CircleView) *Guidelines {
	if c.GuidelinesVersion == 0 {
		return nil
	}
	return &Guidelines{Version: c.GuidelinesVersion, Text: c.Guidelines, AcceptedByMe: c.AcceptedVersion >= c.GuidelinesVersion}
}

// SetGuidelines writes a new version of a circle's guidelines (its
// facilitators, admins); the writer has accepted it. The log names the
// version, never the text: guidelines are in clear on the circle already.
func (s *Service) SetGuidelines(ctx context.Context, a kernel.Actor, slug string, in GuidelinesText) (*GuidelinesVersion, error) {
	c, err := s.circle(ctx, a, slug, circleCare)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Text) == "" {
		return nil, apperr.Invalid("invalid_text", "Guidelines need some words.")
	}
	if err := kernel.CheckText("text", in.Text, 1, maxGuidelines); err != nil {
		return nil, err
	}
	// The log entry, sealed before the store's transaction, names the
	// version after the one read: should another be written meanwhile,
	// this one is refused rather than logged under the wrong number.
	v := c.GuidelinesVersion + 1
	entry, err := s.log.Entry(ctx, a, "update_guidelines", "circle", c.ID, fmt.Sprintf("version %d", v))
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.st.SetGuidelines(ctx, c.ID, a.ID, in.Text, v, entry, now)
	if errors.Is(err, store.ErrStale) {
		return nil, errWrittenMeanwhile
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &GuidelinesVersion{Version: v, Text: in.Text, UpdatedAt: now.UTC()}, nil
}

// AcceptGuidelines records that a accepted version of a circle's
// guidelines (its members).
func (s *Service) AcceptGuidelines(ctx context.Context, a kernel.Actor, slug string, in GuidelinesAcceptance) error {
	c, err := s.circle(ctx, a, slug, circleAccept)
	if err != nil {
		return err
	}
	if c.GuidelinesVersion == 0 {
		return errNoGuidelines
	}
	if in.Version < 1 || in.Version > c.GuidelinesVersion {
		return apperr.Invalid("invalid_version", "That version of the guidelines does not exist.")
	}
	err = s.st.AcceptGuidelines(ctx, c.ID, a.ID, in.Version)
	if errors.Is(err, store.ErrStale) {
		return errStaleVersion
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// SetResources replaces a circle's resources (its facilitators, admins).
// The log says how many there are now, never what they say.
func (s *Service) SetResources(ctx context.Context, a kernel.Actor, slug string, in CircleResources) (*CircleResources, error) {
	c, err := s.circle(ctx, a, slug, circleCare)
	if err != nil {
		return nil, err
	}
	if in.Resources == nil {
		return nil, apperr.Invalid("invalid_resources", "resources is a list of {name, contact}.")
	}
	if len(in.Resources) > maxResources {
		return nil, apperr.Invalid("too_many_resources", "A circle lists at most 10 resources.")
	}
	out := make([]kernel.CrisisResource, len(in.Resources))
	for i, r := range in.Resources {
		out[i] = kernel.CrisisResource{Name: strings.TrimSpace(r.Name), Contact: strings.TrimSpace(r.Contact)}
		if err := kernel.CheckText("name", out[i].Name, 1, maxResourceName); err != nil {
			return nil, err
		}
		if err := kernel.CheckText("contact", out[i].Contact, 1, maxResourceContact); err != nil {
			return nil, err
		}
	}
	reason := fmt.Sprintf("%d resources", len(out))
	if len(out) == 1 {
		reason = "1 resource"
	}
	entry, err := s.log.Entry(ctx, a, "update_resources", "circle", c.ID, reason)
	if err != nil {
		return nil, err
	}
	if err := s.st.SetResources(ctx, c.ID, out, entry, s.now()); err != nil {
		return nil, apperr.Internal(err)
	}
	return &CircleResources{Resources: out}, nil
}

// GuidelinesAccepted answers nil when a may write w, something new in its
// circle, as far as the circle's guidelines go, or the 409 that asks them
// to accept the current version first (with crisis resources when w reads
// as a crisis). Mentorship asks it before an offer or a request.
func (s *Service) GuidelinesAccepted(ctx context.Context, a kernel.Actor, w kernel.Writing) error {
	current, accepted, err := s.st.GuidelinesState(ctx, w.CircleID, a.ID)
	if err != nil {
		return apperr.Internal(err)
	}
	return s.guidelinesGate(ctx, current, accepted, w)
}

// guidelinesGate holds new writing w back while its author, who accepted
// version accepted of the circle's guidelines, has not accepted the
// current one; when its words read as a crisis, the answer carries the
// crisis resources.
func (s *Service) guidelinesGate(ctx context.Context, current, accepted int, w kernel.Writing) error {
	if guidelinesPolicy(current, accepted) == nil {
		return nil
	}
	crisis, err := s.intake.CrisisResources(ctx, w)
	if err != nil {
		return err
	}
	return errGuidelines(current, crisis)
}

package forum

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Circle is a circle as a member sees it.
type Circle struct {
	Slug          string    `json:"slug"`
	Name          string    `json:"name"`
	Description   string    `json:"description"`
	Visibility    string    `json:"visibility"`
	Premoderation bool      `json:"premoderation"`
	MemberCount   int       `json:"member_count"`
	IsMember      bool      `json:"is_member"`
	IsFacilitator bool      `json:"is_facilitator"`
	CreatedAt     time.Time `json:"created_at"`
}

// CircleDetail is one circle with what its page shows beside the stories:
// its guidelines (null while it has none) and its resources.
type CircleDetail struct {
	Circle
	Guidelines *Guidelines             `json:"guidelines"`
	Resources  []kernel.CrisisResource `json:"resources"`
}

func toCircle(v *store.CircleView) Circle {
	return Circle{Slug: v.Slug, Name: v.Name, Description: v.Description, Visibility: v.Visibility,
		Premoderation: v.Premoderation, MemberCount: v.MemberCount, IsMember: v.IsMember,
		IsFacilitator: v.IsFacilitator, CreatedAt: v.CreatedAt.UTC()}
}

// NewCircle is the body of POST /circles.
type NewCircle struct {
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	Visibility    string `json:"visibility"`
	Premoderation bool   `json:"premoderation"`
}

// CirclePatch is the body of PATCH /circles/{slug}; absent fields stay.
type CirclePatch struct {
	Name          *string `json:"name"`
	Description   *string `json:"description"`
	Visibility    *string `json:"visibility"`
	Premoderation *bool   `json:"premoderation"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func checkCircle(name, description, visibility string) error {
	if err := kernel.CheckText("name", strings.TrimSpace(name), 1, maxCircleName); err != nil {
		return err
	}
	if err := kernel.CheckText("description", description, 0, maxCircleDesc); err != nil {
		return err
	}
	if visibility != store.VisibilityOpen && visibility != store.VisibilityPrivate {
		return apperr.Invalid("invalid_visibility", "visibility is open or private.")
	}
	return nil
}

// CreateCircle makes a circle (admins).
func (s *Service) CreateCircle(ctx context.Context, a kernel.Actor, in NewCircle) (*Circle, error) {
	if err := circlePolicy(a, circleManage, nil); err != nil {
		return nil, err
	}
	if len(in.Slug) < 2 || len(in.Slug) > 50 || !slugPattern.MatchString(in.Slug) {
		return nil, apperr.Invalid("invalid_slug", "A slug is 2 to 50 characters of a-z, 0-9 and single hyphens, like grief-and-loss.")
	}
	if err := checkCircle(in.Name, in.Description, in.Visibility); err != nil {
		return nil, err
	}
	now := s.now()
	c := store.Circle{ID: store.NewID(), Slug: in.Slug, Name: strings.TrimSpace(in.Name), Description: in.Description,
		Visibility: in.Visibility, Premoderation: in.Premoderation, CreatedAt: now, UpdatedAt: now}
	log, err := s.log.Entry(ctx, a, "create_circle", "circle", c.ID,
		fmt.Sprintf("%s (%s), %s, premoderation %s", c.Name, c.Slug, c.Visibility, onOff(c.Premoderation)))
	if err != nil {
		return nil, err
	}
	if err := s.st.CreateCircle(ctx, &c, log); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, apperr.New(http.StatusConflict, "slug_taken", "A circle with that slug already exists.")
		}
		return nil, apperr.Internal(err)
	}
	out := toCircle(&store.CircleView{Circle: c})
	return &out, nil
}

// UpdateCircle changes a circle (admins).
func (s *Service) UpdateCircle(ctx context.Context, a kernel.Actor, slug string, p CirclePatch) (*Circle, error) {
	if err := circlePolicy(a, circleManage, nil); err != nil {
		return nil, err
	}
	c, err := s.st.GetCircleView(ctx, slug, a.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	was := c.Circle
	if p.Name != nil {
		c.Name = strings.TrimSpace(*p.Name)
	}
	if p.Description != nil {
		c.Description = *p.Description
	}
	if p.Visibility != nil {
		c.Visibility = *p.Visibility
	}
	if p.Premoderation != nil {
		c.Premoderation = *p.Premoderation
	}
	if err := checkCircle(c.Name, c.Description, c.Visibility); err != nil {
		return nil, err
	}
	u, changes := circleChanges(&was, &c.Circle)
	if len(changes) == 0 {
		out := toCircle(c)
		return &out, nil
	}
	c.UpdatedAt = s.now()
	u.UpdatedAt = c.UpdatedAt
	log, err := s.log.Entry(ctx, a, "update_circle", "circle", c.ID, strings.Join(changes, "; "))
	if err != nil {
		return nil, err
	}
	if err := s.st.UpdateCircle(ctx, c.ID, u, log); err != nil {
		return nil, apperr.Internal(err)
	}
	out := toCircle(c)
	return &out, nil
}

// circleChanges is what changed from was to now: the update to store, and
// the words for the log (who made a private circle open is as much on the
// record as who hid a story).
func circleChanges(was, now *store.Circle) (store.CircleUpdate, []string) {
	var u store.CircleUpdate
	var out []string
	if was.Name != now.Name {
		u.Name = &now.Name
		out = append(out, fmt.Sprintf("name %q → %q", was.Name, now.Name))
	}
	if was.Description != now.Description {
		u.Description = &now.Description
		out = append(out, fmt.Sprintf("description %q → %q", was.Description, now.Description))
	}
	if was.Visibility != now.Visibility {
		u.Visibility = &now.Visibility
		out = append(out, "visibility "+was.Visibility+" → "+now.Visibility)
	}
	if was.Premoderation != now.Premoderation {
		u.Premoderation = &now.Premoderation
		out = append(out, "premoderation "+onOff(was.Premoderation)+" → "+onOff(now.Premoderation))
	}
	return u, out
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// circle loads a circle and applies the policy for act.
func (s *Service) circle(ctx context.Context, a kernel.Actor, slug string, act circleAction) (*store.CircleView, error) {
	c, err := s.st.GetCircleView(ctx, slug, a.ID)
	if err != nil {
		return nil, storeErr(err)
	}
	if err := circlePolicy(a, act, c); err != nil {
		return nil, err
	}
	return c, nil
}

// ListCircles lists the circles a may see, by slug.
func (s *Service) ListCircles(ctx context.Context, a kernel.Actor, limit int, cursor string) (*kernel.Page[Circle], error) {
	f := store.FindCircles{MemberID: a.ID, AllPrivate: a.Moderates(), Limit: limit + 1}
	var err error
	if f.AfterSlug, err = kernel.Position(cursor, "c"); err != nil {
		return nil, err
	}
	rows, err := s.st.ListCircleViews(ctx, f)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Circle]{Items: []Circle{}}
	for i := range rows {
		if i == limit {
			page.NextCursor = kernel.EncodeCursor("c", rows[i-1].Slug)
			break
		}
		page.Items = append(page.Items, toCircle(&rows[i]))
	}
	return page, nil
}

// ReadableCircles lists every circle whose stories a may list (by the
// same rule as ListStories), by slug: where search looks for them.
func (s *Service) ReadableCircles(ctx context.Context, a kernel.Actor) ([]store.CircleView, error) {
	rows, err := s.st.OpenAndMemberCircles(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := rows[:0]
	for i := range rows {
		if circlePolicy(a, circleStories, &rows[i]) == nil {
			out = append(out, rows[i])
		}
	}
	return out, nil
}

// GetCircle returns one circle.
func (s *Service) GetCircle(ctx context.Context, a kernel.Actor, slug string) (*CircleDetail, error) {
	c, err := s.circle(ctx, a, slug, circleRead)
	if err != nil {
		return nil, err
	}
	return &CircleDetail{Circle: toCircle(c), Guidelines: guidelinesOf(c), Resources: c.CircleResources()}, nil
}

// MemberCircles lists the circles a is in, for GET /me.
func (s *Service) MemberCircles(ctx context.Context, a kernel.Actor) ([]Circle, error) {
	rows, err := s.st.MemberCircles(ctx, a.ID)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	out := make([]Circle, len(rows))
	for i := range rows {
		out[i] = toCircle(&rows[i])
	}
	return out, nil
}

var errInvite = apperr.New(http.StatusNotFound, "invite_invalid", "This invite code is not valid: it may have expired or been used up. Ask the circle's facilitator for a new one.")

// Join makes a a member of a circle. A private circle needs a live invite
// code; a wrong code and a circle that does not exist look the same.
func (s *Service) Join(ctx context.Context, a kernel.Actor, slug, inviteCode string) error {
	if a.Suspended { // before anything that could tell a private circle exists
		return kernel.ErrSuspended
	}
	c, err := s.st.GetCircleView(ctx, slug, a.ID)
	if errors.Is(err, store.ErrNotFound) && inviteCode != "" {
		return errInvite
	}
	if err != nil {
		return storeErr(err)
	}
	// Outsiders may not see a private circle, yet join it with a code.
	if err := circlePolicy(a, circleJoin, c); err != nil && !(errors.Is(err, errNotFound) && inviteCode != "") {
		return err
	}
	if c.IsMember {
		return nil
	}
	hash := ""
	if c.Visibility == store.VisibilityPrivate {
		if inviteCode == "" {
			return apperr.Invalid("invite_required", "This circle is private: joining it needs an invite code from its facilitator.")
		}
		hash = inviteHash(inviteCode)
	}
	err = s.st.JoinCircle(ctx, c.ID, a.ID, hash, s.now())
	if errors.Is(err, store.ErrInvite) {
		return errInvite
	}
	if err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// Leave takes a out of a circle.
func (s *Service) Leave(ctx context.Context, a kernel.Actor, slug string) error {
	c, err := s.circle(ctx, a, slug, circleLeave)
	if err != nil {
		return err
	}
	if err := s.st.LeaveCircle(ctx, c.ID, a.ID, s.now()); err != nil {
		return storeErr(err)
	}
	return nil
}

// NewInvite is the body of POST /circles/{slug}/invites.
type NewInvite struct {
	MaxUses        int `json:"max_uses"`
	ExpiresInHours int `json:"expires_in_hours"`
}

// Invite is an invite as a circle's facilitators see it. Code is set only
// in the answer that made it: only its hash is kept.
type Invite struct {
	ID        string         `json:"id"`
	Code      string         `json:"code,omitempty"`
	ExpiresAt time.Time      `json:"expires_at"`
	MaxUses   int            `json:"max_uses"`
	Uses      int            `json:"uses"`
	CreatedBy *kernel.Author `json:"created_by,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

// Invite limits.
const (
	maxInviteUses  = 1000
	maxInviteHours = 24 * 30
)

var inviteEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// CreateInvite makes an invite code for a private circle (its facilitators).
func (s *Service) CreateInvite(ctx context.Context, a kernel.Actor, slug string, in NewInvite) (*Invite, error) {
	c, err := s.circle(ctx, a, slug, circleInvite)
	if err != nil {
		return nil, err
	}
	if c.Visibility != store.VisibilityPrivate {
		return nil, apperr.Invalid("circle_is_open", "This circle is open: anyone can join it without an invite.")
	}
	if in.MaxUses < 1 || in.MaxUses > maxInviteUses {
		return nil, apperr.Invalid("invalid_max_uses", "max_uses must be between 1 and 1000.")
	}
	if in.ExpiresInHours < 1 || in.ExpiresInHours > maxInviteHours {
		return nil, apperr.Invalid("invalid_expires_in_hours", "expires_in_hours must be between 1 and 720 (30 days).")
	}
	b := make([]byte, 10) // 80 bits: guessing one is hopeless
	_, _ = rand.Read(b)
	raw := inviteEncoding.EncodeToString(b)
	code := raw[:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:]
	now := s.now()
	inv := store.Invite{ID: store.NewID(), CodeHash: inviteHash(code), CircleID: c.ID, CreatedBy: a.ID, MaxUses: in.MaxUses,
		ExpiresAt: now.Add(time.Duration(in.ExpiresInHours) * time.Hour), CreatedAt: now}
	if err := s.st.CreateInvite(ctx, &inv); err != nil {
		return nil, apperr.Internal(err)
	}
	return &Invite{ID: inv.ID, Code: code, ExpiresAt: inv.ExpiresAt.UTC(), MaxUses: inv.MaxUses, CreatedAt: now.UTC()}, nil
}

// ListInvites lists a private circle's live invites, without their codes,
// newest first (its facilitators).
func (s *Service) ListInvites(ctx context.Context, a kernel.Actor, slug string, limit int, cursor string) (*kernel.Page[Invite], error) {
	c, err := s.circle(ctx, a, slug, circleSeeInvites)
	if err != nil {
		return nil, err
	}
	before, err := kernel.Position(cursor, "i")
	if err != nil {
		return nil, err
	}
	rows, err := s.st.ListLiveInvites(ctx, c.ID, before, limit+1, s.now())
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Invite]{Items: []Invite{}}
	for i, r := range rows {
		if i == limit {
			page.NextCursor = kernel.EncodeCursor("i", rows[i-1].ID)
			break
		}
		page.Items = append(page.Items, Invite{ID: r.ID, ExpiresAt: r.ExpiresAt.UTC(), MaxUses: r.MaxUses, Uses: r.Uses,
			CreatedBy: &kernel.Author{Handle: r.MakerHandle}, CreatedAt: r.CreatedAt.UTC()})
	}
	return page, nil
}

// RevokeInvite ends an invite of a circle at once (its facilitators).
func (s *Service) RevokeInvite(ctx context.Context, a kernel.Actor, slug, id string) error {
	c, err := s.circle(ctx, a, slug, circleInvite)
	if err != nil {
		return err
	}
	if err := s.st.RevokeInvite(ctx, c.ID, id, s.now()); err != nil {
		return storeErr(err)
	}
	return nil
}

// inviteHash is how an invite code is stored: codes carry 80 random bits,
// so a plain SHA-256 is enough and lets the store look the code up.
// Spaces, hyphens and case are forgiven, as people copy codes by hand.
func inviteHash(code string) string {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(code))
	sum := sha256.Sum256([]byte("hearth invite v1:" + norm))
	return hex.EncodeToString(sum[:])
}

// Facilitator is one facilitator of a circle, and since when they have
// been one.
type Facilitator struct {
	Handle string    `json:"handle"`
	Since  time.Time `json:"since"`
}

// ListFacilitators lists a circle's facilitators by handle (its
// facilitators and the moderation team, admins among them).
func (s *Service) ListFacilitators(ctx context.Context, a kernel.Actor, slug string, limit int, cursor string) (*kernel.Page[Facilitator], error) {
	c, err := s.circle(ctx, a, slug, circleSeeFacilitators)
	if err != nil {
		return nil, err
	}
	after, err := kernel.Position(cursor, "f")
	if err != nil {
		return nil, err
	}
	rows, err := s.st.ListFacilitators(ctx, c.ID, after, limit+1)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	page := &kernel.Page[Facilitator]{Items: []Facilitator{}}
	for i, r := range rows {
		if i == limit {
			page.NextCursor = kernel.EncodeCursor("f", rows[i-1].Handle)
			break
		}
		page.Items = append(page.Items, Facilitator{Handle: r.Handle, Since: r.Since.UTC()})
	}
	return page, nil
}

// SetFacilitator appoints (on) or removes a circle's facilitator (admins).
func (s *Service) SetFacilitator(ctx context.Context, a kernel.Actor, slug, handle string, on bool) error {
	if err := circlePolicy(a, circleManage, nil); err != nil {
		return err
	}
	c, err := s.st.GetCircleView(ctx, slug, a.ID)
	if err != nil {
		return storeErr(err)
	}
	h := strings.ToLower(handle)
	m, err := s.st.GetMember(ctx, store.FindMember{Handle: &h})
	if errors.Is(err, store.ErrNotFound) || err == nil && m.Status == store.StatusDeleted {
		return kernel.ErrNoMember
	}
	if err != nil {
		return apperr.Internal(err)
	}
	// The log names the circle in the entry's sealed reason.
	action := "appoint_facilitator"
	if !on {
		action = "remove_facilitator"
	}
	entry, err := s.log.Entry(ctx, a, action, "member", m.ID, "circle "+c.Slug)
	if err != nil {
		return err
	}
	if err := s.st.SetFacilitator(ctx, c.ID, m.ID, on, entry, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

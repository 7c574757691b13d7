package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MentorOffer is a member's offer to mentor in a circle. Intro is sealed
// with the mentor's key; Status is pending until a facilitator approves it.
type MentorOffer struct {
	ID         string `gorm:"primaryKey"`
	CircleID   string
	MemberID   string
	Intro      []byte
	MaxMentees int
	Status     string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	ApprovedAt *time.Time
}

// Offer statuses.
const (
	OfferPending  = "pending"
	OfferApproved = "approved"
)

// Mentorship is one mentor and one mentee in a circle. EndReason is sealed
// with the key of whoever ended it (EndedBy).
type Mentorship struct {
	ID        string `gorm:"primaryKey"`
	CircleID  string
	MentorID  string
	MenteeID  string
	Status    string
	CreatedAt time.Time
	DecidedAt *time.Time
	EndedAt   *time.Time
	EndedBy   *string
	EndReason []byte
}

// Mentorship statuses. A request unanswered for RequestLife reads as
// expired, whether or not a sweep has written it so yet.
const (
	MentorshipRequested = "requested"
	MentorshipActive    = "active"
	MentorshipDeclined  = "declined"
	MentorshipWithdrawn = "withdrawn"
	MentorshipExpired   = "expired"
	MentorshipEnded     = "ended"
)

// RequestLife is how long a request waits for its mentor.
const RequestLife = 14 * 24 * time.Hour

// MaxMenteesInAll is how many active mentees a mentor has across circles.
const MaxMenteesInAll = 5

// MentorshipMessage is one message of a mentorship; Body is sealed with
// its author's key, and is nil once their account is gone.
type MentorshipMessage struct {
	ID           string `gorm:"primaryKey"`
	MentorshipID string
	AuthorID     string
	Body         []byte
	CreatedAt    time.Time
}

// Notice kinds of mentorship, and the targets they name.
const (
	NoticeMentorshipRequested = "mentorship_requested"
	NoticeMentorshipAccepted  = "mentorship_accepted"
	NoticeMentorshipDeclined  = "mentorship_declined"
	NoticeMentorshipMessage   = "mentorship_message"
	NoticeMentorshipEnded     = "mentorship_ended"
	TargetMentorship          = "mentorship"
)

// TargetMessage is a message in a mentorship, as a flag or a queue item
// names it.
const TargetMessage Target = "message"

// ErrFull means a mentor has as many active mentees as they take.
var ErrFull = errors.New("store: mentor is full")

// MentorView is an offer with its mentor's handle and how their
// mentorships stand: active mentees in the circle and in all circles, and,
// for facilitators, mentorships in the circle, those ended early and
// messages flagged.
type MentorView struct {
	MentorOffer
	Handle                         string
	ActiveInCircle, ActiveInAll    int
	Mentorships, EndedEarly, Flags int
}

const mentorViewSelect = `SELECT o.id, o.circle_id, o.member_id, o.intro, o.max_mentees, o.status, o.created_at, o.updated_at, o.approved_at, m.handle,
	(SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = o.member_id AND x.circle_id = o.circle_id AND x.status = 'active'),
	(SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = o.member_id AND x.status = 'active'),
	(SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = o.member_id AND x.circle_id = o.circle_id AND x.decided_at IS NOT NULL AND x.status IN ('active', 'ended')),
	(SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = o.member_id AND x.circle_id = o.circle_id AND x.status = 'ended' AND x.decided_at IS NOT NULL AND ENDED_EARLY),
	(SELECT COUNT(DISTINCT f.target_id) FROM flags f JOIN mentorship_messages mm ON mm.id = f.target_id JOIN mentorships x ON x.id = mm.mentorship_id
		WHERE f.target_type = 'message' AND f.reporter_id IS NOT NULL AND x.mentor_id = o.member_id AND x.circle_id = o.circle_id)
	FROM mentor_offers o JOIN members m ON m.id = o.member_id`

// endedEarlyAt stands in mentorViewSelect for whether an ended
// mentorship ended early (within 14 days of being taken up), which each
// dialect writes its own way.
const endedEarlyAt = "ENDED_EARLY"

func scanMentorView(row rowScanner, v *MentorView) error {
	return row.Scan(&v.ID, &v.CircleID, &v.MemberID, &v.Intro, &v.MaxMentees, &v.Status, &v.CreatedAt, &v.UpdatedAt, &v.ApprovedAt, &v.Handle,
		&v.ActiveInCircle, &v.ActiveInAll, &v.Mentorships, &v.EndedEarly, &v.Flags)
}

// GetMentor returns memberID's offer in circleID, or ErrNotFound.
func (s *Store) GetMentor(ctx context.Context, circleID, memberID string) (*MentorView, error) {
	var v MentorView
	err := scanMentorView(s.queryRow(ctx, s.earlyQuery(mentorViewSelect+" WHERE o.circle_id = ? AND o.member_id = ?"), circleID, memberID), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get mentor: %w", err)
	}
	return &v, nil
}

// ListMentors lists a circle's offers of one status, longest-standing
// first.
func (s *Store) ListMentors(ctx context.Context, circleID, status string) ([]MentorView, error) {
	out, err := queryRows(ctx, s, 0, scanMentorView, s.earlyQuery(mentorViewSelect+" WHERE o.circle_id = ? AND o.status = ? ORDER BY o.id"), circleID, status)
	if err != nil {
		return nil, fmt.Errorf("store: list mentors: %w", err)
	}
	return out, nil
}

// earlyQuery puts the ended-early span into a mentor view query: SQLite
// keeps times as text, so it compares them with julianday.
func (s *Store) earlyQuery(q string) string {
	if s.dialect == Postgres {
		return strings.Replace(q, endedEarlyAt, "x.ended_at < x.decided_at + interval '14 days'", 1)
	}
	return strings.Replace(q, endedEarlyAt, "julianday(x.ended_at) - julianday(x.decided_at) < 14", 1)
}

// ErrBelowActive means an offer would take fewer mentees than its mentor
// already walks beside in its circle.
var ErrBelowActive = errors.New("store: max_mentees below the active mentees")

// SaveOffer creates or changes an offer (a change waits for approval
// again, as its caller decides). A change never sets MaxMentees below the
// mentor's active mentees in the circle (ErrBelowActive): the mentor's
// offers are locked first, as Accept locks them, so an accept and a
// change are counted one after the other.
func (s *Store) SaveOffer(ctx context.Context, o *MentorOffer, create bool) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if create {
			return tx.Create(o).Error
		}
		var locked []MentorOffer
		if err := tx.Clauses(lockingClause(tx)...).Where("member_id = ?", o.MemberID).Find(&locked).Error; err != nil {
			return err
		}
		var active int64
		if err := tx.Model(&Mentorship{}).Where("mentor_id = ? AND circle_id = ? AND status = ?", o.MemberID, o.CircleID, MentorshipActive).Count(&active).Error; err != nil {
			return err
		}
		if int64(o.MaxMentees) < active {
			return ErrBelowActive
		}
		return tx.Model(&MentorOffer{}).Where("id = ?", o.ID).
			Select("Intro", "MaxMentees", "Status", "UpdatedAt", "ApprovedAt").Updates(o).Error
	})
	if isUnique(err) {
		return ErrConflict
	}
	if err != nil && !errors.Is(err, ErrBelowActive) {
		return fmt.Errorf("store: save offer: %w", err)
	}
	return err
}

// ApproveOffer approves memberID's offer in circleID, with the log entry
// that records it.
func (s *Store) ApproveOffer(ctx context.Context, circleID, memberID string, now time.Time, entry *LogEntry) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&MentorOffer{}).Where("circle_id = ? AND member_id = ?", circleID, memberID).
			Select("Status", "ApprovedAt").Updates(&MentorOffer{Status: OfferApproved, ApprovedAt: &now})
		if res.Error != nil {
			return fmt.Errorf("store: approve offer: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return (&Effects{Log: entry}).write(tx)
	})
}

// Told makes the notice one party of a mentorship gets when it closes
// without them.
type Told func(m *Mentorship, memberID, kind string) *Notice

// WithdrawOffer takes memberID's offer in circleID away: its open requests
// are declined and, on a facilitator's removal (logged by removal; nil
// when the mentor stops), its active mentorships end. The mentees are
// told by tell.
func (s *Store) WithdrawOffer(ctx context.Context, circleID, memberID string, removal *LogEntry, now time.Time, tell Told) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("circle_id = ? AND member_id = ?", circleID, memberID).Delete(&MentorOffer{})
		if res.Error != nil {
			return fmt.Errorf("store: withdraw offer: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := closeMentorships(tx, "circle_id = ? AND mentor_id = ? AND status = 'requested'", []any{circleID, memberID},
			MentorshipDeclined, nil, now, tell); err != nil {
			return err
		}
		if removal == nil {
			return nil
		}
		if err := closeMentorships(tx, "circle_id = ? AND mentor_id = ? AND status = 'active'", []any{circleID, memberID},
			MentorshipEnded, nil, now, tell); err != nil {
			return err
		}
		return (&Effects{Log: removal}).write(tx)
	})
}

// closeMentorships moves the mentorships where selects to status, and tells
// each one's members what tell says (nobody when tell is nil), but never
// the one who closed it (by).
func closeMentorships(tx *gorm.DB, where string, args []any, status string, by *string, now time.Time, tell Told) error {
	var ms []Mentorship
	if err := tx.Clauses(lockingClause(tx)...).Where(where, args...).Find(&ms).Error; err != nil {
		return fmt.Errorf("store: close mentorships: %w", err)
	}
	if len(ms) == 0 {
		return nil
	}
	ids := make([]string, len(ms))
	var notices []*Notice
	kind := NoticeMentorshipEnded
	if status == MentorshipDeclined {
		kind = NoticeMentorshipDeclined
	}
	for i := range ms {
		ids[i] = ms[i].ID
		if tell == nil {
			continue
		}
		for _, who := range []string{ms[i].MentorID, ms[i].MenteeID} {
			if by != nil && who == *by || status == MentorshipDeclined && who == ms[i].MentorID {
				continue
			}
			if n := tell(&ms[i], who, kind); n != nil {
				notices = append(notices, n)
			}
		}
	}
	up, fields := moved(status, by, nil, now)
	if err := tx.Model(&Mentorship{}).Where("id IN ?", ids).Select(fields).Updates(up).Error; err != nil {
		return fmt.Errorf("store: close mentorships: %w", err)
	}
	if len(notices) > 0 {
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(notices).Error
	}
	return nil
}

// lockingClause locks the rows read on PostgreSQL, where transactions run
// side by side; SQLite has one writer, so there is nothing to lock.
func lockingClause(tx *gorm.DB) []clause.Expression {
	if tx.Dialector.Name() == "postgres" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

// EndMentorshipsOf ends, in tx, every open or active mentorship of
// memberID (in circleID, or everywhere when it is ""), as when they leave
// the circle, are suspended or banned, or go; the other side is told.
func endMentorshipsOf(tx *gorm.DB, memberID, circleID string, now time.Time) error {
	where, args := "(mentor_id = ? OR mentee_id = ?) AND status IN ('requested', 'active')", []any{memberID, memberID}
	offers := tx.Where("member_id = ?", memberID)
	if circleID != "" {
		where, args = where+" AND circle_id = ?", append(args, circleID)
		offers = offers.Where("circle_id = ?", circleID)
	}
	if err := offers.Delete(&MentorOffer{}).Error; err != nil {
		return fmt.Errorf("store: end mentorships: %w", err)
	}
	return closeMentorships(tx, where, args, MentorshipEnded, &memberID, now, func(m *Mentorship, who, kind string) *Notice {
		cid := m.CircleID
		return &Notice{ID: NewIDAt(now), MemberID: who, Kind: kind, TargetType: TargetMentorship, TargetID: m.ID, CircleID: &cid, CreatedAt: now}
	})
}

// endMentorshipsBetween, in tx, ends what blocker has with other in
// mentorship, as blocker could have ended it themselves, so the block
// shows in nothing: an active mentorship ends, other's request to blocker
// is declined, and blocker's own request to other is withdrawn.
func endMentorshipsBetween(tx *gorm.DB, blocker, other string, now time.Time) error {
	for _, c := range []struct {
		where  string
		args   []any
		status string
	}{
		{"status = 'active' AND ((mentor_id = ? AND mentee_id = ?) OR (mentor_id = ? AND mentee_id = ?))", []any{blocker, other, other, blocker}, MentorshipEnded},
		{"status = 'requested' AND mentor_id = ? AND mentee_id = ?", []any{blocker, other}, MentorshipDeclined},
		{"status = 'requested' AND mentor_id = ? AND mentee_id = ?", []any{other, blocker}, MentorshipWithdrawn},
	} {
		err := closeMentorships(tx, c.where, c.args, c.status, &blocker, now, func(m *Mentorship, who, kind string) *Notice {
			if c.status == MentorshipWithdrawn {
				return nil // a withdrawn request tells nobody
			}
			cid := m.CircleID
			return &Notice{ID: NewIDAt(now), MemberID: who, Kind: kind, TargetType: TargetMentorship, TargetID: m.ID, CircleID: &cid, CreatedAt: now}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// MentorshipView is a mentorship with its circle's slug and name and its
// members' handles.
type MentorshipView struct {
	Mentorship
	CircleSlug, CircleName     string
	MentorHandle, MenteeHandle string
}

const mentorshipViewSelect = `SELECT ms.id, ms.circle_id, ms.mentor_id, ms.mentee_id, ms.status, ms.created_at, ms.decided_at, ms.ended_at, ms.ended_by,
	c.slug, c.name, a.handle, b.handle
	FROM mentorships ms JOIN circles c ON c.id = ms.circle_id JOIN members a ON a.id = ms.mentor_id JOIN members b ON b.id = ms.mentee_id`

func scanMentorshipView(row rowScanner, v *MentorshipView) error {
	return row.Scan(&v.ID, &v.CircleID, &v.MentorID, &v.MenteeID, &v.Status, &v.CreatedAt, &v.DecidedAt, &v.EndedAt, &v.EndedBy,
		&v.CircleSlug, &v.CircleName, &v.MentorHandle, &v.MenteeHandle)
}

// GetMentorship returns mentorship id, or ErrNotFound.
func (s *Store) GetMentorship(ctx context.Context, id string) (*MentorshipView, error) {
	var v MentorshipView
	err := scanMentorshipView(s.queryRow(ctx, mentorshipViewSelect+" WHERE ms.id = ?", id), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get mentorship: %w", err)
	}
	return &v, nil
}

// FindMentorships is a page of a member's mentorships, newest first.
type FindMentorships struct {
	MemberID string
	// Status narrows to one status; requests past RequestLife (before
	// ExpiredBefore) read as expired.
	Status        string
	ExpiredBefore time.Time
	Before        string
	Limit         int
}

// ListMentorships lists a member's mentorships as mentor or mentee.
func (s *Store) ListMentorships(ctx context.Context, f FindMentorships) ([]MentorshipView, error) {
	q := mentorshipViewSelect + " WHERE (ms.mentor_id = ? OR ms.mentee_id = ?)"
	args := []any{f.MemberID, f.MemberID}
	switch f.Status {
	case "":
	case MentorshipRequested:
		q, args = q+" AND ms.status = 'requested' AND ms.created_at > ?", append(args, f.ExpiredBefore)
	case MentorshipExpired:
		q, args = q+" AND (ms.status = 'expired' OR ms.status = 'requested' AND ms.created_at <= ?)", append(args, f.ExpiredBefore)
	default:
		q, args = q+" AND ms.status = ?", append(args, f.Status)
	}
	if f.Before != "" {
		q, args = q+" AND ms.id < ?", append(args, f.Before)
	}
	q += " ORDER BY ms.id DESC LIMIT ?"
	out, err := queryRows(ctx, s, f.Limit, scanMentorshipView, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list mentorships: %w", err)
	}
	return out, nil
}

// RequestStanding is what stands between a member and a new request to a
// mentor in a circle.
type RequestStanding struct {
	// OpenWithMentor: a live request or an active mentorship with this
	// mentor; DeclinedRecently: the mentor declined them within the hold;
	// OpenInCircle: any live request or active mentorship as mentee there.
	OpenWithMentor, DeclinedRecently, OpenInCircle bool
}

// CreateMentorship stores a request with its first message and effects.
// In the same transaction it expires the requests of either member that
// waited too long, then checks again what stands in the way (the answer
// to concurrent requests): ErrConflict when the mentee already has one
// open in the circle.
func (s *Store) CreateMentorship(ctx context.Context, m *Mentorship, first *MentorshipMessage, eff Effects) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := expireRequests(tx, m.CreatedAt, m.MenteeID, m.MentorID); err != nil {
			return err
		}
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		if err := tx.Create(first).Error; err != nil {
			return err
		}
		return eff.write(tx)
	})
	if isUnique(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: create mentorship: %w", err)
	}
	return nil
}

// expireRequests writes expired on the requests of these members that
// waited longer than RequestLife.
func expireRequests(tx *gorm.DB, now time.Time, memberIDs ...string) error {
	err := tx.Model(&Mentorship{}).Where("status = ? AND created_at <= ? AND (mentee_id IN ? OR mentor_id IN ?)",
		MentorshipRequested, now.Add(-RequestLife), memberIDs, memberIDs).Select("Status", "DecidedAt").
		Updates(&Mentorship{Status: MentorshipExpired, DecidedAt: &now}).Error
	if err != nil {
		return fmt.Errorf("store: expire requests: %w", err)
	}
	return nil
}

// Standing answers what stands between menteeID and a request to mentorID
// in circleID, at now; holdSince is when a decline stops holding.
func (s *Store) Standing(ctx context.Context, circleID, mentorID, menteeID string, now, holdSince time.Time) (RequestStanding, error) {
	var r RequestStanding
	live := now.Add(-RequestLife)
	err := s.queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM mentorships WHERE mentor_id = ? AND mentee_id = ? AND (status = 'active' OR status = 'requested' AND created_at > ?)),
		EXISTS (SELECT 1 FROM mentorships WHERE mentor_id = ? AND mentee_id = ? AND status = 'declined' AND decided_at > ?),
		EXISTS (SELECT 1 FROM mentorships WHERE circle_id = ? AND mentee_id = ? AND (status = 'active' OR status = 'requested' AND created_at > ?))`,
		mentorID, menteeID, live, mentorID, menteeID, holdSince, circleID, menteeID, live).Scan(&r.OpenWithMentor, &r.DeclinedRecently, &r.OpenInCircle)
	if err != nil {
		return r, fmt.Errorf("store: request standing: %w", err)
	}
	return r, nil
}

// Accept makes request id active, unless it is no longer a live request
// (ErrConflict) or its mentor would then have more than maxInCircle active
// mentees in its circle or MaxMenteesInAll in all (ErrFull). The mentor's
// offers are locked first, so concurrent accepts are counted one after
// another.
func (s *Store) Accept(ctx context.Context, m *Mentorship, maxInCircle int, now time.Time, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var locked []MentorOffer
		if err := tx.Clauses(lockingClause(tx)...).Where("member_id = ?", m.MentorID).Find(&locked).Error; err != nil {
			return fmt.Errorf("store: accept: %w", err)
		}
		var inCircle, inAll int64
		if err := tx.Model(&Mentorship{}).Where("mentor_id = ? AND status = ?", m.MentorID, MentorshipActive).Count(&inAll).Error; err != nil {
			return err
		}
		if err := tx.Model(&Mentorship{}).Where("mentor_id = ? AND circle_id = ? AND status = ?", m.MentorID, m.CircleID, MentorshipActive).Count(&inCircle).Error; err != nil {
			return err
		}
		if int(inCircle) >= maxInCircle || inAll >= MaxMenteesInAll {
			return ErrFull
		}
		if err := transition(tx, m.ID, []string{MentorshipRequested}, MentorshipActive, nil, nil, now, "created_at > ?", now.Add(-RequestLife)); err != nil {
			return err
		}
		return eff.write(tx)
	})
}

// moved is what moving a mentorship to status at now writes, and its
// fields: an end says when, by whom and (when given) why; anything else
// says when it was decided.
func moved(status string, by *string, reason []byte, now time.Time) (*Mentorship, []string) {
	if status != MentorshipEnded {
		return &Mentorship{Status: status, DecidedAt: &now}, []string{"Status", "DecidedAt"}
	}
	m, fields := &Mentorship{Status: status, EndedAt: &now, EndedBy: by}, []string{"Status", "EndedAt", "EndedBy"}
	if reason != nil {
		m.EndReason, fields = reason, append(fields, "EndReason")
	}
	return m, fields
}

// transition moves mentorship id to status (see moved), when its status
// is one of from (and extra holds); ErrConflict otherwise.
func transition(tx *gorm.DB, id string, from []string, status string, by *string, reason []byte, now time.Time, extra string, args ...any) error {
	q := tx.Model(&Mentorship{}).Where("id = ? AND status IN ?", id, from)
	if extra != "" {
		q = q.Where(extra, args...)
	}
	up, fields := moved(status, by, reason, now)
	res := q.Select(fields).Updates(up)
	if res.Error != nil {
		return fmt.Errorf("store: mentorship: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// MoveMentorship changes a mentorship's status from one of from (a live
// request only, when from is requested), with its effects; ErrConflict
// when it no longer stands so.
func (s *Store) MoveMentorship(ctx context.Context, id string, from []string, to string, by *string, reason []byte, now time.Time, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		extra, args := "", []any(nil)
		if len(from) == 1 && from[0] == MentorshipRequested {
			extra, args = "created_at > ?", []any{now.Add(-RequestLife)}
		}
		if err := transition(tx, id, from, to, by, reason, now, extra, args...); err != nil {
			return err
		}
		return eff.write(tx)
	})
}

// AddMessage stores a message while its mentorship is active (ErrConflict
// otherwise), with its effects. A mentorship_message notice among them
// takes the place of the unread one its member has of this mentorship.
func (s *Store) AddMessage(ctx context.Context, msg *MentorshipMessage, eff Effects) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Mentorship{}).Where("id = ? AND status = ?", msg.MentorshipID, MentorshipActive).Count(&n).Error; err != nil {
			return fmt.Errorf("store: add message: %w", err)
		}
		if n == 0 {
			return ErrConflict
		}
		for _, nt := range eff.Notices {
			if nt.Kind == NoticeMentorshipMessage {
				if err := tx.Where("member_id = ? AND kind = ? AND target_id = ? AND read_at IS NULL", nt.MemberID, nt.Kind, nt.TargetID).Delete(&Notice{}).Error; err != nil {
					return fmt.Errorf("store: add message: %w", err)
				}
			}
		}
		if err := tx.Create(msg).Error; err != nil {
			return fmt.Errorf("store: add message: %w", err)
		}
		return eff.write(tx)
	})
}

// MessageView is a message with its author's handle.
type MessageView struct {
	MentorshipMessage
	AuthorHandle string
}

// ListMessages lists a mentorship's messages oldest first, after the id
// given.
func (s *Store) ListMessages(ctx context.Context, mentorshipID, after string, limit int) ([]MessageView, error) {
	q := `SELECT mm.id, mm.mentorship_id, mm.author_id, mm.body, mm.created_at, m.handle
		FROM mentorship_messages mm JOIN members m ON m.id = mm.author_id WHERE mm.mentorship_id = ?`
	args := []any{mentorshipID}
	if after != "" {
		q, args = q+" AND mm.id > ?", append(args, after)
	}
	q += " ORDER BY mm.id LIMIT ?"
	out, err := queryRows(ctx, s, limit, func(row rowScanner, v *MessageView) error {
		return row.Scan(&v.ID, &v.MentorshipID, &v.AuthorID, &v.Body, &v.CreatedAt, &v.AuthorHandle)
	}, q, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list messages: %w", err)
	}
	return out, nil
}

// MarkMentorshipRead marks read the unread notices memberID has of a
// mentorship's messages.
func (s *Store) MarkMentorshipRead(ctx context.Context, memberID, mentorshipID string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&Notice{}).Where("member_id = ? AND kind = ? AND target_id = ? AND read_at IS NULL",
			memberID, NoticeMentorshipMessage, mentorshipID).Update("read_at", now).Error
	})
}

// HasUnreadMessageNotice reports whether memberID has an unread notice of
// a mentorship's messages (so reading can skip the write).
func (s *Store) HasUnreadMessageNotice(ctx context.Context, memberID, mentorshipID string) (bool, error) {
	var b bool
	err := s.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notices WHERE member_id = ? AND kind = ? AND target_id = ? AND read_at IS NULL)`,
		memberID, NoticeMentorshipMessage, mentorshipID).Scan(&b)
	return b, err
}

// ModerationAgainst counts the warnings, suspensions and bans of memberID,
// and the hides (by a moderator or by three members' flags) and removals
// of their writing, logged since then, leaving out actions an appeal
// overturned (the log is append-only: the appeal says it).
func (s *Store) ModerationAgainst(ctx context.Context, memberID string, since time.Time) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM moderation_log l WHERE l.created_at > ? AND (
		l.target_type = 'member' AND l.target_id = ? AND l.action IN ('warn', 'suspend', 'ban')
		OR l.target_type = 'story' AND l.action IN ('hide', 'hide_by_flags', 'remove') AND l.target_id IN (SELECT id FROM stories WHERE author_id = ?)
		OR l.target_type = 'reply' AND l.action IN ('hide', 'hide_by_flags', 'remove') AND l.target_id IN (SELECT id FROM replies WHERE author_id = ?))
		AND NOT EXISTS (SELECT 1 FROM appeals ap WHERE ap.action_id = l.id AND ap.status = ?)`,
		since, memberID, memberID, memberID, AppealOverturned).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: moderation against: %w", err)
	}
	return n, nil
}

// MessageRef is a message with its mentorship's members and circle.
type MessageRef struct {
	MentorshipMessage
	CircleID, MentorID, MenteeID string
}

// GetMessage returns message id with its mentorship's members, or
// ErrNotFound.
func (s *Store) GetMessage(ctx context.Context, id string) (*MessageRef, error) {
	var v MessageRef
	err := s.queryRow(ctx, `SELECT mm.id, mm.mentorship_id, mm.author_id, mm.body, mm.created_at, ms.circle_id, ms.mentor_id, ms.mentee_id
		FROM mentorship_messages mm JOIN mentorships ms ON ms.id = mm.mentorship_id WHERE mm.id = ?`, id).
		Scan(&v.ID, &v.MentorshipID, &v.AuthorID, &v.Body, &v.CreatedAt, &v.CircleID, &v.MentorID, &v.MenteeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get message: %w", err)
	}
	return &v, nil
}

// MessagesBy lists every message authorID wrote, oldest first, for their
// export.
func (s *Store) MessagesBy(ctx context.Context, authorID string) ([]MentorshipMessage, error) {
	out, err := queryRows(ctx, s, 0, func(row rowScanner, m *MentorshipMessage) error {
		return row.Scan(&m.ID, &m.MentorshipID, &m.AuthorID, &m.Body, &m.CreatedAt)
	}, `SELECT id, mentorship_id, author_id, body, created_at FROM mentorship_messages WHERE author_id = ? AND body IS NOT NULL ORDER BY id`, authorID)
	if err != nil {
		return nil, fmt.Errorf("store: messages by: %w", err)
	}
	return out, nil
}

// OfferOf is an offer with its circle's slug.
type OfferOf struct {
	MentorOffer
	CircleSlug string
}

// OffersBy lists memberID's offers to mentor, oldest first, for their
// export.
func (s *Store) OffersBy(ctx context.Context, memberID string) ([]OfferOf, error) {
	out, err := queryRows(ctx, s, 0, func(row rowScanner, o *OfferOf) error {
		return row.Scan(&o.ID, &o.CircleID, &o.MemberID, &o.Intro, &o.MaxMentees, &o.Status, &o.CreatedAt, &o.UpdatedAt, &o.ApprovedAt, &o.CircleSlug)
	}, `SELECT o.id, o.circle_id, o.member_id, o.intro, o.max_mentees, o.status, o.created_at, o.updated_at, o.approved_at, c.slug
		FROM mentor_offers o JOIN circles c ON c.id = o.circle_id WHERE o.member_id = ? ORDER BY o.id`, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: offers by: %w", err)
	}
	return out, nil
}

// EndReasonsBy lists the mentorships memberID ended giving a reason
// (sealed with their key), oldest first, for their export.
func (s *Store) EndReasonsBy(ctx context.Context, memberID string) ([]Mentorship, error) {
	out, err := queryRows(ctx, s, 0, func(row rowScanner, m *Mentorship) error {
		return row.Scan(&m.ID, &m.EndedAt, &m.EndReason)
	}, `SELECT id, ended_at, end_reason FROM mentorships WHERE (mentor_id = ? OR mentee_id = ?) AND ended_by = ? AND end_reason IS NOT NULL ORDER BY id`,
		memberID, memberID, memberID)
	if err != nil {
		return nil, fmt.Errorf("store: end reasons by: %w", err)
	}
	return out, nil
}

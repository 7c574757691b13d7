package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notice tells one member of something. It holds no text: it names its
// kind, its target, who acted (a member, or nobody for the moderation team
// and the system) and the moderation action it tells of, by id; its message
// is written when it is read.
type Notice struct {
	ID         string `gorm:"primaryKey"`
	MemberID   string
	Kind       string
	TargetType string
	TargetID   string
	StoryID    *string
	CircleID   *string
	ActorID    *string
	ActionID   *string
	ReadAt     *time.Time
	CreatedAt  time.Time
}

// Notice kinds.
const (
	NoticeHeld           = "held"
	NoticeHidden         = "hidden"
	NoticeRemoved        = "removed"
	NoticeRestored       = "restored"
	NoticeApproved       = "approved"
	NoticeWarned         = "warned"
	NoticeSuspended      = "suspended"
	NoticeFlagOutcome    = "flag_outcome"
	NoticeReply          = "reply"
	NoticeReplyToYou     = "reply_to_you"
	NoticeCrisisInCircle = "crisis_in_circle"
	NoticeThemesAdded    = "themes_added"
	NoticeAppealDecided  = "appeal_decided"
)

// NoticeView is a notice with what its message is written from: the
// handle of the member who acted, the circle's name, the moderation action
// it tells of (its name and its reason, sealed with the moderator's key),
// and, for a suspension, until when the member is suspended.
type NoticeView struct {
	Notice
	ActorHandle    *string
	CircleName     *string
	Action         *string
	ActionReason   []byte
	SuspendedUntil *time.Time
}

// noticeViewSelect lists its columns in the order scanNoticeView reads them.
const noticeViewSelect = `SELECT n.id, n.member_id, n.kind, n.target_type, n.target_id, n.story_id, n.circle_id, n.actor_id,
	n.action_id, n.read_at, n.created_at, a.handle, c.name, l.action, l.reason, me.suspended_until
	FROM notices n
	JOIN members me ON me.id = n.member_id
	LEFT JOIN members a ON a.id = n.actor_id
	LEFT JOIN circles c ON c.id = n.circle_id
	LEFT JOIN moderation_log l ON l.id = n.action_id`

func scanNoticeView(row rowScanner, v *NoticeView) error {
	return row.Scan(&v.ID, &v.MemberID, &v.Kind, &v.TargetType, &v.TargetID, &v.StoryID, &v.CircleID, &v.ActorID,
		&v.ActionID, &v.ReadAt, &v.CreatedAt, &v.ActorHandle, &v.CircleName, &v.Action, &v.ActionReason, &v.SuspendedUntil)
}

// FindNotices filters ListNotices: a member's notices, newest first,
// before the id given.
type FindNotices struct {
	MemberID string
	Before   string
	Unread   bool
	Limit    int
}

// ListNotices lists one page of a member's notices in one query.
func (s *Store) ListNotices(ctx context.Context, f FindNotices) ([]NoticeView, error) {
	q := noticeViewSelect + " WHERE n.member_id = ?"
	args := []any{f.MemberID}
	if f.Unread {
		q += " AND n.read_at IS NULL"
	}
	if f.Before != "" {
		q += " AND n.id < ?"
		args = append(args, f.Before)
	}
	q += " ORDER BY n.id DESC LIMIT ?"
	out, err := queryRows(ctx, s, f.Limit, scanNoticeView, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("store: list notices: %w", err)
	}
	return out, nil
}

// UnreadNotices counts a member's unread notices, off idx_notices_unread,
// and says whether their feed needs delivering (see Feed): a reply by
// someone else published past where it was delivered, or a settling
// window that has passed. In one query, and without reading what was
// delivered already.
//
// quietTo is a place in the feed up to which the caller already knows
// nothing waits for the member ("" when it knows nothing). When no reply
// anywhere was published past it, one step down idx_replies_published_id
// answers, and the member's follows are not read: the common case of a
// page asking again twice a minute while nothing new was written.
func (s *Store) UnreadNotices(ctx context.Context, memberID, settled, quietTo string) (count int64, waiting bool, err error) {
	err = s.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM notices WHERE member_id = ? AND read_at IS NULL),
		CASE WHEN EXISTS (SELECT 1 FROM replies WHERE published_id > ?) THEN
			EXISTS (SELECT 1 FROM follows f JOIN replies r ON r.story_id = f.story_id AND r.published_id > f.since_id
				WHERE f.member_id = ? AND f.following AND r.author_id <> f.member_id
				AND r.published_id > COALESCE((SELECT delivered_to FROM notice_feeds WHERE member_id = ?), ''))
		ELSE false END
		OR EXISTS (SELECT 1 FROM notice_feeds WHERE member_id = ? AND caught_up_to < delivered_to AND delivered_to <= ?)`,
		memberID, quietTo, memberID, memberID, memberID, settled).Scan(&count, &waiting)
	if err != nil {
		return 0, false, fmt.Errorf("store: unread notices: %w", err)
	}
	return count, waiting, nil
}

// MarkNoticesRead marks read a member's notices of ids, and with upTo
// that notice and every older one. Ids that are not the member's change
// nothing.
func (s *Store) MarkNoticesRead(ctx context.Context, memberID string, ids []string, upTo string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		read := func(q *gorm.DB) error {
			return q.Model(&Notice{}).Where("member_id = ? AND read_at IS NULL", memberID).Update("read_at", now).Error
		}
		if len(ids) > 0 {
			if err := read(tx.Where("id IN ?", ids)); err != nil {
				return fmt.Errorf("store: mark notices read: %w", err)
			}
		}
		if upTo != "" {
			if err := read(tx.Where("id <= ?", upTo)); err != nil {
				return fmt.Errorf("store: mark notices read: %w", err)
			}
		}
		return nil
	})
}

// Follow is a member following a story: they hear of the replies
// published in it after SinceID. A row with Following false is an
// unfollow, kept so that replying again does not follow once more.
type Follow struct {
	MemberID  string `gorm:"primaryKey"`
	StoryID   string `gorm:"primaryKey"`
	Following bool
	SinceID   string
	CreatedAt time.Time
}

// SetFollow makes memberID follow story storyID (on) or stop.
func (s *Store) SetFollow(ctx context.Context, memberID, storyID string, on bool, now time.Time) error {
	f := Follow{MemberID: memberID, StoryID: storyID, Following: on, SinceID: NewIDAt(now), CreatedAt: now}
	// Following again starts from now; following while following keeps
	// the first start.
	err := s.w.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "member_id"}, {Name: "story_id"}},
		DoUpdates: clause.Assignments(map[string]any{
			"following": on,
			"since_id":  gorm.Expr("CASE WHEN follows.following THEN follows.since_id ELSE excluded.since_id END"),
		}),
	}).Create(&f).Error
	if err != nil {
		return fmt.Errorf("store: follow: %w", err)
	}
	return nil
}

// FeedReply is a reply published in a story someone follows, with what
// the rules of who hears of it need.
type FeedReply struct {
	PublishedID, ReplyID, StoryID, CircleID, AuthorID string
	ParentAuthorID                                    *string
	CreatedAt                                         time.Time
}

// maxFeed bounds how many replies one delivery takes; the rest come at the
// next.
const maxFeed = 500

// replyOnce is idx_notices_reply_once's condition, written out as
// literals so that the planner, which does not look at bound values, can
// prove a query may use the index.
const replyOnce = "n.kind IN ('" + NoticeReply + "', '" + NoticeReplyToYou + "') AND n.target_type = '" + string(TargetReply) + "'"

// Feed is what a member's next delivery holds: the replies they have not
// been told of, oldest first, and how far it read (Through: every reply
// published up to it in the stories they follow is among Replies or was
// delivered before, or may still commit within the settling window).
type Feed struct {
	Replies []FeedReply
	Through string
}

// FeedSince reads memberID's feed: the replies published in the stories
// they follow, since they began following and past where their feed is
// settled (caught_up_to), by others, that they may still read (a private
// circle's only while they are in it), and that they have not been told
// of. A reply takes its place (published_id) a moment before its
// transaction commits, so the feed reads again from the settled mark
// rather than from where it was last delivered.
func (s *Store) FeedSince(ctx context.Context, memberID string) (Feed, error) {
	var f Feed
	err := s.reading(ctx, func(db *gorm.DB) error {
		// How far the stories they follow go, read first: a reply that
		// commits after it is found at the next look.
		var through *string
		err := db.Raw(`SELECT MAX(r.published_id) FROM follows f
			JOIN replies r ON r.story_id = f.story_id AND r.published_id > f.since_id
			WHERE f.member_id = ? AND f.following
			AND r.published_id > COALESCE((SELECT caught_up_to FROM notice_feeds WHERE member_id = ?), '')`,
			memberID, memberID).Row().Scan(&through)
		if err != nil || through == nil {
			return err
		}
		f.Through = *through
		rows, err := db.Raw(`SELECT r.published_id, r.id, r.story_id, s.circle_id, r.author_id, p.author_id, r.created_at
			FROM follows f
			JOIN replies r ON r.story_id = f.story_id AND r.published_id > f.since_id
			JOIN stories s ON s.id = r.story_id
			JOIN circles c ON c.id = s.circle_id
			LEFT JOIN circle_members cm ON cm.circle_id = s.circle_id AND cm.member_id = f.member_id
			LEFT JOIN replies p ON p.id = r.parent_id
			WHERE f.member_id = ? AND f.following AND r.status = ? AND r.author_id <> f.member_id
			AND r.published_id > COALESCE((SELECT caught_up_to FROM notice_feeds WHERE member_id = ?), '')
			AND r.published_id <= ?
			AND (c.visibility = ? OR cm.member_id IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.member_id = f.member_id AND n.target_id = r.id
				AND `+replyOnce+`)
			ORDER BY r.published_id LIMIT ?`, memberID, Published, memberID, f.Through, VisibilityOpen, maxFeed).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r FeedReply
			if err := rows.Scan(&r.PublishedID, &r.ReplyID, &r.StoryID, &r.CircleID, &r.AuthorID, &r.ParentAuthorID, &r.CreatedAt); err != nil {
				return err
			}
			f.Replies = append(f.Replies, r)
		}
		if len(f.Replies) == maxFeed {
			f.Through = f.Replies[maxFeed-1].PublishedID
		}
		return rows.Err()
	})
	if err != nil {
		return Feed{}, fmt.Errorf("store: feed: %w", err)
	}
	return f, nil
}

// DeliverFeed stores the notices a delivery made (one a reply at most:
// idx_notices_reply_once) and moves the member's marks forward, never
// back: delivered to through, settled up to caughtUp.
func (s *Store) DeliverFeed(ctx context.Context, memberID string, notices []*Notice, through, caughtUp string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if len(notices) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(notices).Error; err != nil {
				return fmt.Errorf("store: deliver notices: %w", err)
			}
		}
		err := tx.Exec(`INSERT INTO notice_feeds (member_id, caught_up_to, delivered_to) VALUES (?, ?, ?)
			ON CONFLICT (member_id) DO UPDATE SET
				caught_up_to = CASE WHEN excluded.caught_up_to > notice_feeds.caught_up_to
					THEN excluded.caught_up_to ELSE notice_feeds.caught_up_to END,
				delivered_to = CASE WHEN excluded.delivered_to > notice_feeds.delivered_to
					THEN excluded.delivered_to ELSE notice_feeds.delivered_to END`, memberID, caughtUp, through).Error
		if err != nil {
			return fmt.Errorf("store: feed mark: %w", err)
		}
		return nil
	})
}

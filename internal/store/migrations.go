package store

import (
	"encoding/binary"
	"time"

	"gorm.io/gorm"
)

// Add new migrations at the end of the list; never edit one that has shipped.
var migrations = []migration{
	{1, "accounts and sessions", migrate0001},
	{2, "member data keys", migrate0002},
	{3, "circles, stories, replies and support", migrate0003},
	{4, "flags, moderation queue, log and notices", migrate0004},
	{5, "the moderation log refuses change", migrate0005},
	{6, "flags found by target id", migrate0006},
	{7, "the queue read in its own order", migrate0007},
	{8, "a circle's pinned stories found without reading the rest", migrate0008},
	{9, "replies counted as they are read", migrate0009},
	{10, "invites with ids that can be revoked; one open system flag per target; the log by target", migrate0010},
	{11, "following, and notices that name their target, actor and action", migrate0011},
	{12, "stories know whether anyone answered; crisis items who is with the writer", migrate0012},
	{19, "the blind index of search", migrate0019},
	{20, "writing from before the blind index waits to be indexed", migrate0020},
	{21, "a member's feed remembers how far it was delivered apart from how far it is settled", migrate0021},
	{22, "mentorship: offers, mentorships and their sealed messages", migrate0022},
	{24, "handles of erased accounts, kept only as keyed hashes, are never given out again", migrate0024},
	{25, "reader safety: themes on writing, sealed preferences, mutes and blocks as keyed hashes", migrate0025},
	{26, "circles have guidelines members accept, and resources for hard moments", migrate0026},
	{27, "appeals of moderation actions; the earlier versions of edited writing", migrate0027},
	{28, "replies found by their place in the feed alone, to see that nothing new was published", migrate0028},
	{29, "earlier versions of edited writing keep their themes", migrate0029},
	{30, "facilitators remember since when, and a circle's are found without reading its members", migrate0030},
	{31, "each writing's words in the blind index kept with it, in place of an index of postings by writing", migrate0031},
}

// Frozen types of migration 1.
type (
	member0001 struct {
		ID             string `gorm:"primaryKey"`
		Handle         string `gorm:"not null;uniqueIndex"`
		Role           string `gorm:"not null"`
		PasswordHash   string `gorm:"not null"`
		Status         string `gorm:"not null;default:active"`
		SuspendedUntil *time.Time
		CreatedAt      time.Time `gorm:"not null"`
	}
	recoveryCode0001 struct {
		MemberID string `gorm:"primaryKey"`
		Slot     int    `gorm:"primaryKey;autoIncrement:false"`
		Hash     string `gorm:"not null"`
		UsedAt   *time.Time
		Member   member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	session0001 struct {
		ID         string    `gorm:"primaryKey"`
		MemberID   string    `gorm:"not null;index"`
		CreatedAt  time.Time `gorm:"not null"`
		LastSeenAt time.Time `gorm:"not null"`
		ExpiresAt  time.Time `gorm:"not null"`
		RevokedAt  *time.Time
		Member     member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	refreshToken0001 struct {
		Hash      string    `gorm:"primaryKey"`
		SessionID string    `gorm:"not null;index"`
		CreatedAt time.Time `gorm:"not null"`
		SpentAt   *time.Time
		Session   session0001 `gorm:"foreignKey:SessionID;constraint:OnDelete:CASCADE"`
	}
	secret0001 struct {
		Name      string    `gorm:"primaryKey"`
		Value     []byte    `gorm:"not null"`
		CreatedAt time.Time `gorm:"not null"`
	}
)

func (member0001) TableName() string       { return "members" }
func (recoveryCode0001) TableName() string { return "recovery_codes" }
func (session0001) TableName() string      { return "sessions" }
func (refreshToken0001) TableName() string { return "refresh_tokens" }
func (secret0001) TableName() string       { return "secrets" }

func migrate0001(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&member0001{}, &recoveryCode0001{}, &session0001{}, &refreshToken0001{}, &secret0001{})
}

// Frozen types of migration 2: each member's data key, wrapped by the master
// key. Deleting the row is what erases everything the member wrote.
type (
	dataKey0002 struct {
		ID        string     `gorm:"primaryKey"`
		MemberID  string     `gorm:"not null;uniqueIndex"`
		Wrapped   []byte     `gorm:"not null"`
		CreatedAt time.Time  `gorm:"not null"`
		Member    member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	member0002 struct {
		DataKeyID *string
		DeletedAt *time.Time
	}
)

func (dataKey0002) TableName() string { return "data_keys" }
func (member0002) TableName() string  { return "members" }

func migrate0002(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&dataKey0002{}); err != nil {
		return err
	}
	for _, col := range []string{"DataKeyID", "DeletedAt"} {
		if err := tx.Migrator().AddColumn(&member0002{}, col); err != nil {
			return err
		}
	}
	return nil
}

// Frozen types of migration 3: the forum. Text a member wrote is stored only
// sealed (title, body, content_warning); circle names and descriptions are
// written by admins for every member to read and stay in clear.
type (
	circle0003 struct {
		ID            string    `gorm:"primaryKey"`
		Slug          string    `gorm:"not null;uniqueIndex"`
		Name          string    `gorm:"not null"`
		Description   string    `gorm:"not null"`
		Visibility    string    `gorm:"not null"`
		Premoderation bool      `gorm:"not null"`
		MemberCount   int       `gorm:"not null;default:0"`
		CreatedAt     time.Time `gorm:"not null"`
		UpdatedAt     time.Time `gorm:"not null"`
	}
	circleMember0003 struct {
		CircleID    string     `gorm:"primaryKey"`
		MemberID    string     `gorm:"primaryKey;index"`
		Facilitator bool       `gorm:"not null"`
		JoinedAt    time.Time  `gorm:"not null"`
		Circle      circle0003 `gorm:"foreignKey:CircleID;constraint:OnDelete:CASCADE"`
		Member      member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	invite0003 struct {
		CodeHash  string     `gorm:"primaryKey"`
		CircleID  string     `gorm:"not null;index"`
		CreatedBy string     `gorm:"not null"`
		MaxUses   int        `gorm:"not null"`
		Uses      int        `gorm:"not null;default:0"`
		ExpiresAt time.Time  `gorm:"not null"`
		CreatedAt time.Time  `gorm:"not null"`
		Circle    circle0003 `gorm:"foreignKey:CircleID;constraint:OnDelete:CASCADE"`
	}
	story0003 struct {
		ID             string `gorm:"primaryKey;index:idx_stories_circle,priority:2"`
		CircleID       string `gorm:"not null;index:idx_stories_circle,priority:1"`
		AuthorID       string `gorm:"not null;index"`
		Kind           string `gorm:"not null"`
		Status         string `gorm:"not null"`
		Title          []byte
		Body           []byte
		ContentWarning []byte
		PinnedAt       *time.Time
		SupportCount   int       `gorm:"not null;default:0"`
		ReplyCount     int       `gorm:"not null;default:0"`
		CreatedAt      time.Time `gorm:"not null"`
		EditedAt       *time.Time
		Circle         circle0003 `gorm:"foreignKey:CircleID"`
		Author         member0001 `gorm:"foreignKey:AuthorID"`
	}
	reply0003 struct {
		ID       string  `gorm:"primaryKey"`
		StoryID  string  `gorm:"not null;uniqueIndex:idx_replies_thread,priority:1"`
		ParentID *string `gorm:"index"`
		Depth    int     `gorm:"not null"`
		// Path is the ids from the top of the thread down to this reply;
		// ids grow with time, so ordering by path is thread order.
		Path         string `gorm:"not null;uniqueIndex:idx_replies_thread,priority:2"`
		AuthorID     string `gorm:"not null;index"`
		Status       string `gorm:"not null"`
		Body         []byte
		SupportCount int       `gorm:"not null;default:0"`
		CreatedAt    time.Time `gorm:"not null"`
		EditedAt     *time.Time
		Story        story0003  `gorm:"foreignKey:StoryID"`
		Author       member0001 `gorm:"foreignKey:AuthorID"`
	}
	storySupport0003 struct {
		StoryID   string     `gorm:"primaryKey"`
		MemberID  string     `gorm:"primaryKey;index"`
		CreatedAt time.Time  `gorm:"not null"`
		Story     story0003  `gorm:"foreignKey:StoryID"`
		Member    member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	replySupport0003 struct {
		ReplyID   string     `gorm:"primaryKey"`
		MemberID  string     `gorm:"primaryKey;index"`
		CreatedAt time.Time  `gorm:"not null"`
		Reply     reply0003  `gorm:"foreignKey:ReplyID"`
		Member    member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
)

func (circle0003) TableName() string       { return "circles" }
func (circleMember0003) TableName() string { return "circle_members" }
func (invite0003) TableName() string       { return "invites" }
func (story0003) TableName() string        { return "stories" }
func (reply0003) TableName() string        { return "replies" }
func (storySupport0003) TableName() string { return "story_supports" }
func (replySupport0003) TableName() string { return "reply_supports" }

func migrate0003(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&circle0003{}, &circleMember0003{}, &invite0003{}, &story0003{}, &reply0003{},
		&storySupport0003{}, &replySupport0003{})
}

// Frozen types of migration 4: moderation. Flag notes, log reasons and
// notice messages are sealed; a system flag or action has no member.
type (
	flag0004 struct {
		ID         string  `gorm:"primaryKey"`
		TargetType string  `gorm:"not null;index:idx_flags_target,priority:1"`
		TargetID   string  `gorm:"not null;index:idx_flags_target,priority:2"`
		ReporterID *string `gorm:"index"`
		Reason     string  `gorm:"not null"`
		Note       []byte
		Status     string    `gorm:"not null"`
		CreatedAt  time.Time `gorm:"not null"`
		ClosedAt   *time.Time
		Reporter   *member0001 `gorm:"foreignKey:ReporterID"`
	}
	moderationItem0004 struct {
		TargetType     string    `gorm:"primaryKey"`
		TargetID       string    `gorm:"primaryKey"`
		CircleID       string    `gorm:"not null"`
		AuthorID       string    `gorm:"not null"`
		Status         string    `gorm:"not null;index:idx_queue,priority:1"`
		Priority       int       `gorm:"not null;index:idx_queue,priority:2"`
		FirstFlaggedAt time.Time `gorm:"not null;index:idx_queue,priority:3"`
		UpdatedAt      time.Time `gorm:"not null"`
	}
	logEntry0004 struct {
		ID         string  `gorm:"primaryKey"`
		ActorID    *string `gorm:"index"`
		Action     string  `gorm:"not null"`
		TargetType string  `gorm:"not null"`
		TargetID   string  `gorm:"not null"`
		Reason     []byte
		CreatedAt  time.Time `gorm:"not null"`
	}
	notice0004 struct {
		ID         string `gorm:"primaryKey;index:idx_notices_member,priority:2"`
		MemberID   string `gorm:"not null;index:idx_notices_member,priority:1"`
		Kind       string `gorm:"not null"`
		Message    []byte `gorm:"not null"`
		TargetType string
		TargetID   string
		CreatedAt  time.Time  `gorm:"not null"`
		Member     member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
)

func (flag0004) TableName() string           { return "flags" }
func (moderationItem0004) TableName() string { return "moderation_items" }
func (logEntry0004) TableName() string       { return "moderation_log" }
func (notice0004) TableName() string         { return "notices" }

func migrate0004(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&flag0004{}, &moderationItem0004{}, &logEntry0004{}, &notice0004{}); err != nil {
		return err
	}
	// One open flag per member per target; SQLite and PostgreSQL both
	// have partial indexes.
	return tx.Exec("CREATE UNIQUE INDEX idx_flags_open_once ON flags (reporter_id, target_type, target_id) WHERE status = 'open'").Error
}

// migrate0005 makes the database itself refuse to change or delete a line
// of the moderation log, whatever code asks.
func migrate0005(tx *gorm.DB) error {
	var stmts []string
	if tx.Dialector.Name() == "postgres" {
		stmts = []string{
			`CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'the moderation log is append-only'; END $$`,
			`CREATE TRIGGER moderation_log_append_only BEFORE UPDATE OR DELETE ON moderation_log
				FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()`,
		}
	} else {
		stmts = []string{
			`CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
				BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END`,
			`CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
				BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END`,
		}
	}
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrate0006 indexes flags by target id and status: the queue fetches the
// open flags of a page of targets by id alone.
func migrate0006(tx *gorm.DB) error {
	return tx.Exec("CREATE INDEX idx_flags_open_by_target ON flags (target_id, status)").Error
}

// migrate0007 indexes open queue items in exactly the order the queue is
// read (priority, age, then the target as tie-break), so a page is read
// straight off the index with no sort, however long the queue grows.
func migrate0007(tx *gorm.DB) error {
	if err := tx.Exec("CREATE INDEX idx_queue_order ON moderation_items (status, priority, first_flagged_at, target_type, target_id)").Error; err != nil {
		return err
	}
	return tx.Exec("DROP INDEX idx_queue").Error
}

// migrate0008 indexes the few pinned stories of each circle apart from the
// rest: without it, the pins above a circle's first page were found by
// reading every story of the circle, which grows with the circle.
func migrate0008(tx *gorm.DB) error {
	return tx.Exec("CREATE INDEX idx_stories_pinned ON stories (circle_id, pinned_at, id) WHERE pinned_at IS NOT NULL").Error
}

// migrate0009 indexes replies by story and status, off which a story's
// replies are now counted as it is read, and drops the count stories kept:
// it made replies to one story wait for each other, and it counted pending
// replies, which told every reader that one waited for review.
func migrate0009(tx *gorm.DB) error {
	if err := tx.Exec("CREATE INDEX idx_replies_count ON replies (story_id, status)").Error; err != nil {
		return err
	}
	return tx.Exec("ALTER TABLE stories DROP COLUMN reply_count").Error
}

// Frozen type of migration 10: invites get an id of their own (they are
// listed and revoked by it; the code's hash stays the way a code is looked
// up) and a revocation time.
type invite0010 struct {
	ID        string    `gorm:"primaryKey"`
	CodeHash  string    `gorm:"not null"`
	CircleID  string    `gorm:"not null"`
	CreatedBy string    `gorm:"not null"`
	MaxUses   int       `gorm:"not null"`
	Uses      int       `gorm:"not null;default:0"`
	ExpiresAt time.Time `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
	RevokedAt *time.Time
	Circle    circle0003 `gorm:"foreignKey:CircleID;constraint:OnDelete:CASCADE"`
	Maker     member0001 `gorm:"foreignKey:CreatedBy"`
}

func (invite0010) TableName() string { return "invites_v10" }

// migrate0010 rebuilds invites with ids (SQLite cannot change a primary
// key in place), closes all but the first of the open system flags on each
// target and lets the database keep it so, and indexes the log by target
// (an author reads why their writing was removed).
func migrate0010(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&invite0010{}); err != nil {
		return err
	}
	var old []invite0003
	if err := tx.Find(&old).Error; err != nil {
		return err
	}
	for _, o := range old {
		n := invite0010{ID: NewIDAt(o.CreatedAt), CodeHash: o.CodeHash, CircleID: o.CircleID, CreatedBy: o.CreatedBy,
			MaxUses: o.MaxUses, Uses: o.Uses, ExpiresAt: o.ExpiresAt, CreatedAt: o.CreatedAt}
		if err := tx.Omit("Circle", "Maker").Create(&n).Error; err != nil {
			return err
		}
	}
	now := time.Now().UTC()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"DROP TABLE invites", nil},
		{"ALTER TABLE invites_v10 RENAME TO invites", nil},
		{"CREATE UNIQUE INDEX idx_invites_code ON invites (code_hash)", nil},
		{"CREATE INDEX idx_invites_circle ON invites (circle_id, created_at)", nil},
		{"CREATE INDEX idx_invites_maker ON invites (created_by)", nil},
		{`UPDATE flags SET status = 'closed', closed_at = ? WHERE reporter_id IS NULL AND status = 'open' AND id NOT IN
			(SELECT MIN(id) FROM flags WHERE reporter_id IS NULL AND status = 'open' GROUP BY target_type, target_id)`, []any{now}},
		{"CREATE UNIQUE INDEX idx_flags_open_system ON flags (target_type, target_id) WHERE status = 'open' AND reporter_id IS NULL", nil},
		{"CREATE INDEX idx_log_target ON moderation_log (target_type, target_id)", nil},
	} {
		if err := tx.Exec(q.sql, q.args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// Frozen types of migration 11: following and notices that reach
// everyone. A notice names its target, actor and the moderation action it
// tells of by id, and holds no text (the message is written when it is
// read); follow notices are delivered when their member next looks (see
// notice_feeds).
type (
	follow0011 struct {
		MemberID  string `gorm:"primaryKey"`
		StoryID   string `gorm:"primaryKey;index"`
		Following bool   `gorm:"not null"`
		// SinceID: replies published after it are the follower's to hear of.
		SinceID   string     `gorm:"not null"`
		CreatedAt time.Time  `gorm:"not null"`
		Member    member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
		Story     story0003  `gorm:"foreignKey:StoryID"`
	}
	noticeFeed0011 struct {
		MemberID   string     `gorm:"primaryKey"`
		CaughtUpTo string     `gorm:"not null"`
		Member     member0001 `gorm:"foreignKey:MemberID;constraint:OnDelete:CASCADE"`
	}
	notice0011 struct {
		StoryID  *string
		CircleID *string
		ActorID  *string
		ActionID *string
		ReadAt   *time.Time
	}
	reply0011 struct {
		PublishedID *string
	}
)

func (follow0011) TableName() string     { return "follows" }
func (noticeFeed0011) TableName() string { return "notice_feeds" }
func (notice0011) TableName() string     { return "notices" }
func (reply0011) TableName() string      { return "replies" }

func migrate0011(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&follow0011{}, &noticeFeed0011{}); err != nil {
		return err
	}
	for _, col := range []string{"StoryID", "CircleID", "ActorID", "ActionID", "ReadAt"} {
		if err := tx.Migrator().AddColumn(&notice0011{}, col); err != nil {
			return err
		}
	}
	if err := tx.Migrator().AddColumn(&reply0011{}, "PublishedID"); err != nil {
		return err
	}
	for _, q := range []string{
		// Notices carried a message sealed for their member, the
		// moderator's reason copied into it; the reason now stays on the
		// log, read from there.
		"ALTER TABLE notices DROP COLUMN message",
		// Replies published before took their place in the stream then.
		"UPDATE replies SET published_id = id WHERE status IN ('published', 'hidden')",
		"CREATE INDEX idx_replies_published ON replies (story_id, published_id)",
		"CREATE UNIQUE INDEX idx_notices_reply_once ON notices (member_id, target_id) WHERE kind IN ('reply', 'reply_to_you') AND target_type = 'reply'",
		"CREATE INDEX idx_notices_unread ON notices (member_id) WHERE read_at IS NULL",
		// A crisis edited in again and again calls each facilitator once
		// while they have not read the call.
		"CREATE UNIQUE INDEX idx_notices_crisis_once ON notices (member_id, target_id) WHERE kind = 'crisis_in_circle' AND read_at IS NULL",
		// Every author follows their stories, and every replier the stories
		// they answered, from then on.
		`INSERT INTO follows (member_id, story_id, following, since_id, created_at)
			SELECT author_id, id, true, id, created_at FROM stories WHERE status <> 'removed'`,
		`INSERT INTO follows (member_id, story_id, following, since_id, created_at)
			SELECT r.author_id, r.story_id, true, MAX(r.id), MAX(r.created_at) FROM replies r
			WHERE r.status <> 'removed' GROUP BY r.author_id, r.story_id
			ON CONFLICT DO NOTHING`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// Frozen types of migration 12: stories know whether anyone has answered
// them, and crisis items who is with the writer.
type (
	story0012 struct {
		AnsweredAt *time.Time
	}
	moderationItem0012 struct {
		AcknowledgedBy *string
		AcknowledgedAt *time.Time
		EscalatedAt    *time.Time
	}
)

func (story0012) TableName() string          { return "stories" }
func (moderationItem0012) TableName() string { return "moderation_items" }

func migrate0012(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&story0012{}, "AnsweredAt"); err != nil {
		return err
	}
	for _, col := range []string{"AcknowledgedBy", "AcknowledgedAt", "EscalatedAt"} {
		if err := tx.Migrator().AddColumn(&moderationItem0012{}, col); err != nil {
			return err
		}
	}
	for _, q := range []string{
		`UPDATE stories SET answered_at = (SELECT MIN(r.created_at) FROM replies r
			WHERE r.story_id = stories.id AND r.status = 'published' AND r.author_id <> stories.author_id)`,
		// Published stories nobody has answered, per circle and across
		// circles, oldest first, read off these alone.
		"CREATE INDEX idx_stories_unanswered ON stories (circle_id, id) WHERE answered_at IS NULL AND status = 'published' AND kind = 'story'",
		"CREATE INDEX idx_stories_unanswered_all ON stories (id) WHERE answered_at IS NULL AND status = 'published' AND kind = 'story'",
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrate0019 makes the blind index: one row a word a writing holds, the
// word only as a keyed hash (its first 64 bits) under its circle's key,
// with nothing but the writing it points to. The primary key is read in
// order, newest writing first, for each word of a query; the second index
// takes a writing's postings away with it (edit, delete, erasure).
// SQLite keeps the rows in the primary key itself (WITHOUT ROWID), and
// PostgreSQL's key carries reply too, so a query reads the index alone.
func migrate0019(tx *gorm.DB) error {
	table := `CREATE TABLE search_postings (token INTEGER NOT NULL, target_id TEXT NOT NULL, reply BOOLEAN NOT NULL,
		PRIMARY KEY (token, target_id)) WITHOUT ROWID`
	if tx.Dialector.Name() == "postgres" {
		table = `CREATE TABLE search_postings (token BIGINT NOT NULL, target_id TEXT NOT NULL, reply BOOLEAN NOT NULL,
			PRIMARY KEY (token, target_id) INCLUDE (reply))`
	}
	for _, q := range []string{table, "CREATE INDEX idx_search_postings_target ON search_postings (target_id)"} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrate0020 lists every story and reply that still has its text but no
// postings: writing made before migration 19, which search indexes in the
// background (newest first, by the primary key) while the server runs.
func migrate0020(tx *gorm.DB) error {
	for _, q := range []string{
		"CREATE TABLE search_backlog (target_id TEXT NOT NULL PRIMARY KEY, reply BOOLEAN NOT NULL)",
		`INSERT INTO search_backlog (target_id, reply) SELECT id, false FROM stories
			WHERE body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_postings p WHERE p.target_id = stories.id)`,
		`INSERT INTO search_backlog (target_id, reply) SELECT id, true FROM replies
			WHERE body IS NOT NULL AND NOT EXISTS (SELECT 1 FROM search_postings p WHERE p.target_id = replies.id)`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// Frozen type of migration 21. A delivery of followed replies used to keep
// one mark, held a minute behind the newest reply for replies that commit
// late; every look within that minute read the minute again. DeliveredTo
// is how far the feed was read; CaughtUpTo stays where nothing can still
// arrive, and the minute is read again once, when it has passed.
type noticeFeed0021 struct {
	DeliveredTo string `gorm:"not null;default:''"`
}

func (noticeFeed0021) TableName() string { return "notice_feeds" }

func migrate0021(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&noticeFeed0021{}, "DeliveredTo"); err != nil {
		return err
	}
	return tx.Exec("UPDATE notice_feeds SET delivered_to = caught_up_to").Error
}

// Frozen types of migration 25: the themes of stories and replies (sealed,
// like their text), each member's sealed reader-safety preferences (themes,
// and whom they muted and blocked, for their own list), and the pairs of a
// mute or block as keyed hashes only, for checks.
type (
	story0025 struct {
		Themes []byte
	}
	reply0025 struct {
		Themes []byte
	}
	safetyPreferences0025 struct {
		MemberID  string    `gorm:"primaryKey"`
		Sealed    []byte    `gorm:"not null"`
		UpdatedAt time.Time `gorm:"not null"`
	}
	safetyPair0025 struct {
		Hash    []byte `gorm:"primaryKey"`
		OwnerID string `gorm:"not null;index"`
	}
)

func (story0025) TableName() string             { return "stories" }
func (reply0025) TableName() string             { return "replies" }
func (safetyPreferences0025) TableName() string { return "safety_preferences" }
func (safetyPair0025) TableName() string        { return "safety_pairs" }

func migrate0025(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&story0025{}, "Themes"); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&reply0025{}, "Themes"); err != nil {
		return err
	}
	return tx.Migrator().CreateTable(&safetyPreferences0025{}, &safetyPair0025{})
}

// migrate0024 keeps the handles of erased accounts as keyed hashes only
// (HMAC-SHA256 under a server secret, in hex): enough to refuse the handle
// to anyone new, nothing to learn it back from.
func migrate0024(tx *gorm.DB) error {
	return tx.Exec("CREATE TABLE retired_handles (hash TEXT PRIMARY KEY)").Error
}

// Frozen types of migration 27. An appeal names the log entry of the
// action it asks to look at again (once each) and that action's target;
// its text is sealed with the appellant's key. A writing version is an
// earlier text of an edited story or reply, sealed with its author's key,
// kept only a while (see SweepVersions). A story a moderator removed
// remembers when it was pinned, so overturning the removal pins it again.
type (
	story0027 struct {
		RemovedPinAt *time.Time
	}
	appeal0027 struct {
		ID         string    `gorm:"primaryKey"`
		ActionID   string    `gorm:"not null;uniqueIndex"`
		MemberID   string    `gorm:"not null;index"`
		TargetType string    `gorm:"not null"`
		TargetID   string    `gorm:"not null;index"`
		Text       []byte    `gorm:"not null"`
		Status     string    `gorm:"not null"`
		CreatedAt  time.Time `gorm:"not null"`
		DecidedBy  *string
		DecidedAt  *time.Time
		Undone     bool `gorm:"not null;default:false"`
	}
	writingVersion0027 struct {
		ID         string `gorm:"primaryKey"`
		TargetType string `gorm:"not null"`
		TargetID   string `gorm:"not null;index"`
		AuthorID   string `gorm:"not null;index"`
		Title      []byte
		Body       []byte    `gorm:"not null"`
		WrittenAt  time.Time `gorm:"not null"`
		ReplacedAt time.Time `gorm:"not null;index"`
	}
)

func (story0027) TableName() string          { return "stories" }
func (appeal0027) TableName() string         { return "appeals" }
func (writingVersion0027) TableName() string { return "writing_versions" }

func migrate0027(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&appeal0027{}, &writingVersion0027{}); err != nil {
		return err
	}
	if err := tx.Migrator().AddColumn(&story0027{}, "RemovedPinAt"); err != nil {
		return err
	}
	// Open appeals, oldest first, read off this alone.
	return tx.Exec("CREATE INDEX idx_appeals_open ON appeals (id) WHERE status = 'open'").Error
}

// Frozen types of migration 26: a circle's guidelines (versioned, in clear:
// facilitators write them for everyone) and its resources (a JSON list of
// {name, contact}), and the version each member has accepted.
type (
	circle0026 struct {
		GuidelinesVersion   int    `gorm:"not null;default:0"`
		Guidelines          string `gorm:"not null;default:''"`
		GuidelinesUpdatedAt *time.Time
		Resources           string `gorm:"not null;default:'[]'"`
	}
	circleMember0026 struct {
		GuidelinesAccepted int `gorm:"not null;default:0"`
	}
)

func (circle0026) TableName() string       { return "circles" }
func (circleMember0026) TableName() string { return "circle_members" }

func migrate0026(tx *gorm.DB) error {
	for _, col := range []string{"GuidelinesVersion", "Guidelines", "GuidelinesUpdatedAt", "Resources"} {
		if err := tx.Migrator().AddColumn(&circle0026{}, col); err != nil {
			return err
		}
	}
	return tx.Migrator().AddColumn(&circleMember0026{}, "GuidelinesAccepted")
}

// Frozen types of migration 22: mentors' offers (the intro sealed with the
// mentor's key), mentorships between two members of a circle, and their
// messages (each sealed with its writer's key).
type (
	mentorOffer0022 struct {
		ID         string    `gorm:"primaryKey"`
		CircleID   string    `gorm:"not null;uniqueIndex:idx_mentor_offers_circle_member,priority:1"`
		MemberID   string    `gorm:"not null;uniqueIndex:idx_mentor_offers_circle_member,priority:2;index"`
		Intro      []byte    `gorm:"not null"`
		MaxMentees int       `gorm:"not null"`
		Status     string    `gorm:"not null"`
		CreatedAt  time.Time `gorm:"not null"`
		UpdatedAt  time.Time `gorm:"not null"`
		ApprovedAt *time.Time
	}
	mentorship0022 struct {
		ID        string    `gorm:"primaryKey"`
		CircleID  string    `gorm:"not null"`
		MentorID  string    `gorm:"not null;index:idx_mentorships_mentor,priority:1"`
		MenteeID  string    `gorm:"not null;index"`
		Status    string    `gorm:"not null;index:idx_mentorships_mentor,priority:2"`
		CreatedAt time.Time `gorm:"not null"`
		DecidedAt *time.Time
		EndedAt   *time.Time
		EndedBy   *string
		EndReason []byte
	}
	mentorshipMessage0022 struct {
		ID           string `gorm:"primaryKey;index:idx_mentorship_messages_order,priority:2"`
		MentorshipID string `gorm:"not null;index:idx_mentorship_messages_order,priority:1"`
		AuthorID     string `gorm:"not null;index"`
		Body         []byte
		CreatedAt    time.Time `gorm:"not null"`
	}
)

func (mentorOffer0022) TableName() string       { return "mentor_offers" }
func (mentorship0022) TableName() string        { return "mentorships" }
func (mentorshipMessage0022) TableName() string { return "mentorship_messages" }

func migrate0022(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&mentorOffer0022{}, &mentorship0022{}, &mentorshipMessage0022{}); err != nil {
		return err
	}
	for _, q := range []string{
		// At most one open or active mentorship as mentee per circle,
		// however many requests race.
		"CREATE UNIQUE INDEX idx_mentorships_one_open ON mentorships (circle_id, mentee_id) WHERE status IN ('requested', 'active')",
		// One unread notice of new messages per mentorship: a new message
		// takes the place of the unread one.
		"CREATE UNIQUE INDEX idx_notices_message_once ON notices (member_id, target_id) WHERE kind = 'mentorship_message' AND read_at IS NULL",
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

func migrate0028(tx *gorm.DB) error {
	return tx.Exec("CREATE INDEX idx_replies_published_id ON replies (published_id)").Error
}

// Frozen type of migration 29: an earlier version's themes, sealed with
// its author's key like its body; versions saved before have none.
type writingVersion0029 struct {
	Themes []byte
}

func (writingVersion0029) TableName() string { return "writing_versions" }

func migrate0029(tx *gorm.DB) error {
	return tx.Migrator().AddColumn(&writingVersion0029{}, "Themes")
}

// Frozen type of migration 30: since when a member facilitates a circle,
// set exactly while they do. Facilitators appointed before have been so
// since they joined, as far as the store knows.
type circleMember0030 struct {
	FacilitatorSince *time.Time
}

func (circleMember0030) TableName() string { return "circle_members" }

func migrate0030(tx *gorm.DB) error {
	if err := tx.Migrator().AddColumn(&circleMember0030{}, "FacilitatorSince"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE circle_members SET facilitator_since = joined_at WHERE facilitator").Error; err != nil {
		return err
	}
	return tx.Exec("CREATE INDEX idx_circle_members_facilitators ON circle_members (circle_id) WHERE facilitator").Error
}

// migrate0031 keeps each writing's tokens, 8 bytes each (big-endian), in
// one row of search_terms, and drops the index of postings by writing,
// which only took a writing's postings away again (edit, removal,
// erasure): its tokens find them by the primary key. Every reply wrote two
// dozen entries in that index, at a quarter of what indexing costs a reply;
// one row of terms costs well under half of that. It tells someone holding the
// database nothing the postings did not: which tokens a writing holds.
// Writing already indexed gets its row from its postings, read by the
// index that goes, a slice of writing at a time.
func migrate0031(tx *gorm.DB) error {
	table := "CREATE TABLE search_terms (target_id TEXT NOT NULL PRIMARY KEY, tokens BLOB NOT NULL) WITHOUT ROWID"
	if tx.Dialector.Name() == "postgres" {
		table = "CREATE TABLE search_terms (target_id TEXT NOT NULL PRIMARY KEY, tokens BYTEA NOT NULL)"
	}
	if err := tx.Exec(table).Error; err != nil {
		return err
	}
	// A slice ends within the writing it reached, which is read again
	// whole in the next: no writing holds anywhere near this many words.
	const slice = 50000
	for after := ""; ; {
		var postings []struct {
			TargetID string
			Token    int64
		}
		err := tx.Raw("SELECT target_id, token FROM search_postings WHERE target_id > ? ORDER BY target_id LIMIT ?", after, slice).
			Scan(&postings).Error
		if err != nil {
			return err
		}
		if len(postings) == slice {
			last := postings[len(postings)-1].TargetID
			for len(postings) > 0 && postings[len(postings)-1].TargetID == last {
				postings = postings[:len(postings)-1]
			}
		}
		if len(postings) == 0 {
			break
		}
		var rows []map[string]any
		for i, p := range postings {
			if i == 0 || p.TargetID != postings[i-1].TargetID {
				rows = append(rows, map[string]any{"target_id": p.TargetID, "tokens": []byte{}})
			}
			r := rows[len(rows)-1]
			r["tokens"] = binary.BigEndian.AppendUint64(r["tokens"].([]byte), uint64(p.Token))
		}
		if err := tx.Table("search_terms").CreateInBatches(rows, 1000).Error; err != nil {
			return err
		}
		after = postings[len(postings)-1].TargetID
	}
	return tx.Exec("DROP INDEX idx_search_postings_target").Error
}

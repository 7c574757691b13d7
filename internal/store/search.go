package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Posting is one word of a story or reply in the blind index of search:
// the word only as a keyed hash under its circle's key (search makes it),
// and the writing it is in. Nothing else is kept: whose writing it is,
// where, and how it stands are read from the writing at query time.
type Posting struct {
	Token    int64  `gorm:"primaryKey;autoIncrement:false"`
	TargetID string `gorm:"primaryKey"`
	Reply    bool
}

// TableName is the blind index's table.
func (Posting) TableName() string { return "search_postings" }

// postingsPerInsert keeps one INSERT of postings under maxParams.
const postingsPerInsert = maxParams / 3

// writePostings puts postings in the index, a few thousand to a
// statement: a writing's, a group commit's (pendingPostings) or a whole
// store's (CreateAll), each writing's postings all in one call. Each
// INSERT holds a power of two of them, so that the few shapes there are
// stay prepared (see preparedPool) rather than each count compiling a
// statement of its own. Each writing's tokens also go in one row of
// search_terms (see migrate0031).
func writePostings(tx *gorm.DB, ps []Posting) error {
	for rest := ps; len(rest) > 0; {
		n := 1 << (bits.Len(uint(min(len(rest), postingsPerInsert))) - 1)
		args := make([]any, 0, 3*n)
		for _, p := range rest[:n] {
			args = append(args, p.Token, p.TargetID, p.Reply)
		}
		if err := insertRows(tx, "INSERT INTO search_postings (token, target_id, reply) VALUES ", 3, args); err != nil {
			return fmt.Errorf("store: index writing: %w", err)
		}
		rest = rest[n:]
	}
	return writeTerms(tx, ps)
}

// termsPerInsert keeps one INSERT of terms under maxParams.
const termsPerInsert = maxParams / 2

// writeTerms stores each writing's tokens in postings ps as one row of
// search_terms, oldest writing first.
func writeTerms(tx *gorm.DB, ps []Posting) error {
	type terms struct {
		id     string
		tokens []byte
	}
	var rows []terms
	at := map[string]int{}
	for _, p := range ps {
		i, ok := at[p.TargetID]
		if !ok {
			i = len(rows)
			at[p.TargetID] = i
			rows = append(rows, terms{id: p.TargetID, tokens: make([]byte, 0, 8*32)})
		}
		rows[i].tokens = binary.BigEndian.AppendUint64(rows[i].tokens, uint64(p.Token))
	}
	slices.SortFunc(rows, func(a, b terms) int { return strings.Compare(a.id, b.id) })
	for len(rows) > 0 {
		n := 1 << (bits.Len(uint(min(len(rows), termsPerInsert))) - 1)
		args := make([]any, 0, 2*n)
		for _, r := range rows[:n] {
			args = append(args, r.id, r.tokens)
		}
		if err := insertRows(tx, "INSERT INTO search_terms (target_id, tokens) VALUES ", 2, args); err != nil {
			return fmt.Errorf("store: index writing: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// dropPostings takes a writing out of the index: its text is changing or
// going.
func dropPostings(tx *gorm.DB, targetID string) error {
	if err := dropIndexed(tx, "target_id = ?", targetID); err != nil {
		return err
	}
	if p := pendingIn(tx); p != nil {
		p.ops = append(p.ops, postingOp{drop: targetID})
	}
	return nil
}

// dropIndexed takes the writing whose search_terms rows match where out
// of the index: each one's postings, found by the index's own key from
// its tokens, and then its terms.
func dropIndexed(tx *gorm.DB, where string, args ...any) error {
	type terms struct {
		TargetID string
		Tokens   []byte
	}
	var found []terms
	if err := tx.Raw("SELECT target_id, tokens FROM search_terms WHERE "+where, args...).Scan(&found).Error; err != nil {
		return fmt.Errorf("store: unindex writing: %w", err)
	}
	for _, t := range found {
		tokens := make([]int64, 0, len(t.Tokens)/8)
		for b := t.Tokens; len(b) >= 8; b = b[8:] {
			tokens = append(tokens, int64(binary.BigEndian.Uint64(b)))
		}
		for len(tokens) > 0 {
			n := min(len(tokens), maxParams-1)
			if err := tx.Exec("DELETE FROM search_postings WHERE target_id = ? AND token IN ?", t.TargetID, tokens[:n]).Error; err != nil {
				return fmt.Errorf("store: unindex writing: %w", err)
			}
			tokens = tokens[n:]
		}
	}
	if len(found) == 0 {
		return nil
	}
	if err := tx.Exec("DELETE FROM search_terms WHERE "+where, args...).Error; err != nil {
		return fmt.Errorf("store: unindex writing: %w", err)
	}
	return nil
}

// dropPostingsOf drops what the batch holds pending for writing by
// memberID, whose account is being erased: a reply they wrote moments
// before, in the same batch, is not yet in the index for the erasure's
// DELETE to find.
func (p *pendingPostings) dropPostingsOf(tx *gorm.DB, memberID string) error {
	var pending []string
	for _, op := range p.ops {
		for _, ps := range op.add {
			if !slices.Contains(pending, ps.TargetID) {
				pending = append(pending, ps.TargetID)
			}
		}
	}
	if len(pending) == 0 {
		return nil
	}
	var theirs []string
	if err := tx.Raw(`SELECT id FROM stories WHERE author_id = ? AND id IN ?
		UNION ALL SELECT id FROM replies WHERE author_id = ? AND id IN ?`, memberID, pending, memberID, pending).Scan(&theirs).Error; err != nil {
		return fmt.Errorf("store: unindex writing: %w", err)
	}
	for _, id := range theirs {
		p.ops = append(p.ops, postingOp{drop: id})
	}
	return nil
}

// indexPostings puts a writing's postings in the index: at once, or, in a
// batch of SQLite's group commit, with the whole batch's before its COMMIT.
func indexPostings(tx *gorm.DB, ps []Posting) error {
	if p := pendingIn(tx); p != nil {
		p.ops = append(p.ops, postingOp{add: ps})
		return nil
	}
	return writePostings(tx, ps)
}

// pendingPostings are the postings the writes of one group-commit batch
// asked for (see groupCommit.commit). A write's postings are a few dozen
// rows scattered over the index, one a word; written in the write's own
// savepoint, every page they touch is copied to the savepoint's journal
// first, write after write. Written once for the batch, sorted by token,
// a word's new postings go into its pages together, and each page is
// journalled once.
type pendingPostings struct {
	ops []postingOp
}

// postingOp is one write's change to the batch's postings: add some, or
// drop what the batch's earlier writes added for a writing whose text is
// changing again or going.
type postingOp struct {
	add  []Posting
	drop string
}

type pendingKey struct{}

// pendingIn is the batch's pending postings, if tx is a group commit's.
func pendingIn(tx *gorm.DB) *pendingPostings {
	p, _ := tx.Statement.Context.Value(pendingKey{}).(*pendingPostings)
	return p
}

// write stores the batch's postings: what its writes added, less what a
// later write dropped.
func (p *pendingPostings) write(tx *gorm.DB) error {
	byTarget := map[string][]Posting{}
	for _, op := range p.ops {
		if op.drop != "" {
			delete(byTarget, op.drop)
		}
		for _, ps := range op.add {
			byTarget[ps.TargetID] = append(byTarget[ps.TargetID], ps)
		}
	}
	var ps []Posting
	for _, more := range byTarget {
		ps = append(ps, more...)
	}
	slices.SortFunc(ps, func(a, b Posting) int {
		return cmp.Or(cmp.Compare(a.Token, b.Token), strings.Compare(a.TargetID, b.TargetID))
	})
	return writePostings(tx, ps)
}

// PostingSample is how the newest postings of one token below a point
// look: how many there are, up to the sample's size, and the oldest of
// those (its writing's id; "" when there is none). A word whose sample is
// not full has no more postings than that; of two whose samples are full,
// the one whose oldest is older is the rarer.
type PostingSample struct {
	Count  int
	Oldest string
}

// samplesPerQuery keeps one statement under SQLite's 500 terms of a
// compound SELECT.
const samplesPerQuery = 250

// SamplePostings samples the postings of each token, newest first, below
// the writing id before ("" for none), at most n of each: what search
// reads to choose which word of a query to read first.
func (s *Store) SamplePostings(ctx context.Context, tokens []int64, before string, n int) ([]PostingSample, error) {
	out := make([]PostingSample, len(tokens))
	for from := 0; from < len(tokens); from += samplesPerQuery {
		chunk := tokens[from:min(from+samplesPerQuery, len(tokens))]
		var q strings.Builder
		var args []any
		for i, t := range chunk {
			if i > 0 {
				q.WriteString(" UNION ALL ")
			}
			fmt.Fprintf(&q, "SELECT %d, COUNT(*), MIN(target_id) FROM (SELECT target_id FROM search_postings WHERE token = ?", i)
			args = append(args, t)
			if before != "" {
				q.WriteString(" AND target_id < ?")
				args = append(args, before)
			}
			fmt.Fprintf(&q, " ORDER BY target_id DESC LIMIT ?) AS s%d", i)
			args = append(args, n)
		}
		type row struct {
			i int
			PostingSample
		}
		rows, err := queryRows(ctx, s, len(chunk), func(r rowScanner, v *row) error {
			var oldest sql.NullString
			err := r.Scan(&v.i, &v.Count, &oldest)
			v.Oldest = oldest.String
			return err
		}, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("store: sample postings: %w", err)
		}
		for _, r := range rows {
			out[from+r.i] = r.PostingSample
		}
	}
	return out, nil
}

// FindPostings asks the index for a page of writing that holds every word
// of a query, newest first.
type FindPostings struct {
	// ReaderID is who searches: besides published writing, they find
	// their own hidden writing, never pending or removed writing.
	ReaderID string
	// Circles are the circles searched, each as its tokens of the
	// query's words (a word hashes apart in every circle), the token read
	// first first: the rarest, so that the fewest postings are read.
	Circles [][]int64
	// Before is the writing id the page starts after; "" for the first.
	Before string
	Limit  int
}

// Found is a piece of writing a query found.
type Found struct {
	Target Target
	ID     string
}

// circlesPerQuery keeps one statement under SQLite's 500 terms of a
// compound SELECT (and its expression depth).
const circlesPerQuery = 100

// FindPostings returns up to f.Limit stories and replies that hold every
// word, newest first, that f.ReaderID may find. In each circle the postings
// of its first token are read newest first, and each is kept when every
// other token has a posting for the same writing (a lookup of the primary
// key) and the writing is one the reader may find; the reading stops once
// the page is full. Circles are merged newest first in the same statement.
func (s *Store) FindPostings(ctx context.Context, f FindPostings) ([]Found, error) {
	var out []Found
	for from := 0; from < len(f.Circles); from += circlesPerQuery {
		q, args := findPostingsQuery(f, f.Circles[from:min(from+circlesPerQuery, len(f.Circles))])
		rows, err := queryRows(ctx, s, f.Limit, func(r rowScanner, v *Found) error {
			var reply bool
			err := r.Scan(&v.ID, &reply)
			v.Target = TargetStory
			if reply {
				v.Target = TargetReply
			}
			return err
		}, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store: find postings: %w", err)
		}
		out = mergeNewest(out, rows, f.Limit)
	}
	return out, nil
}

// mergeNewest merges two lists of writing, each newest first, into one of
// at most limit.
func mergeNewest(a, b []Found, limit int) []Found {
	if len(a) == 0 {
		return b
	}
	out := make([]Found, 0, min(len(a)+len(b), limit))
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || len(a) > 0 && a[0].ID > b[0].ID {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// findPostingsQuery is FindPostings' statement for some of its circles.
func findPostingsQuery(f FindPostings, circles [][]int64) (string, []any) {
	var q strings.Builder
	var args []any
	for i, tokens := range circles {
		if len(circles) > 1 {
			if i > 0 {
				q.WriteString(" UNION ALL ")
			}
			q.WriteString("SELECT target_id, reply FROM (")
		}
		q.WriteString("SELECT p.target_id, p.reply FROM search_postings p WHERE p.token = ?")
		args = append(args, tokens[0])
		if f.Before != "" {
			q.WriteString(" AND p.target_id < ?")
			args = append(args, f.Before)
		}
		// The other words are looked up first, in the index, and the
		// writing itself (a read of a page of stories or replies, which
		// for old writing is rarely in memory) only for what holds them
		// all: one condition, so neither database can turn the order
		// round.
		q.WriteString(" AND CASE WHEN ")
		for i, t := range tokens[1:] {
			if i > 0 {
				q.WriteString(" AND ")
			}
			q.WriteString("EXISTS (SELECT 1 FROM search_postings o WHERE o.token = ? AND o.target_id = p.target_id)")
			args = append(args, t)
		}
		if len(tokens) == 1 {
			q.WriteString("true")
		}
		// Findable writing: published, or the reader's own hidden
		// writing; a reply also needs its story not to wait for review.
		q.WriteString(` THEN CASE WHEN p.reply
			THEN EXISTS (SELECT 1 FROM replies r JOIN stories rs ON rs.id = r.story_id
				WHERE r.id = p.target_id AND (r.status = ? OR r.status = ? AND r.author_id = ?) AND rs.status <> ?)
			ELSE EXISTS (SELECT 1 FROM stories s WHERE s.id = p.target_id AND (s.status = ? OR s.status = ? AND s.author_id = ?)) END
			ELSE false END
			ORDER BY p.target_id DESC LIMIT ?`)
		args = append(args, Published, Hidden, f.ReaderID, Pending, Published, Hidden, f.ReaderID, f.Limit)
		if len(circles) > 1 {
			fmt.Fprintf(&q, ") AS c%d", i)
		}
	}
	if len(circles) > 1 {
		q.WriteString(" ORDER BY target_id DESC LIMIT ?")
		args = append(args, f.Limit)
	}
	return q.String(), args
}

// FoundWriting is writing a query found, as search shows it: its texts
// sealed, and for a reply its story's title and where that stands.
type FoundWriting struct {
	Target                      Target
	ID, StoryID, CircleID       string
	AuthorID, Status            string
	Title, Body, ContentWarning []byte // a reply's Title is its story's
	Themes                      []byte // sealed, as the writing's own
	// StoryAuthorID and StoryStatus are a reply's story's: whether the
	// reader may read its title.
	StoryAuthorID, StoryStatus string
	CreatedAt                  time.Time
}

// FoundWritings reads the writing found, in the order given, in one query
// for the stories and one for the replies; writing gone since is left out.
func (s *Store) FoundWritings(ctx context.Context, found []Found) ([]FoundWriting, error) {
	var stories, replies []string
	for _, f := range found {
		if f.Target == TargetReply {
			replies = append(replies, f.ID)
		} else {
			stories = append(stories, f.ID)
		}
	}
	byID := make(map[string]*FoundWriting, len(found))
	for _, q := range []struct {
		ids []string
		sql string
	}{
		{stories, `SELECT 'story', s.id, s.id, s.circle_id, s.author_id, s.status, s.title, s.body, s.content_warning, s.themes, s.author_id, s.status, s.created_at
			FROM stories s WHERE s.id IN ?`},
		{replies, `SELECT 'reply', r.id, r.story_id, s.circle_id, r.author_id, r.status, s.title, r.body, NULL, r.themes, s.author_id, s.status, r.created_at
			FROM replies r JOIN stories s ON s.id = r.story_id WHERE r.id IN ?`},
	} {
		if len(q.ids) == 0 {
			continue
		}
		rows, err := queryRows(ctx, s, len(q.ids), func(r rowScanner, v *FoundWriting) error {
			return r.Scan(&v.Target, &v.ID, &v.StoryID, &v.CircleID, &v.AuthorID, &v.Status, &v.Title, &v.Body, &v.ContentWarning, &v.Themes,
				&v.StoryAuthorID, &v.StoryStatus, &v.CreatedAt)
		}, q.sql, q.ids)
		if err != nil {
			return nil, fmt.Errorf("store: found writing: %w", err)
		}
		for i := range rows {
			byID[rows[i].ID] = &rows[i]
		}
	}
	out := make([]FoundWriting, 0, len(found))
	for _, f := range found {
		if w, ok := byID[f.ID]; ok {
			out = append(out, *w)
		}
	}
	return out, nil
}

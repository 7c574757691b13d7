package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"hearth/internal/app"
	"hearth/internal/auth"
	hforum "hearth/internal/forum"
	"hearth/internal/kernel"
	"hearth/internal/seal"
	"hearth/internal/search"
	"hearth/internal/store"
)

// The benchmark's stores are filled by writing rows straight into the store
// before the server starts: through the API, a million stories would take
// hours and every member eleven argon2id hashes. The rows are sealed for
// real, with each author's own data key, and agree with each other as the
// services would have left them (counts, thread paths and depths).
const (
	seedMembers = 1000
	seedCircles = 5
	seedReplies = 100000
	// repliedStories are the newest stories, those the replies go to, in
	// every store: a million stories then differ from ten thousand in the
	// stories alone.
	repliedStories = 10000
	// seedPassword is every seeded account's password, hashed once: a sign-in
	// still costs one full argon2id hash.
	seedPassword = "bench member river stone lantern"
	// storySpacing and replySpacing lay the history out in time (a million
	// stories span a year), so ids and created_at agree as NewID makes them.
	storySpacing = 30 * time.Second
	replySpacing = 20 * time.Second
	// seedChunk stories, with their replies, are sealed by one goroutine and
	// inserted in one transaction.
	seedChunk = 2000
	// sampleStories spread over the whole history are what the single-story
	// row reads, so it touches old pages of the store as well as new ones.
	sampleStories = 1000
)

// seedSize is what a seeded store holds.
type seedSize struct{ members, circles, stories, replies int }

var (
	tenThousand = seedSize{members: seedMembers, circles: seedCircles, stories: 10000, replies: seedReplies}
	oneMillion  = seedSize{members: seedMembers, circles: seedCircles, stories: 1000000, replies: seedReplies}
)

// seedCircleList are the circles, the first one the forum rows'.
var seedCircleList = []struct{ slug, name, description string }{
	{"heart", "Living with heart disease", "After a heart attack, surgery or a diagnosis: the days after, and the years."},
	{"grief", "Grief and loss", "For anyone who has lost someone, however long ago."},
	{"recovery", "Recovery from addiction", "One day at a time, together."},
	{"cancer", "After a cancer diagnosis", "Treatment, waiting, and living alongside it."},
	{"after-the-flood", "After the flood", "For people rebuilding after a disaster."},
}

// seeded is what the rows need to know about a seeded store.
type seeded struct {
	size      seedSize
	members   []member // members[k] is handle bench-k; no tokens yet
	admin     member
	moderator member
	forum     *forum
	took      time.Duration
	fileBytes int64
}

// seeder holds what the goroutines that seal stories and replies share;
// all of it is read-only once seeding starts.
type seeder struct {
	size      seedSize
	sealer    *seal.Sealer
	index     *search.Index // keys postings as the server would
	memberIDs []string
	keyIDs    []string // keyIDs[k] is member k's data key
	circleIDs []string
	inCircle  [][]int // the members of each circle
	replies   []int32 // how many replies story i gets
	newest    time.Time
	// threadAt, busyAt and followedAt are the indexes of the forum rows'
	// stories; every member follows the story at followedAt.
	threadAt, busyAt, followedAt int
	sample                       []string // written at distinct indexes by the goroutines
}

// seedStore fills a new SQLite store in dir, making its master key there as
// `hearth serve` would, so the server started on dir later opens it.
func seedStore(ctx context.Context, dir string, size seedSize, log io.Writer) (*seeded, error) {
	start := time.Now()
	kr, err := seal.OpenKeyring(dir, "", true)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "hearth.db")
	st, err := store.Open(ctx, store.Options{SQLitePath: path})
	if err != nil {
		return nil, err
	}
	out, err := seedInto(ctx, st, kr, size)
	if err == nil {
		err = st.Checkpoint(ctx)
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	out.took = time.Since(start)
	if fi, err := os.Stat(path); err == nil {
		out.fileBytes = fi.Size()
	}
	fmt.Fprintf(log, "hearthbench: seeded %s in %.1fs (%d MB store)\n", size, out.took.Seconds(), out.fileBytes>>20)
	return out, nil
}

func (z seedSize) String() string {
	return fmt.Sprintf("%s members, %d circles, %s stories, %s replies", thousands(z.members), z.circles, thousands(z.stories), thousands(z.replies))
}

// seedInto writes members, circles, stories and replies into st.
func seedInto(ctx context.Context, st *store.Store, kr *seal.Keyring, size seedSize) (*seeded, error) {
	if size.circles < 1 || size.circles > len(seedCircleList) || size.stories <= size.circles || size.members < 1 || size.replies < threadReplies {
		return nil, fmt.Errorf("cannot seed %s", size)
	}
	s := &seeder{size: size, sealer: seal.NewSealer(kr, st, size.members+2), newest: time.Now().UTC().Add(-time.Hour).Truncate(time.Millisecond)}
	var err error
	if s.index, err = app.LoadIndex(ctx, st, kr); err != nil {
		return nil, err
	}
	out := &seeded{size: size}
	if err := s.seedMembers(ctx, st, out); err != nil {
		return nil, err
	}
	if err := s.seedCircles(ctx, st); err != nil {
		return nil, err
	}
	// The newest story of the first circle holds the 50-reply thread; the
	// next one there is where the write row replies.
	s.threadAt, s.busyAt, s.followedAt = size.stories-1, size.stories-1-size.circles, size.stories-1-2*size.circles
	s.replies = spreadReplies(size.stories, size.replies-threadReplies, s.threadAt)
	s.sample = make([]string, 0, sampleStories)
	step := max(1, size.stories/sampleStories)
	for i := 0; i < size.stories && len(s.sample) < sampleStories; i += step {
		s.sample = append(s.sample, "")
	}
	ids, err := s.seedStories(ctx, st)
	if err != nil {
		return nil, err
	}
	reply, err := jsonBody(map[string]string{"body": text("A reply under load. ")})
	if err != nil {
		return nil, err
	}
	out.forum = &forum{slug: seedCircleList[0].slug, threadStory: ids[0], busyStory: ids[1], followedStory: ids[2], replyBody: reply, stories: s.sample}
	// The search rows' queries: two words of the sentences every story is
	// made of, and the two rare words of one story in the middle of
	// history, which share no other story.
	i := size.stories / 2
	if out.forum.commonSearch, err = jsonBody(map[string]any{"q": "garden river", "limit": 20}); err != nil {
		return nil, err
	}
	if out.forum.rareSearch, err = jsonBody(map[string]any{"q": rareName(i) + " " + rarePlace(i), "limit": 20}); err != nil {
		return nil, err
	}
	return out, nil
}

// seedMembers makes the members, an admin and a moderator, each with a
// data key of its own and the one shared password hash.
func (s *seeder) seedMembers(ctx context.Context, st *store.Store, out *seeded) error {
	hash, err := auth.NewHasher(auth.DefaultParams, 1, 1).Hash(ctx, seedPassword)
	if err != nil {
		return err
	}
	at := s.newest.Add(-time.Duration(s.size.stories+1) * storySpacing)
	var members []store.Member
	var keys []store.DataKey
	add := func(handle, role string) (member, error) {
		keyID, wrapped, err := s.sealer.NewDataKey()
		if err != nil {
			return member{}, err
		}
		id := store.NewIDAt(at)
		members = append(members, store.Member{ID: id, Handle: handle, Role: role, PasswordHash: hash, Status: store.StatusActive, CreatedAt: at, DataKeyID: &keyID})
		keys = append(keys, store.DataKey{ID: keyID, MemberID: id, Wrapped: wrapped, CreatedAt: at})
		login, err := json.Marshal(map[string]string{"handle": handle, "password": seedPassword})
		return member{handle: handle, password: seedPassword, login: login}, err
	}
	for k := range s.size.members {
		m, err := add(fmt.Sprintf("bench-%04d", k), kernel.RoleMember)
		if err != nil {
			return err
		}
		out.members = append(out.members, m)
		s.memberIDs = append(s.memberIDs, members[k].ID)
		s.keyIDs = append(s.keyIDs, keys[k].ID)
	}
	if out.admin, err = add("bench-admin", kernel.RoleAdmin); err != nil {
		return err
	}
	if out.moderator, err = add("bench-moderator", kernel.RoleModerator); err != nil {
		return err
	}
	return st.CreateAll(ctx, members, keys)
}

// seedCircles makes the open circles: every member is in the first, and
// each member in one other besides.
func (s *seeder) seedCircles(ctx context.Context, st *store.Store) error {
	n := s.size.circles
	s.inCircle = make([][]int, n)
	for k := range s.size.members {
		s.inCircle[0] = append(s.inCircle[0], k)
		if n > 1 {
			c := 1 + k%(n-1)
			s.inCircle[c] = append(s.inCircle[c], k)
		}
	}
	at := s.newest.Add(-time.Duration(s.size.stories+1) * storySpacing)
	var circles []store.Circle
	var joins []store.CircleMember
	for c, def := range seedCircleList[:n] {
		id := store.NewIDAt(at)
		s.circleIDs = append(s.circleIDs, id)
		circles = append(circles, store.Circle{ID: id, Slug: def.slug, Name: def.name, Description: def.description,
			Visibility: store.VisibilityOpen, MemberCount: len(s.inCircle[c]), CreatedAt: at, UpdatedAt: at})
		for _, k := range s.inCircle[c] {
			joins = append(joins, store.CircleMember{CircleID: id, MemberID: s.memberIDs[k], JoinedAt: at})
		}
	}
	return st.CreateAll(ctx, circles, joins)
}

// spreadReplies gives each of the newest repliedStories stories but the
// thread's a share of n replies, at random: most get a handful, some none.
func spreadReplies(stories, n, thread int) []int32 {
	counts := make([]int32, stories)
	from := max(0, stories-repliedStories)
	rng := rand.New(rand.NewPCG(1, 2))
	for n > 0 {
		if i := from + rng.IntN(stories-from); i != thread {
			counts[i]++
			n--
		}
	}
	return counts
}

// chunkOut is stories from, from+1, … and their replies, sealed and ready.
type chunkOut struct {
	from     int
	stories  []store.Story
	replies  []store.Reply
	follows  []store.Follow
	postings []store.Posting
	err      error
}

// seedStories seals the stories and their replies on every core and
// inserts them chunk by chunk as they come, so a million stories never sit
// in memory at once. It returns the ids of the thread story and the busy one.
func (s *seeder) seedStories(ctx context.Context, st *store.Store) ([3]string, error) {
	var ids [3]string
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	starts := make(chan int)
	chunks := make(chan chunkOut, 2)
	go func() {
		defer close(starts)
		for from := 0; from < s.size.stories; from += seedChunk {
			select {
			case starts <- from:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for from := range starts {
				c := s.chunk(ctx, from, min(from+seedChunk, s.size.stories))
				select {
				case chunks <- c:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(chunks)
	}()
	for c := range chunks {
		if c.err == nil {
			c.err = st.CreateAll(ctx, c.stories, c.replies, c.follows, c.postings)
		}
		if c.err != nil {
			cancel()
			for range chunks { // let the sealers see the cancel and end
			}
			return ids, c.err
		}
		for k, i := range [3]int{s.threadAt, s.busyAt, s.followedAt} {
			if i >= c.from && i < c.from+len(c.stories) {
				ids[k] = c.stories[i-c.from].ID
			}
		}
	}
	return ids, ctx.Err()
}

// chunk makes stories from to to-1 and their replies. Story i is in circle
// (stories-1-i) mod circles, so the newest is in the first circle.
func (s *seeder) chunk(ctx context.Context, from, to int) chunkOut {
	out := chunkOut{from: from, stories: make([]store.Story, 0, to-from)}
	rng := rand.New(rand.NewPCG(uint64(from), uint64(s.size.stories)))
	step := max(1, s.size.stories/sampleStories)
	for i := from; i < to; i++ {
		at := s.newest.Add(-time.Duration(s.size.stories-1-i) * storySpacing)
		c := (s.size.stories - 1 - i) % s.size.circles
		author := s.inCircle[c][rng.IntN(len(s.inCircle[c]))]
		if i == s.threadAt {
			author = 0
		}
		story := store.Story{ID: store.NewIDAt(at), CircleID: s.circleIDs[c], AuthorID: s.memberIDs[author], Kind: hforum.KindStory,
			Status: store.Published, CreatedAt: at}
		warning := ""
		if i%4 == 0 {
			warning = warnings[i/4%len(warnings)]
		}
		lt, lb, lw := store.StoryLocations(story.ID)
		title := storyTitle(rng, i)
		body := rareSentence(i) + " " + prose(rng, 900+rng.IntN(300))
		out.postings = append(out.postings, s.index.Postings(story.CircleID, store.TargetStory, story.ID, title, body)...)
		for _, f := range []struct {
			to   *[]byte
			text string
			at   seal.Location
		}{{&story.Title, title, lt}, {&story.Body, body, lb}, {&story.ContentWarning, warning, lw}} {
			b, err := s.sealer.Seal(ctx, s.keyIDs[author], []byte(f.text), f.at)
			if err != nil {
				out.err = err
				return out
			}
			*f.to = b
		}
		replies, postings, err := s.threadOf(ctx, rng, &story, c, i)
		if err != nil {
			out.err = err
			return out
		}
		// As the forum keeps them: the story is answered from its first
		// reply by someone else, its author follows it from its start and
		// each replier from their first reply.
		follows := map[string]bool{story.AuthorID: true}
		out.follows = append(out.follows, store.Follow{MemberID: story.AuthorID, StoryID: story.ID, Following: true, SinceID: story.ID, CreatedAt: at})
		for k := range replies {
			r := &replies[k]
			if r.AuthorID != story.AuthorID && story.AnsweredAt == nil {
				story.AnsweredAt = &r.CreatedAt
			}
			if !follows[r.AuthorID] {
				follows[r.AuthorID] = true
				out.follows = append(out.follows, store.Follow{MemberID: r.AuthorID, StoryID: story.ID, Following: true, SinceID: r.ID, CreatedAt: r.CreatedAt})
			}
		}
		if i == s.followedAt {
			for _, m := range s.memberIDs {
				if !follows[m] {
					out.follows = append(out.follows, store.Follow{MemberID: m, StoryID: story.ID, Following: true, SinceID: story.ID, CreatedAt: at})
				}
			}
		}
		out.stories = append(out.stories, story)
		out.replies = append(out.replies, replies...)
		out.postings = append(out.postings, postings...)
		if i%step == 0 && i/step < len(s.sample) {
			s.sample[i/step] = story.ID
		}
	}
	// In the index's order, the chunk's postings are inserted page by
	// page instead of all over it.
	slices.SortFunc(out.postings, func(a, b store.Posting) int {
		return cmp.Or(cmp.Compare(a.Token, b.Token), strings.Compare(a.TargetID, b.TargetID))
	})
	return out
}

// threadOf makes story i's replies. The forum rows' thread has the shape
// their notes give: fifty 1 KiB replies by threadAuthors members, every
// fifth answering the story and the four after it each the one before
// (depths 0 to 4). Any other thread is random: each reply, a few hundred
// bytes by a member of the circle, answers the story or an earlier reply,
// placed as the forum places it (forum.PlaceUnder).
func (s *seeder) threadOf(ctx context.Context, rng *rand.Rand, story *store.Story, c, i int) ([]store.Reply, []store.Posting, error) {
	n := int(s.replies[i])
	designated := i == s.threadAt
	if designated {
		n = threadReplies
	}
	out := make([]store.Reply, 0, n)
	var postings []store.Posting
	for k := range n {
		at := story.CreatedAt.Add(time.Duration(k+1) * replySpacing)
		r := store.Reply{ID: store.NewIDAt(at), StoryID: story.ID, Status: store.Published, CreatedAt: at}
		r.PublishedID = &r.ID
		parent, author, body := -1, 0, ""
		if designated {
			if k%5 != 0 {
				parent = k - 1
			}
			author, body = k%min(threadAuthors, s.size.members), text(fmt.Sprintf("Reply %d. ", k))
		} else {
			if k > 0 && rng.IntN(5) < 3 {
				parent = rng.IntN(k)
			}
			author, body = s.inCircle[c][rng.IntN(len(s.inCircle[c]))], prose(rng, 200+rng.IntN(400))
		}
		r.AuthorID, r.Path = s.memberIDs[author], r.ID
		if parent >= 0 {
			hforum.PlaceUnder(&r, &out[parent])
		}
		blob, err := s.sealer.Seal(ctx, s.keyIDs[author], []byte(body), store.ReplyLocation(r.ID))
		if err != nil {
			return nil, nil, err
		}
		r.Body = blob
		out = append(out, r)
		postings = append(postings, s.index.Postings(story.CircleID, store.TargetReply, r.ID, body)...)
	}
	return out, postings, nil
}

var (
	warnings   = []string{"grief", "hospital stay", "relapse", "loss of a child", "surgery"}
	titleWords = []string{"The first morning home", "What the nurse said", "Six months on", "A letter I will not send",
		"Walking again", "The anniversary", "Small wins this week", "When the phone rang", "Learning to sleep", "My sister's garden"}
	sentences = []string{
		"We sat by the window with tea and talked about the garden.",
		"Some days the walk to the corner shop is the whole of my courage.",
		"I did not expect the quiet after everyone went home to be the hardest part.",
		"My doctor said to take it slowly, and for once I am listening.",
		"The group on Thursday helped more than I can say.",
		"I wrote down three things that went well today, and one of them was getting up.",
		"There are still boxes in the hall that I cannot open yet.",
		"A neighbour brought soup and did not ask any questions, which was exactly right.",
		"I keep thinking about the long walk by the river we used to take.",
		"Thank you all for reading this far; it helps to say it somewhere.",
	}
)

// Every story names a person and a place, from about a thousand of each,
// so each name and each place is in about one story in a thousand (rare
// words), and a name and a place together in about one story in a million.
var syllables = []string{"ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qui", "ro", "su", "ta",
	"ve", "wi", "xo", "yu", "za", "bre", "cli", "dro", "fla", "gri", "plo", "sna", "tri", "vro", "bly", "zel"}

func rareWord(k int) string { return syllables[k%32] + syllables[k/32%32] }

// rareName and rarePlace are story i's person and place.
func rareName(i int) string  { return "Mar" + rareWord(i%1009) }
func rarePlace(i int) string { return rareWord(i%1013) + "mere" }

func rareSentence(i int) string {
	return "I keep thinking of " + rareName(i) + " and the lake at " + rarePlace(i) + "."
}

func storyTitle(rng *rand.Rand, i int) string {
	return fmt.Sprintf("%s (%d)", titleWords[rng.IntN(len(titleWords))], i)
}

// prose is n bytes of plain sentences ending in a full stop.
func prose(rng *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n + 100)
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(sentences[rng.IntN(len(sentences))])
	}
	return b.String()[:n-1] + "."
}

// thousands writes n with commas: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

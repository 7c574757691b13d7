package main

// The naive build: the thread read and the durable reply written the way a
// plain Echo + GORM app would write them, one GORM query after another on a
// pool of 32 connections, with no batching and no caching. It does the same
// work as Hearth's routes (a signed token and its session row, the story,
// the membership, every text sealed with its author's own key, the reply
// and its notice in one durable transaction), so the rows it answers show
// what Hearth's layers cost or save against it. It is not a copy of Hearth:
// no policies, no search index, no rate limits, no moderation.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/chacha20poly1305"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

const (
	naiveCommand = "naive"
	naivePool    = 32
	// The keys reach the naive server in its environment, as a plain app's
	// secrets do; hearthbench makes new ones for every run.
	envNaiveMasterKey = "HEARTHBENCH_NAIVE_MASTER_KEY"
	envNaiveTokenKey  = "HEARTHBENCH_NAIVE_TOKEN_KEY"
	naiveTokenTTL     = 24 * time.Hour
)

// The naive build's tables, as GORM makes them from these structs.
type (
	naiveMember struct {
		ID     uint64 `gorm:"primaryKey"`
		Handle string `gorm:"uniqueIndex;not null"`
		// DataKey is the member's own 32-byte key, wrapped (sealed with
		// XChaCha20-Poly1305) under the server's master key, the member's
		// id as associated data; it is unwrapped for every text it seals
		// or opens.
		DataKey []byte `gorm:"not null"`
	}
	naiveSession struct {
		ID        string `gorm:"primaryKey"`
		MemberID  uint64 `gorm:"index;not null"`
		ExpiresAt time.Time
	}
	naiveCircle struct {
		ID   uint64 `gorm:"primaryKey"`
		Name string
	}
	naiveCircleMember struct {
		CircleID uint64 `gorm:"primaryKey"`
		MemberID uint64 `gorm:"primaryKey"`
	}
	naiveStory struct {
		ID       uint64 `gorm:"primaryKey"`
		CircleID uint64 `gorm:"index;not null"`
		AuthorID uint64 `gorm:"not null"`
		Title    string
	}
	naiveReply struct {
		ID        uint64       `gorm:"primaryKey"`
		StoryID   uint64       `gorm:"index:naive_replies_thread,priority:1;not null"`
		AuthorID  uint64       `gorm:"not null"`
		Author    *naiveMember `gorm:"foreignKey:AuthorID"`
		Body      []byte       `gorm:"not null"` // nonce and sealed text
		CreatedAt time.Time    `gorm:"index:naive_replies_thread,priority:2"`
	}
	naiveNotice struct {
		ID        uint64 `gorm:"primaryKey"`
		MemberID  uint64 `gorm:"index;not null"`
		StoryID   uint64 `gorm:"not null"`
		ReplyID   uint64 `gorm:"not null"`
		Read      bool
		CreatedAt time.Time
	}
)

// naiveTables are every table, in the order they are made.
var naiveTables = []any{&naiveMember{}, &naiveSession{}, &naiveCircle{}, &naiveCircleMember{}, &naiveStory{}, &naiveReply{}, &naiveNotice{}}

// naiveKeys are the naive server's secrets.
type naiveKeys struct {
	master []byte // wraps the members' data keys
	token  []byte // signs access tokens (HS256)
}

func newNaiveKeys() naiveKeys {
	k := naiveKeys{master: make([]byte, chacha20poly1305.KeySize), token: make([]byte, 32)}
	rand.Read(k.master)
	rand.Read(k.token)
	return k
}

// openNaiveDB is GORM on dsn with the pool the naive build is measured
// with. The logger is silent: its slow-query lines would print values.
func openNaiveDB(dsn string) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(naivePool)
	sqlDB.SetMaxIdleConns(naivePool)
	return db, nil
}

// naiveSeal and naiveOpen are XChaCha20-Poly1305 with a random nonce kept in front
// of the ciphertext.
func naiveSeal(key, text, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(text)+aead.Overhead())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, text, ad), nil
}

func naiveOpen(key, sealed, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("sealed text too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], ad)
}

func memberAD(id uint64) []byte { return []byte("member:" + strconv.FormatUint(id, 10)) }
func storyAD(id uint64) []byte  { return []byte("story:" + strconv.FormatUint(id, 10)) }

// naiveSeeded is what the rows need of the naive build's seed.
type naiveSeeded struct {
	tokens                 []string // one per member, in member order
	threadStory, busyStory string
}

// naiveSeed makes the naive build's tables in an empty schema and fills
// them as the forum rows find Hearth's: forumMembers members in one circle,
// each with a session and a token, the thread story with threadReplies
// replies by threadAuthors authors, and a second story for the reply row
// to write to, so the thread stays the same while replies pour in.
func naiveSeed(ctx context.Context, dsn string, keys naiveKeys) (*naiveSeeded, error) {
	db, err := openNaiveDB(dsn)
	if err != nil {
		return nil, err
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	db = db.WithContext(ctx)
	if err := db.AutoMigrate(naiveTables...); err != nil {
		return nil, err
	}
	members := make([]naiveMember, forumMembers)
	for k := range members {
		members[k].Handle = fmt.Sprintf("naive-%04d", k)
		members[k].DataKey = []byte{} // wrapped below, once the id is known
	}
	if err := db.Create(&members).Error; err != nil {
		return nil, err
	}
	for k := range members {
		dk := make([]byte, chacha20poly1305.KeySize)
		rand.Read(dk)
		if members[k].DataKey, err = naiveSeal(keys.master, dk, memberAD(members[k].ID)); err != nil {
			return nil, err
		}
		if err := db.Model(&members[k]).Update("data_key", members[k].DataKey).Error; err != nil {
			return nil, err
		}
	}
	circle := naiveCircle{Name: "Naive circle"}
	if err := db.Create(&circle).Error; err != nil {
		return nil, err
	}
	cms := make([]naiveCircleMember, len(members))
	sessions := make([]naiveSession, len(members))
	out := &naiveSeeded{tokens: make([]string, len(members))}
	expires := time.Now().Add(naiveTokenTTL)
	for k, m := range members {
		cms[k] = naiveCircleMember{CircleID: circle.ID, MemberID: m.ID}
		sid := make([]byte, 16)
		rand.Read(sid)
		sessions[k] = naiveSession{ID: hex.EncodeToString(sid), MemberID: m.ID, ExpiresAt: expires}
		claims := jwt.MapClaims{"sub": strconv.FormatUint(m.ID, 10), "sid": sessions[k].ID, "exp": expires.Unix()}
		if out.tokens[k], err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(keys.token); err != nil {
			return nil, err
		}
	}
	if err := db.Create(&cms).Error; err != nil {
		return nil, err
	}
	if err := db.Create(&sessions).Error; err != nil {
		return nil, err
	}
	stories := []naiveStory{
		{CircleID: circle.ID, AuthorID: members[0].ID, Title: "The thread"},
		{CircleID: circle.ID, AuthorID: members[1].ID, Title: "Where replies pour in"},
	}
	if err := db.Create(&stories).Error; err != nil {
		return nil, err
	}
	thread := stories[0].ID
	start := time.Now().Add(-time.Hour)
	for k := range threadReplies {
		author := members[k%threadAuthors]
		dk, err := naiveOpen(keys.master, author.DataKey, memberAD(author.ID))
		if err != nil {
			return nil, err
		}
		body, err := naiveSeal(dk, []byte(text(fmt.Sprintf("Reply %d. ", k))), storyAD(thread))
		if err != nil {
			return nil, err
		}
		r := naiveReply{StoryID: thread, AuthorID: author.ID, Body: body, CreatedAt: start.Add(time.Duration(k) * time.Second)}
		if err := db.Create(&r).Error; err != nil {
			return nil, err
		}
	}
	out.threadStory = strconv.FormatUint(thread, 10)
	out.busyStory = strconv.FormatUint(stories[1].ID, 10)
	return out, nil
}

// naiveServer is the naive build's HTTP API: the two routes the rows use,
// at Hearth's paths, and /readyz.
type naiveServer struct {
	db   *gorm.DB
	keys naiveKeys
}

func (s *naiveServer) echo() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/readyz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	api := e.Group("/api/v1", s.authenticate)
	api.POST("/stories/:id/replies", s.createReply)
	api.GET("/stories/:id/replies", s.listReplies)
	return e
}

// authenticate checks the bearer token's signature, then its session row,
// then loads the member: a query each.
func (s *naiveServer) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		bearer, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok {
			return echo.ErrUnauthorized
		}
		var claims jwt.MapClaims
		_, err := jwt.ParseWithClaims(bearer, &claims, func(*jwt.Token) (any, error) { return s.keys.token, nil },
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired())
		if err != nil {
			return echo.ErrUnauthorized
		}
		sid, _ := claims["sid"].(string)
		sub, _ := claims["sub"].(string)
		db := s.db.WithContext(c.Request().Context())
		var sess naiveSession
		if err := db.First(&sess, "id = ?", sid).Error; err != nil {
			return dbError(err, echo.ErrUnauthorized)
		}
		if strconv.FormatUint(sess.MemberID, 10) != sub || time.Now().After(sess.ExpiresAt) {
			return echo.ErrUnauthorized
		}
		var m naiveMember
		if err := db.First(&m, sess.MemberID).Error; err != nil {
			return dbError(err, echo.ErrUnauthorized)
		}
		c.Set("member", &m)
		return next(c)
	}
}

// dbError is notFound for a missing row and a 500 for anything else.
func dbError(err error, notFound *echo.HTTPError) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return notFound
	}
	return err
}

// storyFor loads the story of the path and checks that m is in its circle.
func (s *naiveServer) storyFor(c echo.Context, db *gorm.DB, m *naiveMember) (*naiveStory, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return nil, echo.ErrNotFound
	}
	var st naiveStory
	if err := db.First(&st, id).Error; err != nil {
		return nil, dbError(err, echo.ErrNotFound)
	}
	var cm naiveCircleMember
	if err := db.First(&cm, "circle_id = ? AND member_id = ?", st.CircleID, m.ID).Error; err != nil {
		return nil, dbError(err, echo.ErrForbidden)
	}
	return &st, nil
}

// naiveReplyJSON is a reply as both routes answer it.
type naiveReplyJSON struct {
	ID      string `json:"id"`
	StoryID string `json:"story_id"`
	Author  struct {
		ID     string `json:"id"`
		Handle string `json:"handle"`
	} `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

func replyJSON(r *naiveReply, author *naiveMember, body []byte) naiveReplyJSON {
	out := naiveReplyJSON{ID: strconv.FormatUint(r.ID, 10), StoryID: strconv.FormatUint(r.StoryID, 10), Body: string(body), CreatedAt: r.CreatedAt}
	out.Author.ID, out.Author.Handle = strconv.FormatUint(author.ID, 10), author.Handle
	return out
}

const naiveMaxBody = 10000

// createReply is POST /stories/{id}/replies: seal the body with the
// writer's key, then the reply and the author's notice in one transaction,
// answered once it has committed (PostgreSQL's synchronous_commit as the
// server has it: on by default, so durable).
func (s *naiveServer) createReply(c echo.Context) error {
	m := c.Get("member").(*naiveMember)
	var in struct {
		Body string `json:"body"`
	}
	if err := c.Bind(&in); err != nil {
		return err
	}
	if in.Body == "" || len(in.Body) > naiveMaxBody {
		return echo.NewHTTPError(http.StatusBadRequest, "body must be 1 to 10,000 bytes")
	}
	db := s.db.WithContext(c.Request().Context())
	st, err := s.storyFor(c, db, m)
	if err != nil {
		return err
	}
	dk, err := naiveOpen(s.keys.master, m.DataKey, memberAD(m.ID))
	if err != nil {
		return err
	}
	sealed, err := naiveSeal(dk, []byte(in.Body), storyAD(st.ID))
	if err != nil {
		return err
	}
	r := naiveReply{StoryID: st.ID, AuthorID: m.ID, Body: sealed}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if st.AuthorID == m.ID {
			return nil // nobody is told of their own reply
		}
		return tx.Create(&naiveNotice{MemberID: st.AuthorID, StoryID: st.ID, ReplyID: r.ID}).Error
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, replyJSON(&r, m, []byte(in.Body)))
}

// listReplies is GET /stories/{id}/replies?limit=N: a page of the thread,
// oldest first, with its authors (GORM's Preload: a second query), each
// reply opened with its author's key.
func (s *naiveServer) listReplies(c echo.Context) error {
	m := c.Get("member").(*naiveMember)
	limit := 20
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return echo.NewHTTPError(http.StatusBadRequest, "limit must be 1 to 100")
		}
		limit = n
	}
	db := s.db.WithContext(c.Request().Context())
	st, err := s.storyFor(c, db, m)
	if err != nil {
		return err
	}
	var replies []naiveReply
	if err := db.Preload("Author").Where("story_id = ?", st.ID).Order("created_at, id").Limit(limit).Find(&replies).Error; err != nil {
		return err
	}
	items := make([]naiveReplyJSON, 0, len(replies))
	for i := range replies {
		r := &replies[i]
		dk, err := naiveOpen(s.keys.master, r.Author.DataKey, memberAD(r.AuthorID))
		if err != nil {
			return err
		}
		body, err := naiveOpen(dk, r.Body, storyAD(r.StoryID))
		if err != nil {
			return err
		}
		items = append(items, replyJSON(r, r.Author, body))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// runNaiveServer is `hearthbench naive --dsn DSN --addr ADDR`: the naive
// build serving a schema naiveSeed filled, with the keys of its
// environment, until SIGTERM.
func runNaiveServer(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("hearthbench naive", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "PostgreSQL DSN of a schema naiveSeed filled")
	addr := fs.String("addr", "127.0.0.1:8090", "host:port to listen on")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	keys, err := naiveKeysFromEnv()
	if err != nil || *dsn == "" {
		fmt.Fprintf(stderr, "hearthbench naive: needs --dsn and the keys in %s and %s (%v)\n", envNaiveMasterKey, envNaiveTokenKey, err)
		return exitUsage
	}
	db, err := openNaiveDB(*dsn)
	if err != nil {
		fmt.Fprintf(stderr, "hearthbench naive: %v\n", err)
		return exitBroken
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := (&naiveServer{db: db, keys: keys}).echo()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		e.Shutdown(sctx)
	}()
	if err := e.Start(*addr); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "hearthbench naive: %v\n", err)
		return exitBroken
	}
	return exitOK
}

func naiveKeysFromEnv() (naiveKeys, error) {
	master, err := hex.DecodeString(os.Getenv(envNaiveMasterKey))
	if err != nil {
		return naiveKeys{}, err
	}
	token, err := hex.DecodeString(os.Getenv(envNaiveTokenKey))
	if err != nil {
		return naiveKeys{}, err
	}
	if len(master) != chacha20poly1305.KeySize || len(token) < 32 {
		return naiveKeys{}, errors.New("keys of the wrong length")
	}
	return naiveKeys{master: master, token: token}, nil
}

// runNaive seeds the naive build on a schema of its own, starts it (this
// binary again, as `hearthbench naive`) and runs scs against it. Its
// members and stories come from the seed, so the rows' setups, which go
// through Hearth's API, do not run.
func runNaive(ctx context.Context, o *options, scs []scenario, stderr io.Writer) (rows []result, err error) {
	dsn, version, drop, err := benchSchema(ctx, stderr)
	if err != nil {
		return nil, err
	}
	defer drop()
	keys := newNaiveKeys()
	seeded, err := naiveSeed(ctx, dsn, keys)
	if err != nil {
		return nil, fmt.Errorf("naive build: seed: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "hearthbench-naive-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(stderr, "hearthbench: kept %s (the naive server's log)\n", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "naive.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, naiveCommand, "--dsn", dsn, "--addr", addr)
	cmd.Env = append(serverEnv(), envNaiveMasterKey+"="+hex.EncodeToString(keys.master), envNaiveTokenKey+"="+hex.EncodeToString(keys.token))
	srv, err := startProcess(ctx, cmd, addr, dsn, logf, o.keep, stderr)
	if err != nil {
		return nil, fmt.Errorf("naive build: %w", err)
	}
	defer srv.stop()
	fmt.Fprintf(stderr, "hearthbench: the naive Echo + GORM build on PostgreSQL %s\n", version)

	e := newEnv(srv.base, o.warmup+o.duration)
	for k, tok := range seeded.tokens {
		e.members = append(e.members, member{handle: fmt.Sprintf("naive-%04d", k), token: tok, tokenAt: time.Now()})
	}
	f := &forum{threadStory: seeded.threadStory, busyStory: seeded.busyStory, checked: true}
	if f.replyBody, err = jsonBody(map[string]string{"body": text("A reply under load. ")}); err != nil {
		return nil, err
	}
	e.forum = f
	for _, sc := range scs {
		sc.setup = nil
		sc.note = fmt.Sprintf("the load of the row of the same name against the naive build (naive.go: Echo + GORM, %d-connection pool, one query after another) "+
			"on a fresh schema of PostgreSQL %s on this machine; its members, thread and story are seeded straight into its tables.", naivePool, version)
		res, err := runScenario(ctx, e, sc, o, []*server{srv}, stderr)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		rows = append(rows, res)
	}
	return rows, nil
}

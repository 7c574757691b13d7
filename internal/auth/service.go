// Package auth holds accounts and sessions: argon2id passwords, recovery
// codes, HS256 access tokens and rotating refresh tokens.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"hearth/internal/apperr"
	"hearth/internal/store"
	"hearth/internal/throttle"
)

// Session lifetimes.
const (
	IdleTTL     = 7 * 24 * time.Hour
	AbsoluteTTL = 30 * 24 * time.Hour
	// RecoveryCodes is how many single-use codes a member gets at sign-up.
	RecoveryCodes = 10
	// failedPerHandle is how many failed sign-ins or recoveries one handle
	// may take a minute, whatever address they come from.
	failedPerHandle = 10
)

// Roles.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
	RoleAdmin     = "admin"
)

// ValidRole reports whether r is a global role. It is the one place the
// roles are listed; checkRole turns it into the error clients see.
func ValidRole(r string) bool {
	return r == RoleMember || r == RoleModerator || r == RoleAdmin
}

func checkRole(r string) error {
	if !ValidRole(r) {
		return ErrInvalidRole
	}
	return nil
}

// Errors a client may see.
var (
	ErrInvalidCredentials = apperr.New(http.StatusUnauthorized, "invalid_credentials", "That handle and password do not match.")
	ErrInvalidRecovery    = apperr.New(http.StatusUnauthorized, "invalid_recovery", "That handle and recovery code do not match, or the code was used already.")
	ErrHandleTaken        = apperr.New(http.StatusConflict, "handle_taken", "That handle is taken. Please choose another.")
	ErrBanned             = apperr.New(http.StatusForbidden, "banned", "This account has been closed by the moderation team.")
	ErrRefreshInvalid     = apperr.New(http.StatusUnauthorized, "invalid_refresh_token", "Your session has ended. Please sign in again.")
	ErrInvalidRole        = apperr.Invalid("invalid_role", "A role is member, moderator or admin.")
)

// DataKeys makes each member's data key at sign-up and forgets it at
// erasure; the sealer satisfies it.
type DataKeys interface {
	NewDataKey() (id string, wrapped []byte, err error)
	Forget(id string)
}

// Service runs accounts and sessions.
type Service struct {
	log      *slog.Logger
	st       *store.Store
	keys     DataKeys
	hasher   *Hasher
	tokens   *Tokens
	failures *throttle.Limiter
	dummy    string
	now      func() time.Time
}

// NewService wires the service. The dummy hash lets an unknown handle cost
// exactly what a wrong password costs.
func NewService(st *store.Store, keys DataKeys, hasher *Hasher, tokens *Tokens) (*Service, error) {
	dummy, err := hasher.Hash(context.Background(), "hearth dummy password for unknown handles")
	if err != nil {
		return nil, err
	}
	return &Service{log: slog.Default(), st: st, keys: keys, hasher: hasher, tokens: tokens, failures: throttle.New(failedPerHandle), dummy: dummy, now: Now}, nil
}

// Now is the service clock: UTC, to the microsecond both stores keep.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Grant is what a successful sign-in hands the client.
type Grant struct {
	Member       *store.Member
	AccessToken  string
	RefreshToken string
	ExpiresIn    int
}

// Register creates a member with a password and recovery codes, and signs
// them in.
func (s *Service) Register(ctx context.Context, handle, password string) (*Grant, []string, error) {
	h, err := CanonicalHandle(handle)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckPassword(password, h); err != nil {
		return nil, nil, err
	}
	if _, err := s.st.GetMember(ctx, store.FindMember{Handle: &h}); err == nil {
		return nil, nil, ErrHandleTaken
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, nil, apperr.Internal(err)
	}
	m, codes, err := s.create(ctx, h, password, RoleMember)
	if err != nil {
		return nil, nil, err
	}
	g, err := s.startSession(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	return g, codes, nil
}

// CreateMember makes an account with any role, for the admin command line
// and the demo: no one signs in, so no session is made.
func (s *Service) CreateMember(ctx context.Context, handle, password, role string) (*store.Member, []string, error) {
	if err := checkRole(role); err != nil {
		return nil, nil, err
	}
	h, err := CanonicalHandle(handle)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckPassword(password, h); err != nil {
		return nil, nil, err
	}
	return s.create(ctx, h, password, role)
}

// create stores a member with hashed password, recovery codes and a fresh
// data key, and returns the member and the codes in clear, once.
func (s *Service) create(ctx context.Context, handle, password, role string) (*store.Member, []string, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, nil, hashErr(err)
	}
	codes, codeHashes, err := s.newRecoveryCodes(ctx)
	if err != nil {
		return nil, nil, err
	}
	keyID, wrapped, err := s.keys.NewDataKey()
	if err != nil {
		return nil, nil, apperr.Internal(err)
	}
	now := s.now()
	m := &store.Member{ID: store.NewID(), Handle: handle, Role: role, PasswordHash: hash, Status: store.StatusActive, CreatedAt: now}
	if err := s.st.CreateMember(ctx, m, codeHashes, &store.DataKey{ID: keyID, Wrapped: wrapped, CreatedAt: now}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, nil, ErrHandleTaken
		}
		return nil, nil, apperr.Internal(err)
	}
	return m, codes, nil
}

// newRecoveryCodes makes a full set of recovery codes, in clear and hashed.
func (s *Service) newRecoveryCodes(ctx context.Context) (codes, hashes []string, err error) {
	codes = make([]string, RecoveryCodes)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	if hashes, err = s.hasher.HashCodes(ctx, codes); err != nil {
		return nil, nil, hashErr(err)
	}
	return codes, hashes, nil
}

// RecoveryCodesLeft counts the member's unspent recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, p *store.Principal) (int, error) {
	rows, err := s.st.RecoveryCodes(ctx, p.MemberID)
	if err != nil {
		return 0, apperr.Internal(err)
	}
	return len(rows), nil
}

// RenewRecoveryCodes puts a full set of new recovery codes in place of the
// member's old ones, spent or not, after checking their password (failures
// count against the handle, as sign-ins do), and returns them in clear,
// once. Their sessions stay: nothing here says anyone else has them.
func (s *Service) RenewRecoveryCodes(ctx context.Context, p *store.Principal, password string) ([]string, error) {
	m, err := s.checkPassword(ctx, p.Handle, password)
	if err != nil {
		return nil, err
	}
	if m.ID != p.MemberID {
		return nil, apperr.ErrUnauthenticated
	}
	codes, hashes, err := s.newRecoveryCodes(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.st.ReplaceRecoveryCodes(ctx, m.ID, hashes); err != nil {
		return nil, apperr.Internal(err)
	}
	return codes, nil
}

// Login checks a handle and password. Unknown handles and wrong passwords
// take the same time and give the same answer.
func (s *Service) Login(ctx context.Context, handle, password string) (*Grant, error) {
	m, err := s.checkPassword(ctx, handle, password)
	if err != nil {
		return nil, err
	}
	if m.Status == store.StatusBanned {
		return nil, ErrBanned
	}
	return s.startSession(ctx, m)
}

// checkPassword finds the member of handle and verifies password, throttling
// failures per handle. The attempt takes its slot before the hash and gets it
// back only if it succeeds: counting after the hash would let any number of
// concurrent guesses through a check that none of them had been counted in.
func (s *Service) checkPassword(ctx context.Context, handle, password string) (*store.Member, error) {
	key := strings.ToLower(handle)
	if ok, wait := s.failures.Allow(key); !ok {
		return nil, apperr.TooMany(wait)
	}
	m, err := s.verifyPassword(ctx, handle, password)
	if !errors.Is(err, ErrInvalidCredentials) {
		// Success, or a failure that was no guess (busy, store trouble).
		s.failures.Refund(key)
	}
	return m, err
}

func (s *Service) verifyPassword(ctx context.Context, handle, password string) (*store.Member, error) {
	// A password too long to be real is refused before it costs a hash.
	if len(password) > PasswordMax*4 {
		return nil, ErrInvalidCredentials
	}
	var m *store.Member
	if h, err := CanonicalHandle(handle); err == nil {
		m, err = s.st.GetMember(ctx, store.FindMember{Handle: &h})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, apperr.Internal(err)
		}
	}
	phc := s.dummy
	if m != nil {
		phc = m.PasswordHash
	}
	ok, err := s.hasher.Verify(ctx, password, phc)
	if err != nil {
		return nil, hashErr(err)
	}
	if !ok || m == nil {
		return nil, ErrInvalidCredentials
	}
	return m, nil
}

// Refresh spends a refresh token and returns a new pair. A spent token
// revokes its whole session: someone has a copy.
func (s *Service) Refresh(ctx context.Context, refresh string) (*Grant, error) {
	if refresh == "" || len(refresh) > 200 {
		return nil, ErrRefreshInvalid
	}
	now := s.now()
	next := newRefreshToken()
	sess, err := s.st.RotateRefresh(ctx, hashToken(refresh), hashToken(next), now, now.Add(-IdleTTL))
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrTokenSpent) {
		return nil, ErrRefreshInvalid
	}
	if errors.Is(err, store.ErrMemberBanned) {
		return nil, ErrBanned
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &sess.MemberID})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if m.Status == store.StatusBanned {
		return nil, ErrBanned
	}
	access, err := s.tokens.Issue(m.ID, sess.ID, now)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &Grant{Member: m, AccessToken: access, RefreshToken: next, ExpiresIn: int(AccessTTL.Seconds())}, nil
}

// Logout ends the session at once.
func (s *Service) Logout(ctx context.Context, p *store.Principal) error {
	if err := s.st.RevokeSession(ctx, p.SessionID, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// Recover signs a member in with a recovery code and a new password, spends
// the code and ends every other session. Wrong codes count against the
// handle's failures like wrong passwords, slot taken up front.
func (s *Service) Recover(ctx context.Context, handle, code, newPassword string) (*Grant, error) {
	key := strings.ToLower(handle)
	if ok, wait := s.failures.Allow(key); !ok {
		return nil, apperr.TooMany(wait)
	}
	g, err := s.recover(ctx, handle, code, newPassword)
	if !errors.Is(err, ErrInvalidRecovery) {
		s.failures.Refund(key)
	}
	return g, err
}

func (s *Service) recover(ctx context.Context, handle, code, newPassword string) (*Grant, error) {
	key := strings.ToLower(handle)
	if err := CheckPassword(newPassword, key); err != nil {
		return nil, err
	}
	var m *store.Member
	var hashes []string
	var slots []int
	if h, err := CanonicalHandle(handle); err == nil {
		m, err = s.st.GetMember(ctx, store.FindMember{Handle: &h})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, apperr.Internal(err)
		}
	}
	if m != nil {
		rows, err := s.st.RecoveryCodes(ctx, m.ID)
		if err != nil {
			return nil, apperr.Internal(err)
		}
		for _, r := range rows {
			hashes = append(hashes, r.Hash)
			slots = append(slots, r.Slot)
		}
	}
	if len(hashes) == 0 {
		hashes = []string{s.dummy}
	}
	i, err := s.hasher.MatchCode(ctx, code, hashes)
	if err != nil {
		return nil, hashErr(err)
	}
	if i < 0 || m == nil || len(slots) == 0 {
		return nil, ErrInvalidRecovery
	}
	if m.Status == store.StatusBanned {
		return nil, ErrBanned
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return nil, hashErr(err)
	}
	if err := s.st.Recover(ctx, m.ID, slots[i], hash, s.now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return nil, ErrInvalidRecovery
		}
		return nil, apperr.Internal(err)
	}
	m.PasswordHash = hash
	return s.startSession(ctx, m)
}

// ChangePassword sets a new password after checking the current one, and
// ends every other session of the member.
func (s *Service) ChangePassword(ctx context.Context, p *store.Principal, current, next string) error {
	if err := CheckPassword(next, p.Handle); err != nil {
		return err
	}
	if _, err := s.checkPassword(ctx, p.Handle, current); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return hashErr(err)
	}
	if err := s.st.SetPassword(ctx, p.MemberID, hash, p.SessionID, s.now()); err != nil {
		return apperr.Internal(err)
	}
	return nil
}

// Erase deletes the member's account after checking their password: their
// data key is destroyed, so nothing they wrote can be opened again.
func (s *Service) Erase(ctx context.Context, p *store.Principal, password string) error {
	m, err := s.checkPassword(ctx, p.Handle, password)
	if err != nil {
		return err
	}
	if m.ID != p.MemberID {
		return apperr.ErrUnauthenticated
	}
	err = s.st.EraseMember(ctx, m.ID, s.now())
	if errors.Is(err, store.ErrNotFound) {
		// Erased meanwhile, by another request of theirs.
		return apperr.ErrUnauthenticated
	}
	if err != nil {
		return apperr.Internal(err)
	}
	// The wrapped key is gone for good; its unwrapped copy goes now too,
	// whatever happens below.
	if m.DataKeyID != nil {
		s.keys.Forget(*m.DataKeyID)
	}
	// The account is erased: from here on nothing may turn this into an
	// error, and a client that hangs up must not stop the erased pages from
	// leaving the WAL. If they cannot leave it yet, the next checkpoint
	// takes them.
	if err := s.st.ScrubWAL(context.WithoutCancel(ctx)); err != nil {
		s.log.WarnContext(ctx, "erasure committed; its pages stay in the WAL until the next checkpoint", "err", err)
	}
	return nil
}

// Authenticate turns a bearer token into the principal of a live session.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*store.Principal, error) {
	memberID, sessionID, err := s.tokens.Parse(bearer)
	if err != nil {
		return nil, apperr.ErrUnauthenticated
	}
	now := s.now()
	p, err := s.st.LiveSession(ctx, sessionID, now, now.Add(-IdleTTL))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.ErrUnauthenticated
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if p.MemberID != memberID || p.Status == store.StatusBanned {
		return nil, apperr.ErrUnauthenticated
	}
	return p, nil
}

func (s *Service) startSession(ctx context.Context, m *store.Member) (*Grant, error) {
	now := s.now()
	sess := &store.Session{ID: store.NewID(), MemberID: m.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTTL)}
	refresh := newRefreshToken()
	// The store checks the member's status again in the same transaction: a
	// ban or an erasure that lands after the password check leaves no session.
	if err := s.st.CreateSession(ctx, sess, hashToken(refresh)); err != nil {
		switch {
		case errors.Is(err, store.ErrMemberBanned):
			return nil, ErrBanned
		case errors.Is(err, store.ErrNotFound):
			return nil, ErrInvalidCredentials
		}
		return nil, apperr.Internal(err)
	}
	access, err := s.tokens.Issue(m.ID, sess.ID, now)
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return &Grant{Member: m, AccessToken: access, RefreshToken: refresh, ExpiresIn: int(AccessTTL.Seconds())}, nil
}

func hashErr(err error) error {
	if errors.Is(err, ErrBusy) {
		return apperr.Busy(2)
	}
	return apperr.Internal(err)
}

// newRefreshToken returns 256 random bits; only their hash is stored.
func newRefreshToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// newRecoveryCode returns about 99 random bits as four groups of five letters
// and digits, easy to copy by hand: "k7m2p-x9qrt-…".
func newRecoveryCode() string {
	const alphabet = "23456789abcdefghjkmnpqrstuvwxyz" // no 0/o, 1/l/i
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// Member returns the signed-in member's account.
func (s *Service) Member(ctx context.Context, p *store.Principal) (*store.Member, error) {
	m, err := s.st.GetMember(ctx, store.FindMember{ID: &p.MemberID})
	if err != nil {
		return nil, apperr.Internal(err)
	}
	return m, nil
}

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
	"hearth/internal/kernel"
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

// Errors a client may see.
var (
	ErrInvalidCredentials = apperr.New(http.StatusUnauthorized, "invalid_credentials", "That handle and password do not match.")
	ErrInvalidRecovery    = apperr.New(http.StatusUnauthorized, "invalid_recovery", "That handle and recovery code do not match, or the code was used already.")
	ErrHandleTaken        = apperr.New(http.StatusConflict, "handle_taken", "That handle is taken. Please choose another.")
	ErrBanned             = apperr.New(http.StatusForbidden, "banned", "This account has been closed by the moderation team.")
	ErrRefreshInvalid     = apperr.New(http.StatusUnauthorized, "invalid_refresh_token", "Your session has ended. Please sign in again.")
)

// DataKeys makes each member's data key at sign-up and forgets it at
// erasure; the sealer satisfies it.
type DataKeys interface {
	NewDataKey() (id string, wrapped []byte, err error)
	Forget(id string)
}

// Service runs accounts and sessions.
type Service struct {
	log     *slog.Logger
	st      *store.Store
	keys    DataKeys
	lists   store.Unlisting
	hasher  *Hasher
	signing *SigningKeys
	devices *Devices
	retired *RetiredHandles
	// failures counts failed sign-ins and recoveries per handle from
	// browsers the handle never signed in from; deviceFailures counts
	// them per device cookie (see Devices).
	failures, deviceFailures *throttle.Limiter
	dummy                    string
	now                      func() time.Time
}

// NewService wires the service; lists is reader safety, which takes an
// erased member off others' mute and block lists. The dummy hash lets an
// unknown handle cost exactly what a wrong password costs.
func NewService(st *store.Store, keys DataKeys, lists store.Unlisting, hasher *Hasher, signing *SigningKeys, devices *Devices, retired *RetiredHandles) (*Service, error) {
	dummy, err := hasher.Hash(context.Background(), "hearth dummy password for unknown handles")
	if err != nil {
		return nil, err
	}
	return &Service{log: slog.Default(), st: st, keys: keys, lists: lists, hasher: hasher, signing: signing, devices: devices, retired: retired,
		failures: throttle.New(failedPerHandle, time.Minute), deviceFailures: throttle.New(failedPerHandle, time.Minute),
		dummy: dummy, now: kernel.Now}, nil
}

// Grant is what a successful sign-in hands the client.
type Grant struct {
	Member       *store.Member
	AccessToken  string
	RefreshToken string
	ExpiresIn    int
	// Device, after a sign-in or recovery, is the device cookie that
	// lets this browser past others' failures on the handle next time.
	Device *DeviceCookie
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
	m, codes, err := s.create(ctx, h, password, kernel.RoleMember)
	if err != nil {
		return nil, nil, err
	}
	g, err := s.startSession(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	g.Device = s.devices.issue(m.Handle)
	return g, codes, nil
}

// CreateMember makes an account with any role, for the admin command line
// and the demo: no one signs in, so no session is made.
func (s *Service) CreateMember(ctx context.Context, handle, password, role string) (*store.Member, []string, error) {
	if !kernel.ValidRole(role) {
		return nil, nil, kernel.ErrInvalidRole
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
	if err := s.notRetired(ctx, handle); err != nil {
		return nil, nil, err
	}
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

// notRetired refuses the handle of an erased account, as a taken one.
func (s *Service) notRetired(ctx context.Context, handle string) error {
	retired, err := s.st.HandleRetired(ctx, s.retired.hash(handle))
	if err != nil {
		return apperr.Internal(err)
	}
	if retired {
		return ErrHandleTaken
	}
	return nil
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
// member's old ones, spent or not, after checking their password, and
// returns them in clear, once. Their sessions stay: nothing here says
// anyone else has them.
func (s *Service) RenewRecoveryCodes(ctx context.Context, p *store.Principal, password string) ([]string, error) {
	m, err := s.checkOwnPassword(ctx, p, password)
	if err != nil {
		return nil, err
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
// take the same time and give the same answer. devices are the device
// cookies the browser sent (see Devices).
func (s *Service) Login(ctx context.Context, handle, password string, devices []string) (*Grant, error) {
	var m *store.Member
	err := s.guess(handle, devices, ErrInvalidCredentials, func() (err error) {
		m, err = s.verifyPassword(ctx, handle, password)
		return err
	})
	if err != nil {
		return nil, err
	}
	if m.Status == store.StatusBanned {
		return nil, ErrBanned
	}
	g, err := s.startSession(ctx, m)
	if err != nil {
		return nil, err
	}
	g.Device = s.devices.issue(m.Handle)
	return g, nil
}

// guess runs one attempt at a handle's secret (a password, a recovery
// code), throttling failures, which fail with wrong. A browser with a
// device cookie for the handle counts against a limit of its own; anyone
// else counts against the handle's, so strangers' guesses slow each other
// down without locking the owner out. The attempt takes its slot before it
// runs and gets it back unless it failed as a guess: counting afterwards
// would let any number of concurrent guesses through a check none of them
// had been counted in.
func (s *Service) guess(handle string, devices []string, wrong error, attempt func() error) error {
	lim, key := s.failures, strings.ToLower(handle)
	if nonce, ok := s.devices.verify(handle, devices); ok {
		lim, key = s.deviceFailures, nonce
	}
	if ok, wait := lim.Allow(key); !ok {
		return apperr.TooMany(wait)
	}
	err := attempt()
	if !errors.Is(err, wrong) {
		// Success, or a failure that was no guess (busy, store trouble).
		lim.Refund(key)
	}
	return err
}

// checkOwnPassword verifies the password of the signed-in member before a
// change only they may make. It is not throttled per handle: only the
// holder of a session gets here, and the routes that call it have a
// tight limit of their own per member.
func (s *Service) checkOwnPassword(ctx context.Context, p *store.Principal, password string) (*store.Member, error) {
	m, err := s.verifyPassword(ctx, p.Handle, password)
	if err != nil {
		return nil, err
	}
	if m.ID != p.MemberID {
		return nil, apperr.ErrUnauthenticated
	}
	return m, nil
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
	access, err := s.issue(ctx, m.ID, sess.ID, now)
	if err != nil {
		return nil, err
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
// the code and ends every other session. Wrong codes count as guesses, as
// wrong passwords do.
func (s *Service) Recover(ctx context.Context, handle, code, newPassword string, devices []string) (*Grant, error) {
	var g *Grant
	err := s.guess(handle, devices, ErrInvalidRecovery, func() (err error) {
		g, err = s.recover(ctx, handle, code, newPassword)
		return err
	})
	if err != nil {
		return nil, err
	}
	g.Device = s.devices.issue(g.Member.Handle)
	return g, nil
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
	if _, err := s.checkOwnPassword(ctx, p, current); err != nil {
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
// data key is destroyed, so nothing they wrote can be opened again, and
// they leave every list of those who muted or blocked them.
func (s *Service) Erase(ctx context.Context, p *store.Principal, password string) error {
	m, err := s.checkOwnPassword(ctx, p, password)
	if err != nil {
		return err
	}
	err = s.st.EraseMember(ctx, m.ID, s.retired.hash(m.Handle), s.now(), s.lists)
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

// ActorOf is who the principal of a session acts as: a suspension counts
// until its time is up, by the service clock.
func (s *Service) ActorOf(p *store.Principal) kernel.Actor {
	suspended := p.Status == store.StatusSuspended && (p.SuspendedUntil == nil || p.SuspendedUntil.After(s.now()))
	return kernel.Actor{ID: p.MemberID, Role: p.Role, Handle: p.Handle, DataKeyID: p.DataKeyID, Safety: p.Safety, Suspended: suspended}
}

// Authenticate turns a bearer token into the principal of a live session.
func (s *Service) Authenticate(ctx context.Context, bearer string) (*store.Principal, error) {
	tokens := s.signing.current()
	memberID, sessionID, err := tokens.Parse(bearer)
	if err != nil {
		// Another process may have replaced the signing key.
		var changed bool
		if tokens, changed = s.signing.recheck(ctx); !changed {
			return nil, apperr.ErrUnauthenticated
		}
		if memberID, sessionID, err = tokens.Parse(bearer); err != nil {
			return nil, apperr.ErrUnauthenticated
		}
	}
	now := s.now()
	p, err := s.st.LiveSession(ctx, sessionID, signingSecret, now, now.Add(-IdleTTL))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.ErrUnauthenticated
	}
	if err != nil {
		return nil, apperr.Internal(err)
	}
	if !p.SigningKeyAt.Equal(tokens.version) {
		// The key was replaced: the token must verify under the new one,
		// which a token signed before the rotation never does.
		if tokens, err = s.signing.at(ctx, p.SigningKeyAt); err != nil {
			return nil, apperr.Internal(err)
		}
		if _, _, err := tokens.Parse(bearer); err != nil {
			return nil, apperr.ErrUnauthenticated
		}
	}
	if p.MemberID != memberID || p.Status == store.StatusBanned {
		return nil, apperr.ErrUnauthenticated
	}
	return p, nil
}

// issue signs an access token with the key the store has now.
func (s *Service) issue(ctx context.Context, memberID, sessionID string, now time.Time) (string, error) {
	tokens, err := s.signing.fresh(ctx)
	if err != nil {
		return "", apperr.Internal(err)
	}
	access, err := tokens.Issue(memberID, sessionID, now)
	if err != nil {
		return "", apperr.Internal(err)
	}
	return access, nil
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
	access, err := s.issue(ctx, m.ID, sess.ID, now)
	if err != nil {
		return nil, err
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

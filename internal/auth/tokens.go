package auth

import (
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Access-token settings.
const (
	AccessTTL      = 15 * time.Minute
	issuer         = "hearth"
	audience       = "hearth-api"
	accessType     = "access"
	maxTokenLength = 4096
	leeway         = 30 * time.Second
)

// errBadToken covers every way a bearer token can be wrong. Callers learn
// nothing more, and neither does the client.
var errBadToken = errors.New("auth: bad access token")

// claims of an access token. Typ keeps it apart from any other token we may
// sign; Sid ties it to a session that is checked on every request.
type claims struct {
	jwt.RegisteredClaims
	Typ string `json:"typ"`
	Sid string `json:"sid"`
}

// Tokens signs and checks access tokens with one HS256 key.
type Tokens struct {
	key    []byte
	parser *jwt.Parser
	// version is when the key was made, as the store has it.
	version time.Time
}

// NewTokens uses key (at least 32 bytes) to sign.
func NewTokens(key []byte) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: token key must be at least 256 bits")
	}
	return &Tokens{
		key: key,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithLeeway(leeway),
		),
	}, nil
}

// Issue signs an access token for a member's session.
func (t *Tokens) Issue(memberID, sessionID string, now time.Time) (string, error) {
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Audience:  jwt.ClaimStrings{audience},
			Subject:   memberID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTTL)),
		},
		Typ: accessType,
		Sid: sessionID,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
}

// Parse checks an access token and returns its member and session ids.
func (t *Tokens) Parse(token string) (memberID, sessionID string, err error) {
	if len(token) > maxTokenLength {
		return "", "", errBadToken
	}
	var c claims
	_, err = t.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil })
	if err != nil || c.Typ != accessType || c.Sid == "" || c.Subject == "" || c.IssuedAt == nil {
		return "", "", errBadToken
	}
	// A token that claims to live longer than we ever issue was not made
	// by us, whatever its signature says (a leaked key, say): refuse it.
	if c.ExpiresAt.Sub(c.IssuedAt.Time) > AccessTTL {
		return "", "", errBadToken
	}
	return c.Subject, c.Sid, nil
}

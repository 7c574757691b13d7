package auth

import (
	"context"
	"errors"

	"hearth/internal/apperr"
	"hearth/internal/kernel"
	"hearth/internal/store"
)

// Account names a member to create: handle and role.
type Account struct{ Handle, Role string }

// CreateDemoMembers makes accounts that share one published password, for
// demo content only: the password is hashed once and the hash shared (a
// shared salt costs nothing for a password the README publishes), and no
// recovery codes are made. Seeding stays quick even under the race
// detector.
func (s *Service) CreateDemoMembers(ctx context.Context, password string, accounts []Account) (map[string]*store.Member, error) {
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return nil, hashErr(err)
	}
	out := make(map[string]*store.Member, len(accounts))
	for _, a := range accounts {
		if !kernel.ValidRole(a.Role) {
			return nil, kernel.ErrInvalidRole
		}
		h, err := CanonicalHandle(a.Handle)
		if err != nil {
			return nil, err
		}
		if err := s.notRetired(ctx, h); err != nil {
			return nil, err
		}
		keyID, wrapped, err := s.keys.NewDataKey()
		if err != nil {
			return nil, apperr.Internal(err)
		}
		now := s.now()
		// The demo's people have been part of Hearth for a season, as the
		// stories they tell say: long enough to offer to mentor.
		m := &store.Member{ID: store.NewID(), Handle: h, Role: a.Role, PasswordHash: hash, Status: store.StatusActive, CreatedAt: now.AddDate(0, -3, 0)}
		if err := s.st.CreateMember(ctx, m, nil, &store.DataKey{ID: keyID, Wrapped: wrapped, CreatedAt: now}); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return nil, ErrHandleTaken
			}
			return nil, apperr.Internal(err)
		}
		out[h] = m
	}
	return out, nil
}

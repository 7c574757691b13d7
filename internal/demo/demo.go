// Package demo fills an empty store with demo accounts, so a newcomer who
// runs `make run` can sign in at once. It never touches a store that holds
// members.
package demo

import (
	"context"
	"fmt"

	"hearth/internal/auth"
	"hearth/internal/store"
)

// Password is every demo account's password; the README lists it.
const Password = "hearth demo passphrase"

// Accounts are the demo sign-ins, by handle and role.
var Accounts = []struct{ Handle, Role string }{
	{"maple", auth.RoleMember},
	{"heron", auth.RoleModerator},
	{"juniper", auth.RoleAdmin},
}

// Seed creates the demo accounts when the store has no members. It reports
// whether it did.
func Seed(ctx context.Context, st *store.Store, svc *auth.Service) (bool, error) {
	n, err := st.CountMembers(ctx)
	if err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	for _, a := range Accounts {
		if _, _, err := svc.CreateMember(ctx, a.Handle, Password, a.Role); err != nil {
			return false, fmt.Errorf("demo account %s: %w", a.Handle, err)
		}
	}
	return true, nil
}

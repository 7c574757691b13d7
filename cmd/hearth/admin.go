package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"hearth/internal/apperr"
	"hearth/internal/config"
	"hearth/internal/kernel"
)

func admin(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fail(exitUsage, "admin needs a subcommand: create-member or set-role")
	}
	var cfg config.Config
	var handle, role string
	fs := flag.NewFlagSet("admin "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg.Common(fs)
	fs.StringVar(&handle, "handle", "", "the member's handle")
	fs.StringVar(&role, "role", "", "member, moderator or admin")
	if err := cfg.Parse(fs, args[1:]); err != nil {
		return fail(exitUsage, "%v", err)
	}
	// The role is checked (by the service's own rule) before anything is
	// opened, so a typo cannot leave a new store or key behind.
	if handle == "" || !kernel.ValidRole(role) {
		return fail(exitUsage, "admin %s needs --handle and --role (member, moderator or admin)", args[0])
	}
	ctx := context.Background()
	switch args[0] {
	case "create-member":
		password, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		// Creating the first admin may also create the store and its key.
		kr, st, err := openStoreAndKeys(ctx, &cfg)
		if err != nil {
			return err
		}
		defer st.Close()
		svc, err := buildServices(ctx, &cfg, st, kr)
		if err != nil {
			return err
		}
		m, codes, err := svc.Auth.CreateMember(ctx, handle, password, role)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "created %s (%s)\nrecovery codes, each works once; give them to the member:\n  %s\n", m.Handle, m.Role, strings.Join(codes, "\n  "))
	case "set-role":
		st, err := openStore(ctx, &cfg, false)
		if err != nil {
			return err
		}
		defer st.Close()
		kr, err := openKeyring(&cfg)
		if err != nil {
			return err
		}
		// The same rule and log entry as PUT /admin/members/{handle}/role,
		// with the operator as the actor.
		svc, err := buildServices(ctx, &cfg, st, kr)
		if err != nil {
			return err
		}
		if err := svc.Moderation.SetRole(ctx, kernel.Operator, handle, role); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s is now %s\n", strings.ToLower(handle), role)
	default:
		return fail(exitUsage, "unknown admin subcommand %q", args[0])
	}
	return nil
}

// readPassword takes HEARTH_PASSWORD, or asks without echo on a terminal, or
// reads one line from a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if p, ok := os.LookupEnv("HEARTH_PASSWORD"); ok {
		return p, nil
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password (15 or more characters): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns a service error into words for the operator.
func describe(err error) error {
	if e, ok := apperr.As(err); ok && e.Status < 500 {
		return fail(exitFailure, "%s", e.Detail)
	}
	return err
}

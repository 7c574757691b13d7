// Command hearth runs the Hearth server and its operator commands.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes, so scripts can tell a typo from a key problem.
const (
	exitFailure = 1
	exitUsage   = 2
	exitKey     = 3
	exitStore   = 4
)

// exitError carries an exit code with a message for the operator.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func fail(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

const usage = `hearth: a confidential forum for recovery support groups

Usage:
  hearth serve [flags]                               run the server
  hearth admin create-member --handle H --role R     create a member (password from HEARTH_PASSWORD or a prompt)
  hearth admin set-role --handle H --role R          change a member's global role
  hearth keys rotate                                 new master key; re-wrap every data key (server may run)
  hearth keys retire ID                              destroy a retired master key for good
  hearth keys rotate-signing                         new token-signing key: every access token dies, sessions refresh
  hearth backup --out FILE                           a consistent copy of the store (server may run)
  hearth version                                     print the version

Run "hearth COMMAND -h" for a command's flags. Every flag also reads HEARTH_<FLAG>.
`

func main() {
	// Before anything is created: the store, its WAL and backups hold
	// everything members wrote.
	restrictUmask()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(args[1:], stderr)
	case "admin":
		err = admin(args[1:], stdin, stdout, stderr)
	case "keys":
		err = keys(args[1:], stdout, stderr)
	case "backup":
		err = backup(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "hearth %s\n", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "hearth: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "hearth: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitFailure
}

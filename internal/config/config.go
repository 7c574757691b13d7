// Package config turns command-line flags and HEARTH_* environment variables
// into one Config. A flag given on the command line wins over the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything `hearth serve` and the other commands are told.
type Config struct {
	Addr            string
	DataDir         string
	Database        string // empty: SQLite at <DataDir>/hearth.db
	Demo            bool
	MemberWriteRate int // writes a member may make a minute; 0: no cap
	AuthRate        int // auth attempts a client address may make a minute; 0: no cap
	SearchRate      int // searches a member may make a minute; 0: no cap
	CheckRate       int // text checks a member may ask for a minute; 0: no cap
	TrustedProxies  []netip.Prefix
	LogFormat       string
	ShutdownTimeout time.Duration
	CrisisPhrases   string
	CrisisResources string
	// QueueTargetCrisis is how soon someone should be with a member who
	// wrote in crisis; QueueTarget how soon any other item is decided.
	QueueTargetCrisis time.Duration
	QueueTarget       time.Duration
	// MentorMinDays is how old an account must be to offer to mentor.
	MentorMinDays int
	MasterKey     string // base64, from HEARTH_MASTER_KEY only: never a flag, so it stays out of ps
}

// Common registers the flags every command takes.
func (c *Config) Common(fs *flag.FlagSet) {
	fs.StringVar(&c.DataDir, "data-dir", "./data", "directory for the SQLite store and master key")
	fs.StringVar(&c.Database, "database", "", "postgres://… DSN; empty uses SQLite in the data directory")
}

// Serve registers the flags of `hearth serve`.
func (c *Config) Serve(fs *flag.FlagSet) {
	c.Common(fs)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.BoolVar(&c.Demo, "demo", false, "fill an empty store with demo circles, members and stories")
	fs.IntVar(&c.MemberWriteRate, "member-write-rate", 30, "changes one member may make a minute: stories, replies, flags, edits, support, joining… (0: no cap)")
	fs.IntVar(&c.AuthRate, "auth-rate", 20, "sign-up, sign-in, recovery and refresh attempts per client address a minute (0: no cap)")
	fs.IntVar(&c.SearchRate, "search-rate", 30, "searches one member may make a minute (0: no cap)")
	fs.IntVar(&c.CheckRate, "check-rate", 120, "checks of a draft before posting one member may ask for a minute (0: no cap)")
	fs.Func("trusted-proxies", "comma-separated CIDRs whose X-Forwarded-For is believed", func(s string) error {
		p, err := ParseCIDRs(s)
		c.TrustedProxies = p
		return err
	})
	fs.StringVar(&c.LogFormat, "log-format", "text", "log format: text or json")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 10*time.Second, "how long a stop waits for requests in flight")
	fs.StringVar(&c.CrisisPhrases, "crisis-phrases", "", "file of crisis phrases, one a line, replacing the built-in list")
	fs.StringVar(&c.CrisisResources, "crisis-resources", "", "JSON file {message, resources: [{name, contact}]}")
	fs.DurationVar(&c.QueueTargetCrisis, "queue-target-crisis", 15*time.Minute, "how soon a crisis in the queue should have someone with the writer; past it every moderator is called")
	fs.DurationVar(&c.QueueTarget, "queue-target", 24*time.Hour, "how soon any other queue item should be decided")
	fs.IntVar(&c.MentorMinDays, "mentor-min-days", 30, "how many days old an account must be to offer to mentor")
}

// Parse parses args, then fills every flag not given from HEARTH_<FLAG>.
func (c *Config) Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		env := EnvName(f.Name)
		if v, ok := os.LookupEnv(env); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", env, err))
			}
		}
	})
	c.MasterKey = os.Getenv("HEARTH_MASTER_KEY")
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return c.validate(fs)
}

func (c *Config) validate(fs *flag.FlagSet) error {
	if c.MemberWriteRate < 0 || c.AuthRate < 0 || c.SearchRate < 0 || c.CheckRate < 0 {
		return errors.New("rates must be 0 or more")
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("--log-format must be text or json")
	}
	if c.ShutdownTimeout < 0 {
		return errors.New("--shutdown-timeout must not be negative")
	}
	if fs.Lookup("queue-target") != nil && (c.QueueTargetCrisis < time.Minute || c.QueueTarget < time.Minute) {
		return errors.New("--queue-target-crisis and --queue-target must be a minute or more")
	}
	if c.Demo && !LoopbackAddr(c.Addr) {
		return fmt.Errorf("--demo makes accounts whose password is published in the README, so it serves only on a loopback address (127.0.0.1, ::1 or localhost), not %q", c.Addr)
	}
	return nil
}

// LoopbackAddr reports whether a listen address (host:port) is reachable
// from this machine only: 127.0.0.0/8, ::1 or localhost. An empty host
// listens everywhere.
func LoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// EnvName is the environment variable that stands for a flag.
func EnvName(flagName string) string {
	return "HEARTH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ParseCIDRs reads "10.0.0.0/8, 192.168.1.7" into prefixes; a bare address is
// a prefix of one.
func ParseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// SQLitePath is where the embedded store lives.
func (c *Config) SQLitePath() string {
	return filepath.Join(c.DataDir, "hearth.db")
}

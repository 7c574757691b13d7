package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Serve(fs)
	return &c, c.Parse(fs, args)
}

func TestDefaults(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || c.MemberWriteRate != 30 || c.AuthRate != 20 || c.ShutdownTimeout != 10*time.Second || c.LogFormat != "text" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlagPrecedence(t *testing.T) {
	t.Setenv("HEARTH_ADDR", "127.0.0.1:9999")
	t.Setenv("HEARTH_AUTH_RATE", "5")
	t.Setenv("HEARTH_MEMBER_WRITE_RATE", "0")
	t.Setenv("HEARTH_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7")
	t.Setenv("HEARTH_DEMO", "true")
	t.Setenv("HEARTH_SHUTDOWN_TIMEOUT", "3s")
	t.Setenv("HEARTH_MASTER_KEY", "a2V5")
	c, err := parse(t, "--auth-rate", "7")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.AuthRate != 7 || c.MemberWriteRate != 0 || !c.Demo || c.ShutdownTimeout != 3*time.Second || c.MasterKey != "a2V5" {
		t.Fatalf("config = %+v", c)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.7/32" {
		t.Fatalf("trusted proxies = %v", c.TrustedProxies)
	}
}

func TestBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--auth-rate", "-1"},
		{"--log-format", "xml"},
		{"--trusted-proxies", "10.0.0.0/33"},
		{"--trusted-proxies", "example.com"},
		{"--shutdown-timeout", "soon"},
	} {
		if _, err := parse(t, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	t.Setenv("HEARTH_MEMBER_WRITE_RATE", "many")
	if _, err := parse(t); err == nil {
		t.Error("bad HEARTH_MEMBER_WRITE_RATE accepted")
	}
}

// --demo publishes its accounts' password, so it serves on loopback only.
func TestDemoOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.53:80": true, "[::1]:8080": true, "localhost:8080": true, "LOCALHOST:1": true,
		"0.0.0.0:8080": false, ":8080": false, "[::]:8080": false, "192.168.1.5:8080": false, "example.com:80": false,
		"[::ffff:10.0.0.1]:80": false, "127.0.0.1": false,
	} {
		_, err := parse(t, "--demo", "--addr", addr)
		if ok && err != nil {
			t.Errorf("--demo --addr %s refused: %v", addr, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "loopback")) {
			t.Errorf("--demo --addr %s: %v, want a refusal naming loopback", addr, err)
		}
		if _, err := parse(t, "--addr", addr); err != nil {
			t.Errorf("--addr %s without --demo refused: %v", addr, err)
		}
	}
}

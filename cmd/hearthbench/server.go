package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Timeouts of the server's life cycle.
const (
	readyTimeout = 20 * time.Second
	// stopTimeout is longer than serve's default --shutdown-timeout (10 s),
	// so a graceful stop is never cut short by us.
	stopTimeout = 15 * time.Second
	rssInterval = 200 * time.Millisecond
)

// server is a hearth process the benchmark started on a store of its own
// in a temp dir, so every run measures a fresh store.
type server struct {
	base   string // http://127.0.0.1:port
	dir    string
	ownDir bool   // stop removes dir (unless keep); a process sharing it does not
	dbDSN  string // --database, "" for SQLite in dir
	keep   bool
	stderr io.Writer
	cmd    *exec.Cmd
	logf   *os.File
	rss    *rssPoller

	exited  chan struct{} // closed once the process has exited
	waitErr error         // why it exited; read only after exited is closed
	once    sync.Once
}

// freeAddr finds a port nobody listens on. There is a small window in which
// another process could take it; for a benchmark on one machine that is fine.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

// startServer runs `bin serve` on the store in dir with the rate limits off
// (the benchmark measures the server's speed, not its limits) and waits
// until it answers /readyz. The server then owns dir: stop removes it
// unless keep.
func startServer(ctx context.Context, bin, dir string, keep bool, stderr io.Writer) (*server, error) {
	s, err := startServerWith(ctx, bin, dir, "", "server.log", keep, stderr)
	if err != nil {
		return nil, err
	}
	s.ownDir = true
	return s, nil
}

// startServerWith is startServer for a dir the caller keeps, which holds
// the master key and logName, and database ("": SQLite in dir) is a
// PostgreSQL DSN.
func startServerWith(ctx context.Context, bin, dir, database, logName string, keep bool, stderr io.Writer) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, logName))
	if err != nil {
		return nil, err
	}
	// No rate caps (the rows measure the store), and an account may offer
	// to mentor on its first day (the seeded members are new).
	args := []string{"serve", "--addr", addr, "--data-dir", dir, "--auth-rate", "0", "--member-write-rate", "0", "--search-rate", "0",
		"--check-rate", "0", "--mentor-min-days", "0"}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = serverEnv()
	return startProcess(ctx, cmd, addr, database, logf, keep, stderr)
}

// startProcess starts cmd, a server that will listen on addr and write its
// log to logf, and waits until it answers /readyz; from then on its memory
// is followed, as a hearth server's is.
func startProcess(ctx context.Context, cmd *exec.Cmd, addr, database string, logf *os.File, keep bool, stderr io.Writer) (*server, error) {
	cmd.Stdout, cmd.Stderr = logf, logf
	s := &server{base: "http://" + addr, dir: filepath.Dir(logf.Name()), dbDSN: database, keep: keep, stderr: stderr, cmd: cmd, logf: logf, exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		tail := s.logTail(20)
		s.stop()
		return nil, fmt.Errorf("%w; server log:\n%s", err, tail)
	}
	s.rss = startRSS(cmd.Process.Pid)
	return s, nil
}

// serverEnv is our environment without HEARTH_* variables: every serve flag
// also reads HEARTH_<FLAG>, and a HEARTH_DATABASE or HEARTH_MASTER_KEY left in
// the shell would point the benchmark at a store that is not its own.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEARTH_") {
			env = append(env, kv)
		}
	}
	return env
}

// waitReady polls /readyz until it answers 200, the process dies, or
// readyTimeout passes.
func (s *server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("server exited before it was ready: %v", s.waitErr)
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("server not ready within %v", readyTimeout)
			}
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop ends the server gracefully (SIGTERM, then SIGKILL after stopTimeout)
// and removes its temp dir unless --keep. It is safe to call more than once.
func (s *server) stop() {
	s.once.Do(func() {
		if s.rss != nil {
			s.rss.close()
		}
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(stopTimeout):
				fmt.Fprintf(s.stderr, "hearthbench: server did not stop within %v; killing it\n", stopTimeout)
				s.cmd.Process.Kill()
				<-s.exited
			}
		}
		s.logf.Close()
		if !s.ownDir {
			return
		}
		if s.keep {
			fmt.Fprintf(s.stderr, "hearthbench: kept %s (server.log, store)\n", s.dir)
			return
		}
		if err := os.RemoveAll(s.dir); err != nil {
			fmt.Fprintf(s.stderr, "hearthbench: remove %s: %v\n", s.dir, err)
		}
	})
}

// idleWait is how long a freshly started server is left alone before its
// idle memory is read: start-up work (the migrations' check, a first
// argon2id hash) is over, and the runtime has begun to return what it freed.
const idleWait = 5 * time.Second

// idleKB is the server's resident memory after idleWait without requests.
func (s *server) idleKB(ctx context.Context) (int64, error) {
	if err := sleep(ctx, idleWait); err != nil {
		return 0, err
	}
	rss, _, err := readMemKB(s.cmd.Process.Pid)
	return rss, err
}

// A row cut off at its end leaves requests in flight (at a million stories
// a request can outlast the row), and the server may go on working on them
// after the client has gone. So that they never land in the next row's
// numbers, it starts only once the server's CPU time grows by at most
// quietTicks in a quietWindow, or after quietMax.
const (
	quietWindow = 500 * time.Millisecond
	quietTicks  = 2 // of USER_HZ (100 a second on Linux): 4% of one core
	quietMax    = 2 * time.Minute
)

// waitQuiet waits until the server is idle, as above; where /proc cannot
// be read it does not wait.
func (s *server) waitQuiet(ctx context.Context) error {
	start := time.Now()
	last, err := cpuTicks(s.cmd.Process.Pid)
	if err != nil {
		return nil
	}
	for time.Since(start) < quietMax {
		if err := sleep(ctx, quietWindow); err != nil {
			return err
		}
		now, err := cpuTicks(s.cmd.Process.Pid)
		if err != nil {
			return nil
		}
		if now-last <= quietTicks {
			if waited := time.Since(start); waited > 2*quietWindow {
				fmt.Fprintf(s.stderr, "hearthbench: waited %.1fs for the server to finish the last row's requests\n", waited.Seconds())
			}
			return nil
		}
		last = now
	}
	fmt.Fprintf(s.stderr, "hearthbench: the server is still busy after %v; going on\n", quietMax)
	return nil
}

// cpuTicks is the user and system CPU time a process has used, in USER_HZ
// ticks, from /proc/<pid>/stat.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces; the fields after
	// it start with the state, so utime and stime are the 12th and 13th.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("no command name in /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	var ticks int64
	for _, v := range f[11:13] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return ticks, nil
}

// createAdmin makes an admin in the server's store with `hearth admin
// create-member`, which works while serve runs.
func (s *server) createAdmin(ctx context.Context, handle, password string) error {
	args := []string{"admin", "create-member", "--data-dir", s.dir, "--handle", handle, "--role", "admin"}
	if s.dbDSN != "" {
		args = append(args, "--database", s.dbDSN)
	}
	cmd := exec.CommandContext(ctx, s.cmd.Path, args...)
	cmd.Env = append(serverEnv(), "HEARTH_PASSWORD="+password)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("hearth admin create-member: %v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// logTail is the end of server.log, to explain a server that would not start.
func (s *server) logTail(n int) string {
	b, err := os.ReadFile(s.logf.Name())
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// rssPoller follows the server's resident memory so each row can report its
// own peak. Sampling VmRSS every rssInterval can miss a short spike between
// samples, so where the kernel lets us reset the high-water mark
// (clear_refs 5) it also reads VmHWM, which catches every spike.
type rssPoller struct {
	pid  int
	done chan struct{}
	wg   sync.WaitGroup

	mu       sync.Mutex
	maxKB    int64
	hwmReset bool // VmHWM was reset at the row's start and so is the row's own
}

func startRSS(pid int) *rssPoller {
	p := &rssPoller{pid: pid, done: make(chan struct{})}
	p.wg.Go(func() {
		t := time.NewTicker(rssInterval)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.sample()
			}
		}
	})
	return p
}

func (p *rssPoller) sample() {
	rss, _, err := readMemKB(p.pid)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.maxKB = max(p.maxKB, rss)
	p.mu.Unlock()
}

// reset starts a new row: the peak so far belongs to the rows before.
func (p *rssPoller) reset() {
	ok := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0) == nil
	p.mu.Lock()
	p.maxKB, p.hwmReset = 0, ok
	p.mu.Unlock()
	p.sample()
}

// peakKB is the highest resident size since reset, or -1 if /proc could not
// be read at all (not Linux, say).
func (p *rssPoller) peakKB() int64 {
	p.sample()
	p.mu.Lock()
	defer p.mu.Unlock()
	peak := p.maxKB
	if p.hwmReset {
		if _, hwm, err := readMemKB(p.pid); err == nil {
			peak = max(peak, hwm)
		}
	}
	if peak == 0 {
		return -1
	}
	return peak
}

func (p *rssPoller) close() {
	close(p.done)
	p.wg.Wait()
}

// readMemKB reads VmRSS and VmHWM (in KiB) from /proc/<pid>/status.
func readMemKB(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %q: %w", key, val, err)
		}
		if key == "VmRSS" {
			rss = n
		} else {
			hwm = n
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc status")
	}
	return rss, hwm, nil
}

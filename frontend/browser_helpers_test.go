package frontend_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// demoPassword signs in every demo account (internal/demo).
const demoPassword = "hearth demo passphrase"

var (
	baseURL    string
	browserCtx context.Context
	skipReason string
	axeSource  string
	uniq       atomic.Int64
	// dataDir is the server's data directory: a test that must move time
	// on for one row (no flag makes a queue target shorter than a minute)
	// changes it in the store there.
	dataDir string
)

// TestMain builds hearth, serves a demo store in a temporary directory, and
// starts one headless Chromium for every browser test. Without Chromium the
// tests skip, unless CI is set: then they fail.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func findChromium() string {
	if p := os.Getenv("HEARTH_CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func run(m *testing.M) int {
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") != "" {
			fmt.Fprintln(os.Stderr, "browser tests: Chromium was not found and CI is set, so they fail rather than skip; install it with `apt-get install -y chromium` or set HEARTH_CHROMIUM")
			return 1
		}
		skipReason = "Chromium was not found: browser tests skipped (install it with `apt-get install -y chromium`, or set HEARTH_CHROMIUM)"
		return m.Run()
	}
	axe, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests: read axe-core:", err)
		return 1
	}
	axeSource = string(axe)

	tmp, err := os.MkdirTemp("", "hearth-browser-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	stop, err := serve(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		return 1
	}
	defer stop()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "browser tests: start Chromium:", err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// serve builds the binary (or takes HEARTH_TEST_BINARY, one built
// already) and runs `hearth serve --demo` on a free port.
func serve(dir string) (func(), error) {
	bin := os.Getenv("HEARTH_TEST_BINARY")
	if bin == "" {
		bin = filepath.Join(dir, "hearth")
		goTool := "go"
		if p, err := exec.LookPath("go"); err == nil {
			goTool = p
		} else if root := os.Getenv("GOROOT"); root != "" {
			goTool = filepath.Join(root, "bin", "go")
		}
		build := exec.Command(goTool, "build", "-o", bin, "../cmd/hearth")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("build hearth: %w", err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	data := filepath.Join(dir, "data")
	dataDir = data
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--data-dir", data, "--demo", "--auth-rate", "0", "--member-write-rate", "0", "--check-rate", "0",
		// New accounts offer to mentor in the mentorship test.
		"--mentor-min-days", "0")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// The server reads HEARTH_* from the environment; the test's own
	// flags and data directory are all it gets.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HEARTH_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logFile.Close()
	}
	baseURL = "http://" + addr
	deadline := time.Now().Add(120 * time.Second)
	for {
		res, err := http.Get(baseURL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return stop, nil
			}
		}
		select {
		case <-done:
			log, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("hearth serve exited early:\n%s", log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return nil, errors.New("hearth serve did not become ready in time")
		}
	}
}

// tab is one person's browser: its own browser context, so cookies and
// sessions are never shared with another tab.
type tab struct {
	t       *testing.T
	ctx     context.Context
	dialogs atomic.Int32
	mu      sync.Mutex
	errors  []string
}

// newTab opens a fresh browser context. Any JavaScript dialog (alert,
// confirm, prompt) that opens is counted and dismissed.
func newTab(t *testing.T) *tab {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			b.dialogs.Add(1)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*runtime.EventExceptionThrown); ok {
			b.mu.Lock()
			b.errors = append(b.errors, ev.ExceptionDetails.Text+" "+exceptionDescription(ev.ExceptionDetails))
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	// Every page records what its Content-Security-Policy refused.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample || '')));`,
	}); err != nil {
		t.Fatalf("watch for CSP violations: %v", err)
	}
	t.Cleanup(func() {
		b.checkCSP()
		b.mu.Lock()
		defer b.mu.Unlock()
		for _, e := range b.errors {
			t.Errorf("uncaught exception in the page: %s", e)
		}
	})
	b.viewport(1280, 900)
	return b
}

// checkCSP fails the test when the page's Content-Security-Policy refused
// anything: no inline script or style, nothing from elsewhere.
func (b *tab) checkCSP() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || []`))
	if err != nil {
		return
	}
	for _, s := range v {
		b.t.Errorf("the Content-Security-Policy refused: %s", s)
	}
}

func exceptionDescription(d *runtime.ExceptionDetails) string {
	if d != nil && d.Exception != nil {
		return d.Exception.Description
	}
	return ""
}

// do runs steps with a timeout, failing the test on error.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates JavaScript and decodes its result (promises awaited).
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// viewport sets the size of the page; phones get mobile emulation.
func (b *tab) viewport(w, h int64) {
	b.t.Helper()
	if w < 600 {
		b.do("viewport", chromedp.EmulateViewport(w, h, chromedp.EmulateMobile))
		return
	}
	b.do("viewport", chromedp.EmulateViewport(w, h))
}

// open loads path as a fresh page and waits until the app has drawn it.
func (b *tab) open(path string) {
	b.t.Helper()
	b.checkCSP()
	b.do("open "+path, chromedp.Navigate(baseURL+path))
	b.settle()
}

// settle waits until the app shows a page: a heading in main, and no
// loading in progress.
func (b *tab) settle() {
	b.t.Helper()
	b.waitJS("the page to settle", `!!document.querySelector('main > .page h1') && !document.querySelector('main[aria-busy]')`)
}

// waitJS polls a JavaScript condition until it holds.
func (b *tab) waitJS(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok := eval[bool](b, "(()=>{try{return !!("+cond+")}catch(e){return false}})()")
		if ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waited for %s; the page says:\n%s", what, b.mainText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// path is the page's path and query.
func (b *tab) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// mainText is what main says, for failure messages.
func (b *tab) mainText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main')||document.body).innerText`))
	if len(s) > 1500 {
		s = s[:1500] + "…"
	}
	return s
}

// axNode is an element found by its role and accessible name.
type axNode struct {
	b  *tab
	id cdp.BackendNodeID
}

// query finds elements by role and exact accessible name, the way
// assistive technology (and tests outside the project) see them, under
// root (0: the whole document). Ignored (hidden, inert) nodes are left out.
func (b *tab) query(root cdp.BackendNodeID, role, name string) ([]axNode, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	var out []axNode
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if root == 0 {
			doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{Depth: new(int64(0))})
			if err != nil {
				return err
			}
			root = doc.Root.BackendNodeID
		}
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
			BackendNodeID: root, AccessibleName: name, Role: role,
		})
		if err != nil {
			return err
		}
		for _, n := range res.Nodes {
			if n.Ignored || n.BackendDOMNodeID == 0 {
				continue
			}
			out = append(out, axNode{b: b, id: n.BackendDOMNodeID})
		}
		return nil
	}))
	return out, err
}

// all waits for at least one element with role and name, and returns them.
func (b *tab) all(role, name string) []axNode {
	b.t.Helper()
	return b.allIn(0, role, name)
}

func (b *tab) allIn(root cdp.BackendNodeID, role, name string) []axNode {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		nodes, err := b.query(root, role, name)
		if err != nil {
			b.t.Fatalf("find %s %q: %v", role, name, err)
		}
		if len(nodes) > 0 {
			return nodes
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("no %s named %q on %s; the page says:\n%s", role, name, b.path(), b.mainText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// get waits for the one element with role and name.
func (b *tab) get(role, name string) axNode {
	b.t.Helper()
	nodes := b.all(role, name)
	if len(nodes) != 1 {
		b.t.Fatalf("want one %s named %q on %s, found %d", role, name, b.path(), len(nodes))
	}
	return nodes[0]
}

// has reports whether an element with role and name is there now.
func (b *tab) has(role, name string) bool {
	b.t.Helper()
	nodes, err := b.query(0, role, name)
	if err != nil {
		b.t.Fatalf("find %s %q: %v", role, name, err)
	}
	return len(nodes) > 0
}

// in finds the one element with role and name inside n.
func (n axNode) in(role, name string) axNode {
	n.b.t.Helper()
	nodes := n.b.allIn(n.id, role, name)
	if len(nodes) != 1 {
		n.b.t.Fatalf("want one %s named %q inside, found %d", role, name, len(nodes))
	}
	return nodes[0]
}

// call runs a JavaScript function with the element as this.
func callOn[T any](n axNode, fn string, args ...any) T {
	n.b.t.Helper()
	ctx, cancel := context.WithTimeout(n.b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (T, error) {
		var zero T
		obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.id})
		if err != nil {
			return zero, err
		}
		defer func() {
			_, _ = cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.Object.ObjectID})
		}()
		return chromedp.CallFunctionOn[T](fn, func(p *runtime.CallFunctionOnParams) {
			p.ObjectID = obj.Object.ObjectID
			p.AwaitPromise = new(true)
		}, args...)(ctx, t)
	})
	if err != nil {
		n.b.t.Fatalf("call %.60q on an element: %v", fn, err)
	}
	return v
}

// click clicks the element with the mouse, at its centre, as a person would.
func (n axNode) click() {
	n.b.t.Helper()
	n.scroll()
	box := callOn[[]float64](n, `function(){const r=this.getBoundingClientRect();return [r.left+r.width/2, r.top+r.height/2, r.width, r.height]}`)
	if box[2] == 0 || box[3] == 0 {
		n.b.t.Fatalf("the element to click has no size")
	}
	n.b.do("click", chromedp.MouseClickXY(box[0], box[1]))
}

func (n axNode) scroll() {
	n.b.t.Helper()
	callOn[chromedp.Void](n, `function(){this.scrollIntoView({block:'center', inline:'nearest', behavior:'instant'})}`)
}

// fill replaces a field's text by typing it.
func (n axNode) fill(text string) {
	n.b.t.Helper()
	n.scroll()
	callOn[chromedp.Void](n, `function(){this.focus(); this.select && this.select(); if (this.value) { this.value=''; this.dispatchEvent(new Event('input', {bubbles:true})); }}`)
	n.b.do("type", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	}))
}

// choose picks the option with value in a select.
func (n axNode) choose(value string) {
	n.b.t.Helper()
	ok := callOn[bool](n, `function(v){ if (![...this.options].some(o => o.value === v)) return false; this.focus(); this.value = v; this.dispatchEvent(new Event('input', {bubbles:true})); this.dispatchEvent(new Event('change', {bubbles:true})); return true; }`, value)
	if !ok {
		n.b.t.Fatalf("the select has no option %q", value)
	}
}

// attr reads an attribute ("" when absent).
func (n axNode) attr(name string) string {
	n.b.t.Helper()
	return callOn[string](n, `function(a){return this.getAttribute(a) || ''}`, name)
}

// text is the element's rendered text.
func (n axNode) text() string {
	n.b.t.Helper()
	return callOn[string](n, `function(){return this.innerText}`)
}

// closest is the nearest ancestor (or self) matching a CSS selector.
func (n axNode) closest(sel string) axNode {
	n.b.t.Helper()
	ctx, cancel := context.WithTimeout(n.b.ctx, 10*time.Second)
	defer cancel()
	id, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (cdp.BackendNodeID, error) {
		obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.id})
		if err != nil {
			return 0, err
		}
		res, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
			ObjectID:            obj.Object.ObjectID,
			FunctionDeclaration: `function(s){return this.closest(s)}`,
			Arguments:           []*runtime.CallArgument{{Value: mustJSON(sel)}},
		})
		if err != nil {
			return 0, err
		}
		if res.Result.ObjectID == "" {
			return 0, fmt.Errorf("no ancestor matches %s", sel)
		}
		d, err := cdp.Call(ctx, t, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: res.Result.ObjectID})
		if err != nil {
			return 0, err
		}
		return d.Node.BackendNodeID, nil
	})
	if err != nil {
		n.b.t.Fatalf("closest %s: %v", sel, err)
	}
	return axNode{b: n.b, id: id}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// press sends keys (see chromedp/kb) to whatever has focus.
func (b *tab) press(keys string) {
	b.t.Helper()
	b.do("press keys", chromedp.KeyEvent(keys))
}

// focused describes the focused element: its tag, and its text or label.
func (b *tab) focused() string {
	b.t.Helper()
	return eval[string](b, `(()=>{const e=document.activeElement; if(!e) return ''; const l = e.labels && e.labels[0] ? e.labels[0].innerText : ''; return e.tagName.toLowerCase()+':'+(l || e.innerText || e.getAttribute('aria-label') || '').trim()})()`)
}

// handle makes a fresh, valid handle.
func handle(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1_000_000, uniq.Add(1))
}

// signIn signs a demo or test account in through the sign-in page.
func (b *tab) signIn(h, password string) {
	b.t.Helper()
	b.open("/signin")
	b.get("textbox", "Handle").fill(h)
	b.get("textbox", "Password").fill(password)
	b.get("button", "Sign in").click()
	b.waitJS("the circles after signing in", `location.pathname === '/' && document.querySelector('main h1')?.textContent === 'Circles'`)
}

// join makes a new account through /join and saves its codes; it answers
// the recovery codes.
func (b *tab) join(h, password string) []string {
	b.t.Helper()
	b.open("/join")
	b.get("textbox", "Handle").fill(h)
	b.get("textbox", "Password").fill(password)
	b.get("button", "Join").click()
	b.get("button", "I have saved my codes")
	codes := eval[[]string](b, `[...document.querySelectorAll('#recovery-codes code')].map(c => c.textContent)`)
	b.get("button", "I have saved my codes").click()
	b.waitJS("the circles after joining", `location.pathname === '/' && document.querySelector('main h1')?.textContent === 'Circles'`)
	return codes
}

// shareStory shares a story in a circle the member has joined, and
// answers the new story's path.
func (b *tab) shareStory(slug, title, body, warning string) string {
	b.t.Helper()
	b.open("/c/" + slug + "/new")
	b.get("textbox", "Title").fill(title)
	b.get("textbox", "Story").fill(body)
	if warning != "" {
		b.get("textbox", "Content warning").fill(warning)
	}
	b.get("button", "Share").click()
	b.waitJS("the new story", `location.pathname.startsWith('/s/') && !!document.querySelector('main > .page h1')`)
	return b.path()
}

// axeCheck runs axe-core on the page as it is and fails on serious or
// critical violations.
func (b *tab) axeCheck(what string) {
	b.t.Helper()
	if !eval[bool](b, `typeof window.axe === 'object'`) {
		ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: axeSource}); err != nil {
			b.t.Fatalf("inject axe-core: %v", err)
		}
	}
	res := eval[[]string](b, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')))`)
	for _, v := range res {
		b.t.Errorf("axe on %s: %s", what, v)
	}
}

// noSidewaysScroll fails when the page is wider than its viewport.
func (b *tab) noSidewaysScroll(what string) {
	b.t.Helper()
	wide := eval[[]float64](b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	if wide[0] > wide[1] {
		culprits := eval[[]string](b, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)
		b.t.Errorf("%s scrolls sideways at %vpx: content is %vpx wide (%s)", what, wide[1], wide[0], strings.Join(culprits, ", "))
	}
}

// screenshot saves the whole page when HEARTH_SCREENSHOTS names a folder.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("HEARTH_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// darkMode asks the page for prefers-color-scheme: dark (or light), and
// prefers-reduced-motion: reduce with it.
func darkMode(on bool) chromedp.Action[chromedp.Void] {
	scheme, motion := "light", "no-preference"
	if on {
		scheme, motion = "dark", "reduce"
	}
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: scheme},
			{Name: "prefers-reduced-motion", Value: motion},
		}})
		return err
	})
}

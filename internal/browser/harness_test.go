package browser

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/kefuboard/kefuboard/internal/auth"
	"github.com/kefuboard/kefuboard/internal/demoshop"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/web"
)

// The widths every page is screenshotted at: a common laptop and a phone.
const (
	desktopW, desktopH = 1366, 900
	phoneW, phoneH     = 390, 844
)

const (
	testPassword = "browser-demo-pw-1"
	demoShop     = "示例旗舰店"
)

var (
	chromePath string // "" = no browser on this machine
	templateDB string // the demo shop, built once, copied per test
	demoDir    string // the generated exports of the demo shop

	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc
	browserErr    error
)

func TestMain(m *testing.M) {
	chromePath = findChrome()
	if chromePath == "" {
		os.Exit(m.Run()) // every test skips (or fails under KEFUBOARD_REQUIRE_BROWSER=1)
	}
	auth.Cost = bcrypt.MinCost
	dir, err := os.MkdirTemp("", "kefuboard-browser-test")
	if err != nil {
		panic(err)
	}
	templateDB = filepath.Join(dir, "template.db")
	demoDir = filepath.Join(dir, "demo")
	ctx := context.Background()
	st, err := store.Open(ctx, templateDB)
	if err != nil {
		panic(err)
	}
	if _, err := demoshop.Setup(ctx, st, demoshop.Config{Dir: demoDir, Days: 21, Agents: 4, Chats: 12, Password: testPassword}); err != nil {
		panic(err)
	}
	if err := st.Close(); err != nil {
		panic(err)
	}
	code := m.Run()
	if browserCancel != nil {
		browserCancel()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// findChrome looks for Chromium or Chrome: CHROME_PATH first, then the usual names.
func findChrome() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needBrowser skips the test when there is no browser, or fails it when CI
// demands one (KEFUBOARD_REQUIRE_BROWSER=1), so CI cannot pass by skipping.
func needBrowser(t *testing.T) {
	t.Helper()
	if chromePath != "" {
		return
	}
	msg := "no Chromium found (install chromium, or set CHROME_PATH); browser tests skipped"
	if os.Getenv("KEFUBOARD_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " — KEFUBOARD_REQUIRE_BROWSER=1 makes this a failure")
	}
	t.Skip(msg)
}

// browser starts the one headless browser the tests share (each test gets
// its own browser context: separate cookies, separate tabs).
func browser(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromePath),
			chromedp.NoSandbox, // CI containers run as root, where Chrome's sandbox cannot start
			chromedp.DisableGPU,
			chromedp.WindowSize(desktopW, desktopH),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.Flag("hide-scrollbars", true),
		)
		allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		browserCtx = ctx
		browserCancel = func() { cancel(); allocCancel() }
		browserErr = chromedp.Do(ctx) // starts the browser
	})
	if browserErr != nil {
		t.Fatalf("start %s: %v", chromePath, browserErr)
	}
	return browserCtx
}

// env is the real server over a private copy of the demo database,
// listening on 127.0.0.1 at a random port.
type env struct {
	t       *testing.T
	st      *store.Store
	url     string
	dataDir string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	needBrowser(t)
	b, err := os.ReadFile(templateDB)
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	path := filepath.Join(dataDir, "kefuboard.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() && os.Getenv("KEFUBOARD_TEST_LOG") == "1" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv := web.New(web.Config{Store: st, Log: log, DataDir: dataDir, MaxUploadBytes: 64 << 20, LoginRate: 1000})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.App().Listener(ln) }()
	t.Cleanup(func() {
		_ = srv.App().ShutdownWithTimeout(5 * time.Second)
		st.Close()
	})
	return &env{t: t, st: st, url: "http://" + ln.Addr().String(), dataDir: dataDir}
}

// agents returns the demo shop's agents; the agent login is the first.
func (e *env) agents() []store.Agent {
	e.t.Helper()
	ctx := context.Background()
	shop, err := e.st.ShopByName(ctx, demoShop)
	if err != nil {
		e.t.Fatal(err)
	}
	as, err := e.st.Agents(ctx, shop.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return as
}

// agentUser is the agent sign-in's user row (AgentID = the agent they are).
func (e *env) agentUser() *store.User {
	e.t.Helper()
	u, err := e.st.UserByName(context.Background(), demoshop.AgentUser)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// tab is one browser tab in its own browser context (own cookies). It
// records console errors, uncaught exceptions and error entries of the
// browser log (CSP violations, failed loads) of the page it shows.
type tab struct {
	t      *testing.T
	e      *env
	ctx    context.Context
	width  int64
	height int64

	mu       sync.Mutex
	problems []string
}

func (e *env) newTab() *tab {
	e.t.Helper()
	bctx := browser(e.t)
	b := &tab{t: e.t, e: e, width: desktopW, height: desktopH}
	tctx, tcancel := context.WithTimeout(bctx, 3*time.Minute)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.listen))
	e.t.Cleanup(func() { cancel(); tcancel() })
	b.ctx = ctx
	if err := chromedp.Do(ctx, b.viewport()); err != nil {
		e.t.Fatalf("open tab: %v", err)
	}
	return b
}

// listen runs in the tab's event loop: record, return fast, no commands.
func (b *tab) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " "))
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		msg = fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level != cdplog.EntryLevelError || strings.HasSuffix(ev.Entry.URL, "/favicon.ico") {
			return // the browser's own favicon probe is not the page's doing
		}
		msg = fmt.Sprintf("browser log (%s) %s: %s", ev.Entry.Source, ev.Entry.URL, ev.Entry.Text)
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, msg)
	b.mu.Unlock()
}

// takeProblems returns and clears what the console recorded.
func (b *tab) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a JavaScript expression and decodes its value.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	v, err := run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", expr, err)
	}
	return v
}

// run is chromedp.Run that tries again while the page's JavaScript context is
// being replaced. chromedp learns of a new document's execution context from
// an event its target loop handles asynchronously, so right after a
// navigation it can still send the old context's id, and Chromium answers
// "Cannot find context with specified id": nothing ran, the call is safe to
// repeat once the event has been handled. Other errors return at once.
func run[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, err := chromedp.Run(ctx, a)
		if err == nil || !staleContext(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return v, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// staleContext reports the errors of an evaluation sent to a document that is
// gone (see run).
func staleContext(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Cannot find default execution context")
}

func (b *tab) viewport() chromedp.Action[chromedp.Void] { return viewport(b.width, b.height) }

// viewport emulates a window of that size: a phone (mobile, portrait)
// below 700 px.
func viewport(width, height int64) chromedp.Action[chromedp.Void] {
	if width < 700 {
		return chromedp.EmulateViewport(width, height, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	return chromedp.EmulateViewport(width, height)
}

// resize sets the viewport; visit the page again afterwards so the charts
// are laid out for the new width from the start.
func (b *tab) resize(width, height int64) {
	b.t.Helper()
	b.width, b.height = width, height
	b.do("resize", b.viewport())
}

// login signs in through the real form and lands on the home page.
func (b *tab) login(user string) {
	b.t.Helper()
	if status := b.open("/login"); status != 200 {
		b.t.Fatalf("GET /login: status %d", status)
	}
	b.do("sign in as "+user,
		chromedp.SendKeys(chromedp.CSS(`[data-testid="login-form"] #username`), user),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="login-form"] #password`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="login-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="whoami"]`)),
	)
	who := b.text(`[data-testid="whoami"]`)
	if !strings.Contains(who, user) {
		b.t.Fatalf("signed in as %s, whoami says %q", user, who)
	}
	b.noProblems("sign-in as " + user)
}

// open navigates to path, waits for the load event and returns the HTTP
// status of the document (after redirects).
func (b *tab) open(path string) int64 {
	b.t.Helper()
	b.takeProblems()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.e.url+path))
	if err != nil {
		b.t.Fatalf("navigate %s: %v", path, err)
	}
	if resp == nil {
		b.t.Fatalf("navigate %s: no response", path)
	}
	// Wait until the new document itself answers, so the calls that follow
	// run in its context, not in the one the navigation replaced.
	if _, err := run(b.ctx, chromedp.Poll[bool](`document.readyState === 'complete'`,
		chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		b.t.Fatalf("navigate %s: document not ready: %v", path, err)
	}
	return resp.Status
}

// visit opens a page that must load with 200, draw every chart and write
// nothing to the console. It reports a wrong status and goes on (the caller
// may look at other pages); it returns whether the status was 200.
func (b *tab) visit(path string) bool {
	b.t.Helper()
	if status := b.open(path); status != 200 {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
		b.t.Errorf("GET %s: status %d (%.300s)", path, status, text)
		b.takeProblems()
		return false
	}
	b.chartsReady(path)
	b.noProblems(path)
	return true
}

// expectStatus opens path and checks the document's status; the browser's
// own "failed to load resource" line for that document is expected, any
// other console error is not.
func (b *tab) expectStatus(path string, want int64) {
	b.t.Helper()
	if got := b.open(path); got != want {
		b.t.Errorf("GET %s: status %d, want %d", path, got, want)
	}
	var other []string
	for _, p := range b.takeProblems() {
		if strings.Contains(p, "Failed to load resource") && strings.Contains(p, fmt.Sprint(want)) {
			continue
		}
		other = append(other, p)
	}
	if len(other) > 0 {
		b.t.Errorf("%s: console errors:\n  %s", path, strings.Join(other, "\n  "))
	}
}

// noProblems fails the test on any console error or exception since the
// last check. A round trip to the page first, so every event the page sent
// before it has been recorded.
func (b *tab) noProblems(where string) {
	b.t.Helper()
	_ = eval[chromedp.Void](b, `0`)
	if p := b.takeProblems(); len(p) > 0 {
		b.t.Errorf("%s: console errors:\n  %s", where, strings.Join(p, "\n  "))
	}
}

// chartsJS lists what is wrong with the charts of the page: every
// [data-echarts] element must have been drawn by app.js (data-chart-ready),
// hold an ECharts instance and a canvas, and a visible chart must have a size.
const chartsJS = `(() => {
  const bad = [];
  document.querySelectorAll('[data-echarts]').forEach((el, i) => {
    const name = el.id || el.getAttribute('data-testid') || ('chart #' + i);
    if (el.getAttribute('data-chart-ready') !== '1') { bad.push(name + ': data-chart-ready not set'); return; }
    const inst = window.echarts && window.echarts.getInstanceByDom(el);
    if (!inst) { bad.push(name + ': no ECharts instance'); return; }
    const c = el.querySelector('canvas');
    if (!c) { bad.push(name + ': no canvas'); return; }
    if (el.offsetParent !== null && (c.width === 0 || c.height === 0)) bad.push(name + ': canvas has no size');
  });
  return bad;
})()`

// chartsReady waits until app.js has drawn every chart, then checks them.
// A page without charts passes.
func (b *tab) chartsReady(where string) int {
	b.t.Helper()
	_, err := run(b.ctx, chromedp.Poll[bool](
		`Array.from(document.querySelectorAll('[data-echarts]')).every(el => el.getAttribute('data-chart-ready') === '1')`,
		chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		b.t.Errorf("%s: charts not drawn within 10s: %v", where, err)
	}
	if bad := eval[[]string](b, chartsJS); len(bad) > 0 {
		b.t.Errorf("%s: charts:\n  %s", where, strings.Join(bad, "\n  "))
	}
	return eval[int](b, `document.querySelectorAll('[data-echarts]').length`)
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// screenshotDir is KEFUBOARD_SCREENSHOTS when set (kept for a human to look
// at), else a temporary directory of the test.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("KEFUBOARD_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// screenshot saves the whole page (not just the viewport) as
// <dir>/<name>-<width>.png and returns the path.
func (b *tab) screenshot(dir, name string) string {
	b.t.Helper()
	if b.count(`[data-echarts]`) > 0 {
		time.Sleep(1200 * time.Millisecond) // let ECharts finish its entry animation (1 s by default)
	}
	png, err := chromedp.Run(b.ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		w, h := float64(b.width), float64(b.height)
		if m.CSSContentSize != nil {
			w = max(w, m.CSSContentSize.Width)
			h = max(h, min(m.CSSContentSize.Height, 8000))
		}
		// A viewport as tall as the page, so 100vh (the sticky sidebar) is
		// the page's height in the picture, as it looks while scrolling.
		if _, err := viewport(b.width, int64(h))(ctx, t); err != nil {
			return nil, err
		}
		defer b.viewport()(ctx, t)
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &page.Viewport{Width: w, Height: h, Scale: 1},
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
		})
		return res.Data, err
	}))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, b.width))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return path
}

// overflow lists elements wider than the viewport that are not inside a
// scrolling container (.table-wrap and friends): on a phone they make the
// whole page scroll sideways.
func (b *tab) overflow() []string {
	b.t.Helper()
	return eval[[]string](b, `(() => {
  const vw = document.documentElement.clientWidth, out = [];
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
  document.querySelectorAll('body *').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && !scrolls(el)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\s+/g, '.') : '') + ' right=' + Math.round(r.right));
    }
  });
  return out.slice(0, 10);
})()`)
}

// need waits up to 10 seconds (or d) for sel to be in the page and fails the
// test with a clear message when it never comes. It keeps asking through
// page loads (a click that submits a form, a script that redirects).
func (b *tab) need(sel string, d ...time.Duration) {
	b.t.Helper()
	wait := 10 * time.Second
	if len(d) > 0 {
		wait = d[0]
	}
	deadline := time.Now().Add(wait)
	expr := fmt.Sprintf(`document.readyState !== 'loading' && !!document.querySelector(%q)`, sel)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname`))
	text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText`))
	b.t.Fatalf("%s: no %s on the page after %s (%v):\n%s", loc, sel, wait, last, text)
}

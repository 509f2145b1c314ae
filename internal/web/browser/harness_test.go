package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/conform-itsm/conform/internal/access"
	"github.com/conform-itsm/conform/internal/account"
	"github.com/conform-itsm/conform/internal/app"
	"github.com/conform-itsm/conform/internal/areas"
	"github.com/conform-itsm/conform/internal/demo"
	"github.com/conform-itsm/conform/internal/server"
	"github.com/conform-itsm/conform/internal/store/storetest"
)

// actionTimeout bounds one browser step, so a selector that never matches
// fails the test instead of hanging it.
const actionTimeout = 15 * time.Second

const (
	adminEmail    = "admin@example.com"
	adminName     = "Ada Admin"
	adminPassword = "correct horse battery"
)

// required reports whether missing browser tooling fails the tests (CI)
// instead of skipping them.
func required() bool { return os.Getenv("CONFORM_REQUIRE_BROWSER") == "1" }

// skipOrFail skips the test, or fails it when the browser is required.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if required() {
		t.Fatalf("%s (CONFORM_REQUIRE_BROWSER=1 makes this a failure)", msg)
	}
	t.Skipf("skipping browser test: %s; set CONFORM_REQUIRE_BROWSER=1 to fail instead", msg)
}

// chromiumPath returns the browser to drive: CONFORM_CHROMIUM or Debian's
// /usr/bin/chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("CONFORM_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	found, err := exec.LookPath(p)
	if err != nil {
		skipOrFail(t, "Chromium not found at %s (%v); install it (apt-get install chromium) or set CONFORM_CHROMIUM", p, err)
	}
	return found
}

// site is a running Conform server on a fresh SQLite database.
type site struct {
	app   *app.App
	areas *areas.Areas
	url   string
}

// newSite starts the server; the database holds nothing yet.
func newSite(t *testing.T) *site {
	t.Helper()
	chromiumPath(t) // skip before building anything if there is no browser
	ctx := context.Background()
	db := storetest.Open(t, storetest.SQLite)
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, db, log, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := areas.Add(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(a, log, server.Config{Version: "test", Areas: as.Server()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &site{app: a, areas: as, url: ts.URL}
}

// newAdminSite starts the server with a provider organisation and one
// administrator in it, as `conform user create` makes on a new install.
func newAdminSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	ctx := context.Background()
	provider, err := s.app.EnsureProvider(ctx, access.CLI, "Northwind IT Services")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.CreateUser(ctx, access.CLI, account.UserInput{Email: adminEmail, Name: adminName, Role: access.Admin, OrgID: provider.ID, Password: adminPassword}); err != nil {
		t.Fatal(err)
	}
	return s
}

// newDemoSite starts the server with the demo organisation loaded.
func newDemoSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	if err := demo.Load(context.Background(), s.app); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	if err := demo.LoadAreas(context.Background(), s.areas.SMS, s.areas.Assurance, s.app.DB()); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	// What the reminder job sends on the server's first minute.
	if _, err := s.app.SendReminders(context.Background()); err != nil {
		t.Fatalf("send reminders: %v", err)
	}
	return s
}

// apiStatus calls the JSON API with a bearer token and returns the status.
func (s *site) apiStatus(t *testing.T, path, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// tab is one browser tab on a site. Its methods fail the test on error.
type tab struct {
	t *testing.T
	// ctx is chromedp's handle on the browser tab, which lives as long as
	// the test; it is kept here because chromedp hangs the tab on it.
	ctx  context.Context
	base string
}

// newTab starts a headless Chromium of its own for the test, with a fresh
// profile, and opens a tab on the site at base.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	// Not t.Context(): it ends before cleanups run, and the screenshot of
	// a failed test needs the browser.
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(acancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// The first run starts the browser and ties it to ctx, so it has no
	// timeout of its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", exe, err)
	}
	b := &tab{t: t, ctx: ctx, base: base}
	b.screenshotOnFailure(t)
	b.watchConsole(t)
	// Reduced motion turns off smooth scrolling and transitions, so a tap
	// lands where the element was measured, not where it was mid-scroll.
	b.colorScheme("light")
	// Several tabs run at once and only one has the window's focus; a page
	// without it gets no focus and blur events, so a field that saves on
	// change (fired as it loses focus) would not save. Every tab behaves
	// as the focused one.
	run(b, "emulate focus", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	return b
}

// watchConsole fails t for every script error, uncaught exception and
// security (Content-Security-Policy) error the pages report. Failed
// requests are left out: the tests check statuses themselves.
func (b *tab) watchConsole(t *testing.T) {
	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(b.ctx, func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *cdplog.EventEntryAdded:
			if e := ev.Entry; e.Level == cdplog.EntryLevelError && e.Source != cdplog.EntrySourceNetwork {
				p = fmt.Sprintf("%s error: %s (%s)", e.Source, e.Text, e.URL)
			}
		case *runtime.EventExceptionThrown:
			p = "uncaught exception: " + ev.ExceptionDetails.Text
			if ex := ev.ExceptionDetails.Exception; ex != nil {
				p += " " + ex.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				p = "console.error"
				for _, a := range ev.Args {
					p += " " + string(a.Value) + a.Description
				}
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the browser console: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	})
}

// in returns the tab bound to a subtest, with its own failure screenshot.
func (b *tab) in(t *testing.T) *tab {
	c := *b
	c.t = t
	c.screenshotOnFailure(t)
	return &c
}

// screenshotOnFailure saves a full-page PNG of the tab when t fails.
func (b *tab) screenshotOnFailure(t *testing.T) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		dir := os.Getenv("CONFORM_SCREENSHOT_DIR")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "conform-screenshots")
		}
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		defer cancel()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_") + ".png"
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Logf("no screenshot: %v", err)
			return
		}
		t.Logf("screenshot of the page: %s", p)
	})
}

// run runs one action with a timeout and fails the test on error.
func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// jsList writes strings as a JavaScript array literal.
func jsList(ss []string) string {
	q, _ := json.Marshal(ss)
	return string(q)
}

// colorScheme makes the page see the system's light or dark preference.
// It also asks for reduced motion, so that colours change at once instead
// of in a transition that a check could catch halfway.
func (b *tab) colorScheme(scheme string) {
	b.t.Helper()
	run(b, "prefer the "+scheme+" scheme", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}, {Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}))
}

// open loads path and returns the HTTP status of the page (after redirects).
func (b *tab) open(path string) int64 {
	b.t.Helper()
	resp := run(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if resp == nil {
		b.t.Fatalf("open %s: no response", path)
	}
	return resp.Status
}

// mustOpen loads path and fails unless it answers 200.
func (b *tab) mustOpen(path string) {
	b.t.Helper()
	if got := b.open(path); got != http.StatusOK {
		b.t.Fatalf("open %s: got status %d, want 200", path, got)
	}
}

// follow clicks the element matching sel (a link or a submit button),
// waits for the page it leads to and returns that page's status.
func (b *tab) follow(sel string) int64 {
	b.t.Helper()
	return b.await("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// await runs an action that loads a page, waits for the page and returns
// its status.
func (b *tab) await(what string, a chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if resp == nil {
		b.t.Fatalf("%s: no response", what)
	}
	return resp.Status
}

// press types keys into whatever has the focus, as a keyboard would.
func (b *tab) press(keys string) {
	b.t.Helper()
	run(b, fmt.Sprintf("press %q", keys), chromedp.KeyEvent(keys))
}

// focused describes the element that has the focus.
func (b *tab) focused() string {
	b.t.Helper()
	return eval[string](b, `(() => { const e = document.activeElement;
  return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : ""); })()`)
}

// fill replaces the value of the input matching sel by typing text.
func (b *tab) fill(sel, text string) {
	b.t.Helper()
	run(b, "find "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	// chromedp.SetValue cannot set the empty string.
	eval[bool](b, `((e) => { e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); return true })(document.querySelector(`+js(sel)+`))`)
	if text != "" {
		run(b, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	}
}

// choose selects the option with value in the select matching sel.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	run(b, "choose "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// text returns the rendered text of the first element matching sel,
// waiting for it to appear.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// value returns the value of the form field matching sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	return run(b, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// count returns how many elements match sel now, without waiting.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, "document.querySelectorAll("+js(sel)+").length")
}

// attr returns an attribute of the first element matching sel now, and
// whether the element has it.
func (b *tab) attr(sel, name string) (string, bool) {
	b.t.Helper()
	v := eval[*string](b, "document.querySelector("+js(sel)+")?.getAttribute("+js(name)+") ?? null")
	if v == nil {
		return "", false
	}
	return *v, true
}

// location returns the path and query of the page.
func (b *tab) location() *url.URL {
	b.t.Helper()
	u, err := url.Parse(eval[string](b, "location.href"))
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// pathID returns the number at the end of the page's path, as in /users/7.
func (b *tab) pathID() int64 {
	b.t.Helper()
	p := b.location().Path
	id, err := strconv.ParseInt(p[strings.LastIndex(p, "/")+1:], 10, 64)
	if err != nil {
		b.t.Fatalf("path %s does not end in a record number", p)
	}
	return id
}

// table reads the body rows of the table matching sel, each as a map from
// column heading to the cell's text.
func (b *tab) table(sel string) []map[string]string {
	b.t.Helper()
	return eval[[]map[string]string](b, `(() => {
  const table = document.querySelector(`+js(sel)+`);
  if (!table) return null;
  const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
  return [...table.querySelectorAll("tbody tr")].map(tr =>
    Object.fromEntries([...tr.cells].map((c, i) => [heads[i] ?? String(i), c.innerText.trim()])));
})()`)
}

// signIn fills and submits the sign-in form and returns the status of the
// page it leads to.
func (b *tab) signIn(email, password string) int64 {
	b.t.Helper()
	if b.location().Path != "/login" {
		b.mustOpen("/login")
	}
	b.fill("#email", email)
	b.fill("#password", password)
	return b.secondStep(email, b.follow(`form[action="/login"] button[type=submit]`))
}

// secondStep takes the second step of signing in as email, if the page
// asks for it; status is the status of the page the password led to.
func (b *tab) secondStep(email string, status int64) int64 {
	b.t.Helper()
	if b.location().Path != "/login/mfa" {
		return status
	}
	// The second step: administrators set a second factor up at their
	// first sign-in, and later give a recovery code kept from then.
	key := b.base + " " + email
	if b.count("#mfa-secret") == 1 {
		code, err := app.TOTPCode(b.text("#mfa-secret"), app.TOTPStep(time.Now()))
		if err != nil {
			b.t.Fatal(err)
		}
		b.fill("#code", code)
		b.follow(`form[action="/login/mfa"] button[type=submit]:not([name])`)
		codes := eval[[]string](b, `[...document.querySelectorAll("#recovery-codes code")].map(c => c.textContent)`)
		recoveryCodes.Store(key, codes)
		return b.follow(`a#codes-continue`)
	}
	v, _ := recoveryCodes.Load(key)
	codes, _ := v.([]string)
	if len(codes) == 0 {
		b.t.Fatalf("%s has no recovery codes left in the test", email)
	}
	recoveryCodes.Store(key, codes[1:])
	b.fill("#code", codes[0])
	return b.follow(`form[action="/login/mfa"] button[type=submit]:not([name])`)
}

// recoveryCodes keeps, by site and email, the recovery codes a test's
// users got when they set up their second factor.
var recoveryCodes sync.Map

package e2e

// The Chromium driver: Browser is an oauthloop.Opener that loads the landing
// URL in a tab, waits for the demo instance's sign-in page, clicks a demo
// user, waits for the landing page to report it is signed in, and then
// leaves the tab open so the page keeps answering refresh commands until
// Close. It uses github.com/chromedp/chromedp and the chromium (or Chrome)
// binary found on PATH.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ErrNotInstalled is returned by FindExec when no Chromium is on PATH.
var ErrNotInstalled = errors.New("no chromium, chromium-browser, google-chrome or google-chrome-stable on PATH (Debian: apt-get install chromium)")

// FindExec returns the path of a Chromium or Chrome binary on PATH.
func FindExec() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNotInstalled
}

// Chromium returns the Chromium binary ($AUTHSCOPE_CHROMIUM, else FindExec),
// or ends the test through Missing.
func Chromium(t testing.TB) string {
	t.Helper()
	if testing.Short() && !Required() {
		t.Skip("headless-Chromium end-to-end test skipped in -short mode")
	}
	if p := os.Getenv("AUTHSCOPE_CHROMIUM"); p != "" {
		return p
	}
	p, err := FindExec()
	if err != nil {
		Missing(t, "Chromium is not installed", "apt-get install -y chromium")
	}
	return p
}

// allocatorOptions are the flags every test browser starts with: headless,
// no sandbox (CI runs as root), nothing in the background, then extra.
func allocatorOptions(execPath, userDataDir string, extra []chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1000, 900),
	}
	if userDataDir != "" {
		opts = append(opts, chromedp.UserDataDir(userDataDir))
	}
	return append(opts, extra...)
}

// StartChromium starts a headless Chromium for the rest of the test and
// returns the context of its first tab; chromedp.NewContext on it opens
// more tabs. extra adds flags (such as TLSHost.ChromiumFlags).
func StartChromium(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	execPath := Chromium(t)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), allocatorOptions(execPath, t.TempDir(), extra)...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Start the browser now, in its own first tab, so later tabs do not
	// own (and close) it.
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		t.Fatalf("starting Chromium (%s): %v", execPath, err)
	}
	t.Cleanup(func() { bcancel(); acancel() })
	return bctx
}

// Browser is a headless Chromium driven through the demo sign-in.
type Browser struct {
	// ExecPath is the browser binary; "" uses FindExec.
	ExecPath string
	// UserDataDir is a fresh profile directory (give each run its own);
	// "" lets chromedp make and remove a temporary one.
	UserDataDir string
	// UserID is the demo user to click (button[data-user-id=…]); "" clicks
	// the first one.
	UserID string
	// Timeout bounds each wait (sign-in page, return); 0 means 30 s.
	Timeout time.Duration
	// Logf, if set, gets the tab's console messages, exceptions and
	// browser log entries (CSP violations among them), and each milestone.
	Logf func(format string, args ...any)
	// Flags are extra Chromium flags (such as TLSHost.ChromiumFlags).
	Flags []chromedp.ExecAllocatorOption
	// Parent, when set, is a running browser (StartChromium): the run
	// gets a tab in it, sharing its cookies, instead of a Chromium of its
	// own; ExecPath, UserDataDir and Flags are then unused.
	Parent context.Context

	mu          sync.Mutex
	closed      bool
	allocCancel context.CancelFunc
	tabCancel   context.CancelFunc
	tab         context.Context
	done        chan struct{}
	err         error
	shots       []Shot
}

// Shot is a screenshot of a page the browser saw.
type Shot struct {
	Name string
	URL  string
	PNG  []byte
}

// Signed-in marker: the landing page shows #keep-open once step 5 is done.
const signedInSelector = "#keep-open:not([hidden])"

// Open starts Chromium (first call), opens url in a tab and drives the
// sign-in in the background. It returns once the browser runs and the
// navigation has started; Wait reports how the sign-in went.
func (b *Browser) Open(ctx context.Context, url string) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errors.New("the browser is closed")
	}
	if b.tab != nil {
		b.mu.Unlock()
		return errors.New("this Browser already has a tab; use one Browser per run")
	}
	execPath := b.ExecPath
	if execPath == "" {
		p, err := FindExec()
		if err != nil {
			b.mu.Unlock()
			return err
		}
		execPath = p
	}
	// The browser lives until Close, not until ctx: the tab must keep
	// serving refresh commands after SignIn has returned.
	if b.Parent != nil {
		b.tab, b.tabCancel = chromedp.NewContext(b.Parent)
	} else {
		allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), allocatorOptions(execPath, b.UserDataDir, b.Flags)...)
		b.allocCancel = allocCancel
		b.tab, b.tabCancel = chromedp.NewContext(allocCtx)
	}
	tab := b.tab
	b.done = make(chan struct{})
	b.mu.Unlock()

	if err := chromedp.Listen(tab, b.onEvent); err != nil {
		return b.fail(fmt.Errorf("starting Chromium (%s): %w", execPath, err))
	}
	if _, err := chromedp.Call(tab, page.Navigate, page.NavigateParams{URL: url}); err != nil {
		return b.fail(fmt.Errorf("opening the landing page in Chromium: %w", err))
	}
	go b.drive(ctx)
	return nil
}

func (b *Browser) fail(err error) error {
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
	close(b.done)
	return err
}

// drive waits for the sign-in page, clicks the user, and waits for the
// landing page to say it is signed in.
func (b *Browser) drive(ctx context.Context) {
	defer close(b.done)
	timeout := b.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	button := `button[data-user-id]`
	if b.UserID != "" {
		button = `button[data-user-id="` + cssString(b.UserID) + `"]`
	}
	step := func(name string, action chromedp.Action[chromedp.Void]) error {
		wctx, cancel := context.WithTimeout(b.tab, timeout)
		defer cancel()
		stop := context.AfterFunc(ctx, cancel)
		defer stop()
		if err := chromedp.Do(wctx, action); err != nil {
			b.snap("failure-" + name)
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	err := step("waiting for the sign-in page", chromedp.WaitVisible(chromedp.CSS(button)))
	if err == nil {
		b.snap("sign-in-page")
		b.logf("chromium: sign-in page shown, clicking %s", button)
		err = step("clicking the demo user", chromedp.Click(chromedp.CSS(button)))
	}
	if err == nil {
		err = step("waiting to be back and signed in", chromedp.WaitVisible(chromedp.CSS(signedInSelector)))
	}
	if err == nil {
		b.snap("signed-in")
		b.logf("chromium: back on the landing page, signed in")
		return
	}
	b.mu.Lock()
	if b.err == nil {
		b.err = err
	}
	b.mu.Unlock()
}

// Wait blocks until the sign-in has been driven (or failed) and returns its
// error.
func (b *Browser) Wait(ctx context.Context) error {
	b.mu.Lock()
	done := b.done
	b.mu.Unlock()
	if done == nil {
		return errors.New("the browser was never opened")
	}
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Snapshot captures the tab as it is now, under name.
func (b *Browser) Snapshot(name string) { b.snap(name) }

func (b *Browser) snap(name string) {
	b.mu.Lock()
	tab, closed := b.tab, b.closed
	b.mu.Unlock()
	if tab == nil || closed {
		return
	}
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.logf("chromium: screenshot %s: %v", name, err)
		return
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	b.mu.Lock()
	b.shots = append(b.shots, Shot{Name: name, URL: redactURL(loc), PNG: png})
	b.mu.Unlock()
}

// PageText is the visible text of the tab's page now, with its URL, for
// diagnostics (secrets in the URL redacted).
func (b *Browser) PageText() (string, error) {
	b.mu.Lock()
	tab, closed := b.tab, b.closed
	b.mu.Unlock()
	if tab == nil || closed {
		return "", errors.New("no open tab")
	}
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "", err
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "", err
	}
	return redactURL(loc) + "\n" + text, nil
}

// Shots returns the screenshots taken so far.
func (b *Browser) Shots() []Shot {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Shot(nil), b.shots...)
}

// SaveShots writes the screenshots into dir as NN-name.png and returns
// their paths.
func (b *Browser) SaveShots(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for i, s := range b.Shots() {
		p := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", i+1, safeName(s.Name)))
		if err := os.WriteFile(p, s.PNG, 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// CloseTab closes the tab as a user does: the page gets its pagehide, and
// Chromium keeps running.
func (b *Browser) CloseTab() error {
	b.mu.Lock()
	tab := b.tab
	b.mu.Unlock()
	if tab == nil {
		return errors.New("the browser has no tab")
	}
	b.logf("chromium: closing the tab")
	_, err := chromedp.Call(tab, page.Close, cdp.Empty{})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("closing the tab: %w", err)
	}
	return nil
}

// Close closes the tab and stops Chromium.
func (b *Browser) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	tabCancel, allocCancel, done := b.tabCancel, b.allocCancel, b.done
	b.mu.Unlock()
	if tabCancel != nil {
		tabCancel()
	}
	if allocCancel != nil {
		allocCancel() // waits for the browser process to end
	}
	if done != nil {
		<-done
	}
	return nil
}

func (b *Browser) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Logf != nil && !b.closed {
		b.Logf(format, args...)
	}
}

// onEvent runs on chromedp's reading goroutine: it only formats and logs.
func (b *Browser) onEvent(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else if a.Description != "" {
				parts = append(parts, a.Description)
			}
		}
		b.logf("chromium console.%s: %s", ev.Type, redactURL(strings.Join(parts, " ")))
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			b.logf("chromium exception: %s", redactURL(text))
		}
	case *cdplog.EventEntryAdded:
		if e := ev.Entry; e != nil {
			b.logf("chromium log %s/%s: %s %s", e.Source, e.Level, redactURL(e.Text), redactURL(e.URL))
		}
	}
}

// secretInURL matches the landing URL's secret and the dev-browser value,
// which never go into logs or artifacts.
var secretInURL = regexp.MustCompile(`((?:secret|__clerk_db_jwt)=)[^&#\s"]+`)

func redactURL(s string) string { return secretInURL.ReplaceAllString(s, "${1}redacted") }

func cssString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(s))
}

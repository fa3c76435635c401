package oauthloop

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sync"
	"time"

	"github.com/pkg/browser"
)

// Opener shows the landing URL to a browser. The Source calls it only after
// the loopback listens, and prints the URL through a notice whatever the
// Opener does, so a failed or absent browser never hides it.
//
// Open must return promptly: a browser that keeps running (a tab, an
// HTTPBrowser serving refresh commands) carries on in the background until
// ctx, which lives as long as the Source, is cancelled.
type Opener interface {
	Open(ctx context.Context, url string) error
}

// OpenerFunc adapts a function to Opener (for example a test's headless
// browser).
type OpenerFunc func(ctx context.Context, url string) error

// Open calls f.
func (f OpenerFunc) Open(ctx context.Context, url string) error { return f(ctx, url) }

// OpenMode says what an Opener does with the landing URL, so that the
// notices say what happened: a browser was started, nothing was opened,
// or a browser without a screen signs in by itself.
type OpenMode int

// The modes. An Opener that does not say (see Moded) starts a browser.
const (
	OpenBrowser OpenMode = iota // a browser is started on the URL (SystemBrowser)
	OpenNone                    // nothing is opened: the user opens the URL (NoBrowser, --no-browser)
	OpenAuto                    // a browser without a screen signs in by itself (HTTPBrowser, --auto)
)

// Moded is an Opener that says its OpenMode. Mode is asked before Open
// and again after it (a Fallback's mode is the one that worked).
type Moded interface {
	Mode() OpenMode
}

func modeOf(o Opener) OpenMode {
	if m, ok := o.(Moded); ok {
		return m.Mode()
	}
	return OpenBrowser
}

// Fallback opens with Primary and, when that fails, with Secondary: the
// demo without its interface uses the system browser, and signs in
// automatically when none can start.
type Fallback struct {
	Primary, Secondary Opener

	mu         sync.Mutex
	primaryErr error
}

// Open tries Primary, then Secondary.
func (f *Fallback) Open(ctx context.Context, url string) error {
	err := f.Primary.Open(ctx, url)
	f.mu.Lock()
	f.primaryErr = err
	f.mu.Unlock()
	if err == nil {
		return nil
	}
	return f.Secondary.Open(ctx, url)
}

// Mode is Primary's mode until Primary failed, then Secondary's.
func (f *Fallback) Mode() OpenMode {
	if f.PrimaryErr() != nil {
		return modeOf(f.Secondary)
	}
	return modeOf(f.Primary)
}

// PrimaryErr is why Primary could not open the last URL, or nil.
func (f *Fallback) PrimaryErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.primaryErr
}

// checkURL refuses anything but an absolute http(s) URL before it reaches a
// program that would open it (gh's rule: a file: or javascript: URL must
// never be handed to the desktop).
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("refusing to open %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("refusing to open %q: only http and https URLs are opened", raw)
	}
	return nil
}

// NoBrowser opens nothing (--no-browser): the URL is printed by the Source
// and the user opens it, possibly on another machine through a tunnel.
type NoBrowser struct{}

// Open checks the URL and does nothing else.
func (NoBrowser) Open(_ context.Context, raw string) error { return checkURL(raw) }

// Mode is OpenNone.
func (NoBrowser) Mode() OpenMode { return OpenNone }

// SystemBrowser opens the URL in the desktop's default browser with
// github.com/pkg/browser, which runs xdg-open, open or the Windows
// equivalent with the URL as one argument and no shell.
type SystemBrowser struct {
	// Wait is how long Open waits for the opener program to fail before
	// it assumes the browser is starting (some openers only return when
	// the browser exits). Zero means 3 s.
	Wait time.Duration
}

var quietBrowser sync.Once

// Open starts the system browser on url.
func (b SystemBrowser) Open(ctx context.Context, raw string) error {
	if err := checkURL(raw); err != nil {
		return err
	}
	// pkg/browser copies the opener's output to os.Stdout and os.Stderr by
	// default, which would scribble over the TUI.
	quietBrowser.Do(func() {
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	wait := b.Wait
	if wait <= 0 {
		wait = 3 * time.Second
	}
	done := make(chan error, 1)
	go func() { done <- browser.OpenURL(raw) }()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("could not start a browser (%v)", err)
		}
		return nil
	case <-timer.C:
		return nil // still running: the browser is on its way
	case <-ctx.Done():
		return ctx.Err()
	}
}

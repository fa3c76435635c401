package oauthloop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow"
)

func TestCheckURL(t *testing.T) {
	tests := map[string]bool{
		"http://127.0.0.1:1234/?state=x#secret=y": true,
		"https://example.com/":                    true,
		"javascript:alert(1)":                     false,
		"file:///etc/passwd":                      false,
		"http:///nohost":                          false,
		"ftp://example.com/":                      false,
		"-http://x":                               false,
		"":                                        false,
	}
	for u, ok := range tests {
		if err := checkURL(u); (err == nil) != ok {
			t.Errorf("checkURL(%q) = %v, want ok=%v", u, err, ok)
		}
		if err := (NoBrowser{}).Open(t.Context(), u); (err == nil) != ok {
			t.Errorf("NoBrowser.Open(%q) = %v", u, err)
		}
	}
}

// fakeOpener puts an xdg-open on PATH that records its arguments, so the
// test sees exactly what pkg/browser runs (Linux only: other systems use
// other programs).
func fakeOpener(t *testing.T, exitCode int) (out string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the fake xdg-open is for Linux")
	}
	dir := t.TempDir()
	out = filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '" + out + "'\nexit " + string(rune('0'+exitCode)) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return out
}

func TestSystemBrowserPassesTheURLAsOneArgument(t *testing.T) {
	out := fakeOpener(t, 0)
	u := "http://127.0.0.1:1/?state=a;b&c=$(touch x)#secret=y z"
	if err := (SystemBrowser{Wait: 10 * time.Second}).Open(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != "1\n"+u+"\n" {
		t.Errorf("xdg-open got %q, want one argument %q", got, u)
	}
}

func TestSystemBrowserFailureIsReportedNotFatal(t *testing.T) {
	fakeOpener(t, 3)
	err := (SystemBrowser{Wait: 10 * time.Second}).Open(t.Context(), "http://127.0.0.1:1/")
	if err == nil || !strings.Contains(err.Error(), "could not start a browser (exit status 3)") {
		t.Fatalf("Open with a failing xdg-open: %v", err)
	}
	if err := (SystemBrowser{}).Open(t.Context(), "javascript:alert(1)"); err == nil {
		t.Error("SystemBrowser opened a javascript: URL")
	}

	// In a Source, a browser that does not open is a notice: the sign-in
	// still waits for the URL to be opened by hand.
	src := newTestSource(t, SourceConfig{Opener: OpenerFunc(func(context.Context, string) error {
		return errors.New("no display")
	})})
	c := connect(t, src)
	rep := &recorder{}
	done := runSignIn(t.Context(), src, rep)
	for _, ev := range scriptedEvents() {
		if err := c.event(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := waitErr(t, done); err != nil {
		t.Fatalf("SignIn with a failed opener: %v", err)
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	// The URL's notice stands; the failure is a notice of its own that
	// still gives the whole URL.
	if len(rep.notices) != 2 || !strings.Contains(rep.notices[0], c.origin) || !strings.Contains(rep.notices[1], "no display") ||
		!strings.Contains(rep.notices[1], src.LandingURL()) || strings.Contains(rep.notices[1], "above") {
		t.Errorf("notices %q: want the URL, then the opener's failure with the URL", rep.notices)
	}
	if len(rep.kinds) != 2 || rep.kinds[0] != flow.NoticeSignInURL || rep.kinds[1] != flow.NoticeBrowser {
		t.Errorf("notice kinds %v", rep.kinds)
	}
}

package oauthloop

import (
	"context"
	"errors"

	"github.com/authscope/authscope/flow"
)

// What the Source does for the runner besides signing in and fetching
// tokens: it says what became of the browser, watches the sign-in tab,
// opens it again, shows the page steps 5–8, and names the server the page
// needs.

// open opens the landing URL with the Opener and says what happened: the
// URL first (always, whole, in a notice of its own that nothing replaces),
// then what became of the browser. again is set for a reopened page.
func (s *Source) open(landing string, rep flow.Reporter, again bool) {
	mode := modeOf(s.cfg.Opener)
	what := "Sign-in page: "
	switch {
	case mode == OpenNone:
		what = "Sign-in page, to open in a browser on this machine (no browser is opened: --no-browser): "
	case mode == OpenAuto:
		what = "Sign-in page (--auto: authscope's own HTTP client signs in as the demo user; no browser opens): "
	}
	kind := flow.NoticeSignInURL
	if again {
		// The first sign-in URL notice stands; this one adds to it.
		kind, what = flow.NoticeBrowser, "The sign-in page again: "
	}
	rep.Notice(flow.Notice{Kind: kind, Text: what + landing, URL: landing})
	if mode == OpenNone {
		return
	}
	err := s.cfg.Opener.Open(s.bg, landing)
	var fellBack error
	if fb, ok := s.cfg.Opener.(*Fallback); ok {
		fellBack = fb.PrimaryErr()
	}
	switch {
	case err != nil:
		rep.Notice(flow.Notice{Kind: flow.NoticeBrowser, URL: landing,
			Text: "The browser did not open: " + err.Error() + ". Open the sign-in page yourself, in a browser on this machine: " + landing})
	case fellBack != nil:
		rep.Notice(flow.Notice{Kind: flow.NoticeBrowser,
			Text: "The browser did not open (" + fellBack.Error() + "), so authscope's own HTTP client signs in as the demo user instead (--auto does this directly)."})
	case modeOf(s.cfg.Opener) == OpenBrowser:
		rep.Notice(flow.Notice{Kind: flow.NoticeBrowser,
			Text: "Opened the sign-in page in your browser; if no tab appeared, open the URL above yourself."})
	}
}

// PageChanges delivers the sign-in tab's comings and goings once it has
// signed in (flow.PageSource).
func (s *Source) PageChanges() <-chan flow.PageChange {
	srv := s.server()
	if srv == nil {
		return nil
	}
	return srv.presence.changes
}

// Reopen opens the landing page again with the Opener (flow.PageSource):
// the browser, already signed in, comes back to the page, which serves
// the refresh rounds again. With --no-browser it gives the URL again.
func (s *Source) Reopen(ctx context.Context, rep flow.Reporter) error {
	s.mu.Lock()
	srv, closed := s.srv, s.closed
	s.mu.Unlock()
	switch {
	case closed:
		return errors.New("the browser source is closed")
	case srv == nil:
		return errors.New("the sign-in page has not been opened yet")
	}
	s.open(srv.LandingURL(), rep, true)
	return nil
}

// ObserveStep passes steps 5–8 to the page, which lists them
// (flow.StepObserver).
func (s *Source) ObserveStep(st flow.Step) {
	if srv := s.server(); srv != nil {
		srv.observe(st)
	}
}

// Endpoints is the Frontend API the page loads ClerkJS from, for a real
// Clerk instance (flow.Networked); the demo's is on this machine.
func (s *Source) Endpoints() []flow.Endpoint {
	if s.cfg.Kind != KindClerk {
		return nil
	}
	return []flow.Endpoint{{Role: "Frontend API", URL: s.origin, Step: flow.StepClick}}
}

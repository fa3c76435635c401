package oauthloop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/jose"
)

// HTTPBrowser is a browser without a screen, for `authscope check --auto`
// and the tests: it does what assets/page.js does, step for step, speaking
// the page protocol through the same Go types (Event, TokenReport,
// PollRequest, Command), and does the Clerk side with clerk.FAPIClient and
// clerk.AutoSignIn, following the same redirects a browser would. After
// step 5 it keeps serving refresh commands, as the page does, until the
// loopback says "close", stops answering, or the Open context ends.
//
// It runs no JavaScript: against a real Clerk instance it can only work
// where clerk.AutoSignIn can sign in (the demo's sign-in page).
type HTTPBrowser struct {
	// Client makes every request; nil means a client with no overall
	// timeout (each request has its own deadline; a long poll lasts up to
	// 25 s, so a Client.Timeout must be longer than that).
	Client *http.Client
	// UserID is the demo user to sign in as (required: the sign-in page
	// lists the dev instance's Users()).
	UserID string
	// UserAgent is reported as the browser; default "authscope-httpbrowser".
	UserAgent string
	// Logf, if set, gets one line per action. Tokens and secrets are never
	// passed to it.
	Logf func(format string, args ...any)

	mu   sync.Mutex
	tabs sync.WaitGroup
	open []*openTab // the tabs still running, which CloseTabs closes
	err  error
	seen int // refresh commands served, all tabs
}

// openTab is a running tab: its connection to the loopback, and how to
// close it.
type openTab struct {
	c     *pageConn
	close context.CancelFunc
}

// Bounds of the HTTP browser.
const (
	maxPageBytes   = 1 << 20
	maxScriptBytes = 8 << 20
	httpUserAgent  = "authscope-httpbrowser"
)

// Open loads the landing URL in a new "tab" that runs in the background
// until ctx ends; it returns once the URL is checked.
func (b *HTTPBrowser) Open(ctx context.Context, landing string) error {
	if err := checkURL(landing); err != nil {
		return err
	}
	if b.UserID == "" {
		return errors.New("HTTPBrowser needs a UserID: the demo user to sign in as")
	}
	c, err := parseLanding(b.client(), landing)
	if err != nil {
		return err
	}
	ctx, closeTab := context.WithCancel(ctx)
	tab := &openTab{c: c, close: closeTab}
	b.mu.Lock()
	b.open = append(b.open, tab)
	b.mu.Unlock()
	b.tabs.Add(1)
	go func() {
		defer b.tabs.Done()
		defer b.forget(tab)
		defer closeTab()
		if err := b.run(ctx, c, landing); err != nil && ctx.Err() == nil {
			b.logf("tab stopped: %v", err)
			b.mu.Lock()
			if b.err == nil {
				b.err = err
			}
			b.mu.Unlock()
		}
	}()
	return nil
}

// forget drops a tab that has stopped: CloseTabs has nothing to say to it.
func (b *HTTPBrowser) forget(tab *openTab) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.open = slices.DeleteFunc(b.open, func(t *openTab) bool { return t == tab })
}

// CloseTabs closes every tab as a browser does when the user closes it:
// the page says it is leaving (page.js's pagehide) and its waiting request
// is cut off.
func (b *HTTPBrowser) CloseTabs() {
	b.mu.Lock()
	tabs := b.open
	b.open = nil
	b.mu.Unlock()
	for _, t := range tabs {
		_ = t.c.leave(context.Background())
		t.close()
	}
}

// Mode is OpenAuto: it signs in by itself.
func (b *HTTPBrowser) Mode() OpenMode { return OpenAuto }

// Wait blocks until every tab has stopped and returns the first error one
// of them met (a cancelled context is not an error).
func (b *HTTPBrowser) Wait() error {
	b.tabs.Wait()
	return b.Err()
}

// Err is the first error a tab met so far, or nil.
func (b *HTTPBrowser) Err() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// Refreshes is how many refresh commands the tabs have answered.
func (b *HTTPBrowser) Refreshes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seen
}

func (b *HTTPBrowser) client() *http.Client {
	if b.Client != nil {
		return b.Client
	}
	return &http.Client{}
}

func (b *HTTPBrowser) logf(format string, args ...any) {
	if b.Logf != nil {
		b.Logf(format, args...)
	}
}

// browserNow is the "browser clock": ms since the epoch.
func browserNow() float64 { return float64(time.Now().UnixNano()) / 1e6 }

// tab is one page's state, what page.js keeps in variables and
// sessionStorage.
type tab struct {
	b    *HTTPBrowser
	c    *pageConn
	hc   *http.Client
	key  clerk.PublishableKey
	fapi *clerk.FAPIClient
	page landingConfig
}

func (b *HTTPBrowser) run(ctx context.Context, c *pageConn, landing string) error {
	t := &tab{b: b, c: c, hc: b.client()}
	navStart := browserNow()

	// The landing page and its script, as a browser loads them.
	page, err := t.loadPage(ctx, landing)
	if err != nil {
		return err
	}
	t.page = page
	scriptStart := browserNow()
	if err := c.event(ctx, Event{Step: flow.StepClick, Status: flow.StatusOK, Start: navStart, End: scriptStart,
		PageURL: c.origin + c.path, UserAgent: b.userAgent()}); err != nil {
		return err
	}
	b.logf("step 1: landing page loaded")

	// Step 2: load "ClerkJS", look for a session.
	loadStart := browserNow()
	st, err := t.loadClerk(ctx, c.pageURL())
	if err != nil {
		msg := err.Error()
		_ = c.event(ctx, Event{Step: flow.StepRedirect, Status: flow.StatusFail, Start: loadStart, End: browserNow(), Error: msg, InstanceType: t.instanceType()})
		return err
	}
	loadEnd := browserNow()

	if st.SessionID == "" {
		redirectURL := c.pageURL()
		signInURL := t.fapi.RedirectToSignInURL(redirectURL)
		leaving := browserNow()
		if err := c.event(ctx, Event{Step: flow.StepRedirect, Status: flow.StatusOK, Start: loadStart, End: leaving,
			SignInURL: redactDevBrowser(signInURL), InstanceType: t.instanceType(), ClerkVersion: clerk.ScriptVersion}); err != nil {
			return err
		}
		b.logf("step 2: redirect to the sign-in page")

		// Step 3: sign in on the sign-in page, follow it back.
		returnURL, err := clerk.AutoSignIn(ctx, t.hc, signInURL, b.UserID)
		if err != nil {
			msg := "signing in on the sign-in page failed: " + err.Error()
			_ = c.event(ctx, Event{Step: flow.StepReturn, Status: flow.StatusFail, Start: leaving, End: browserNow(), Error: msg})
			return errors.New(msg)
		}
		back := browserNow()
		handoff := hasDevBrowser(returnURL)
		if _, err := t.loadPage(ctx, returnURL); err != nil {
			_ = c.event(ctx, Event{Step: flow.StepReturn, Status: flow.StatusFail, Start: leaving, End: browserNow(), Error: err.Error(), Handoff: handoff})
			return err
		}
		loadStart = browserNow()
		st, err = t.loadClerk(ctx, returnURL)
		if err == nil && st.SessionID == "" {
			err = errors.New("back from the sign-in page, but the Frontend API has no session for this browser")
		}
		if err != nil {
			_ = c.event(ctx, Event{Step: flow.StepReturn, Status: flow.StatusFail, Start: leaving, End: back, Error: err.Error(), Handoff: handoff})
			return err
		}
		loadEnd = browserNow()
		if err := c.event(ctx, Event{Step: flow.StepReturn, Status: flow.StatusOK, Start: leaving, End: back, Handoff: handoff}); err != nil {
			return err
		}
		b.logf("step 3: back from the sign-in page")
	} else {
		why := "already signed in: ClerkJS found a session in this browser"
		if err := c.event(ctx, Event{Step: flow.StepRedirect, Status: flow.StatusSkipped, Start: loadStart, End: loadEnd, Error: why, InstanceType: t.instanceType(), ClerkVersion: clerk.ScriptVersion}); err != nil {
			return err
		}
		if err := c.event(ctx, Event{Step: flow.StepReturn, Status: flow.StatusSkipped, Start: loadEnd, End: loadEnd, Error: why}); err != nil {
			return err
		}
	}

	// Step 4: the provider knows the user.
	claims := claimsOf(st)
	if err := c.event(ctx, Event{Step: flow.StepProvider, Status: flow.StatusOK, Start: loadStart, End: loadEnd,
		UserID: st.UserID, SessionID: st.SessionID, SessionAud: claims.aud()}); err != nil {
		return err
	}
	b.logf("step 4: signed in as %s", st.UserID)

	// Step 5 and the refresh commands.
	sess := &tabSession{id: st.SessionID, claims: claims}
	if err := c.token(ctx, t.fetchAccessToken(ctx, sess, firstRound, false)); err != nil {
		return err
	}
	b.logf("step 5: token reported")
	return t.serveCommands(ctx, sess)
}

func (b *HTTPBrowser) userAgent() string {
	if b.UserAgent != "" {
		return b.UserAgent
	}
	return httpUserAgent
}

// landingConfig is what page.js reads from the landing page's #app element.
type landingConfig struct {
	ClerkJSURL     string
	PublishableKey string
}

var (
	appAttr   = regexp.MustCompile(`data-(clerk-js-url|publishable-key)="([^"]*)"`)
	scriptTag = regexp.MustCompile(`<script[^>]*\bsrc="([^"]*)"`)
)

// loadPage GETs a landing page URL and its script, as a browser does, and
// checks that the page carries the headers the loopback promises.
func (t *tab) loadPage(ctx context.Context, pageURL string) (landingConfig, error) {
	body, resp, err := t.get(ctx, pageURL, maxPageBytes)
	if err != nil {
		return landingConfig{}, fmt.Errorf("loading the landing page: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return landingConfig{}, fmt.Errorf("loading the landing page: HTTP %d", resp.StatusCode)
	}
	if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		return landingConfig{}, errors.New("the landing page came without its Content-Security-Policy or Referrer-Policy")
	}
	var cfg landingConfig
	for _, m := range appAttr.FindAllStringSubmatch(string(body), -1) {
		switch m[1] {
		case "clerk-js-url":
			cfg.ClerkJSURL = html.UnescapeString(m[2])
		case "publishable-key":
			cfg.PublishableKey = html.UnescapeString(m[2])
		}
	}
	if cfg.ClerkJSURL == "" || cfg.PublishableKey == "" {
		return landingConfig{}, errors.New("the landing page does not name ClerkJS and the publishable key")
	}
	for _, m := range scriptTag.FindAllStringSubmatch(string(body), -1) {
		src, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			return landingConfig{}, fmt.Errorf("the landing page has a bad script URL: %v", err)
		}
		base, _ := url.Parse(pageURL)
		if _, resp, err := t.get(ctx, base.ResolveReference(src).String(), maxScriptBytes); err != nil || resp.StatusCode != http.StatusOK {
			return landingConfig{}, fmt.Errorf("loading the page script %s: %v", src, statusOrErr(resp, err))
		}
	}
	return cfg, nil
}

// loadClerk is the page's loadClerk() + Clerk.load(): fetch the ClerkJS
// script named by the page, then ask the Frontend API for the client.
func (t *tab) loadClerk(ctx context.Context, pageURL string) (*clerk.ClientState, error) {
	if t.fapi == nil {
		key, err := clerk.ParsePublishableKey(t.page.PublishableKey)
		if err != nil {
			return nil, fmt.Errorf("ClerkJS refuses the publishable key: %w", err)
		}
		t.key = key
		if _, resp, err := t.get(ctx, t.page.ClerkJSURL, maxScriptBytes); err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("ClerkJS could not be loaded from %s: %v", t.page.ClerkJSURL, statusOrErr(resp, err))
		}
		t.fapi = clerk.NewFAPIClient(key.FrontendAPIURL(), t.hc, t.c.origin)
	}
	st, err := t.fapi.Load(ctx, pageURL)
	if err != nil {
		return nil, fmt.Errorf("Clerk.load() failed: %w", err)
	}
	return st, nil
}

func (t *tab) instanceType() string {
	if strings.HasPrefix(t.page.PublishableKey, "pk_live_") {
		return InstanceProduction
	}
	return InstanceDevelopment
}

func (t *tab) get(ctx context.Context, u string, limit int64) ([]byte, *http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", t.b.userAgent())
	resp, err := t.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, resp, err
	}
	if int64(len(body)) > limit {
		return nil, resp, fmt.Errorf("%s is larger than %d bytes", u, limit)
	}
	return body, resp, nil
}

func statusOrErr(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("HTTP %d", resp.StatusCode)
}

// tabSession is what page.js reads from Clerk.session at each fetch: its id
// and the claims of its last active (session) token.
type tabSession struct {
	id     string
	claims sessionClaims
}

// fetchAccessToken is ConvexProviderWithClerk's fetchAccessToken, as in
// page.js: the path from the session claims' aud, null on any failure with
// the status, body and message reported alongside.
func (t *tab) fetchAccessToken(ctx context.Context, sess *tabSession, round int, skipCache bool) TokenReport {
	aud := sess.claims.aud()
	path, template := TokenPathFor(aud)
	tr := TokenReport{Round: round, Path: path, Template: template, SkipCache: skipCache, SessionAud: aud, Start: browserNow()}
	res, err := t.fapi.GetToken(ctx, sess.id, template, skipCache)
	tr.End = browserNow()
	switch {
	case err != nil:
		tr.Error = err.Error()
		var apiErr *clerk.APIResponseError
		if errors.As(err, &apiErr) {
			tr.HTTPStatus, tr.Body = apiErr.Status, apiErr.Body
		}
	case res.Status != http.StatusOK || res.JWT == "":
		tr.HTTPStatus, tr.Body = res.Status, res.Body
		tr.Error = fmt.Sprintf("the Frontend API answered %d", res.Status)
	default:
		jwt := res.JWT
		tr.Token = &jwt
		if template == "" {
			// ClerkJS makes a fetched session token the session's last
			// active token; its claims decide the next path.
			if c := claimsFromJWT(jwt); c != nil {
				sess.claims = c
			}
		}
	}
	return tr
}

// serveCommands is page.js's serveCommands: long-poll, run each refresh,
// post its result; stop on "close" or when the loopback is gone.
func (t *tab) serveCommands(ctx context.Context, sess *tabSession) error {
	after, seen, failures := 0, 0, 0
	for {
		cmd, err := t.c.poll(ctx, after, seen)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var refused *RefusedError
			if errors.As(err, &refused) && (refused.Status == http.StatusUnauthorized || refused.Status == http.StatusForbidden) {
				return err
			}
			failures++
			if failures >= 3 {
				t.b.logf("the loopback no longer answers: stopping")
				return nil
			}
			select { // back off before asking again, as page.js does
			case <-time.After(time.Duration(failures) * time.Second):
			case <-ctx.Done():
				return nil
			}
			continue
		}
		failures = 0
		switch cmd.Kind {
		case CommandClose:
			t.b.logf("the loopback is done")
			return nil
		case CommandProgress:
			seen = max(seen, cmd.Version)
		case CommandRefresh:
			after = max(after, cmd.Round)
			tr := t.fetchAccessToken(ctx, sess, cmd.Round, cmd.SkipCache)
			// Counted before the post: once the loopback has the answer,
			// whoever waited for it may read the count.
			t.b.mu.Lock()
			t.b.seen++
			t.b.mu.Unlock()
			if err := t.c.token(ctx, tr); err != nil {
				return err
			}
			t.b.logf("refresh #%d answered", cmd.Round)
		}
	}
}

// sessionClaims are decoded JWT claims, kept as JSON values.
type sessionClaims map[string]json.RawMessage

// aud is the claims' aud as JSON, or nil when absent.
func (c sessionClaims) aud() json.RawMessage {
	if c == nil {
		return nil
	}
	return c["aud"]
}

// claimsFromJWT decodes a JWT's claims without checking them (the page reads
// lastActiveToken.jwt.claims the same way); nil when it does not decode.
func claimsFromJWT(jwt string) sessionClaims {
	d, err := jose.Decode(jwt)
	if err != nil {
		return nil
	}
	c := make(sessionClaims, len(d.Claims))
	for _, m := range d.Claims {
		c[m.Name] = m.JSON
	}
	return c
}

// claimsOf reads a client state's session claims.
func claimsOf(st *clerk.ClientState) sessionClaims {
	b, err := json.Marshal(st.SessionClaims)
	if err != nil {
		return nil
	}
	var c sessionClaims
	if json.Unmarshal(b, &c) != nil {
		return nil
	}
	return c
}

// hasDevBrowser reports whether a URL carries the dev-browser handoff.
func hasDevBrowser(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Query().Has(ParamDevBrowser)
}

// redactDevBrowser replaces the dev-browser value in a URL, as page.js does
// before reporting the sign-in URL: it is a credential of the browser.
func redactDevBrowser(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if !q.Has(ParamDevBrowser) {
		return raw
	}
	q.Set(ParamDevBrowser, "redacted")
	u.RawQuery = q.Encode()
	return u.String()
}

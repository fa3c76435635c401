package clerk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/clerk/internal/weburl"
	"github.com/authscope/authscope/flow/convex/jose"
)

// Limits of FAPIClient and AutoSignIn calls.
const (
	// DefaultCallTimeout is the deadline of one Frontend API call.
	DefaultCallTimeout = 10 * time.Second
	// DefaultMaxResponse caps a Frontend API answer; Clerk's client and
	// token answers are a few KiB.
	DefaultMaxResponse = 1 << 20
)

// FAPIClient makes the Frontend API calls clerk.browser.js makes, in Go: it
// is the HTTP "browser" of `authscope check --auto` and of the tests. It
// keeps a dev browser and a token cache, as the script does. Safe for
// concurrent use.
type FAPIClient struct {
	base   string // Frontend API URL, no trailing slash
	hc     *http.Client
	origin string

	// Now is the clock of the token cache; nil is time.Now.
	Now func() time.Time
	// Timeout is the deadline of each call (DefaultCallTimeout if 0).
	Timeout time.Duration
	// MaxResponse caps each answer's body (DefaultMaxResponse if 0).
	MaxResponse int64

	mu         sync.Mutex
	devBrowser string
	isDev      bool
	signInURL  string
	cache      map[string]cachedToken
}

// ClientState is what the page knows after Clerk.load().
type ClientState struct {
	// PageURL is the page URL given to Load with __clerk_db_jwt removed, as
	// ClerkJS leaves it after history.replaceState.
	PageURL string
	// SignInURL is the Account Portal's sign-in page
	// (environment.display_config.sign_in_url).
	SignInURL string
	// SessionID and UserID are empty when nobody is signed in.
	SessionID, UserID string
	// SessionClaims are the claims of the session's last_active_token, as
	// useAuth().sessionClaims; ConvexProviderWithClerk picks its token path
	// from SessionClaims["aud"] (SPEC.md "The two token paths").
	SessionClaims map[string]any
	User          *User
}

// SignedIn reports whether the client has an active session.
func (s *ClientState) SignedIn() bool { return s != nil && s.SessionID != "" }

// TokenResponse is one getToken: the JWT, or the status and body of a
// failed call.
type TokenResponse struct {
	JWT    string
	Status int
	// Body is the raw answer of a failed call (cut to MaxResponse); empty
	// on success, because a token body is a credential.
	Body   string
	Errors []APIError
	// Cached is true when the token came from the cache without a request.
	Cached bool
}

// NewFAPIClient returns a client for a Frontend API URL (as returned by
// PublishableKey.FrontendAPIURL). hc nil is http.DefaultClient. origin is
// sent as the Origin header, as a browser page on that origin would; it
// becomes the tokens' azp.
func NewFAPIClient(frontendAPIURL string, hc *http.Client, origin string) *FAPIClient {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &FAPIClient{base: strings.TrimRight(frontendAPIURL, "/"), hc: hc, origin: origin, cache: map[string]cachedToken{}}
	if u, err := url.Parse(c.base); err == nil {
		c.isDev = isDevHost(u.Hostname())
	}
	return c
}

// DevBrowser is the current dev-browser id ("" before Load).
func (c *FAPIClient) DevBrowser() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.devBrowser
}

// Load does what Clerk.load() does: take the dev browser handed over in
// pageURL's __clerk_db_jwt (else keep the one from an earlier Load, else
// create one), then fetch the environment and the client.
func (c *FAPIClient) Load(ctx context.Context, pageURL string) (*ClientState, error) {
	st := &ClientState{PageURL: pageURL}
	if pageURL != "" {
		u, err := url.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("clerk: the page URL %q is not a URL: %w", pageURL, err)
		}
		q := u.Query()
		if id := q.Get(DevBrowserParam); id != "" && c.isDev {
			c.setDevBrowser(id)
			q.Del(DevBrowserParam)
			u.RawQuery = q.Encode()
			st.PageURL = u.String()
		}
	}
	if c.isDev && c.DevBrowser() == "" {
		if err := c.createDevBrowser(ctx); err != nil {
			return nil, err
		}
	}
	var env EnvironmentJSON
	if err := c.getJSON(ctx, http.MethodGet, PathEnv, nil, false, &env); err != nil {
		return nil, fmt.Errorf("clerk: loading the environment: %w", err)
	}
	st.SignInURL = env.DisplayConfig.SignInURL
	c.mu.Lock()
	c.signInURL = st.SignInURL
	c.mu.Unlock()

	var raw json.RawMessage
	if err := c.getJSON(ctx, http.MethodGet, PathClient, nil, false, &raw); err != nil {
		return nil, fmt.Errorf("clerk: loading the client: %w", err)
	}
	c.applyClient(st, unwrap(raw))
	return st, nil
}

// unwrap is ClerkJS's `json.response || json`.
func unwrap(raw json.RawMessage) json.RawMessage {
	var env struct {
		Response json.RawMessage `json:"response"`
	}
	if json.Unmarshal(raw, &env) == nil && len(env.Response) > 0 {
		return env.Response
	}
	return raw
}

func (c *FAPIClient) applyClient(st *ClientState, raw json.RawMessage) {
	var cj ClientJSON
	if string(raw) == "null" || json.Unmarshal(raw, &cj) != nil || cj.LastActiveSessionID == nil {
		c.clearCache()
		return
	}
	for _, s := range cj.Sessions {
		if s.ID != *cj.LastActiveSessionID || s.Status != "active" {
			continue
		}
		st.SessionID = s.ID
		st.User = s.User.User()
		if st.User != nil {
			st.UserID = st.User.ID
		}
		if s.LastActiveToken != nil && s.LastActiveToken.JWT != "" {
			st.SessionClaims = jwtClaims(s.LastActiveToken.JWT)
			c.cacheSet(s.ID, "", s.LastActiveToken.JWT) // ClerkJS hydrates its cache the same way
		}
		return
	}
	c.clearCache()
}

// jwtClaims decodes a token's claims without verifying it, as ClerkJS's
// decodeJwt does; nil if it cannot be read.
func jwtClaims(jwt string) map[string]any {
	d, err := jose.Decode(jwt)
	if err != nil {
		return nil
	}
	m := make(map[string]any, len(d.Claims))
	for _, c := range d.Claims {
		var v any
		if json.Unmarshal(c.JSON, &v) == nil {
			m[c.Name] = v
		}
	}
	return m
}

// RedirectToSignInURL is the URL Clerk.redirectToSignIn({redirectUrl})
// navigates to: the sign-in page with the dev browser in the query and the
// return address in the hash. It is "" before Load has found the sign-in
// page.
func (c *FAPIClient) RedirectToSignInURL(redirectURL string) string {
	c.mu.Lock()
	base, db := c.signInURL, c.devBrowser
	c.mu.Unlock()
	u, err := url.Parse(base)
	if base == "" || err != nil {
		return ""
	}
	page := c.origin
	if page == "" {
		page = weburl.OriginOf(redirectURL)
	}
	if c.isDev && db != "" && weburl.Origin(u) != page {
		q := u.Query()
		q.Set(DevBrowserParam, db)
		u.RawQuery = q.Encode()
	}
	u.Fragment = ""
	return u.String() + "#/?" + url.Values{RedirectURLParam: {redirectURL}}.Encode()
}

// GetToken is session.getToken({template, skipCache}): without skipCache a
// cached token more than PollerInterval from exp is returned without a
// request (the script also refreshes in the background at exp − 17 s; this
// client has no timers). A failed call returns the status, body and errors
// in the TokenResponse together with an *APIResponseError.
func (c *FAPIClient) GetToken(ctx context.Context, sessionID, template string, skipCache bool) (TokenResponse, error) {
	if sessionID == "" {
		return TokenResponse{}, errors.New("clerk: no session: sign in before asking for a token")
	}
	if !skipCache {
		if jwt, ok := c.cacheGet(sessionID, template); ok {
			return TokenResponse{JWT: jwt, Status: http.StatusOK, Cached: true}, nil
		}
	}
	var tj TokenJSON
	err := c.getJSON(ctx, http.MethodPost, TokenPath(sessionID, template), nil, skipCache, &tj)
	var apiErr *APIResponseError
	if errors.As(err, &apiErr) {
		c.cacheDrop(sessionID, template)
		return TokenResponse{Status: apiErr.Status, Body: apiErr.Body, Errors: apiErr.Errors}, err
	}
	if err != nil {
		return TokenResponse{}, err
	}
	if tj.JWT == "" {
		return TokenResponse{Status: http.StatusOK}, errors.New("clerk: the token answer has no jwt")
	}
	c.cacheSet(sessionID, template, tj.JWT)
	return TokenResponse{JWT: tj.JWT, Status: http.StatusOK}, nil
}

// SignOut is Clerk.signOut(): DELETE /v1/client/sessions (tunnelled as
// POST with _method=DELETE), then an empty token cache.
func (c *FAPIClient) SignOut(ctx context.Context) error {
	c.clearCache()
	var raw json.RawMessage
	if err := c.getJSON(ctx, http.MethodDelete, PathSessions, nil, false, &raw); err != nil {
		return fmt.Errorf("clerk: signing out: %w", err)
	}
	return nil
}

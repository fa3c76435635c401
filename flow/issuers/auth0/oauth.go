package auth0

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// authorizeRequest is a pending /authorize, waiting for the login page.
type authorizeRequest struct {
	clientID, redirectURI, state, nonce, scope, audience, challenge string
}

// codeLifetime is how long an authorization code is good for.
const codeLifetime = 60 * time.Second

// oauthError is the Authentication API's error body.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// serveAuthorize checks an authorization request and shows the login
// page (SPEC.md "Sign-in").
func (t *Tenant) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := authorizeRequest{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), state: q.Get("state"),
		nonce: q.Get("nonce"), scope: q.Get("scope"), audience: q.Get("audience"), challenge: q.Get("code_challenge")}
	switch {
	case req.clientID != t.clientID:
		http.Error(w, "Unknown client: "+req.clientID, http.StatusBadRequest)
		return
	case !t.srv.CallbackAllowed(req.redirectURI):
		http.Error(w, "Callback URL mismatch. "+req.redirectURI+" is not in the list of Allowed Callback URLs", http.StatusBadRequest)
		return
	}
	if q.Get("prompt") == "none" {
		// No login session is kept: a silent request cannot succeed.
		fake.RedirectWith(w, r, req.redirectURI, url.Values{"error": {"login_required"}, "error_description": {"Login required"}, "state": {req.state}})
		return
	}
	if q.Get("response_type") != "code" || req.challenge == "" || q.Get("code_challenge_method") != "S256" {
		fake.RedirectWith(w, r, req.redirectURI, url.Values{"error": {"invalid_request"},
			"error_description": {"this demo tenant takes response_type=code with an S256 code_challenge"}, "state": {req.state}})
		return
	}
	txn := fake.RandomHex(16)
	t.mu.Lock()
	if len(t.pending) >= maxGrants {
		clear(t.pending)
	}
	t.pending[txn] = req
	t.mu.Unlock()
	http.Redirect(w, r, PathLogin+"?state="+txn, http.StatusFound)
}

// serveLogin shows the login page (GET) and signs the chosen user in
// (POST): a code goes back to the application's callback.
func (t *Tenant) serveLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		fake.ServeLogin(w, fake.Login{Provider: "Auth0-like tenant", Host: t.Domain(), Action: PathLogin,
			Txn: r.URL.Query().Get("state"), Users: t.users})
		return
	}
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "log in with the form", http.StatusBadRequest)
		return
	}
	t.mu.Lock()
	req, ok := t.pending[r.PostForm.Get("state")]
	delete(t.pending, r.PostForm.Get("state"))
	t.mu.Unlock()
	u, known := t.user(r.PostForm.Get("user"))
	if !ok || !known {
		http.Error(w, "this login expired or names no demo user: start again from the app", http.StatusBadRequest)
		return
	}
	code := fake.RandomHex(16)
	t.mu.Lock()
	if len(t.codes) >= maxGrants {
		clear(t.codes)
	}
	t.codes[code] = grant{user: u, sid: fake.RandomHex(16), scope: req.scope, audience: req.audience, nonce: req.nonce,
		clientID: req.clientID, redirectURI: req.redirectURI, challenge: req.challenge, expires: t.srv.Now().Add(codeLifetime)}
	t.mu.Unlock()
	fake.RedirectWith(w, r, req.redirectURI, url.Values{"code": {code}, "state": {req.state}})
}

// serveToken is /oauth/token: the authorization code with PKCE, and
// refresh tokens (SPEC.md "Endpoints").
func (t *Tenant) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		fake.WriteJSON(w, http.StatusMethodNotAllowed, oauthError{"invalid_request", "POST only"})
		return
	}
	p, err := tokenParams(r)
	if err != nil {
		fake.WriteJSON(w, http.StatusBadRequest, oauthError{"invalid_request", err.Error()})
		return
	}
	if p.Get("client_id") != t.clientID {
		fake.WriteJSON(w, http.StatusUnauthorized, oauthError{"access_denied", "Unauthorized"})
		return
	}
	var g grant
	var withNonce bool
	switch p.Get("grant_type") {
	case "authorization_code":
		g, err = t.redeemCode(p)
		withNonce = true
	case "refresh_token":
		g, err = t.redeemRefresh(p.Get("refresh_token"))
	default:
		fake.WriteJSON(w, http.StatusForbidden, oauthError{"unsupported_grant_type", "Unsupported grant type: " + p.Get("grant_type")})
		return
	}
	if err != nil {
		fake.WriteJSON(w, http.StatusForbidden, oauthError{"invalid_grant", err.Error()})
		return
	}
	set, err := t.issue(g, withNonce)
	if err != nil {
		fake.WriteJSON(w, http.StatusInternalServerError, oauthError{"server_error", "the demo tenant could not sign the tokens"})
		return
	}
	fake.WriteJSON(w, http.StatusOK, set)
}

type grantError string

func (e grantError) Error() string { return string(e) }

func (t *Tenant) redeemCode(p url.Values) (grant, error) {
	t.mu.Lock()
	g, ok := t.codes[p.Get("code")]
	delete(t.codes, p.Get("code"))
	t.mu.Unlock()
	if !ok || t.srv.Now().After(g.expires) {
		return grant{}, grantError("Invalid authorization code")
	}
	if p.Get("redirect_uri") != g.redirectURI {
		return grant{}, grantError("Invalid redirect_uri")
	}
	if !fake.PKCEMatches(p.Get("code_verifier"), g.challenge) {
		return grant{}, grantError("Failed to verify code verifier")
	}
	return g, nil
}

func (t *Tenant) redeemRefresh(rt string) (grant, error) {
	t.mu.Lock()
	g, ok := t.refresh[rt]
	t.mu.Unlock()
	if !ok {
		return grant{}, grantError("Unknown or invalid refresh token.")
	}
	return g, nil
}

// tokenParams reads the body as a form or as JSON, both of which the
// Authentication API takes.
func tokenParams(r *http.Request) (url.Values, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, grantError("the body is not JSON")
		}
		v := url.Values{}
		for k, x := range m {
			if s, ok := x.(string); ok {
				v.Set(k, s)
			}
		}
		return v, nil
	}
	if err := r.ParseForm(); err != nil {
		return nil, grantError("the body is not a form")
	}
	return r.PostForm, nil
}

// serveLogout ends the (stateless) session and returns to returnTo when
// it is an allowed URL.
func (t *Tenant) serveLogout(w http.ResponseWriter, r *http.Request) {
	if to := r.URL.Query().Get("returnTo"); to != "" && t.srv.CallbackAllowed(to) {
		http.Redirect(w, r, to, http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("OK"))
}

package workos

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Paths of the User Management API that AuthKit's browser SDK calls
// (SPEC.md "AuthKit sign-in").
const (
	PathAuthorize    = "/user_management/authorize"
	PathLogin        = "/user_management/login"
	PathAuthenticate = "/user_management/authenticate"
	PathLogout       = "/user_management/sessions/logout"
)

// maxGrants bounds the pending sign-ins, codes and refresh tokens kept.
const maxGrants = 512

// codeLifetime is how long an authorization code is good for.
const codeLifetime = 60 * time.Second

// signIns are the AuthKit sign-ins in flight and done.
type signIns struct {
	mu      sync.Mutex
	pending map[string]authorizeRequest
	codes   map[string]codeGrant
	refresh map[string]fake.User
}

type authorizeRequest struct{ redirectURI, state, challenge string }

type codeGrant struct {
	user      fake.User
	challenge string
	expires   time.Time
}

// put stores v under a fresh random key in m, emptying m when it is full.
func put[V any](mu *sync.Mutex, m map[string]V, v V) string {
	k := fake.RandomHex(16)
	mu.Lock()
	defer mu.Unlock()
	if len(m) >= maxGrants {
		clear(m)
	}
	m[k] = v
	return k
}

// take removes and returns m[k].
func take[V any](mu *sync.Mutex, m map[string]V, k string) (V, bool) {
	mu.Lock()
	defer mu.Unlock()
	v, ok := m[k]
	delete(m, k)
	return v, ok
}

func (is *Issuer) authkitRoutes() {
	is.signIns = signIns{pending: map[string]authorizeRequest{}, codes: map[string]codeGrant{}, refresh: map[string]fake.User{}}
	is.srv.Handle(PathAuthorize, is.serveAuthorize)
	is.srv.Handle(PathLogin, is.serveLogin)
	is.srv.Handle(PathAuthenticate, is.serveAuthenticate)
	is.srv.Handle(PathLogout, func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("return_to"); to != "" && is.srv.CallbackAllowed(to) {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// serveAuthorize checks AuthKit's authorization request and sends the
// browser to the login page.
func (is *Issuer) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := authorizeRequest{redirectURI: q.Get("redirect_uri"), state: q.Get("state"), challenge: q.Get("code_challenge")}
	switch {
	case q.Get("client_id") != is.clientID:
		fake.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid client ID."})
		return
	case !is.srv.CallbackAllowed(req.redirectURI):
		fake.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Invalid redirect URI."})
		return
	case q.Get("response_type") != "code" || req.challenge == "" || q.Get("code_challenge_method") != "S256":
		fake.WriteJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "This demo takes response_type=code with an S256 code_challenge."})
		return
	}
	txn := put(&is.signIns.mu, is.signIns.pending, req)
	http.Redirect(w, r, PathLogin+"?state="+txn, http.StatusFound)
}

// serveLogin shows the demo users and signs the chosen one in.
func (is *Issuer) serveLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		fake.ServeLogin(w, fake.Login{Provider: "WorkOS-like AuthKit", Host: is.srv.Host(), Action: PathLogin,
			Txn: r.URL.Query().Get("state"), Users: is.users})
		return
	}
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "log in with the form", http.StatusBadRequest)
		return
	}
	req, ok := take(&is.signIns.mu, is.signIns.pending, r.PostForm.Get("state"))
	u, known := is.user(r.PostForm.Get("user"))
	if !ok || !known {
		http.Error(w, "this sign-in expired or names no demo user: start again from the app", http.StatusBadRequest)
		return
	}
	code := put(&is.signIns.mu, is.signIns.codes, codeGrant{user: u, challenge: req.challenge, expires: is.srv.Now().Add(codeLifetime)})
	v := url.Values{"code": {code}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	fake.RedirectWith(w, r, req.redirectURI, v)
}

// authenticateResponse is User Management's authentication answer.
type authenticateResponse struct {
	User                 userJSON `json:"user"`
	AccessToken          string   `json:"access_token"`
	RefreshToken         string   `json:"refresh_token"`
	AuthenticationMethod string   `json:"authentication_method"`
}

type userJSON struct {
	Object            string  `json:"object"`
	ID                string  `json:"id"`
	Email             string  `json:"email"`
	EmailVerified     bool    `json:"email_verified"`
	FirstName         string  `json:"first_name"`
	LastName          string  `json:"last_name"`
	ProfilePictureURL *string `json:"profile_picture_url"`
	CreatedAt         string  `json:"created_at"`
	UpdatedAt         string  `json:"updated_at"`
}

// serveAuthenticate is POST /user_management/authenticate: the code with
// its PKCE verifier, or a refresh token.
func (is *Issuer) serveAuthenticate(w http.ResponseWriter, r *http.Request) {
	var body map[string]string
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil || body["client_id"] != is.clientID {
		fake.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": "POST JSON with this environment's client_id"})
		return
	}
	var u fake.User
	var ok bool
	switch body["grant_type"] {
	case "authorization_code":
		var g codeGrant
		g, ok = take(&is.signIns.mu, is.signIns.codes, body["code"])
		ok = ok && is.srv.Now().Before(g.expires) && fake.PKCEMatches(body["code_verifier"], g.challenge)
		u = g.user
	case "refresh_token":
		u, ok = take(&is.signIns.mu, is.signIns.refresh, body["refresh_token"])
	}
	if !ok {
		fake.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "The code or refresh token is invalid or expired."})
		return
	}
	tok, err := is.accessToken(u)
	if err != nil {
		fake.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error", "error_description": "the demo could not sign the token"})
		return
	}
	created := "2025-01-06T09:30:00.000Z"
	fake.WriteJSON(w, http.StatusOK, authenticateResponse{
		User: userJSON{Object: "user", ID: UserID(u), Email: u.Email, EmailVerified: true, FirstName: u.GivenName,
			LastName: u.FamilyName, CreatedAt: created, UpdatedAt: created},
		AccessToken: tok, RefreshToken: put(&is.signIns.mu, is.signIns.refresh, u), AuthenticationMethod: "Password",
	})
}

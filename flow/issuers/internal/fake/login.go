package fake

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// The sign-in pages of the issuers that run a provider's own redirect
// sign-in for its real SDK: a page listing the demo users, no password.

var loginPage = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | authscope demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f3f3f6;margin:0}main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px}
button{display:block;width:100%;margin:.5rem 0;padding:.8rem;font-size:1rem;border:1px solid #ccc;border-radius:6px;background:#fff;cursor:pointer}
button:hover{background:#eef}.note{color:#555;font-size:.9rem}</style></head>
<body><main><h1>Welcome</h1><p>Log in to the demo {{.Provider}} <b>{{.Host}}</b> to continue to the app.</p>
<form method="post" action="{{.Action}}"><input type="hidden" name="state" value="{{.Txn}}">
{{range .Users}}<button type="submit" name="user" value="{{.Key}}" data-user="{{.Key}}">{{.Name}} &lt;{{.Email}}&gt;</button>
{{end}}</form><p class="note">authscope's demo: pick a demo user, no password.</p></main></body></html>`))

// Login is what a login page shows.
type Login struct {
	// Provider names the issuer ("Auth0-like tenant"), Host its host.
	Provider, Host string
	// Action is the path the form posts to, Txn the pending sign-in.
	Action, Txn string
	Users       []User
}

type loginUser struct{ Key, Name, Email string }

// ServeLogin writes the login page.
func ServeLogin(w http.ResponseWriter, l Login) {
	users := make([]loginUser, len(l.Users))
	for i, u := range l.Users {
		users[i] = loginUser{Key: u.Key, Name: u.Name(), Email: u.Email}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
	_ = loginPage.Execute(w, struct {
		Login
		Users []loginUser
	}{l, users})
}

// PKCEMatches reports whether verifier hashes to the S256 challenge.
func PKCEMatches(verifier, challenge string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// RedirectWith redirects to a callback with v added to its query.
func RedirectWith(w http.ResponseWriter, r *http.Request, to string, v url.Values) {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+v.Encode(), http.StatusFound)
}

// CallbackAllowed admits a callback on an origin the server's CORS
// admits (loopback by default), standing for a provider's list of
// allowed redirect URIs.
func (s *Server) CallbackAllowed(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	return s.OriginAllowed(u.Scheme + "://" + u.Host)
}

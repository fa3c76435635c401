package devinstance

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/internal/weburl"
)

// pageCSP is the Content-Security-Policy of the sign-in pages: only the
// page's own script, style and images, and fetches to its own origin.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

const maxRedirectURL = 2048

type signInUser struct {
	ID, Name, Email, ImageURL string
}

type signInPage struct {
	Issuer      string
	RedirectURL string
	ReturnTo    string // origin of RedirectURL, for the heading
	Users       []signInUser
}

type refusedPage struct {
	URL    string
	Reason string
}

// serveSignInPage is the Account-Portal-like sign-in page. ClerkJS puts
// the return address in the hash (#/?redirect_url=…), which a server never
// sees: the page's script moves it into the query and reloads, so the
// address is always checked here, and the page only ever redirects to the
// value this handler rendered into data-redirect-url.
func (d *Instance) serveSignInPage(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindSignInPage)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plainError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	page := signInPage{Issuer: d.issuer}
	if raw := r.URL.Query().Get(clerk.RedirectURLParam); raw != "" {
		clean, err := d.checkRedirect(raw)
		if err != nil {
			d.renderPage(w, http.StatusBadRequest, refusedTemplate, refusedPage{URL: cutForPage(raw), Reason: err.Error()})
			return
		}
		page.RedirectURL = clean
		u, _ := url.Parse(clean)
		page.ReturnTo = weburl.Origin(u)
	}
	for _, u := range d.users {
		page.Users = append(page.Users, signInUser{ID: u.ID, Name: u.FullName(), Email: u.Email, ImageURL: u.ImageURL})
	}
	d.renderPage(w, http.StatusOK, signInTemplate, page)
}

// checkRedirect accepts an absolute http(s) URL on an allowed origin, with
// no user info, and returns it re-serialised; anything else is refused,
// so the sign-in page cannot be used as an open redirect.
func (d *Instance) checkRedirect(raw string) (string, error) {
	if len(raw) > maxRedirectURL {
		return "", fmt.Errorf("the redirect_url is longer than %d bytes", maxRedirectURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("the redirect_url is not a URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", errors.New("the redirect_url is not an absolute http or https URL")
	}
	if u.User != nil {
		return "", errors.New("the redirect_url carries a user name or password")
	}
	if p := u.Port(); strings.Trim(p, "0123456789") != "" {
		return "", errors.New("the redirect_url has an invalid port")
	}
	if origin := weburl.Origin(u); !d.allowedOrigin(origin) {
		return "", fmt.Errorf("the redirect_url's origin %s is not a loopback origin (http://127.0.0.1, http://localhost or http://[::1] on any port)", origin)
	}
	return u.String(), nil
}

func cutForPage(s string) string {
	if len(s) <= 300 {
		return s
	}
	cut := 300
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (d *Instance) renderPage(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		plainError(w, http.StatusInternalServerError, "the sign-in page could not be rendered")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (d *Instance) serveAsset(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindAsset)
	a := signInJSAsset
	if r.URL.Path == pathSignInCSS {
		a = signInCSSAsset
	}
	serveAssetBytes(w, r, a)
}

func serveAssetBytes(w http.ResponseWriter, r *http.Request, a asset) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		plainError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	// Revalidate every time: a new authscope build may serve a new script.
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", a.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

// serveScript serves clerk.browser.js for any version in the ClerkJS URL
// layout, /npm/@clerk/clerk-js@<version>/dist/clerk.browser.js
// (clerk's SPEC.md "Loading ClerkJS": ClerkJS loads its chunks from an
// exact version's path, so any version must be served). With
// Options.ClerkJS it serves the real package's files instead.
func (d *Instance) serveScript(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindScript)
	rest, ok := strings.CutPrefix(r.URL.Path, "/npm/@clerk/clerk-js@")
	version, file, _ := strings.Cut(rest, "/")
	name, inDist := strings.CutPrefix(file, "dist/")
	switch {
	case !ok || version == "" || !inDist:
	case d.clerkJS != nil && fs.ValidPath(name) && !strings.Contains(name, "/") && strings.HasSuffix(name, ".js"):
		if b, err := fs.ReadFile(d.clerkJS, name); err == nil {
			serveAssetBytes(w, r, asset{body: b, contentType: "text/javascript; charset=utf-8"})
			return
		}
	case d.clerkJS == nil && name == "clerk.browser.js":
		serveAssetBytes(w, r, scriptAsset)
		return
	}
	plainError(w, http.StatusNotFound, "not found: the demo instance serves only /npm/@clerk/clerk-js@<version>/dist/<script>")
}

// serveAvatar draws a user's initials, so the demo needs no image host.
func (d *Instance) serveAvatar(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindAsset)
	name, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, pathAvatars), ".svg")
	u, found := d.userByID[name]
	if !ok || !found {
		plainError(w, http.StatusNotFound, "no such avatar")
		return
	}
	initials := ""
	for _, part := range []string{u.FirstName, u.LastName} {
		if rr, _ := utf8.DecodeRuneInString(part); rr != utf8.RuneError && unicode.IsLetter(rr) {
			initials += string(unicode.ToUpper(rr))
		}
	}
	hsh := fnv.New32a()
	hsh.Write([]byte(u.ID))
	hue := hsh.Sum32() % 360
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80">`+
		`<circle cx="40" cy="40" r="40" fill="hsl(%d,55%%,45%%)"/>`+
		`<text x="40" y="50" font-family="sans-serif" font-size="30" fill="#fff" text-anchor="middle">%s</text></svg>`,
		hue, html.EscapeString(initials))
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'")
	serveAssetBytes(w, r, asset{body: []byte(svg), contentType: "image/svg+xml"})
}

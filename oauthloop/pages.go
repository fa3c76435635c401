package oauthloop

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
)

// assets holds the landing page template, its script and style, and the
// error page template. The script is served as a file (PathScript) so the
// Content-Security-Policy needs no inline script.
//
//go:embed assets/landing.html assets/error.html assets/page.js assets/page.css assets/icon.svg
var assets embed.FS

var pageTemplates = template.Must(template.ParseFS(assets, "assets/landing.html", "assets/error.html"))

// landingData fills assets/landing.html. html/template escapes every value
// for the context it lands in (attribute, URL, text).
type landingData struct {
	Kind           string
	PublishableKey string
	ClerkJSURL     string
	FrontendOrigin string
	// TokenTimeoutMS bounds each getToken in the page (0: the page's own
	// default).
	TokenTimeoutMS int64
}

// renderLanding renders the landing page once per run: its content does not
// depend on the request.
func renderLanding(d landingData) ([]byte, error) {
	var b bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&b, "landing.html", d); err != nil {
		return nil, fmt.Errorf("rendering the landing page: %w", err)
	}
	return b.Bytes(), nil
}

// errorData fills assets/error.html. Reflected is whatever the request
// carried (a path, a Host, a method): it is shown escaped, never trusted.
type errorData struct {
	Status    int
	Title     string
	Message   string
	Reflected string
}

// StatusText is the status line's reason phrase.
func (d errorData) StatusText() string { return http.StatusText(d.Status) }

func renderError(d errorData) []byte {
	var b bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&b, "error.html", d); err != nil {
		return []byte("error")
	}
	return b.Bytes()
}

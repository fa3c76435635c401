package oauthloop

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// The loopback's defences, one function each, in the order ServeHTTP applies
// them (SPEC.md "Loopback-server checklist").

// newSecret returns 32 random bytes, base64url without padding: 256 bits,
// the size RFC 7636 §7.1 recommends for a verifier.
func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes for the per-run secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// equal compares a presented value with the expected one in constant time,
// so that the time a refusal takes says nothing about how much was right.
// An empty expected value never matches.
func equal(presented, expected string) bool {
	if expected == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(presented), []byte(expected)) == 1
}

// setCommonHeaders sets the headers every response carries. They are set
// before anything calls WriteHeader (a header set after it is silently
// dropped — the step-cli bug in the checklist).
func setCommonHeaders(h http.Header) {
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	// Never Access-Control-Allow-*: a cross-origin page gets no CORS grant.
}

// errorPageCSP is the policy of pages that run no script at all.
const errorPageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// landingCSP is the landing page's policy: scripts and connections only from
// this server and the Frontend API the publishable key names; no inline
// script, no frames, no forms, no base URL, nothing embeds the page.
// worker-src admits blob: workers because ClerkJS runs its timers in one
// (Clerk's CSP guide asks for "worker-src 'self' blob:"); only a script the
// policy already allowed can create a blob.
func landingCSP(fapiOrigin string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self' " + fapiOrigin,
		"connect-src 'self' " + fapiOrigin,
		"img-src 'self'",
		"style-src 'self'",
		"worker-src 'self' blob:",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

var plainHost = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$`)

// frontendOrigin checks that a Frontend API URL is a bare http(s) origin
// whose host is a plain name or address, and returns it. The value goes into
// a CSP header and a script URL, so anything else (a decoded key can hold
// any bytes) is refused rather than escaped.
func frontendOrigin(fapiURL string) (string, error) {
	u, err := url.Parse(fapiURL)
	if err != nil {
		return "", fmt.Errorf("the Frontend API URL %q does not parse: %v", fapiURL, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("the Frontend API URL %q is not http(s)", fapiURL)
	}
	if !plainHost.MatchString(u.Host) || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the Frontend API URL %q is not a plain origin (scheme://host[:port])", fapiURL)
	}
	return u.Scheme + "://" + u.Host, nil
}

// isJSON reports whether a Content-Type header names application/json.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// sameOriginFetch checks the browser's own statement about where a request
// came from, when it makes one: a page on another origin (or a top-level
// navigation from one) is refused even if it guessed everything else.
func sameOriginFetch(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	return site == "" || site == "same-origin"
}

// Limits on the strings a page may post; beyond them the report is refused
// (the whole body is capped at MaxBodyBytes anyway).
const (
	maxFieldBytes = 16 << 10
	maxTokenBytes = 64 << 10
	maxBodyField  = 64 << 10
)

// namedString is a posted string and the JSON name it came under.
type namedString struct {
	name  string
	value string
	limit int
}

// firstTooLong returns the name of the first field over its limit, or "".
func firstTooLong(fields ...namedString) string {
	for _, f := range fields {
		if len(f.value) > f.limit {
			return f.name
		}
	}
	return ""
}

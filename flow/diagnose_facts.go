package flow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex"
)

// diag holds one round's facts, read once, for the rules.
type diag struct {
	st    *RoundState
	names appNames
	tok   tokenFacts
	// msg is the backend's exact text (AuthError or FatalError), if any.
	msg string
}

func newDiag(st *RoundState) *diag {
	d := &diag{st: st, names: st.App.names(), tok: readToken(st.Token)}
	if out := st.Outcome; out != nil {
		switch {
		case out.AuthError != nil:
			d.msg = out.AuthError.Error
		case out.FatalError != "":
			d.msg = out.FatalError
		}
	}
	return d
}

// tokenFacts are the claims and header parameters the rules look at,
// decoded from step 5's token (never verified here: the replay does that).
type tokenFacts struct {
	decoded        bool
	iss            string
	hasIss         bool
	aud            []string
	hasAud         bool
	hasSub         bool
	hasIat, hasExp bool
	iat, exp       time.Time
	alg, kid       string
	hasKid         bool
}

func readToken(td *TokenDetail) tokenFacts {
	var t tokenFacts
	if td == nil || (len(td.Header) == 0 && len(td.Claims) == 0) {
		return t
	}
	t.decoded = true
	for _, h := range td.Header {
		switch h.Name {
		case "alg":
			t.alg = jsonString(h.JSON)
		case "kid":
			t.kid, t.hasKid = jsonString(h.JSON), true
		}
	}
	for _, c := range td.Claims {
		switch c.Name {
		case "iss":
			t.iss, t.hasIss = jsonString(c.JSON), true
		case "aud":
			t.hasAud = c.JSON != "null"
			var one string
			if json.Unmarshal([]byte(c.JSON), &one) == nil {
				t.aud = []string{one}
			} else {
				_ = json.Unmarshal([]byte(c.JSON), &t.aud)
			}
		case "sub":
			t.hasSub = c.JSON != "null"
		case "iat":
			t.hasIat, t.iat = c.JSON != "null", c.Time
		case "exp":
			t.hasExp, t.exp = c.JSON != "null", c.Time
		}
	}
	return t
}

// jsonString is the string a JSON value holds, or its JSON text when it is
// not a string.
func jsonString(raw string) string {
	var s string
	if json.Unmarshal([]byte(raw), &s) == nil {
		return s
	}
	return raw
}

// audText renders aud the way a developer writes it.
func (t tokenFacts) audText() string {
	switch {
	case !t.hasAud:
		return ""
	case len(t.aud) == 1:
		return t.aud[0]
	}
	b, _ := json.Marshal(t.aud)
	return string(b)
}

func (d *diag) replayReason(reasons ...convex.Reason) bool {
	r := d.st.Replay
	if r == nil || r.Err == nil {
		return false
	}
	for _, x := range reasons {
		if r.Err.Reason == x {
			return true
		}
	}
	return false
}

// customJWT reports whether the replay routed the token to a customJwt
// provider.
func (d *diag) customJWT() bool {
	r := d.st.Replay
	return r != nil && r.Trace.Provider != nil && r.Trace.Provider.Kind == convex.KindCustomJWT
}

// detail is the replay's explanation of the failing check, if any.
func (d *diag) detail() string {
	if r := d.st.Replay; r != nil && r.Err != nil {
		return r.Err.Detail
	}
	return ""
}

// finding starts a finding with what the backend said: its exact message,
// or how the socket closed when it sent none.
func (d *diag) finding(code, title string) *Finding {
	f := &Finding{Code: code, Title: title}
	out := d.st.Outcome
	switch {
	case d.msg != "":
		f.Evidence = append(f.Evidence, Comparison{Label: "backend said", Actual: d.msg})
	case out != nil && out.Closed:
		f.Evidence = append(f.Evidence, Comparison{Label: "backend closed",
			Actual: fmt.Sprintf("the socket with code %d, reason %q, and no AuthError", out.CloseCode, out.CloseReason)})
	}
	return f
}

// compare adds an expected-against-actual row, and a code-point view of
// the two when they differ but look alike (reference: peers-and-security.md
// §9.1; DESIGN.md security rules on invisible characters).
func (f *Finding) compare(label, expected, actual string) {
	f.Evidence = append(f.Evidence, Comparison{Label: label, Expected: expected, Actual: actual, OK: expected == actual})
	if expected != actual && (lookAlike(expected, actual) || hasHidden(expected) || hasHidden(actual)) {
		e, a := codePointDiff(expected, actual)
		f.Evidence = append(f.Evidence, Comparison{Label: label + " code points", Expected: e, Actual: a})
	}
}

// note adds a piece of evidence with no expectation.
func (f *Finding) note(label, actual string) {
	f.Evidence = append(f.Evidence, Comparison{Label: label, Actual: actual, OK: true})
}

// --- the deployment's providers ----------------------------------------------

// providerListPrefix is the unredacted NoAuthProvider message up to its
// provider list (reference/convex.md §1.2 step 5).
var providerListPrefix = strings.TrimSuffix(convex.MsgNoProviderList(nil), "]")

// noProviderMessage reports whether the backend answered with one of the
// three NoAuthProvider messages.
func (d *diag) noProviderMessage() bool {
	return d.msg == convex.MsgNoProviderRedacted || d.msg == convex.MsgNoProvidersConfigured ||
		strings.HasPrefix(d.msg, providerListPrefix)
}

// deployment returns the providers the deployment has: read from the
// backend's unredacted message, or the embedded backend's own config.
// known is false for a redacting real deployment, where cfg is only the
// config authscope replayed with.
func (d *diag) deployment() (cfg convex.AuthConfig, known bool, source string) {
	switch {
	case d.msg == convex.MsgNoProvidersConfigured:
		return convex.AuthConfig{}, true, "the backend's message"
	case strings.HasPrefix(d.msg, providerListPrefix) && strings.HasSuffix(d.msg, "]"):
		if ps, ok := parseProviderList(d.msg[len(providerListPrefix) : len(d.msg)-1]); ok {
			return convex.AuthConfig{Providers: ps}, true, "the backend's message"
		}
	}
	if d.st.Embedded {
		return d.st.Config, true, "the embedded backend's config"
	}
	return d.st.Config, false, ""
}

// parseProviderList reads the list enhance_no_provider_error prints:
// "OIDC(domain=<d>, app_id=<a>)" and "CustomJWT(issuer=<i>, app_id=<a or
// none>)" joined with ", ". A domain may itself hold ", " or ")": an item
// ends at the ")" that is followed by the next item or the end.
func parseProviderList(s string) ([]convex.Provider, bool) {
	const oidc, custom, app = "OIDC(domain=", "CustomJWT(issuer=", ", app_id="
	var out []convex.Provider
	for s != "" {
		var p convex.Provider
		switch {
		case strings.HasPrefix(s, oidc):
			p.Kind, s = convex.KindOIDC, s[len(oidc):]
		case strings.HasPrefix(s, custom):
			p.Kind, s = convex.KindCustomJWT, s[len(custom):]
		default:
			return nil, false
		}
		end := -1
		for i := 0; i < len(s); i++ {
			if s[i] != ')' {
				continue
			}
			rest := s[i+1:]
			if rest == "" || strings.HasPrefix(rest, ", "+oidc) || strings.HasPrefix(rest, ", "+custom) {
				end = i
				break
			}
		}
		if end < 0 {
			return nil, false
		}
		item := s[:end]
		s = strings.TrimPrefix(s[end+1:], ", ")
		j := strings.LastIndex(item, app)
		if j < 0 {
			return nil, false
		}
		val, id := item[:j], item[j+len(app):]
		if p.Kind == convex.KindOIDC {
			p.Domain, p.ApplicationID, p.HasApplicationID = val, id, true
		} else {
			p.Issuer = val
			if id != "none" {
				p.ApplicationID, p.HasApplicationID = id, true
			}
		}
		out = append(out, p)
	}
	return out, true
}

// issuerOf is the provider's domain (OIDC) or issuer (customJwt).
func issuerOf(p convex.Provider) string {
	if p.Kind == convex.KindCustomJWT {
		return p.Issuer
	}
	return p.Domain
}

// sameProviders compares two configs on what the backend's message shows
// of a provider: kind, domain or issuer (trailing '/' ignored, as matching
// does) and applicationID.
func sameProviders(a, b convex.AuthConfig) bool {
	if len(a.Providers) != len(b.Providers) {
		return false
	}
	for i := range a.Providers {
		p, q := a.Providers[i], b.Providers[i]
		if p.Kind != q.Kind || strings.TrimRight(issuerOf(p), "/") != strings.TrimRight(issuerOf(q), "/") ||
			p.HasApplicationID != q.HasApplicationID || p.ApplicationID != q.ApplicationID {
			return false
		}
	}
	return true
}

// describeProviders lists providers as the backend's message does.
func describeProviders(cfg convex.AuthConfig) string {
	if len(cfg.Providers) == 0 {
		return "(none)"
	}
	return strings.TrimPrefix(convex.MsgNoProviderList(cfg.Providers), providerListPrefix[:len(providerListPrefix)-1])
}

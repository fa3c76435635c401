package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/token"
)

// RoundState is everything one round of steps 5–8 observed; the diagnosis
// reads it.
type RoundState struct {
	Round    int
	Embedded bool
	// Config is the auth config the replay validated against.
	Config  convex.AuthConfig
	Fetch   TokenResult
	Token   *TokenDetail
	Outcome *wire.Outcome
	SendErr error
	Replay  *convex.Result
	// App is what authscope knows about the developer's project (Config.App).
	App AppInfo
	// Now is the local clock when the round started.
	Now time.Time
	// ServerClocks are the Date headers of the responses the replay got,
	// each with the local time it arrived, for the clock-skew diagnosis.
	ServerClocks []ServerClock
	// BackendFetches are the embedded backend's own discovery and JWKS
	// fetches for this round (hit or miss); empty for a real deployment.
	BackendFetches []convex.FetchRecord
	// SignInErr is set when steps 1–4 failed: there is no token, only the
	// reason the source gave up (for example a refused production key).
	SignInErr error
}

// tokenDetail decodes a fetched token for step 5. A token that does not
// decode keeps its error so step 5 can say so.
func tokenDetail(tr TokenResult) *TokenDetail {
	td := &TokenDetail{Path: tr.Path, Template: tr.Template, Latency: tr.Latency, Size: len(tr.Token),
		HTTPStatus: tr.HTTPStatus, Body: tr.Body, Raw: tr.Token}
	if tr.Token == "" {
		return td
	}
	d, err := token.Decode(tr.Token)
	if err != nil {
		td.decodeErr = err.Error()
		return td
	}
	for _, m := range d.Header {
		td.Header = append(td.Header, Claim{Name: m.Name, JSON: string(m.JSON)})
	}
	for _, m := range d.Claims {
		c := Claim{Name: m.Name, JSON: string(m.JSON)}
		if token.TimeClaims[m.Name] {
			c.Time, _ = d.Time(m.Name)
		}
		td.Claims = append(td.Claims, c)
	}
	td.IssuedAt, _ = d.Time("iat")
	td.NotBefore, _ = d.Time("nbf")
	td.Expires, _ = d.Time("exp")
	td.Lifetime = d.Lifetime()
	return td
}

func tokenSummary(td *TokenDetail) string {
	path := "session token"
	if td.Path == TokenPathTemplate {
		path = fmt.Sprintf("template %q", td.Template)
	} else if td.Path == TokenPathGiven {
		path = "given token"
	}
	parts := []string{path, fmt.Sprintf("%d bytes", td.Size)}
	if td.Lifetime > 0 {
		parts = append(parts, "lives "+td.Lifetime.String())
	}
	return strings.Join(parts, ", ")
}

func jwksSummary(tr convex.Trace) string {
	var parts []string
	if tr.Provider != nil {
		parts = append(parts, fmt.Sprintf("provider #%d", tr.ProviderIndex+1))
	}
	if tr.Kid != "" {
		parts = append(parts, "kid "+tr.Kid)
	}
	if tr.Alg != "" {
		parts = append(parts, tr.Alg)
	}
	parts = append(parts, "signature "+string(tr.Signature))
	return strings.Join(parts, ", ")
}

// comparisons puts the provider's expectations beside the token's claims.
// With a matched provider it compares against that one; otherwise against
// the first provider, which is the one users usually mean.
func comparisons(tr convex.Trace, cfg convex.AuthConfig) []Comparison {
	p := tr.Provider
	if p == nil && len(cfg.Providers) > 0 {
		p = &cfg.Providers[0]
	}
	if p == nil {
		return nil
	}
	wantIss := p.Domain
	if p.Kind == convex.KindCustomJWT {
		wantIss = p.Issuer
	}
	aud := strings.Join(tr.Audiences, ", ")
	out := []Comparison{{Label: "iss", Expected: wantIss, Actual: tr.Issuer, OK: issMatches(wantIss, tr.Issuer)}}
	if p.Kind == convex.KindOIDC || p.HasApplicationID {
		out = append(out, Comparison{Label: "aud", Expected: p.ApplicationID, Actual: aud, OK: contains(tr.Audiences, p.ApplicationID)})
	}
	return out
}

// issMatches is the provider-matching comparison of reference/convex.md §1.2.
func issMatches(domain, iss string) bool {
	if iss == "" {
		return false
	}
	if !strings.HasPrefix(iss, "https://") && !strings.HasPrefix(iss, "http://") {
		iss = "https://" + iss
	}
	return strings.TrimRight(domain, "/") == strings.TrimRight(iss, "/")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// human renders a duration the way the reporters show it.
func human(d time.Duration) string { return round3(d).String() }

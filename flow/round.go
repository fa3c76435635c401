package flow

import (
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/provider"
)

// roundState is what one round of steps 5–8 observed: the part the
// diagnosis reads, and the fetch and decoded token the schedule needs.
type roundState struct {
	diagnose.Round
	tr TokenResult
	td *TokenDetail
	// fetchErr is why the source gave no answer to step 5 (not a null
	// token, which is an answer).
	fetchErr error
}

// trace is the replay's trace, or an empty one.
func (st *roundState) trace() rules.Trace {
	if st.Replay == nil {
		return rules.Trace{}
	}
	return st.Replay.Trace
}

// fetched records step 5's fetch and token for the diagnosis.
func (st *roundState) fetched(tr TokenResult, td *TokenDetail) {
	st.tr, st.td = tr, td
	st.Fetch = diagnose.Fetch{Path: tr.Path, Template: tr.Template, HTTPStatus: tr.HTTPStatus, Body: tr.Body,
		Err: tr.Err, SessionAud: tr.SessionAud}
	if tr.Token == "" {
		return
	}
	st.Token = diagnoseToken(td)
}

// tokenDetail decodes a fetched token for step 5. A token that does not
// decode keeps its error so step 5 can say so.
func tokenDetail(tr TokenResult) *TokenDetail {
	td := &TokenDetail{Path: tr.Path, Template: tr.Template, Latency: tr.Latency, Size: len(tr.Token),
		HTTPStatus: tr.HTTPStatus, Body: tr.Body, Raw: tr.Token}
	if tr.Token == "" {
		return td
	}
	d, err := jose.Decode(tr.Token)
	if err != nil {
		td.decodeErr = err.Error()
		return td
	}
	for _, m := range d.Header {
		td.Header = append(td.Header, Claim{Name: m.Name, JSON: string(m.JSON)})
	}
	for _, m := range d.Claims {
		c := Claim{Name: m.Name, JSON: string(m.JSON)}
		if jose.TimeClaims[m.Name] {
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

// jwksExpiry is when the backend's cached JWKS goes stale: the fill time
// plus the Cache-Control lifetime of the backend's own JWKS fetch this
// round (a hit carries the lifetime left), or, when the backend's fetches
// cannot be seen (a deployment), of the replay's, whose cache lives as
// long as the run.
func jwksExpiry(st *roundState) time.Time {
	recs := st.BackendFetches
	if len(recs) == 0 && st.Replay != nil {
		recs = st.Replay.Trace.Fetches
	}
	var at time.Time
	for _, f := range recs {
		if f.Kind == fetch.JWKS && f.Err == "" && f.Lifetime > 0 {
			at = f.At.Add(f.Lifetime)
		}
	}
	return at
}

// tokenSummary is step 5's one line: the path, the size, the lifetime. A
// token given for another provider than Clerk is named as that provider's
// component sends it ("ID token given, as ConvexProviderWithAuth0 sends
// it").
func tokenSummary(td *TokenDetail, info provider.Info) string {
	path := "session token"
	switch {
	case td.Path == TokenPathTemplate:
		path = fmt.Sprintf("template %q", td.Template)
	case td.Path == TokenPathGiven && !provider.IsClerk(info.ID):
		path = fmt.Sprintf("%s given, as %s sends it", info.TokenNoun, info.Component)
	case td.Path == TokenPathGiven:
		path = "given token"
	}
	parts := []string{path, fmt.Sprintf("%d bytes", td.Size)}
	if td.Lifetime > 0 {
		parts = append(parts, "lives "+td.Lifetime.String())
	}
	return strings.Join(parts, ", ")
}

func jwksSummary(tr rules.Trace) string {
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
func comparisons(tr rules.Trace, cfg rules.AuthConfig) []diagnose.Comparison {
	p := tr.Provider
	if p == nil && len(cfg.Providers) > 0 {
		p = &cfg.Providers[0]
	}
	if p == nil {
		return nil
	}
	wantIss := p.Domain
	if p.Kind == rules.KindCustomJWT {
		wantIss = p.Issuer
	}
	aud := strings.Join(tr.Audiences, ", ")
	out := []diagnose.Comparison{{Label: "iss", Expected: wantIss, Actual: tr.Issuer, OK: issMatches(wantIss, tr.Issuer)}}
	if p.Kind == rules.KindOIDC || p.HasApplicationID {
		out = append(out, diagnose.Comparison{Label: "aud", Expected: p.ApplicationID, Actual: aud, OK: contains(tr.Audiences, p.ApplicationID)})
	}
	return out
}

// issMatches is provider matching's issuer comparison (matches_token in
// convex-backend crates/common/src/auth.rs).
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

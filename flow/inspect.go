package flow

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/convex/jose"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Inspection is what a token says on its own, read offline, with no
// request to anyone (authscope decode): the header and claims as step 5
// decodes them, when the Convex client would refetch it, the identity
// ctx.auth.getUserIdentity() would return, and what will go wrong with it.
type Inspection struct {
	// Token is the decoded token, as step 5 shows it (Raw included: the
	// caller decides what to print).
	Token *TokenDetail
	// Alg, Kid and Typ are the header as the JOSE layer types it.
	Alg, Kid, Typ string
	// SignatureSize is the signature's length in bytes; it is not verified.
	SignatureSize int
	// Now is the local time the inspection was made at.
	Now time.Time

	// Provider is the provider the token is read for: the project's
	// provider that matches it, or the one the guide of its issuer's provider
	// configures. ProviderIndex is its index in the project's config,
	// -1 when assumed; ProviderNote says which in words.
	Provider      rules.Provider
	ProviderIndex int
	ProviderNote  string

	// Refetch is when the Convex client would fetch the next token, had the
	// backend confirmed this one at iat: iat + RefetchDelay
	// (exp − iat − 10 s). RefetchProblem is the client's log line when it
	// schedules no refetch, or refetches at once.
	Refetch        time.Time
	RefetchDelay   time.Duration
	RefetchProblem string

	// Identity is what ctx.auth.getUserIdentity() returns once the token is
	// accepted, as JSON; IdentityProblem says why there is none.
	Identity        string
	IdentityProblem string

	// Warnings are the rules' findings about the token alone.
	Warnings []diagnose.Finding
}

// Inspect decodes raw and reads it as the backend and the Convex client
// would, at now. cfg is the project's auth config, or nil when there is no
// project: the token is then read for the provider the guide of its
// issuer's provider configures (AssumedConfig). It makes no request. The error is the
// decoder's when raw is not a JWT.
func Inspect(raw string, cfg *rules.AuthConfig, now time.Time) (*Inspection, error) {
	d, err := jose.Decode(raw)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Token: tokenDetail(TokenResult{Path: TokenPathGiven, Token: d.Raw}),
		Alg: d.Alg, Kid: d.Kid, Typ: d.Typ, SignatureSize: len(d.Signature), Now: now, ProviderIndex: -1}
	in.pickProvider(d, cfg)
	in.refetch()
	in.identity(d)
	in.Warnings = diagnose.TokenWarnings(diagnoseToken(in.Token), in.Provider, now)
	return in, nil
}

// pickProvider finds the provider the backend would route the token to,
// or assumes the one the guide of the token's provider writes.
func (in *Inspection) pickProvider(d *jose.Decoded, cfg *rules.AuthConfig) {
	// With no iss no provider would match; an OIDC provider is read.
	assumed := rules.Provider{Kind: rules.KindOIDC, ApplicationID: "convex", HasApplicationID: true}
	note := "assumed: an OIDC provider (the token has no iss, so no provider would match it)"
	guide := "the Clerk guide"
	if iss := d.String("iss"); iss != "" {
		var p rules.Provider
		p, guide = assumedProvider(iss, d.Audiences())
		assumed = p
		kind := "an OIDC provider"
		if p.Kind == rules.KindCustomJWT {
			kind = "a customJwt provider"
		}
		note = fmt.Sprintf("assumed: %s %s, as %s configures one (no project's auth config was read)", kind, describeAssumed(p), guide)
	}
	if cfg != nil {
		i, _ := rules.FindProvider(*cfg, d.Audiences(), d.String("iss"))
		if i >= 0 {
			in.Provider, in.ProviderIndex = cfg.Providers[i], i
			in.ProviderNote = fmt.Sprintf("provider #%d of the project's auth config (%s)", i+1, in.Provider.Kind)
			return
		}
		note = fmt.Sprintf("no provider of the project's auth config matches iss %q with aud %s, so the backend would refuse the token; reading it for the provider %s configures",
			d.String("iss"), audText(d.Audiences()), guide)
	}
	in.Provider, in.ProviderNote = assumed, note
}

func audText(aud []string) string {
	b, _ := json.Marshal(aud)
	return string(b)
}

// refetch is the Convex client's schedule for this token
// (diagnose.RefetchDelay).
func (in *Inspection) refetch() {
	td := in.Token
	delay, ok, problem := diagnose.RefetchDelay(td.IssuedAt, td.Expires, diagnose.ConvexRefreshLeeway)
	in.RefetchProblem = problem
	if ok {
		in.RefetchDelay = delay
		in.Refetch = td.IssuedAt.Add(delay)
	}
}

// identity builds the identity preview for the provider's path.
func (in *Inspection) identity(d *jose.Decoded) {
	claims := make(map[string]json.RawMessage, len(d.Claims))
	order := make([]string, 0, len(d.Claims))
	for _, m := range d.Claims {
		claims[m.Name] = m.JSON
		order = append(order, m.Name)
	}
	var id *rules.Identity
	if in.Provider.Kind == rules.KindCustomJWT {
		if id = rules.IdentityCustomJWT(claims, order); id == nil {
			in.IdentityProblem = "none: the customJwt path needs iss and sub to build one"
		}
	} else if id = rules.IdentityOIDC(claims, order); id == nil {
		in.IdentityProblem = "none: the OIDC path cannot read the claims as an ID token"
		payload, _ := base64.RawURLEncoding.DecodeString(strings.TrimRight(d.Parts[1], "="))
		if _, err := jose.ParseIDTokenClaims(payload); err != nil {
			in.IdentityProblem += " (" + err.Error() + ")"
		}
	}
	if id != nil {
		if b, err := id.MarshalJSON(); err == nil {
			in.Identity = string(b)
		}
	}
}

// diagnoseToken is a decoded token as the diagnosis reads it.
func diagnoseToken(td *TokenDetail) *diagnose.Token {
	t := &diagnose.Token{}
	for _, c := range td.Header {
		t.Header = append(t.Header, diagnose.Claim{Name: c.Name, JSON: c.JSON, Time: c.Time})
	}
	for _, c := range td.Claims {
		t.Claims = append(t.Claims, diagnose.Claim{Name: c.Name, JSON: c.JSON, Time: c.Time})
	}
	return t
}

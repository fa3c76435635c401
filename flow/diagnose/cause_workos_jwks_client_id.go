package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/project"
	"github.com/authscope/authscope/flow/provider"
)

// workosJWKSClientID finds workos-jwks-client-id: the customJwt provider
// fetches WorkOS's keys from a JWKS URL without the client ID, or with
// another environment's, so the keys cannot be fetched or none has the
// token's kid (flow/provider/SPEC.md "Causes").
func workosJWKSClientID(d *round) *Finding {
	if !d.customJWT() || !d.failed(convexrules.ReasonJWKSTransport, convexrules.ReasonJWKSStatus, convexrules.ReasonJWKSParse,
		convexrules.ReasonUnknownKid, convexrules.ReasonNoMatchingKey, convexrules.ReasonSignature) {
		return nil
	}
	jwks := d.customProvider().JWKS
	got, ok := workosJWKSClient(jwks)
	if !ok {
		return nil
	}
	want := d.workosClientID()
	if got != "" && (want == "" || got == want) {
		return nil
	}
	title := "The WorkOS JWKS URL has no client ID: WorkOS serves each environment's keys at https://api.workos.com/sso/jwks/<client ID>"
	if got != "" {
		title = fmt.Sprintf("The WorkOS JWKS URL names client %s, the token is for client %s", got, want)
	}
	f := d.finding(title)
	f.compare("jwks", provider.WorkOSJWKS(orDefault(want, "<client ID>")), jwks)
	f.noteReplay(d)
	f.Fix = fmt.Sprintf(`Set jwks to %s in convex/auth.config.ts (the AuthKit guide builds it from WORKOS_CLIENT_ID: jwks: `+"`https://api.workos.com/sso/jwks/${clientId}`"+`), then run %s.`,
		q(provider.WorkOSJWKS(orDefault(want, "<client ID>"))), d.names.push())
	return f
}

// workosClientID is the client ID the token is for: in AuthKit's issuer,
// or the SSO token's aud, else the app's.
func (d *round) workosClientID() string {
	kind, cid, ok := provider.WorkOSIssuer(d.tok.iss)
	switch {
	case ok && kind == "user_management" && cid != "":
		return cid
	case ok && kind == "sso" && len(d.tok.aud) == 1:
		return d.tok.aud[0]
	}
	return d.App.ClientID
}

// projectWorkosJWKSClientID finds a customJwt provider whose WorkOS JWKS
// URL has no client ID, or another than its issuer's or applicationID's.
func projectWorkosJWKSClientID(p *projectFacts, prov project.ProviderInfo) *Finding {
	jwks, ok := prov.Value("jwks")
	if !ok {
		return nil
	}
	got, ok := workosJWKSClient(jwks)
	if !ok {
		return nil
	}
	want := ""
	if iss, ok := prov.Issuer(); ok {
		if _, c, ok := provider.WorkOSIssuer(iss.Value); ok && c != "" {
			want = c
		}
	}
	if app, ok := prov.Value("applicationID"); ok && want == "" {
		want = app
	}
	if want == "" {
		want, _ = p.ClientID.Effective()
	}
	if got != "" && (want == "" || got == want) {
		return nil
	}
	title := fmt.Sprintf("%s fetches WorkOS's keys from %s, without the client ID", p.providerName(prov), q(jwks))
	if got != "" {
		title = fmt.Sprintf("%s fetches the keys of WorkOS client %s, but trusts client %s", p.providerName(prov), q(got), q(want))
	}
	f := &Finding{Title: title}
	f.compare("jwks", provider.WorkOSJWKS(orDefault(want, "<client ID>")), jwks)
	field, _ := prov.Field("jwks")
	f.Fix = fmt.Sprintf("Set jwks to %s at %s.", q(provider.WorkOSJWKS(orDefault(want, "<client ID>"))), field.Pos.Where())
	return f
}

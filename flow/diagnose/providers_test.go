package diagnose

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// Synthetic rounds of the providers other than Clerk (flow/provider
// SPEC.md "Causes"): each new cause, and the generic rule a near miss
// falls to.

const (
	auth0Iss    = "https://acme-dev.eu.auth0.com/"
	auth0Client = "Vb3nQw9ZtK1xLr5YcM7pHs2DgF8jAe4o"
	workosCID   = "client_01K3ZQ8H7M2NV4R6T9W1XY5ABC"
	siteURL     = "https://tidy-marmot-640.convex.site"
)

func auth0IDToken(edit func(map[string]any)) string {
	c := map[string]any{"iss": auth0Iss, "sub": "auth0|123", "aud": auth0Client, "iat": t0.Unix(), "exp": t0.Add(10 * time.Hour).Unix(),
		"email": "ada@example.com", "name": "Ada", "sid": "s1", "nonce": "n"}
	if edit != nil {
		edit(c)
	}
	return jwt(header(func(h map[string]any) { h["kid"] = "k1" }), c)
}

func authkitToken(edit func(map[string]any)) string {
	c := map[string]any{"iss": provider.WorkOSUserManagement(workosCID), "sub": "user_01", "sid": "session_01", "iat": t0.Unix(), "exp": t0.Add(5 * time.Minute).Unix()}
	if edit != nil {
		edit(c)
	}
	return jwt(header(func(h map[string]any) { h["kid"] = "sso_oidc_key_pair_1" }), c)
}

func convexAuthToken(iss string) string {
	return jwt(map[string]any{"alg": "RS256"}, map[string]any{"iss": iss, "aud": "convex", "sub": "k17a|k57b", "iat": t0.Unix(), "exp": t0.Add(time.Hour).Unix()})
}

func oidc(domain, app string) convexrules.Provider {
	return convexrules.Provider{Kind: convexrules.KindOIDC, Domain: domain, ApplicationID: app, HasApplicationID: true}
}

func customJwt(issuer, jwks, app string) convexrules.Provider {
	p := convexrules.Provider{Kind: convexrules.KindCustomJWT, Issuer: issuer, JWKS: jwks, Algorithm: "RS256"}
	if app != "" {
		p.ApplicationID, p.HasApplicationID = app, true
	}
	return p
}

func cfg(ps ...convexrules.Provider) convexrules.AuthConfig {
	return convexrules.AuthConfig{Providers: ps}
}

// guideWorkOS is the AuthKit guide's config for a client ID.
func guideWorkOS(cid string) convexrules.AuthConfig {
	return cfg(customJwt("https://api.workos.com/", provider.WorkOSJWKS(cid), cid), customJwt(provider.WorkOSUserManagement(cid), provider.WorkOSJWKS(cid), ""))
}

func TestProviderCauses(t *testing.T) {
	verify := convexrules.MsgOIDCUnverified
	app := func(id provider.ID) func(*Round) {
		return func(st *Round) { st.App.Provider = id }
	}
	cases := []struct {
		name string
		r    sent
		want []string
		has  []string
	}{
		// Auth0.
		{name: "auth0 applicationID is the API identifier", r: sent{tok: auth0IDToken(nil), out: authError(list(cfg(oidc("https://acme-dev.eu.auth0.com", "https://api.acme.dev")))), rep: noMatch},
			want: []string{CodeAuth0ApplicationIDIsAPIAud}, has: []string{"https://api.acme.dev", auth0Client, "AUTH0_CLIENT_ID"}},
		{name: "auth0 access token against the client ID", r: sent{tok: auth0IDToken(func(c map[string]any) {
			c["aud"], c["azp"], c["scope"] = []string{"https://api.acme.dev", auth0Iss + "userinfo"}, auth0Client, "openid profile email"
			delete(c, "email")
			delete(c, "name")
		}), out: authError(list(cfg(oidc("https://acme-dev.eu.auth0.com", auth0Client)))), rep: noMatch},
			want: []string{CodeAuth0AccessTokenSent}, has: []string{"id_token", "scope", auth0Client, "no email or name"}},
		{name: "auth0 access token against the API identifier: two audiences", r: sent{tok: auth0IDToken(func(c map[string]any) {
			c["aud"], c["azp"], c["scope"] = []string{"https://api.acme.dev", auth0Iss + "userinfo"}, auth0Client, "openid"
		}), out: authError(verify), rep: replayErr(convexrules.ReasonMultipleAudiences, verify), mod: app(provider.Auth0)},
			want: []string{CodeAuth0AccessTokenSent}},
		{name: "auth0 ID token with a plain wrong client ID falls to audience-mismatch", r: sent{tok: auth0IDToken(nil),
			out: authError(list(cfg(oidc("https://acme-dev.eu.auth0.com", "someOtherClientId00000000000000")))), rep: noMatch},
			want: []string{CodeAudienceMismatch}},
		{name: "auth0 trailing slash alone is accepted", r: sent{tok: auth0IDToken(nil), out: accepted}, want: nil},

		// WorkOS AuthKit.
		{name: "authkit token, only the SSO issuer trusted", r: sent{tok: authkitToken(nil),
			out: authError(list(cfg(customJwt("https://api.workos.com/", provider.WorkOSJWKS(workosCID), workosCID)))), rep: noMatch},
			want: []string{CodeWorkOSIssuerMismatch}, has: []string{"AuthKit", "user_management", "npx convex env set WORKOS_CLIENT_ID " + workosCID}},
		{name: "authkit token of another environment", r: sent{tok: authkitToken(nil), out: authError(list(guideWorkOS("client_01STAGING"))), rep: noMatch},
			want: []string{CodeWorkOSIssuerMismatch}, has: []string{"client_01STAGING", "another WorkOS environment"}},
		{name: "SSO token, only AuthKit's issuer trusted", r: sent{tok: authkitToken(func(c map[string]any) { c["iss"], c["aud"] = "https://api.workos.com", workosCID }),
			out: authError(list(cfg(customJwt(provider.WorkOSUserManagement(workosCID), provider.WorkOSJWKS(workosCID), "")))), rep: noMatch},
			want: []string{CodeWorkOSIssuerMismatch}, has: []string{"SSO issuer"}},
		{name: "authkit token, customJwt with applicationID", r: sent{tok: authkitToken(nil),
			out: authError(list(cfg(customJwt(provider.WorkOSUserManagement(workosCID), provider.WorkOSJWKS(workosCID), workosCID)))), rep: noMatch},
			want: []string{CodeWorkOSMissingAud}, has: []string{"(none)", "Remove applicationID"}},
		{name: "authkit token, OIDC provider", r: sent{tok: authkitToken(nil),
			out: authError(list(cfg(oidc(provider.WorkOSUserManagement(workosCID), workosCID)))), rep: noMatch},
			want: []string{CodeWorkOSMissingAud}, has: []string{"OIDC provider always checks aud", `type: "customJwt"`}},
		{name: "authkit JWKS URL without client ID", r: sent{tok: authkitToken(nil),
			out: authError(`Could not fetch JWKS from URL 'https://api.workos.com/sso/jwks/': HTTP 404 Not Found. Check that the URL is correct and accessible.`),
			rep: withProvider(replayErr(convexrules.ReasonJWKSStatus, ""), customJwt(provider.WorkOSUserManagement(workosCID), "https://api.workos.com/sso/jwks/", ""))},
			want: []string{CodeWorkOSJWKSClientID}, has: []string{provider.WorkOSJWKS(workosCID), "no client ID"}},
		{name: "authkit JWKS URL of another client", r: sent{tok: authkitToken(nil),
			out: authError(`Could not decode token. The JWT's 'kid' (key ID) header is 'sso_oidc_key_pair_1', does this key match any key in the provider's JWKS?`),
			rep: withProvider(replayErr(convexrules.ReasonUnknownKid, ""), customJwt(provider.WorkOSUserManagement(workosCID), provider.WorkOSJWKS("client_01STAGING"), ""))},
			want: []string{CodeWorkOSJWKSClientID}, has: []string{"client_01STAGING", workosCID}},
		{name: "authkit JWKS URL right, kid unknown: not this cause", r: sent{tok: authkitToken(nil),
			out: authError(`Could not decode token. The JWT's 'kid' (key ID) header is 'sso_oidc_key_pair_1', does this key match any key in the provider's JWKS?`),
			rep: withProvider(replayErr(convexrules.ReasonUnknownKid, ""), customJwt(provider.WorkOSUserManagement(workosCID), provider.WorkOSJWKS(workosCID), "")),
			mod: func(st *Round) { st.Config = guideWorkOS(workosCID) }},
			want: []string{CodeUnknownKid}},

		// Convex Auth.
		{name: "convex auth domain from SITE_URL", r: sent{tok: convexAuthToken(siteURL), out: authError(list(cfg(oidc("http://localhost:5173", "convex")))), rep: noMatch},
			want: []string{CodeConvexAuthSiteURL}, has: []string{"SITE_URL", "process.env.CONVEX_SITE_URL", siteURL}},
		{name: "convex auth domain of another deployment", r: sent{tok: convexAuthToken(siteURL), out: authError(list(cfg(oidc("https://happy-animal-123.convex.site", "convex")))), rep: noMatch},
			want: []string{CodeConvexAuthSiteURL}, has: []string{"another deployment"}},
		{name: "convex auth domain is SITE_URL's production value", r: sent{tok: convexAuthToken(siteURL), out: authError(list(cfg(oidc("https://app.acme.dev", "convex")))), rep: noMatch,
			mod: func(st *Round) { st.App.Provider, st.App.SiteURL = provider.ConvexAuth, "https://app.acme.dev" }},
			want: []string{CodeConvexAuthSiteURL}},
		{name: "convex auth custom domain as a literal domain", r: sent{tok: convexAuthToken(siteURL), out: authError(list(cfg(oidc("https://api.acme.dev", "convex")))), rep: noMatch},
			want: []string{CodeConvexAuthCustomDomain}, has: []string{"custom domain https://api.acme.dev", "canonical"}},
		{name: "convex auth tokens on the custom domain, literal .convex.site domain", r: sent{tok: convexAuthToken("https://api.acme.dev"), out: authError(list(cfg(oidc(siteURL, "convex")))), rep: noMatch,
			mod: app(provider.ConvexAuth)},
			want: []string{CodeConvexAuthCustomDomain}, has: []string{"carry the custom domain https://api.acme.dev"}},
		{name: "convex auth JWKS of another key pair", r: sent{tok: convexAuthToken(siteURL), out: authError(verify), rep: replayErr(convexrules.ReasonSignature, verify)},
			want: []string{CodeConvexAuthJWKSMismatch}, has: []string{"npx @convex-dev/auth", "JWT_PRIVATE_KEY"}},
		{name: "convex auth JWKS of two keys", r: sent{tok: convexAuthToken(siteURL), out: authError(verify), rep: replayErr(convexrules.ReasonAmbiguousKey, verify)},
			want: []string{CodeConvexAuthJWKSMismatch}, has: []string{"several keys"}},
		{name: "a Clerk token's bad signature stays signature-invalid", r: sent{tok: sessionTok, out: authError(verify), rep: replayErr(convexrules.ReasonSignature, verify)},
			want: []string{CodeSignatureInvalid}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := tc.r.state()
			if tc.r.mod == nil || st.Config.Providers == nil {
				st.Config = cfg()
			}
			text := checkCauses(t, st, tc.want, tc.has)
			if !strings.HasPrefix(tc.name, "a Clerk") && strings.Contains(strings.ToLower(text), "clerk") {
				t.Errorf("Clerk wording for another provider:\n%s", text)
			}
		})
	}
}

// TestProviderFixtures: each fixture project resolves to its provider,
// its Convex component, its config and its findings, and where Clerk is
// not used nothing authscope says of it (findings, fixes, step titles,
// the banner) mentions Clerk.
func TestProviderFixtures(t *testing.T) {
	tests := []struct {
		dir       string
		id        provider.ID
		component string
		config    string // the providers' issuers, or "" when unresolved
		findings  []string
	}{
		{"auth0-vite", provider.Auth0, "ConvexProviderWithAuth0", "https://dev-k3x9q2.us.auth0.com", []string{CodeEnvUnknown, CodeEnvUnknown}},
		{"auth0-next", provider.Auth0, "ConvexProviderWithAuth0", "https://acme-dev.eu.auth0.com", []string{CodeAuth0ApplicationIDIsAPIAud}},
		{"workos-vite", provider.WorkOS, "ConvexProviderWithAuthKit", "https://api.workos.com/ " + provider.WorkOSUserManagement(workosCID), []string{CodeEnvUnknown}},
		{"workos-next", provider.WorkOS, "ConvexProviderWithAuth", "https://api.workos.com/", []string{CodeWorkOSIssuerMismatch, CodeWorkOSJWKSClientID}},
		{"convex-auth-vite", provider.ConvexAuth, "ConvexAuthProvider", siteURL, nil},
		{"convex-auth-next", provider.ConvexAuth, "ConvexAuthNextjsProvider", "", []string{CodeConvexAuthSiteURL, CodeEnvUnknown}},
		{"custom-oidc", provider.OIDC, "ConvexProviderWithAuth", "", []string{CodeEnvUnknown, CodeNoDeploymentURL}},
		{"custom-jwt-issuer", provider.CustomJWT, "ConvexProviderWithAuth", "", []string{CodeEnvUnknown, CodeNoDeploymentURL}},
		{"vite-react", provider.Clerk, "ConvexProviderWithClerk", "https://brave-otter-12.clerk.accounts.dev", []string{CodeEnvUnknown}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			p := load(t, filepath.Join(fixtures, tt.dir), nil, nil)
			if p.Provider.ID != tt.id || p.Provider.Component != tt.component || p.Provider.Default {
				t.Fatalf("provider %s (%s), want %s (%s); seen %v", p.Provider.ID, p.Provider.Component, tt.id, tt.component, p.Provider.Seen)
			}
			var issuers []string
			for _, prov := range p.Config.Providers {
				issuers = append(issuers, issuerOf(prov))
			}
			if got := strings.Join(issuers, " "); got != tt.config {
				t.Errorf("config %q (err %v), want %q", got, p.ConfigErr, tt.config)
			}
			fs := Project(p)
			if fmt.Sprint(codes(fs)) != fmt.Sprint(tt.findings) {
				t.Errorf("findings %v, want %v\n%s", codes(fs), tt.findings, dump(fs))
			}
			if tt.id == provider.Clerk {
				return
			}
			said := []string{dump(fs), p.Provider.ProviderStep, p.Provider.TokenStep, p.Provider.TokenSource(true), p.Provider.TokenSource(false)}
			for _, l := range provider.PasteBanner(p.Provider, provider.SnippetParams{}) {
				said = append(said, l.Text)
			}
			for _, s := range said {
				if strings.Contains(strings.ToLower(s), "clerk") {
					t.Errorf("Clerk wording in a %s project:\n%s", tt.id, s)
				}
			}
		})
	}
}

// TestProviderProjectFindings: the static checks of the provider rules,
// on small projects.
func TestProviderProjectFindings(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
		has   string
	}{
		{"authkit provider with applicationID", map[string]string{"package.json": `{"dependencies":{"@workos-inc/authkit-react":"^0.16"}}`,
			"convex/auth.config.ts": `export default { providers: [{ type: "customJwt", issuer: "` + provider.WorkOSUserManagement(workosCID) + `", algorithm: "RS256", jwks: "` + provider.WorkOSJWKS(workosCID) + `", applicationID: "` + workosCID + `" }] };`},
			CodeWorkOSMissingAud, "carry no aud"},
		{"authkit JWKS of another client", map[string]string{"package.json": `{"dependencies":{"@workos-inc/authkit-react":"^0.16"}}`,
			"convex/auth.config.ts": `export default { providers: [{ type: "customJwt", issuer: "` + provider.WorkOSUserManagement(workosCID) + `", algorithm: "RS256", jwks: "` + provider.WorkOSJWKS("client_OTHER") + `" }] };`},
			CodeWorkOSJWKSClientID, "client_OTHER"},
		{"convex auth literal custom domain", map[string]string{"package.json": `{"dependencies":{"@convex-dev/auth":"^0.0.95"}}`,
			"convex/auth.config.ts": `export default { providers: [{ domain: "https://api.acme.dev", applicationID: "convex" }] };`},
			CodeConvexAuthCustomDomain, "canonical HTTP actions URL"},
		{"convex auth local CONVEX_SITE_URL of another deployment", map[string]string{"package.json": `{"dependencies":{"@convex-dev/auth":"^0.0.95"}}`,
			".env.local":            "VITE_CONVEX_URL=https://tidy-marmot-640.convex.cloud\nCONVEX_SITE_URL=https://happy-animal-123.convex.site\n",
			"convex/auth.config.ts": `export default { providers: [{ domain: process.env.CONVEX_SITE_URL, applicationID: "convex" }] };`},
			CodeConvexAuthSiteURL, siteURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, writeProject(t, tt.files), nil, nil)
			fs := Project(p)
			for _, f := range fs {
				if f.Code == tt.want {
					if !strings.Contains(dump([]Finding{f}), tt.has) {
						t.Errorf("finding lacks %q:\n%s", tt.has, dump([]Finding{f}))
					}
					return
				}
			}
			t.Fatalf("no %s in %v\n%s", tt.want, codes(fs), dump(fs))
		})
	}
}

// TestConvexAuthKeysCompared: with JWT_PRIVATE_KEY and JWKS known locally
// (here --env), the project finding compares them as Convex Auth's setup
// writes them: the PEM on one line, the JWKS one key with use "sig".
func TestConvexAuthKeysCompared(t *testing.T) {
	pemOf := func(k *rsa.PrivateKey) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))), " ")
	}
	jwksOf := func(k *rsa.PrivateKey) string {
		return fmt.Sprintf(`{"keys":[{"use":"sig","kty":"RSA","n":%q,"e":"AQAB"}]}`, base64.RawURLEncoding.EncodeToString(k.N.Bytes()))
	}
	a, _ := rsa.GenerateKey(rand.Reader, 2048)
	b, _ := rsa.GenerateKey(rand.Reader, 2048)
	if ok, why := publicKeyInJWKS(pemOf(a), jwksOf(a)); !ok {
		t.Fatalf("a pair taken for a mismatch: %s", why)
	}
	root := writeProject(t, map[string]string{"package.json": `{"dependencies":{"@convex-dev/auth":"^0.0.95"}}`,
		".env.local":            "VITE_CONVEX_URL=https://tidy-marmot-640.convex.cloud\n",
		"convex/auth.config.ts": `export default { providers: [{ domain: process.env.CONVEX_SITE_URL, applicationID: "convex" }] };`})
	for _, tt := range []struct {
		jwks string
		want bool
	}{{jwksOf(a), false}, {jwksOf(b), true}} {
		p := load(t, root, map[string]string{"JWT_PRIVATE_KEY": pemOf(a), "JWKS": tt.jwks}, nil)
		got := strings.Contains(fmt.Sprint(codes(Project(p))), CodeConvexAuthJWKSMismatch)
		if got != tt.want {
			t.Errorf("mismatch found %v, want %v: %v", got, tt.want, codes(Project(p)))
		}
	}
}

package devinstance

import (
	"encoding/json"
	"fmt"
	"github.com/authscope/authscope/flow/clerk"
	"net/http"
	"strconv"
	"time"
)

// Discovery is the OpenID configuration the instance serves, with the
// fields of the FAPI spec's WellKnown.OpenIDConfiguration
// (reference/clerk.md §4.5). The OAuth endpoints it names are not
// emulated; Convex only reads issuer and jwks_uri.
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	BackchannelLogoutSupported        bool     `json:"backchannel_logout_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
}

func (d *Instance) discovery(issuerField string) Discovery {
	iss := d.issuer
	return Discovery{
		Issuer:                            issuerField,
		AuthorizationEndpoint:             iss + "/oauth/authorize",
		TokenEndpoint:                     iss + "/oauth/token",
		RevocationEndpoint:                iss + "/oauth/token/revoke",
		IntrospectionEndpoint:             iss + "/oauth/token_info",
		UserinfoEndpoint:                  iss + "/oauth/userinfo",
		JWKSURI:                           iss + clerk.PathJWKS,
		ScopesSupported:                   []string{"openid", "profile", "email", "public_metadata", "private_metadata", "offline_access"},
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query", "form_post"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{"RS256"},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "none", "client_secret_post"},
		ClaimsSupported:                   []string{"sub", "iss", "aud", "exp", "iat", "email", "email_verified", "family_name", "given_name", "name", "username", "picture", "preferred_username", "public_metadata", "private_metadata", "unsafe_metadata"},
		CodeChallengeMethodsSupported:     []string{"S256"},
	}
}

// CacheControl is the Cache-Control header of the well-known documents.
func (d *Instance) CacheControl() string {
	if d.cacheMaxAge < 0 {
		return "no-store"
	}
	return "public, max-age=" + strconv.FormatInt(int64(d.cacheMaxAge/time.Second), 10)
}

func (d *Instance) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindDiscovery)
	d.mu.Lock()
	f := d.faults
	d.mu.Unlock()
	if !d.wellKnownPrelude(w, r, f) {
		return
	}
	if faultStatus(f.DiscoveryStatus) {
		plainError(w, f.DiscoveryStatus, fmt.Sprintf("authscope demo: discovery answers %d on purpose (fault DiscoveryStatus)", f.DiscoveryStatus))
		return
	}
	iss := d.issuer
	if f.DiscoveryIssuer != "" {
		iss = f.DiscoveryIssuer
	}
	d.writeWellKnown(w, d.discovery(iss), f.DiscoveryContentType)
}

func (d *Instance) serveJWKS(w http.ResponseWriter, r *http.Request) {
	setKind(w, KindJWKS)
	d.mu.Lock()
	f := d.faults
	set := d.jwksLocked()
	d.mu.Unlock()
	if !d.wellKnownPrelude(w, r, f) {
		return
	}
	if faultStatus(f.JWKSStatus) {
		plainError(w, f.JWKSStatus, fmt.Sprintf("authscope demo: JWKS answers %d on purpose (fault JWKSStatus)", f.JWKSStatus))
		return
	}
	d.writeWellKnown(w, set, f.JWKSContentType)
}

// wellKnownPrelude checks the method and applies WellKnownDelay; false
// means the request is already answered (or gone).
func (d *Instance) wellKnownPrelude(w http.ResponseWriter, r *http.Request, f Faults) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET, HEAD")
		return false
	}
	if delay := min(f.WellKnownDelay, maxWellKnownDelay); delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

// maxWellKnownDelay keeps a delayed answer inside the server's write
// timeout (30 s).
const maxWellKnownDelay = 25 * time.Second

func faultStatus(s int) bool { return s >= 200 && s <= 599 && s != http.StatusOK }

func (d *Instance) writeWellKnown(w http.ResponseWriter, v any, contentType string) {
	b, err := json.Marshal(v)
	if err != nil {
		plainError(w, http.StatusInternalServerError, "cannot encode document")
		return
	}
	h := w.Header()
	switch contentType {
	case "":
		h.Set("Content-Type", "application/json")
	case "-":
		h["Content-Type"] = nil // stops net/http from sniffing one
	default:
		h.Set("Content-Type", contentType)
	}
	h.Set("Cache-Control", d.CacheControl())
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

package devinstance

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// Discovery is the OpenID configuration the instance serves, with the
// fields of the FAPI spec's WellKnown.OpenIDConfiguration
// (SPEC.md "Well-known documents"). The OAuth endpoints it names are not
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
	d.serveWellKnown(w, r, KindDiscovery, func(f Faults) wellKnownAnswer {
		iss := d.issuer
		if f.DiscoveryIssuer != "" {
			iss = f.DiscoveryIssuer
		}
		return wellKnownAnswer{doc: d.discovery(iss), contentType: f.DiscoveryContentType,
			what: "discovery document", faultStatus: f.DiscoveryStatus}
	})
}

func (d *Instance) serveJWKS(w http.ResponseWriter, r *http.Request) {
	d.serveWellKnown(w, r, KindJWKS, func(f Faults) wellKnownAnswer {
		doc, err := d.jwksLocked()
		return wellKnownAnswer{doc: doc, err: err, contentType: f.JWKSContentType,
			what: "JWKS", faultStatus: f.JWKSStatus}
	})
}

// wellKnownAnswer is one well-known document as the faults in force shape
// it.
type wellKnownAnswer struct {
	doc         any
	err         error  // the document could not be built
	contentType string // Faults.*ContentType
	what        string // the document's name in a fault's answer
	faultStatus int    // Faults.*Status
}

// serveWellKnown answers a well-known document: build runs under the
// instance's lock with the faults in force, then the method check, the
// delay, a fault's status or the document.
func (d *Instance) serveWellKnown(w http.ResponseWriter, r *http.Request, kind RequestKind, build func(Faults) wellKnownAnswer) {
	setKind(w, kind)
	d.mu.Lock()
	f := d.faults
	a := build(f)
	d.mu.Unlock()
	if !d.wellKnownPrelude(w, r, f) {
		return
	}
	if faultStatus(a.faultStatus) {
		// Convex quotes this body in its message ("…failed: 404 Not Found
		// <body>"), so it is one sentence, with no newline after it.
		plainText(w, a.faultStatus, "authscope demo: this scenario breaks the "+a.what+" on purpose")
		return
	}
	if a.err != nil {
		plainError(w, http.StatusInternalServerError, "cannot build the "+a.what)
		return
	}
	d.writeWellKnown(w, a.doc, a.contentType)
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

package rules

import (
	"fmt"
	"strings"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/internal/strictjson"
	"github.com/authscope/authscope/flow/convex/internal/weburl"
)

// The discovery document and the Content-Type checks of the OIDC path
// (SPEC.md "OIDC path"; openidconnect's discovery and http_utils).

const discoverySuffix = ".well-known/openid-configuration"

// discoveryURL is iss + "/.well-known/openid-configuration", without a
// second '/' when iss ends with one.
func discoveryURL(iss string) string {
	if strings.HasSuffix(iss, "/") {
		return iss + discoverySuffix
	}
	return iss + "/" + discoverySuffix
}

// discoveryDoc is the part of an OpenID provider metadata document the
// validator needs, after openidconnect's typing.
type discoveryDoc struct {
	Issuer  string
	JWKSURI string
}

// discoveryFieldKinds types the ProviderMetadata members openidconnect
// knows: 'U' required URL, 'u' optional URL, 'A' array of strings (a Vec
// with a default: null is an error), 'a' optional array of strings, 'S'
// array with skipped bad elements (non-null), 's' optional such array,
// 'b' optional boolean. Unknown members are ignored.
var discoveryFieldKinds = map[string]byte{
	"issuer":                                           'U',
	"jwks_uri":                                         'U',
	"authorization_endpoint":                           'u',
	"token_endpoint":                                   'u',
	"userinfo_endpoint":                                'u',
	"registration_endpoint":                            'u',
	"service_documentation":                            'u',
	"op_policy_uri":                                    'u',
	"op_tos_uri":                                       'u',
	"response_types_supported":                         'A',
	"subject_types_supported":                          'A',
	"id_token_signing_alg_values_supported":            'S',
	"scopes_supported":                                 'a',
	"response_modes_supported":                         'a',
	"grant_types_supported":                            'a',
	"acr_values_supported":                             'a',
	"token_endpoint_auth_methods_supported":            'a',
	"display_values_supported":                         'a',
	"claim_types_supported":                            'a',
	"claims_supported":                                 'a',
	"claims_locales_supported":                         'a',
	"ui_locales_supported":                             'a',
	"id_token_encryption_alg_values_supported":         's',
	"id_token_encryption_enc_values_supported":         's',
	"userinfo_signing_alg_values_supported":            's',
	"userinfo_encryption_alg_values_supported":         's',
	"userinfo_encryption_enc_values_supported":         's',
	"request_object_signing_alg_values_supported":      's',
	"request_object_encryption_alg_values_supported":   's',
	"request_object_encryption_enc_values_supported":   's',
	"token_endpoint_auth_signing_alg_values_supported": 's',
	"claims_parameter_supported":                       'b',
	"request_parameter_supported":                      'b',
	"request_uri_parameter_supported":                  'b',
	"require_request_uri_registration":                 'b',
}

// parseDiscovery types a discovery document the way openidconnect's
// CoreProviderMetadata does (issuer and jwks_uri required URLs; Convex's
// fork makes authorization_endpoint, response_types_supported,
// subject_types_supported and id_token_signing_alg_values_supported
// optional).
func parseDiscovery(body []byte) (*discoveryDoc, error) {
	members, err := strictjson.ParseObject(body)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	doc := &discoveryDoc{}
	seen := map[string]bool{}
	for _, m := range members {
		kind, ok := discoveryFieldKinds[m.Key]
		if !ok {
			continue
		}
		if seen[m.Key] {
			return nil, fmt.Errorf("duplicate field `%s`", m.Key)
		}
		seen[m.Key] = true
		if err := doc.set(m, kind); err != nil {
			return nil, err
		}
	}
	for _, required := range []string{"issuer", "jwks_uri"} {
		if !seen[required] {
			return nil, fmt.Errorf("missing field `%s`", required)
		}
	}
	return doc, nil
}

// set types one known member of the document.
func (doc *discoveryDoc) set(m strictjson.Member, kind byte) error {
	if m.Kind == strictjson.Null {
		if strings.IndexByte("uasb", kind) >= 0 {
			return nil
		}
		return fmt.Errorf("%s: invalid type: null", m.Key)
	}
	switch kind {
	case 'U', 'u':
		if m.Kind != strictjson.String {
			return fmt.Errorf("%s must be a URL string, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
		s, err := strictjson.DecodeString(m.Raw)
		if err != nil {
			return err
		}
		if err := weburl.CheckAbsolute(s); err != nil {
			return fmt.Errorf("%s %q is not a URL: %v", m.Key, s, err)
		}
		switch m.Key {
		case "issuer":
			doc.Issuer = s
		case "jwks_uri":
			doc.JWKSURI = s
		}
	case 'A', 'a':
		if _, ok := strictjson.StringArray(m.Raw); m.Kind != strictjson.Array || !ok {
			return fmt.Errorf("%s must be an array of strings, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
	case 'S', 's':
		if m.Kind != strictjson.Array {
			return fmt.Errorf("%s must be an array, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
	case 'b':
		if m.Kind != strictjson.Bool {
			return fmt.Errorf("%s must be a boolean, found %s", m.Key, strictjson.Unexpected(m.Raw))
		}
	}
	return nil
}

// headerToStr is http::HeaderValue::to_str: visible ASCII and tab only.
func headerToStr(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\t' && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return true
}

// oidcContentTypeOK is openidconnect's check_content_type: an absent
// Content-Type passes; a present one must be visible ASCII and its part
// before the first ';', lowercased, must equal one of the expected types.
// Whitespace is not trimmed ("application/json ; charset=utf-8" fails).
func oidcContentTypeOK(res *fetch.Result, expected ...string) bool {
	if !res.HasContentType {
		return true
	}
	ct := res.ContentType
	if !headerToStr(ct) {
		return false
	}
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(ct)
	for _, e := range expected {
		if ct == e {
			return true
		}
	}
	return false
}

func describeContentType(res *fetch.Result) string {
	if !res.HasContentType {
		return "(absent)"
	}
	return res.ContentType
}

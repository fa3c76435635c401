package devinstance

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// Template is a JWT template (SPEC.md "Tokens").
type Template struct {
	Name string
	// Claims are added to the default claims (azp, exp, iat, iss, jti, nbf,
	// sub), which they cannot override. A string value that is exactly a
	// shortcode such as "{{user.full_name}}" becomes the typed value; a
	// shortcode inside other text is replaced by its text; an unknown
	// shortcode gives null.
	Claims map[string]any
	// Lifetime is exp − iat; 0 means 60 s.
	Lifetime time.Duration
	// Algorithm is "RS256" (default, verifiable through the JWKS), or
	// "ES256" (its P-256 key is published in the JWKS while a template uses
	// it; Convex's OIDC path refuses the algorithm) or "HS256" (signed with
	// an instance secret that is never published; its kid is not in the
	// JWKS). ES256 and HS256 exist for the failure demos.
	Algorithm string
}

// SetTemplates replaces the JWT templates (none at all when called with no
// arguments). Safe for concurrent use.
func (d *Instance) SetTemplates(ts ...Template) error {
	tpls, err := normaliseTemplates(ts)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.templates = tpls
	d.mu.Unlock()
	return nil
}

// Templates returns copies of the current JWT templates.
func (d *Instance) Templates() []Template {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Template, len(d.templates))
	for i, t := range d.templates {
		out[i] = copyTemplate(t)
	}
	return out
}

// ConvexTemplate is the "convex" JWT template with the claims of the
// Dashboard's Convex preset as widely reproduced (SPEC.md "Tokens";
// the preset itself is not in any Clerk source, so this is unconfirmed).
func ConvexTemplate() Template {
	return Template{
		Name: clerk.ConvexTemplateName,
		Claims: map[string]any{
			"aud":                   clerk.ConvexAudience,
			"name":                  "{{user.full_name}}",
			"email":                 "{{user.primary_email_address}}",
			"picture":               "{{user.image_url}}",
			"nickname":              "{{user.username}}",
			"given_name":            "{{user.first_name}}",
			"family_name":           "{{user.last_name}}",
			"updated_at":            "{{user.updated_at}}",
			"phone_number":          "{{user.primary_phone_number}}",
			"email_verified":        "{{user.email_verified}}",
			"phone_number_verified": "{{user.phone_number_verified}}",
		},
		Lifetime:  clerk.DefaultTemplateLifetime,
		Algorithm: "RS256",
	}
}

// reservedClaims are the default claims of every template token; template
// claims cannot override them (clerk's SPEC.md "Lifetimes and claims").
var reservedClaims = map[string]bool{"azp": true, "exp": true, "iat": true, "iss": true, "jti": true, "nbf": true, "sub": true}

func normaliseTemplates(ts []Template) ([]Template, error) {
	out := make([]Template, 0, len(ts))
	seen := map[string]bool{}
	for _, t := range ts {
		if t.Name == "" || strings.ContainsAny(t.Name, "/?#") {
			return nil, fmt.Errorf("devinstance: JWT template name %q is not usable in a URL path", t.Name)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("devinstance: JWT template %q is defined twice", t.Name)
		}
		seen[t.Name] = true
		switch t.Algorithm {
		case "":
			t.Algorithm = "RS256"
		case "RS256", "ES256", "HS256":
		default:
			return nil, fmt.Errorf("devinstance: JWT template %q: algorithm %q is not one of RS256, ES256, HS256", t.Name, t.Algorithm)
		}
		if t.Lifetime < 0 {
			return nil, fmt.Errorf("devinstance: JWT template %q: negative lifetime %s (use Faults.TokenLifetime for expired tokens)", t.Name, t.Lifetime)
		}
		if t.Lifetime == 0 {
			t.Lifetime = clerk.DefaultTemplateLifetime
		}
		out = append(out, copyTemplate(t))
	}
	return out, nil
}

func copyTemplate(t Template) Template {
	if t.Claims != nil {
		t.Claims = copyJSON(t.Claims).(map[string]any)
	}
	return t
}

// copyJSON deep-copies maps and slices of JSON-like values, so a caller
// mutating its template after SetTemplates cannot race the server.
func copyJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = copyJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = copyJSON(e)
		}
		return s
	case []string:
		return append([]string(nil), x...)
	}
	return v
}

var shortcode = regexp.MustCompile(`\{\{\s*([a-z_.]+)\s*\}\}`)

// resolveClaims expands template shortcodes for one user.
func resolveClaims(v any, u clerk.User, updatedAt time.Time) any {
	switch x := v.(type) {
	case string:
		if m := shortcode.FindStringSubmatch(x); m != nil && m[0] == x {
			return shortcodeValue(m[1], u, updatedAt)
		}
		return shortcode.ReplaceAllStringFunc(x, func(s string) string {
			val := shortcodeValue(shortcode.FindStringSubmatch(s)[1], u, updatedAt)
			if val == nil {
				return ""
			}
			return fmt.Sprint(val)
		})
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = resolveClaims(e, u, updatedAt)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = resolveClaims(e, u, updatedAt)
		}
		return s
	}
	return v
}

// shortcodeValue is the typed value of a Clerk shortcode; empty strings and
// unknown shortcodes are null, as Clerk resolves them.
func shortcodeValue(name string, u clerk.User, updatedAt time.Time) any {
	str := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	switch name {
	case "user.id":
		return u.ID
	case "user.full_name":
		return str(u.FullName())
	case "user.first_name":
		return str(u.FirstName)
	case "user.last_name":
		return str(u.LastName)
	case "user.username":
		return str(u.Username)
	case "user.primary_email_address":
		return str(u.Email)
	case "user.image_url":
		return str(u.ImageURL)
	case "user.email_verified":
		return u.Email != "" && u.EmailVerified
	case "user.primary_phone_number":
		return nil
	case "user.phone_number_verified":
		return false
	case "user.updated_at":
		// Seconds, as OIDC's updated_at; Clerk's unit is unconfirmed.
		return updatedAt.Unix()
	case "user.created_at":
		return updatedAt.Unix()
	}
	return nil
}

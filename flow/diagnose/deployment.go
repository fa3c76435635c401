package diagnose

import (
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	convexrules "github.com/authscope/authscope/flow/convex/rules"
)

// providerView is what the provider rules compare when the backend matched
// no provider: the deployment's providers, the one the token was meant
// for, and the local file.
type providerView struct {
	// dep are the deployment's providers; known is false for a redacting
	// real deployment, where dep is only the config authscope replayed
	// with. source says where dep comes from.
	dep    convexrules.AuthConfig
	known  bool
	source string
	// local is convex/auth.config.ts as the project has it (nil: unknown).
	local    *convexrules.AuthConfig
	localHas bool
	// target is the provider the token was meant for; issuerOK says its
	// issuer matched, match is the matching's detail.
	target   convexrules.Provider
	issuerOK bool
	match    convexrules.MatchResult
	// lookAlike: the target's issuer renders like the token's iss but is
	// another string.
	lookAlike bool
	// localFixes: the local file would route this token while the
	// deployment does not, so the deployment runs something else. Only
	// meaningful when the deployment's providers are known.
	localFixes bool
}

// view reads the provider analysis once.
func (d *round) view() *providerView {
	if d.providers != nil {
		return d.providers
	}
	v := &providerView{local: d.App.LocalConfig}
	v.dep, v.known, v.source = d.deployment()
	v.localHas = v.local != nil && len(v.local.Providers) > 0
	if len(v.dep.Providers) > 0 {
		idx, ok := targetProvider(v.dep, d.tok.iss, d.tok.aud)
		v.target, v.issuerOK = v.dep.Providers[idx], ok
		v.match = convexrules.MatchProvider(v.target, d.tok.aud, d.tok.iss)
		v.lookAlike = !ok && lookAlike(v.match.Domain, v.match.Issuer)
		v.localFixes = v.known && v.localHas && !sameProviders(*v.local, v.dep) && matchesAny(*v.local, d.tok)
	}
	d.providers = v
	return v
}

// none reports whether the deployment has no provider at all.
func (v *providerView) none() bool { return len(v.dep.Providers) == 0 }

// issuerFails reports whether the deployment has providers and none has
// the token's issuer.
func (v *providerView) issuerFails() bool { return !v.none() && !v.issuerOK }

// audienceFails reports whether the target's issuer matched but its
// applicationID is not in the token's aud.
func (v *providerView) audienceFails() bool { return !v.none() && v.issuerOK && !v.match.AudienceOK }

// domain is the target provider's domain or issuer.
func (v *providerView) domain() string { return issuerOf(v.target) }

// providerListPrefix is the unredacted NoAuthProvider message up to its
// provider list (enhance_no_provider_error in convex-backend
// crates/authentication/src/lib.rs).
var providerListPrefix = strings.TrimSuffix(convexrules.MsgNoProviderList(nil), "]")

// noProviderMessage reports whether the backend answered with one of the
// three NoAuthProvider messages.
func (d *round) noProviderMessage() bool {
	return d.msg == convexrules.MsgNoProviderRedacted || d.msg == convexrules.MsgNoProvidersConfigured ||
		strings.HasPrefix(d.msg, providerListPrefix)
}

// deployment returns the providers the deployment has: read from the
// backend's unredacted message, or the embedded backend's own config.
// known is false for a redacting real deployment, where cfg is only the
// config authscope replayed with.
func (d *round) deployment() (cfg convexrules.AuthConfig, known bool, source string) {
	switch {
	case d.msg == convexrules.MsgNoProvidersConfigured:
		return convexrules.AuthConfig{}, true, "the backend's message"
	case strings.HasPrefix(d.msg, providerListPrefix) && strings.HasSuffix(d.msg, "]"):
		if ps, ok := parseProviderList(d.msg[len(providerListPrefix) : len(d.msg)-1]); ok {
			return convexrules.AuthConfig{Providers: ps}, true, "the backend's message"
		}
	}
	if d.Embedded {
		return d.Config, true, "the embedded backend's config"
	}
	return d.Config, false, ""
}

// parseProviderList reads the list enhance_no_provider_error prints:
// "OIDC(domain=<d>, app_id=<a>)" and "CustomJWT(issuer=<i>, app_id=<a or
// none>)" joined with ", ". A domain may itself hold ", " or ")": an item
// ends at the ")" that is followed by the next item or the end.
func parseProviderList(s string) ([]convexrules.Provider, bool) {
	var out []convexrules.Provider
	for s != "" {
		p, rest, ok := nextProvider(s)
		if !ok {
			return nil, false
		}
		out = append(out, p)
		s = rest
	}
	return out, true
}

const listOIDC, listCustom, listApp = "OIDC(domain=", "CustomJWT(issuer=", ", app_id="

// nextProvider reads the first item of a provider list.
func nextProvider(s string) (p convexrules.Provider, rest string, ok bool) {
	switch {
	case strings.HasPrefix(s, listOIDC):
		p.Kind, s = convexrules.KindOIDC, s[len(listOIDC):]
	case strings.HasPrefix(s, listCustom):
		p.Kind, s = convexrules.KindCustomJWT, s[len(listCustom):]
	default:
		return p, "", false
	}
	end := -1
	for i := 0; i < len(s) && end < 0; i++ {
		after := s[i+1:]
		if s[i] == ')' && (after == "" || strings.HasPrefix(after, ", "+listOIDC) || strings.HasPrefix(after, ", "+listCustom)) {
			end = i
		}
	}
	if end < 0 {
		return p, "", false
	}
	item := s[:end]
	j := strings.LastIndex(item, listApp)
	if j < 0 {
		return p, "", false
	}
	val, id := item[:j], item[j+len(listApp):]
	if p.Kind == convexrules.KindOIDC {
		p.Domain, p.ApplicationID, p.HasApplicationID = val, id, true
	} else {
		p.Issuer = val
		if id != "none" {
			p.ApplicationID, p.HasApplicationID = id, true
		}
	}
	return p, strings.TrimPrefix(s[end+1:], ", "), true
}

// issuerOf is the provider's domain (OIDC) or issuer (customJwt).
func issuerOf(p convexrules.Provider) string {
	if p.Kind == convexrules.KindCustomJWT {
		return p.Issuer
	}
	return p.Domain
}

// sameProviders compares two configs on what the backend's message shows
// of a provider: kind, domain or issuer (trailing '/' ignored, as matching
// does) and applicationID.
func sameProviders(a, b convexrules.AuthConfig) bool {
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
func describeProviders(cfg convexrules.AuthConfig) string {
	if len(cfg.Providers) == 0 {
		return "(none)"
	}
	return strings.TrimPrefix(convexrules.MsgNoProviderList(cfg.Providers), providerListPrefix[:len(providerListPrefix)-1])
}

// targetProvider picks the provider the token was meant for: the first
// whose issuer matches, else the first OIDC provider, else the first.
func targetProvider(cfg convexrules.AuthConfig, iss string, aud []string) (int, bool) {
	for i, p := range cfg.Providers {
		if convexrules.MatchProvider(p, aud, iss).IssuerOK {
			return i, true
		}
	}
	for i, p := range cfg.Providers {
		if p.Kind == convexrules.KindOIDC {
			return i, false
		}
	}
	return 0, false
}

func matchesAny(cfg convexrules.AuthConfig, t tokenFacts) bool {
	i, _ := convexrules.FindProvider(cfg, t.aud, t.iss)
	return i >= 0
}

// looksUnset reports whether a domain is what an unset or unexpanded
// variable leaves behind: empty, "undefined", "null", or the variable's
// own name or expression.
func looksUnset(dom, varName string) bool {
	s := strings.TrimSpace(dom)
	if strings.Contains(strings.ToLower(s), "process.env") || strings.Contains(s, "${") || (varName != "" && strings.Contains(s, varName)) {
		return true
	}
	for _, p := range []string{"https://", "http://"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.ToLower(strings.TrimRight(s, "/"))
	return s == "" || s == "undefined" || s == "null"
}

// rightIssuer is the domain the deployment should have: the token's iss
// when it has one (Clerk's iss is its Frontend API URL), else the
// publishable key's Frontend API URL.
func (d *round) rightIssuer() string {
	if d.tok.iss != "" {
		return d.tok.iss
	}
	if k, err := clerk.ParsePublishableKey(d.App.PublishableKey); err == nil {
		return k.FrontendAPIURL()
	}
	return ""
}

// issuerFix sets the domain variable to the token's issuer and pushes.
func (d *round) issuerFix() string {
	n := d.names
	return "Set the deployment's " + n.domainVar + " to exactly the token's issuer: " +
		n.envSet(n.domainVar, d.rightIssuer()) + ", then run " + n.push() + "."
}

package project

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/authscope/authscope/flow/convex/rules"
)

// resolve turns the evaluated providers into ProviderInfo, Raw and Config.
func (p *Project) resolve(env *envResolver) {
	if p.File == nil {
		// No auth config: the deployment has no providers. A read error is
		// already in ConfigErr.
		return
	}
	if !p.File.HasProviders {
		// serde's error for SerializedAuthConfig without providers, its
		// position stripped (which leaves the trailing space).
		p.ConfigErr = &rules.ConfigError{Code: rules.CodeAuthConfigSchema, Index: -1,
			Message: msgSchemaPrefix + "missing field `providers` "}
	}
	vars := p.variables(env)
	p.solve(vars)
	if anyDerived(vars) && !p.verify(env, vars) {
		for _, v := range vars {
			v.Derived, v.DerivedFrom = "", ""
		}
	}
	var unresolved []string
	bad := make([]bool, len(p.File.Providers))
	for i, src := range p.File.Providers {
		info := ProviderInfo{Index: src.Index, Pos: src.Pos, Kind: rules.KindOIDC, OtherKeys: src.OtherKeys}
		raw := rules.RawProvider{OtherKeys: src.OtherKeys}
		bad[i] = src.NotObject
		for _, f := range src.Fields {
			fi, missing := p.fieldInfo(f, vars)
			info.Fields = append(info.Fields, fi)
			for _, n := range missing {
				if !slices.Contains(unresolved, n) {
					unresolved = append(unresolved, n)
				}
			}
			if fi.Unknown() {
				continue
			}
			v := fi.Value
			if f.NotString {
				// Present for Convex's first checks, refused by its schema.
				bad[i] = true
				if f.Key == "type" {
					continue
				}
				v = ""
			}
			if f.Key == "type" && v == string(rules.KindCustomJWT) {
				info.Kind = rules.KindCustomJWT
			}
			setRaw(&raw, f.Key, v)
		}
		p.Providers = append(p.Providers, info)
		p.Raw = append(p.Raw, raw)
	}
	for _, n := range p.File.Undecided {
		if v := vars[n]; v == nil || v.Derived == "" {
			if !slices.Contains(unresolved, n) {
				unresolved = append(unresolved, n)
			}
		}
	}
	switch {
	case p.ConfigErr != nil:
	case len(unresolved) > 0:
		p.ConfigErr = &UnresolvedError{Names: unresolved}
	default:
		cfg, err := pushConfig(p.Raw, bad)
		if err != nil {
			p.ConfigErr = err
		} else {
			p.Config = cfg
		}
	}
}

func anyDerived(vars map[string]*Value) bool {
	for _, v := range vars {
		if v.Derived != "" {
			return true
		}
	}
	return false
}

func setRaw(raw *rules.RawProvider, key, v string) {
	switch key {
	case "type":
		raw.Type = &v
	case "domain":
		raw.Domain = &v
	case "issuer":
		raw.Issuer = &v
	case "jwks":
		raw.JWKS = &v
	case "algorithm":
		raw.Algorithm = &v
	case "applicationID":
		raw.ApplicationID = &v
	}
}

// pushConfig is rules.PushConfig for providers that may hold what
// Convex's schema refuses outright (bad marks them): an element of
// providers that is not an object, a field that is not a string. The
// common-confusion checks of every provider come first, then the schema
// of each provider in order (SPEC.md "What Convex checks").
func pushConfig(raw []rules.RawProvider, bad []bool) (rules.AuthConfig, error) {
	cfg, err := rules.PushConfig(raw)
	first := slices.Index(bad, true)
	if first < 0 {
		return cfg, err
	}
	var ce *rules.ConfigError
	if errors.As(err, &ce) {
		confusion := ce.Code == rules.CodeInsecureConfiguration ||
			ce.Code == rules.CodeAuthConfigSchema && ce.Message != msgSchemaPrefix+msgUntagged
		schema := ce.Code == rules.CodeAuthConfigSchema || ce.Code == rules.CodeInvalidSignatureAlg
		if confusion || schema && ce.Index < first {
			return rules.AuthConfig{}, err
		}
	}
	return rules.AuthConfig{}, &rules.ConfigError{Code: rules.CodeAuthConfigSchema, Index: first, Message: msgSchemaPrefix + msgUntagged}
}

// variables resolves every variable the config read: its local value, or
// for CONVEX_CLOUD_URL and CONVEX_SITE_URL, which Convex sets on every
// deployment (Convex Auth's auth.config.ts reads the latter), the
// deployment's.
func (p *Project) variables(env *envResolver) map[string]*Value {
	vars := map[string]*Value{}
	for _, r := range p.File.Reads {
		if vars[r.Name] != nil {
			continue
		}
		v := env.lookup(r.Name)
		if !v.Known {
			p.deriveSystem(&v)
		}
		if !v.Known && v.Derived == "" {
			deriveFromClient(&v, env)
		}
		vars[r.Name] = &v
	}
	return vars
}

func (p *Project) deriveSystem(v *Value) {
	if v.Name != "CONVEX_CLOUD_URL" && v.Name != "CONVEX_SITE_URL" {
		return
	}
	u, ok := p.DeploymentURL.Effective()
	if !ok || !strings.HasSuffix(u, ".convex.cloud") {
		return
	}
	if v.Name == "CONVEX_SITE_URL" {
		u = strings.TrimSuffix(u, ".convex.cloud") + ".convex.site"
	}
	v.Derived = u
	v.DerivedFrom = fmt.Sprintf("the deployment URL %s (%s), as Convex sets it on every deployment", p.DeploymentURL.Name, p.DeploymentURL.Where())
}

// clientVars are the variables the app's client reads for the values a
// provider's guide also sets on the deployment (flow/provider/SPEC.md
// "Auth0", "WorkOS AuthKit"): the deployment's must be the client's, or
// the tokens the app gets match no provider.
var clientVars = map[string][]string{
	"WORKOS_CLIENT_ID": {"VITE_WORKOS_CLIENT_ID", "NEXT_PUBLIC_WORKOS_CLIENT_ID"},
	"AUTH0_CLIENT_ID":  {"VITE_AUTH0_CLIENT_ID", "NEXT_PUBLIC_AUTH0_CLIENT_ID"},
	"AUTH0_DOMAIN":     {"VITE_AUTH0_DOMAIN", "NEXT_PUBLIC_AUTH0_DOMAIN"},
}

// deriveFromClient works out a provider variable of the deployment from
// the client's own: what it must hold for the app's tokens to match.
func deriveFromClient(v *Value, env *envResolver) {
	names, ok := clientVars[v.Name]
	if !ok {
		return
	}
	c := env.first(names...)
	if c.Known && c.Value != "" {
		v.Derived = c.Value
		v.DerivedFrom = fmt.Sprintf("%s (%s), the value the app signs in with", c.Name, c.Source)
	}
}

// solve works out what an unknown Clerk issuer variable must hold: the
// value that makes the provider's issuer the publishable key's Frontend
// API URL (SPEC.md "Environment variables"). The field may build the
// issuer around the variable ("https://" + it, a template literal, a
// helper): the text around the placeholder must then match around the
// URL.
func (p *Project) solve(vars map[string]*Value) {
	if p.Key == nil {
		return
	}
	want := p.Key.FrontendAPIURL()
	for _, prov := range p.File.Providers {
		for _, f := range prov.Fields {
			if (f.Key != "domain" && f.Key != "issuer") || f.NotString || len(f.DependsOn) > 0 {
				continue
			}
			locs := placeholderRE.FindAllStringSubmatchIndex(f.Value, -1)
			if len(locs) != 1 {
				continue
			}
			i, _ := strconv.Atoi(f.Value[locs[0][2]:locs[0][3]])
			if i >= len(p.File.Unknown) {
				continue
			}
			v := vars[p.File.Unknown[i]]
			if v == nil || v.Known || v.Derived != "" || !issuerVars[v.Name] && !strings.HasPrefix(v.Name, "CLERK_") {
				continue
			}
			before, after := f.Value[:locs[0][0]], f.Value[locs[0][1]:]
			if len(want) <= len(before)+len(after) || !strings.HasPrefix(want, before) || !strings.HasSuffix(want, after) {
				continue
			}
			v.Derived = want[len(before) : len(want)-len(after)]
			v.DerivedFrom = fmt.Sprintf("the publishable key %s (%s)", p.PublishableKey.Name, p.PublishableKey.Source)
		}
	}
}

// verify evaluates the config again with the derived values and checks
// that every field comes out as the placeholders predicted: a config that
// branches on a value (startsWith, a regular expression) may not.
func (p *Project) verify(env *envResolver, vars map[string]*Value) bool {
	if p.reader == nil {
		return false
	}
	lookup := func(name string) (string, bool) {
		if v := vars[name]; v != nil && !v.Known && v.Derived != "" {
			return v.Derived, true
		}
		return env.known(name)
	}
	again, err := p.reader.evaluate(lookup)
	if err != nil || len(again.Providers) != len(p.File.Providers) {
		return false
	}
	for i, prov := range p.File.Providers {
		other := again.Providers[i]
		if len(other.Fields) != len(prov.Fields) {
			return false
		}
		for j, f := range prov.Fields {
			want := expandPlaceholders(f.Value, p.File.Unknown, func(n string) string {
				if v := vars[n]; v != nil && v.Derived != "" {
					return v.Derived
				}
				return "\x00"
			})
			if strings.Contains(want, "\x00") {
				continue // still unknown: nothing to check
			}
			if other.Fields[j].Value != want {
				return false
			}
		}
	}
	return true
}

// fieldInfo computes a field's value as far as authscope can know it, and
// lists the unknown variables that keep it from knowing.
func (p *Project) fieldInfo(f FieldSource, vars map[string]*Value) (FieldInfo, []string) {
	fi := FieldInfo{Key: f.Key, Pos: f.Pos, Expr: f.Expr, Op: f.Op}
	for i, n := range f.Reads {
		if v := vars[n]; v != nil && i < len(f.ReadAt) {
			fi.Reads = append(fi.Reads, *v)
			fi.ReadAt = append(fi.ReadAt, f.ReadAt[i])
		}
	}
	var missing []string
	missing = append(missing, f.DependsOn...)
	var derivedFrom []string
	value := expandPlaceholders(f.Value, p.File.Unknown, func(n string) string {
		v := vars[n]
		if v == nil || v.Derived == "" {
			if !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
			return ""
		}
		derivedFrom = append(derivedFrom, v.DerivedFrom)
		return v.Derived
	})
	if m := placeholderRE.FindString(f.Value); m != "" && m != f.Value {
		fi.Template = expandPlaceholders(f.Value, p.File.Unknown, func(n string) string { return "${process.env." + n + "}" })
	}
	switch {
	case len(missing) > 0:
	case len(derivedFrom) > 0:
		fi.Value, fi.Derived, fi.Source = value, true, "derived from "+derivedFrom[0]
	default:
		fi.Value, fi.Known, fi.Source = value, true, p.sourceOf(f, fi.Reads)
	}
	return fi, missing
}

// sourceOf says where a known value came from: the place it is written,
// the one variable it is, or the place and the variables it is built from.
func (p *Project) sourceOf(f FieldSource, reads []Value) string {
	for _, r := range reads {
		if r.Known && r.Value == f.Value && (f.Value != "" || len(reads) == 1) {
			return r.Source
		}
	}
	if len(reads) == 0 {
		return f.Pos.Where()
	}
	var parts []string
	for _, r := range reads {
		parts = append(parts, r.Name+" from "+r.Where())
	}
	return f.Pos.Where() + " with " + strings.Join(parts, ", ")
}

package project

import (
	"path/filepath"
	"regexp"
	"sort"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// componentREs find the Convex provider components in a source file, each
// as a whole word (ConvexProviderWithAuth is a prefix of the others).
var componentREs = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, name := range provider.ComponentNames() {
		m[name] = regexp.MustCompile(`\b` + name + `\b`)
	}
	return m
}()

// componentsIn lists the Convex provider components a file's text names,
// in provider.ComponentNames order.
func componentsIn(data []byte) []string {
	var out []string
	for _, name := range provider.ComponentNames() {
		if componentREs[name].Match(data) {
			out = append(out, name)
		}
	}
	return out
}

// Client ID variables of the providers whose tokens name the app's client
// ID, in the order they are tried: the framework's prefix first.
var clientIDVars = map[provider.ID][]string{
	provider.Auth0:  {"VITE_AUTH0_CLIENT_ID", "NEXT_PUBLIC_AUTH0_CLIENT_ID", "AUTH0_CLIENT_ID"},
	provider.WorkOS: {"VITE_WORKOS_CLIENT_ID", "NEXT_PUBLIC_WORKOS_CLIENT_ID", "WORKOS_CLIENT_ID"},
}

// detectProvider settles on the sign-in provider (provider.Detect) from
// the dependencies, the provider file, the auth config and the env files,
// and reads the values the provider's checks and snippet need.
func (p *Project) detectProvider(deps []string, env *envResolver) {
	s := provider.Signals{Packages: deps, NextJS: p.Framework.ID == FrameworkNext}
	if f := p.Framework.ProviderFile; f != "" {
		if data, err := readCapped(filepath.Join(p.Root, filepath.FromSlash(f)), maxSourceScan); err == nil {
			for _, name := range componentsIn(data) {
				s.Components = append(s.Components, provider.Component{Name: name, File: f})
			}
		}
	}
	for _, prov := range p.Providers {
		s.Config = append(s.Config, configEntry(prov))
	}
	names := map[string]bool{}
	for _, f := range env.files {
		for name := range f.entries {
			names[name] = true
		}
	}
	for name := range names {
		s.Env = append(s.Env, name)
	}
	sort.Strings(s.Env)
	p.Provider = provider.Detect(s)
	if vars := clientIDVars[p.Provider.ID]; len(vars) > 0 {
		p.ClientID = env.first(vars...)
	}
	p.SiteURL = env.lookup("SITE_URL")
	if p.Provider.ID == provider.ConvexAuth {
		p.ConvexAuthKeys = ConvexAuthKeys{PrivateKey: env.lookup("JWT_PRIVATE_KEY"), JWKS: env.lookup("JWKS")}
	}
}

// ConvexAuthKeys are the variables Convex Auth signs and publishes its
// keys from (flow/provider/SPEC.md "Convex Auth"): they live on the
// deployment, and are known here only from --env, the environment or a
// local file.
type ConvexAuthKeys struct {
	PrivateKey Value
	JWKS       Value
}

// configEntry is a provider of the auth config as detection reads it.
func configEntry(prov ProviderInfo) provider.ConfigEntry {
	e := provider.ConfigEntry{CustomJWT: prov.Kind == rules.KindCustomJWT}
	key := "domain"
	if e.CustomJWT {
		key = "issuer"
	}
	if f, ok := prov.Field(key); ok {
		e.Expr = f.Expr
		if !f.Unknown() {
			e.Issuer = f.Value
		}
		for _, r := range f.Reads {
			e.Reads = append(e.Reads, r.Name)
		}
	}
	if v, ok := prov.Value("jwks"); ok {
		e.JWKS = v
	}
	return e
}

// Package project discovers and reads the user's Convex + Clerk project:
// the folder holding convex/, its auth config (convex/auth.config.ts, read
// with a small parser that never guesses), the dotenv files with where
// each value came from, package.json for the framework, and the
// publishable key. What those facts mean for authentication is
// flow/diagnose's business.
//
// Everything here is pure: file reads only, no network. Nothing imports
// package flow.
package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/rules"
)

// Project is what authscope learned from a project folder.
type Project struct {
	// Root is the folder that holds the functions directory.
	Root string `json:"root"`
	// FunctionsDir is the functions directory relative to Root, normally
	// "convex" (convex.json may name another).
	FunctionsDir string `json:"functionsDir"`
	// AuthConfigPath is the absolute path of auth.config.ts (or .js); empty
	// when there is none.
	AuthConfigPath string    `json:"authConfigPath,omitempty"`
	Framework      Framework `json:"framework"`
	// File is the parsed auth config; nil when there is none or it did not
	// parse (ConfigErr then holds the *ParseError).
	File *AuthConfigFile `json:"-"`

	// Raw are the providers as Convex would evaluate them: literals, env
	// values known locally, and, for an issuer variable unknown locally
	// whose value follows from the publishable key, that derived value
	// (ProviderInfo marks it Derived). A field whose value is unknown and
	// cannot be derived is nil here, and ConfigErr is an *UnresolvedError.
	Raw []rules.RawProvider `json:"-"`
	// Providers are the same providers with every field's expression,
	// position, the variables it read and where each value came from.
	Providers []ProviderInfo `json:"providers"`
	// Config is Raw after push-time normalisation (rules.PushConfig), the
	// configuration the replay validates against. It is empty when
	// ConfigErr is set.
	Config rules.AuthConfig `json:"config"`
	// ConfigErr says why there is no Config: a *ParseError, an
	// *UnresolvedError, or the push-time error Convex would give.
	ConfigErr error `json:"-"`
	// CommentedOut are provider objects found inside comments.
	CommentedOut []CommentedProvider `json:"commentedOut,omitempty"`

	// DeploymentURL is the Convex deployment URL (the framework's
	// variable, CONVEX_URL, VITE_CONVEX_URL or NEXT_PUBLIC_CONVEX_URL), or
	// derived from CONVEX_DEPLOYMENT.
	DeploymentURL Value `json:"deploymentUrl"`
	// PublishableKey is the Clerk publishable key variable.
	PublishableKey Value `json:"publishableKey"`
	// Deployment is CONVEX_DEPLOYMENT, e.g. "dev:happy-animal-123".
	Deployment Value `json:"deployment"`
	// DeploymentKind and DeploymentName split Deployment ("dev",
	// "happy-animal-123"); both empty when it is unknown.
	DeploymentKind string `json:"deploymentKind,omitempty"`
	DeploymentName string `json:"deploymentName,omitempty"`
	// Key is the parsed publishable key; nil when there is none or it is
	// invalid (KeyErr).
	Key    *clerk.PublishableKey `json:"-"`
	KeyErr error                 `json:"-"`
	// EnvFiles are the dotenv files that exist, highest priority first.
	EnvFiles []string `json:"envFiles,omitempty"`
	// PackageErr says why package.json could not be read (the framework
	// is then unknown); nil when it was read or there is none.
	PackageErr error `json:"-"`
}

// ProviderInfo is one provider of the auth config with provenance.
type ProviderInfo struct {
	Index  int                `json:"index"`
	Pos    Pos                `json:"pos"`
	Kind   rules.ProviderKind `json:"kind"`
	Fields []FieldInfo        `json:"fields"`
	// OtherKeys are keys Convex does not know (e.g. "applicationId").
	OtherKeys []string `json:"otherKeys,omitempty"`
}

// Field returns the field with key, if the provider has it.
func (p ProviderInfo) Field(key string) (FieldInfo, bool) {
	for _, f := range p.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return FieldInfo{}, false
}

// Value returns the effective value of key ("" and false when the field is
// absent or unknown).
func (p ProviderInfo) Value(key string) (string, bool) {
	f, ok := p.Field(key)
	if !ok || !(f.Known || f.Derived) {
		return "", false
	}
	return f.Value, true
}

// FieldInfo is one field of a provider: how it was written, what it read
// and the value Convex would see, as far as authscope can know it.
type FieldInfo struct {
	Key string `json:"key"`
	// Pos is the key's position in auth.config.ts.
	Pos Pos `json:"pos"`
	// Expr is the value as written, e.g. process.env.CLERK_JWT_ISSUER_DOMAIN!.
	Expr string `json:"expr"`
	// Op is "||" or "??" when the value is a chain of alternatives.
	Op string `json:"op,omitempty"`
	// Reads are the environment variables the expression read, in the
	// order Convex reads them, each resolved locally.
	Reads []Value `json:"reads,omitempty"`
	// Value is the value when Known, or the derived value when Derived.
	Value string `json:"value,omitempty"`
	Known bool   `json:"known"`
	// Derived marks a value worked out from the publishable key because
	// the variable is not known locally: what it must be, not what it is.
	Derived bool `json:"derived,omitempty"`
	// Source says where Value came from: "convex/auth.config.ts:9" for a
	// literal, a variable's source, or "derived from …".
	Source string `json:"source,omitempty"`
}

// Unknown reports whether the value is neither known nor derived.
func (f FieldInfo) Unknown() bool { return !f.Known && !f.Derived }

// Issuer is the field provider matching compares with a token's iss: the
// OIDC domain or the customJwt issuer, when its value is known or derived.
func (p ProviderInfo) Issuer() (FieldInfo, bool) {
	key := "domain"
	if p.Kind == rules.KindCustomJWT {
		key = "issuer"
	}
	f, ok := p.Field(key)
	if !ok || f.Unknown() {
		return FieldInfo{}, false
	}
	return f, true
}

// issuerVars are the variable names Convex's and Clerk's guides use for the
// Clerk issuer (reference/clerk.md §4.6).
var issuerVars = map[string]bool{"CLERK_JWT_ISSUER_DOMAIN": true, "CLERK_FRONTEND_API_URL": true}

// Load reads the project at root (as returned by Find). flags are --env
// NAME=VALUE pairs; getenv reads the process environment (nil: none). Load
// fails only when root has no functions directory or a file exists but
// cannot be read; everything else (no auth config, a file authscope cannot
// parse, unknown values) is reported in the Project.
func Load(root string, flags map[string]string, getenv func(string) (string, bool)) (*Project, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	fdir, err := functionsDir(root)
	if err != nil {
		return nil, fmt.Errorf("%s is not a Convex project: %w", root, err)
	}
	p := &Project{Root: root, FunctionsDir: filepath.ToSlash(fdir)}
	env := &envResolver{flags: flags, getenv: getenv}
	for _, name := range envFiles {
		data, err := readCapped(filepath.Join(root, name), maxDotenv)
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, errNotRegular) {
			// Not a dotenv file: a Python virtualenv is often named .env.
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		env.files = append(env.files, loadedEnvFile{name: name, entries: parseDotenv(string(data))})
		p.EnvFiles = append(p.EnvFiles, name)
	}

	p.Framework, p.PackageErr = detectFramework(root)
	p.facts(env)

	if err := p.readAuthConfig(); err != nil {
		return nil, err
	}
	p.resolve(env)
	return p, nil
}

// readAuthConfig finds and parses auth.config.ts or .js.
func (p *Project) readAuthConfig() error {
	for _, name := range []string{"auth.config.ts", "auth.config.js"} {
		path := filepath.Join(p.Root, filepath.FromSlash(p.FunctionsDir), name)
		data, err := readCapped(path, maxAuthConfig)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", p.rel(path), err)
		}
		p.AuthConfigPath = path
		f, perr := ParseAuthConfig(p.rel(path), data)
		if perr != nil {
			p.ConfigErr = perr
			return nil
		}
		p.File = f
		p.CommentedOut = f.CommentedOut
		return nil
	}
	return nil
}

// rel is path relative to the root, with forward slashes, for messages.
func (p *Project) rel(path string) string {
	if r, err := filepath.Rel(p.Root, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}

// AuthConfigName is the auth config's path for messages.
func (p *Project) AuthConfigName() string {
	if p.AuthConfigPath == "" {
		return p.FunctionsDir + "/auth.config.ts"
	}
	return p.rel(p.AuthConfigPath)
}

// deploymentName is what a cloud deployment name looks like.
var deploymentName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// facts resolves the deployment and the publishable key.
func (p *Project) facts(env *envResolver) {
	p.Deployment = env.lookup("CONVEX_DEPLOYMENT")
	if p.Deployment.Known {
		kind, name, ok := strings.Cut(p.Deployment.Value, string(':'))
		if !ok {
			kind, name = "", kind
		}
		p.DeploymentKind, p.DeploymentName = kind, name
	}
	p.DeploymentURL = env.first(p.DeploymentURLVars()...)
	if _, ok := p.DeploymentURL.Effective(); !ok {
		// Cloud deployments (dev, prod, preview) are served at
		// https://<name>.convex.cloud; local and anonymous ones have no
		// such URL. Deployments in other regions use
		// <name>.<region>.convex.cloud, which the name alone does not say,
		// hence "derived", not known.
		switch p.DeploymentKind {
		case "dev", "prod", "preview", "":
			if p.DeploymentName != "" && deploymentName.MatchString(p.DeploymentName) {
				p.DeploymentURL.Derived = "https://" + p.DeploymentName + ".convex.cloud"
				p.DeploymentURL.DerivedFrom = "CONVEX_DEPLOYMENT (" + p.Deployment.Source + ")"
			}
		}
	}
	p.PublishableKey = env.first(p.PublishableKeyVars()...)
	if p.PublishableKey.Known && p.PublishableKey.Value != "" {
		k, err := clerk.ParsePublishableKey(p.PublishableKey.Value)
		if err != nil {
			p.KeyErr = err
		} else {
			p.Key = &k
		}
	}
}

// DeploymentURLVars are the variables the deployment URL is read from, in
// the order they are tried: the framework's first.
func (p *Project) DeploymentURLVars() []string {
	return uniq(p.Framework.ConvexURLVar, "CONVEX_URL", "VITE_CONVEX_URL", "NEXT_PUBLIC_CONVEX_URL")
}

// PublishableKeyVars are the variables the publishable key is read from,
// in the order they are tried: the framework's first.
func (p *Project) PublishableKeyVars() []string {
	return uniq(p.Framework.PublishableKeyVar, "VITE_CLERK_PUBLISHABLE_KEY", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "CLERK_PUBLISHABLE_KEY")
}

func uniq(names ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// resolve turns the parsed providers into ProviderInfo, Raw and Config.
func (p *Project) resolve(env *envResolver) {
	if p.File == nil {
		// No auth config: the deployment has no providers. A parse error is
		// already in ConfigErr.
		return
	}
	if !p.File.HasProviders {
		// serde's error for SerializedAuthConfig without providers, its
		// position stripped (which leaves the trailing space).
		p.ConfigErr = &rules.ConfigError{Code: rules.CodeAuthConfigSchema, Index: -1,
			Message: "auth config file must include a list of provider credentials: missing field `providers` "}
	}
	var unresolved []string
	seen := map[string]bool{}
	for _, src := range p.File.Providers {
		info := ProviderInfo{Index: src.Index, Pos: src.Pos, Kind: rules.KindOIDC, OtherKeys: src.OtherKeys}
		var raw rules.RawProvider
		raw.OtherKeys = src.OtherKeys
		for _, f := range src.Fields {
			if !knownKeys[f.Key] {
				continue
			}
			fi := p.evalField(f, env)
			info.Fields = append(info.Fields, fi)
			for _, r := range fi.Reads {
				if !r.Known && r.Derived == "" && !seen[r.Name] {
					seen[r.Name] = true
					unresolved = append(unresolved, r.Name)
				}
			}
			if fi.Unknown() {
				continue
			}
			v := fi.Value
			switch f.Key {
			case "type":
				raw.Type = &v
				if v == string(rules.KindCustomJWT) {
					info.Kind = rules.KindCustomJWT
				}
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
		p.Providers = append(p.Providers, info)
		p.Raw = append(p.Raw, raw)
	}
	switch {
	case p.ConfigErr != nil:
	case len(unresolved) > 0:
		p.ConfigErr = &UnresolvedError{Names: unresolved}
	default:
		cfg, err := rules.PushConfig(p.Raw)
		if err != nil {
			p.ConfigErr = err
		} else {
			p.Config = cfg
		}
	}
}

// evalField computes a field's value as JavaScript (and Convex) would:
// a || chain takes the first non-empty operand, a ?? chain the first that
// is defined. In Convex, reading a variable that is not set on the
// deployment throws (AuthConfigMissingEnvironmentVariable, backend
// crates/isolate/src/environment/auth_config.rs), so an operand never reads
// as undefined there; an unknown variable stops the evaluation, since its
// deployment value decides the rest.
func (p *Project) evalField(f FieldSource, env *envResolver) FieldInfo {
	fi := FieldInfo{Key: f.Key, Pos: f.Pos, Expr: f.Value.Text, Op: f.Value.Op}
	last := len(f.Value.Terms) - 1
	for i, t := range f.Value.Terms {
		switch t.Kind {
		case TermString:
			if f.Value.Op == "||" && t.Literal == "" && i < last {
				continue
			}
			fi.Value, fi.Known = t.Literal, true
			fi.Source = fmt.Sprintf("%s:%d", p.AuthConfigName(), t.Pos.Line)
			return fi
		case TermEnv:
			v := env.lookup(t.Env)
			if !v.Known {
				p.derive(&v, f.Key)
			}
			fi.Reads = append(fi.Reads, v)
			switch {
			case v.Known:
				if f.Value.Op == "||" && v.Value == "" && i < last {
					continue
				}
				fi.Value, fi.Known, fi.Source = v.Value, true, v.Source
			case v.Derived != "":
				fi.Value, fi.Derived, fi.Source = v.Derived, true, "derived from "+v.DerivedFrom
			}
			return fi
		}
	}
	return fi
}

// derive fills in what an unknown variable must hold: for a Clerk issuer
// variable, the Frontend API URL of the publishable key (reference/clerk.md
// §1.2, §4.6); for CONVEX_CLOUD_URL and CONVEX_SITE_URL, which Convex sets
// on every deployment (Convex Auth's auth.config.ts reads the latter), the
// deployment's URLs.
func (p *Project) derive(v *Value, key string) {
	if v.Name == "CONVEX_CLOUD_URL" || v.Name == "CONVEX_SITE_URL" {
		u, ok := p.DeploymentURL.Effective()
		if !ok || !strings.HasSuffix(u, ".convex.cloud") {
			return
		}
		if v.Name == "CONVEX_SITE_URL" {
			u = strings.TrimSuffix(u, ".convex.cloud") + ".convex.site"
		}
		v.Derived = u
		v.DerivedFrom = fmt.Sprintf("the deployment URL %s (%s), as Convex sets it on every deployment", p.DeploymentURL.Name, p.DeploymentURL.Where())
		return
	}
	if p.Key == nil || (key != "domain" && key != "issuer") {
		return
	}
	if !issuerVars[v.Name] && !strings.HasPrefix(v.Name, "CLERK_") {
		return
	}
	v.Derived = p.Key.FrontendAPIURL()
	v.DerivedFrom = fmt.Sprintf("the publishable key %s (%s)", p.PublishableKey.Name, p.PublishableKey.Source)
}

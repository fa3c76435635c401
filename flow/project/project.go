// Package project discovers and reads the user's Convex project:
// the folder holding convex/, its auth config (convex/auth.config.ts,
// bundled with esbuild and evaluated in a sandbox, as Convex reads it),
// the dotenv files with where each value came from, package.json for the
// framework, the publishable key, and the sign-in provider the app uses
// (Clerk, Auth0, WorkOS AuthKit, Convex Auth, or its own; see
// flow/provider). SPEC.md says what it emulates and
// where that behaviour comes from. What those facts mean for
// authentication is flow/diagnose's business.
//
// Everything here reads files only: no network, and the config's code runs
// without access to files or the network. Nothing imports package flow.
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
	"github.com/authscope/authscope/flow/provider"
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
	// File is the auth config as evaluated; nil when there is none or it
	// could not be read (ConfigErr then holds the *ReadError or Convex's
	// *rules.ConfigError).
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
	// ConfigErr says why there is no Config: a *ReadError, an
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

	// Provider is the sign-in provider the app uses and what shows it.
	Provider provider.Detection `json:"provider"`
	// ClientID is the provider's client ID as the app's env files hold it
	// (Auth0's or WorkOS's; unknown for the others).
	ClientID Value `json:"clientId,omitzero"`
	// SiteURL is SITE_URL, Convex Auth's URL of the app itself, when it is
	// known locally (it normally lives on the deployment).
	SiteURL Value `json:"siteUrl,omitzero"`
	// ConvexAuthKeys are Convex Auth's key variables, when known locally.
	ConvexAuthKeys ConvexAuthKeys `json:"-"`

	// reader evaluates the config again with derived values, to check them.
	reader *configReader
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
	// Pos is where the key is written: auth.config.ts or a file it imports.
	Pos Pos `json:"pos"`
	// Expr is the value as written, e.g. process.env.CLERK_JWT_ISSUER_DOMAIN!.
	Expr string `json:"expr"`
	// Template is the value with each unknown variable written as
	// ${process.env.NAME}, when the value is built from one (a template
	// literal, a helper): "https://${process.env.CLERK_HOST}".
	Template string `json:"template,omitempty"`
	// Op is "||" or "??" when the value is a chain of alternatives.
	Op string `json:"op,omitempty"`
	// Reads are the environment variables the value came from, in the
	// order Convex reads them, each resolved locally; ReadAt says where
	// each is read (the field's own line, or a caller's when a helper or
	// an imported provider builds the field).
	Reads  []Value `json:"reads,omitempty"`
	ReadAt []Pos   `json:"readAt,omitempty"`
	// Value is the value when Known, or the derived value when Derived.
	Value string `json:"value,omitempty"`
	Known bool   `json:"known"`
	// Derived marks a value worked out from the publishable key because
	// the variable is not known locally: what it must be, not what it is.
	Derived bool `json:"derived,omitempty"`
	// Source says where Value came from: "convex/auth.config.ts:9" for a
	// literal, a variable's source, or "derived from …". A value built
	// from variables and text names the place and each variable's source.
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
// Clerk issuer (SPEC.md "Environment variables").
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

	var deps []string
	p.Framework, deps, p.PackageErr = readPackage(root)
	p.facts(env)

	if err := p.readAuthConfig(env); err != nil {
		return nil, err
	}
	p.resolve(env)
	p.detectProvider(deps, env)
	return p, nil
}

// readAuthConfig finds auth.config.ts or .js and reads it as Convex does.
// A file that cannot be read at all fails Load; one that does not bundle
// or evaluate is a ConfigErr.
func (p *Project) readAuthConfig(env *envResolver) error {
	var found []string
	for _, name := range []string{"auth.config.ts", "auth.config.js"} {
		path := filepath.Join(p.Root, filepath.FromSlash(p.FunctionsDir), name)
		if _, err := os.Stat(path); err == nil {
			found = append(found, path)
		}
	}
	if len(found) == 0 {
		return nil
	}
	path := found[0]
	data, err := readCapped(path, maxAuthConfig)
	if err != nil {
		return fmt.Errorf("reading %s: %w", p.rel(path), err)
	}
	p.AuthConfigPath = path
	name := p.rel(path)
	// The comments are read alongside the file: each commented-out
	// provider is bundled and evaluated on its own.
	commented := make(chan []CommentedProvider, 1)
	go func() { commented <- commentedProviders(p.Root, newSrcText(name, string(data))) }()
	defer func() { p.CommentedOut = <-commented }()
	if len(found) == 2 {
		// The Convex CLI refuses to choose (src/bundler/index.ts).
		p.ConfigErr = &ReadError{Kind: ReadTwoFiles, Pos: Pos{File: name, Line: 1, Col: 1},
			Msg: fmt.Sprintf("Found both %s and %s, choose one.", p.rel(found[1]), name)}
		return nil
	}
	r, err := newConfigReader(p.Root, name, nil)
	if err != nil {
		p.ConfigErr = err
		return nil
	}
	p.reader = r
	f, err := r.evaluate(env.known)
	if err != nil {
		p.ConfigErr = err
		return nil
	}
	p.File = f
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

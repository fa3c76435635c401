package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/demo"
)

// Exit statuses, decided once, here at the edge.
const (
	exitAuthenticated = 0   // isAuthenticated: true
	exitRejected      = 1   // isAuthenticated: false
	exitUsage         = 2   // a usage or configuration error
	exitUndecided     = 3   // nothing decided isAuthenticated (see flow.Verdict)
	exitInterrupted   = 130 // SIGINT or SIGTERM during check, Ctrl+C in the interface
)

// exitText is the exit-status paragraph of the help.
const exitText = "\nExit status: 0 when isAuthenticated would be true, 1 when false, 2 on usage or configuration errors,\n3 when nothing decided it (sign-in timed out, backend unreachable, connection dropped…), 130 when interrupted.\ndecode without --verify: 0 for a well-formed token, whatever its warnings; 2 when it is not a JWT.\n"

// usageError is a mistake in the command line or the configuration; it
// exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// options are the parsed flags of every subcommand.
type options struct {
	command string // "", "check", "scenarios", "decode", "version"

	demo       bool
	auto       bool
	noBrowser  bool
	jsonOut    bool
	redact     bool
	verbose    bool
	refresh    int // check: refresh rounds to run after the first
	scenario   string
	provider   string // the demo's flavour
	timeout    time.Duration
	project    string
	env        envFlag
	deployment string
	pubKey     string
	token      string
	tokenLabel string // where token came from, when not --token
	tokenFile  string
	identityQ  string
	user       string
	verify     bool // decode: ask the backend too
	version    bool // --version
	args       []string
	// set names the flags given on the command line, so that a flag given
	// where it does nothing can be refused (see conflicts.go).
	set map[string]bool
	// tokenWarned is set once the warning about a token on the command
	// line was printed (decode --verify reads the token twice).
	tokenWarned bool
	// interactive is set when the Bubble Tea view runs: it offers its own
	// key for the automatic demo sign-in, so no fallback is wired.
	interactive bool
}

// envFlag collects repeated --env NAME=VALUE.
type envFlag map[string]string

func (e envFlag) String() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (e envFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	e[name] = value
	return nil
}

const usageText = `authscope shows why Clerk says "signed in" while useConvexAuth() says
isAuthenticated: false. It runs the real sign-in through your browser and a
loopback redirect, then the eight steps of Convex's Clerk guide, live.
Apps on Auth0, WorkOS AuthKit, Convex Auth or their own OIDC or JWT issuer
get the same steps for the token they send (authscope asks for it).

Usage:
  authscope [flags]             the interactive view (plain text when not a terminal)
  authscope check [flags]       the same flow without the interactive view
  authscope scenarios           list the demo's failure scenarios, by provider
  authscope decode [TOKEN|-]    decode a token, offline (--verify: ask the backend too)
  authscope version             print authscope's version

With no flags authscope reads the Convex project around the working directory;
when there is none it runs the offline demo (an embedded Clerk-like issuer and
an embedded Convex-like backend).

Flags:
`

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{env: envFlag{}}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "check", "scenarios", "decode", "version":
			o.command = args[0]
			args = args[1:]
		case "help":
			args = []string{"-h"}
		default:
			return nil, usagef("unknown command %q: the commands are check, scenarios, decode and version (run authscope -h)", args[0])
		}
	}
	fs := flag.NewFlagSet("authscope", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
		fmt.Fprint(stderr, exitText)
	}
	fs.BoolVar(&o.demo, "demo", false, "use the embedded demo stack even inside a project")
	fs.BoolVar(&o.auto, "auto", false, "demo: sign in automatically as the demo user (no browser needed)")
	fs.BoolVar(&o.noBrowser, "no-browser", false, "do not open a browser; print the sign-in URL")
	fs.BoolVar(&o.jsonOut, "json", false, "check: print a JSON report on stdout")
	fs.BoolVar(&o.redact, "redact", false, "hide the raw token, the sign-in secret and personal claims (for screen sharing)")
	fs.BoolVar(&o.verbose, "v", false, "check: print each step's evidence fields")
	fs.IntVar(&o.refresh, "refresh", 0, "check: after the first round, run `N` token refreshes as the client would")
	fs.StringVar(&o.scenario, "scenario", "", "demo: break the embedded stack on purpose (see authscope scenarios)")
	fs.StringVar(&o.provider, "provider", "", "demo: the provider the embedded issuer stands for: clerk (default), auth0, workos, convex-auth, custom-oidc or custom-jwt")
	fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long to wait for the browser sign-in")
	fs.StringVar(&o.project, "project", "", "the project folder (default: walk up from the working directory to the folder holding convex/)")
	fs.Var(o.env, "env", "set an environment value auth.config.ts reads, as `NAME=VALUE` (repeatable)")
	fs.StringVar(&o.deployment, "deployment", "", "the Convex deployment URL (default: from the project's .env.local)")
	fs.StringVar(&o.pubKey, "publishable-key", "", "the Clerk publishable key (default: from the project's .env.local)")
	fs.StringVar(&o.token, "token", "", "check this token instead of signing in (- reads it from stdin)")
	fs.StringVar(&o.tokenFile, "token-file", "", "read the token to check from this file")
	fs.StringVar(&o.identityQ, "identity-query", "", "a deployed query `PATH` (file:function) that returns ctx.auth.getUserIdentity()")
	fs.StringVar(&o.user, "user", "", "demo: the demo user to sign in as (default: the first)")
	fs.BoolVar(&o.verify, "verify", false, "decode: also check the token with the backend, as check --token does")
	fs.BoolVar(&o.version, "version", false, "print authscope's version")
	if err := parseInterleaved(fs, args, o); err != nil {
		return nil, err
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if err := o.validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseInterleaved parses flags and collects the arguments between them,
// so that `decode TOKEN --verify` works as `decode --verify TOKEN` does.
// A lone "-" is an argument (stdin).
func parseInterleaved(fs *flag.FlagSet, args []string, o *options) error {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return nil
		}
		o.args = append(o.args, rest[0])
		args = rest[1:]
	}
}

// validate checks the values and the arguments; the combinations of flags
// are checked by conflicts.
func (o *options) validate() error {
	if o.command != "decode" && len(o.args) > 0 {
		return usagef("unexpected argument %q (run authscope -h)", o.args[0])
	}
	if o.command == "decode" && len(o.args) > 1 {
		return usagef("decode takes one token (or - for stdin), got %d arguments", len(o.args))
	}
	if o.refresh < 0 || o.refresh > 100 {
		return usagef("--refresh wants a number of rounds from 0 to 100, got %d", o.refresh)
	}
	if o.timeout <= 0 {
		return usagef("--timeout must be positive, got %s", o.timeout)
	}
	if err := validDeployment(o.deployment); err != nil {
		return err
	}
	if err := validPublishableKey(o.pubKey); err != nil {
		return err
	}
	if o.provider != "" {
		if _, err := demo.Provider(o.provider); err != nil {
			return usagef("--provider: %v", err)
		}
	}
	return staticConflicts(o)
}

// given reports whether a token is given on the command line (decode's
// argument, --token or --token-file).
func (o *options) given() bool {
	return o.token != "" || o.tokenFile != "" || o.command == "decode"
}

package main

import (
	"errors"
	"strings"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/wire"
	"github.com/authscope/authscope/flow/demo"
	"github.com/authscope/authscope/flow/untrusted"
)

// Flags that would do nothing, or contradict each other, are refused with
// exit status 2 and a sentence saying which applies, rather than silently
// ignored. The README's table of refused combinations lists one example
// per row below, and a test runs every example.

// conflict is one refused combination.
type conflict struct {
	when func(s situation) bool
	// why is the sentence printed; %s, if any, is the command's name.
	why string
}

// situation is what a conflict is judged on: the options, and, once they
// are known, whether a project was found and whether the interactive view
// runs.
type situation struct {
	o        *options
	project  bool
	terminal bool
}

func (s situation) set(names ...string) bool {
	for _, n := range names {
		if s.o.set[n] {
			return true
		}
	}
	return false
}

// offlineDecode is decode without --verify: nothing is sent anywhere.
func (s situation) offlineDecode() bool { return s.o.command == "decode" && !s.o.verify }

// flagConflicts are judged on the command line alone.
var flagConflicts = []conflict{
	{func(s situation) bool { return s.o.version && (s.o.command != "" || len(s.o.set) > 1) },
		"--version takes no command and no other flag"},
	{func(s situation) bool {
		return (s.o.command == "scenarios" || s.o.command == "version") && len(s.o.set) > 0
	}, "%s takes no flags"},
	{func(s situation) bool { return s.set("token") && s.set("token-file") },
		"--token and --token-file both give a token: use one"},
	{func(s situation) bool {
		return s.o.command == "decode" && len(s.o.args) > 0 && s.set("token", "token-file")
	},
		"decode takes its token once: as its argument, or with --token or --token-file"},
	{func(s situation) bool { return s.set("verify") && s.o.command != "decode" },
		"--verify belongs to decode: check always asks the backend"},
	{func(s situation) bool { return s.set("demo") && s.o.given() },
		"--demo signs in to the embedded demo, and a given token skips the sign-in: use one (without --demo the token is checked against your project, or against its own issuer)"},
	{func(s situation) bool { return s.set("demo") && s.set("deployment") },
		"--deployment names your deployment, but --demo uses its own embedded backend: use one"},
	{func(s situation) bool { return s.set("demo") && s.set("publishable-key") },
		"--publishable-key names your Clerk instance, but --demo signs in to its own embedded one: use one"},
	{func(s situation) bool { return s.set("demo") && s.set("identity-query") },
		"--identity-query asks a query deployed on your deployment, but --demo uses its own embedded backend (step 7 shows the identity there): use one"},
	{func(s situation) bool { return s.set("demo") && s.set("project", "env") },
		"--demo does not read a project, so --project and --env would do nothing: drop them, or drop --demo"},
	{func(s situation) bool { return s.set("auto") && s.o.given() },
		"--auto signs in to the demo, and a given token skips the sign-in: use one"},
	{func(s situation) bool { return s.set("scenario") && s.o.given() },
		"--scenario breaks the demo's sign-in on purpose, and a given token skips the sign-in: use one"},
	{func(s situation) bool { return s.set("user") && s.o.given() },
		"--user picks the demo user to sign in as, and a given token skips the sign-in: use one"},
	{func(s situation) bool { return s.set("provider") && s.o.given() },
		"--provider picks the provider the demo's issuer stands for, and a given token skips the sign-in: use one"},
	{func(s situation) bool {
		return s.set("no-browser", "timeout") && s.o.provider != "" && s.o.provider != demo.ProviderClerk
	},
		"--no-browser and --timeout are about the browser sign-in, which only the Clerk demo has (the other providers' demos take their tokens straight from the embedded issuer): drop them"},
	{func(s situation) bool { return s.set("auto") && s.set("no-browser") },
		"--auto signs in without a browser already: drop --no-browser"},
	{func(s situation) bool { return s.set("timeout", "no-browser") && s.o.given() },
		"--timeout and --no-browser are about the browser sign-in, which a given token skips: drop them"},
	{func(s situation) bool { return s.set("refresh") && s.o.given() },
		"--refresh runs token refetches, and a given token cannot be refetched: drop it"},
	{func(s situation) bool { return s.set("json") && s.set("v") },
		"--json reports every detail already; -v is for the text output: use one"},
	{func(s situation) bool { return s.offlineDecode() && s.set("json") },
		"decode prints text; --json is the report of a run: add --verify, or use check --token - --json"},
	{func(s situation) bool { return s.offlineDecode() && s.set("v") },
		"decode prints every detail already; -v is for runs: add --verify to ask the backend too"},
	{func(s situation) bool { return s.offlineDecode() && s.set("deployment", "identity-query") },
		"--deployment and --identity-query ask the backend, which decode does only with --verify: add --verify"},
}

// projectConflicts are judged once the project was looked for.
var projectConflicts = []conflict{
	{func(s situation) bool { return s.project && !s.o.demo && s.set("scenario") },
		"--scenario breaks the demo on purpose, and this folder is a Convex project: add --demo to run the demo here"},
	{func(s situation) bool { return s.project && !s.o.demo && s.set("provider") },
		"--provider picks the provider the demo's issuer stands for, and this folder is a Convex project: add --demo to run the demo here"},
	{func(s situation) bool { return s.project && !s.o.demo && s.set("user") },
		"--user picks a demo user, and in a project authscope signs in to your own Clerk instance: add --demo to run the demo here"},
	{func(s situation) bool { return s.project && !s.o.demo && !s.o.given() && s.set("auto") },
		"--auto signs in to the demo only, and this folder is a Convex project: sign in through the browser, add --demo, or check a token with --token -"},
	{func(s situation) bool { return !s.project && !s.o.demo && s.set("publishable-key") },
		"--publishable-key names your Clerk instance, but there is no Convex project here (no convex/ folder) to use it with: run in your app's folder, or pass --project DIR"},
	{func(s situation) bool { return !s.project && !s.o.demo && !s.o.given() && s.set("deployment") },
		"--deployment names your deployment, but there is no Convex project here (no convex/ folder) to sign in for: run in your app's folder, pass --project DIR, or check a token with --token -"},
	{func(s situation) bool { return !s.project && !s.o.demo && !s.o.given() && s.set("identity-query") },
		"--identity-query asks your deployment, but there is no Convex project here (no convex/ folder): run in your app's folder, pass --project DIR, or check a token with --token - --deployment URL"},
	{func(s situation) bool { return !s.project && !s.o.demo && s.set("env") },
		"--env sets values auth.config.ts reads, but there is no Convex project here (no convex/ folder): run in your app's folder, or pass --project DIR"},
}

// terminalConflicts are judged when the interactive view is about to run.
var terminalConflicts = []conflict{
	{func(s situation) bool { return s.terminal && s.set("json") },
		"--json prints the report of authscope check, and this runs the interactive view: use authscope check --json"},
	{func(s situation) bool { return s.terminal && s.set("v") },
		"-v prints each step's evidence in check's text output; the interactive view shows it in its detail pane: drop -v, or use authscope check -v"},
	{func(s situation) bool { return s.terminal && s.set("refresh") },
		"--refresh is for authscope check; the interactive view refetches on the client's schedule and when you press r: drop it, or use authscope check --refresh N"},
}

// refuse returns the first conflict of table that holds, as a usage error.
func refuse(table []conflict, s situation) error {
	for _, c := range table {
		if c.when(s) {
			if strings.Contains(c.why, "%s") {
				return usagef(c.why, s.o.command)
			}
			return &usageError{c.why}
		}
	}
	return nil
}

func staticConflicts(o *options) error { return refuse(flagConflicts, situation{o: o}) }

// validDeployment checks --deployment up front with the Convex client's
// own rules and words (wire.SyncURL).
func validDeployment(u string) error {
	if u == "" {
		return nil
	}
	if _, err := wire.SyncURL(u, ""); err != nil {
		return usagef("--deployment: %v", err)
	}
	return nil
}

// validPublishableKey checks --publishable-key up front with Clerk's
// rules, naming the check that failed.
func validPublishableKey(k string) error {
	if k == "" {
		return nil
	}
	_, err := clerk.ParsePublishableKey(k)
	var ke *clerk.KeyError
	if errors.As(err, &ke) {
		return usagef("--publishable-key %s is not a Clerk publishable key: %s (Clerk says %q). %s",
			untrusted.Text(k, 60), ke.Detail, ke.Message, ke.Hint())
	}
	if err != nil {
		return usagef("--publishable-key: %v", err)
	}
	return nil
}

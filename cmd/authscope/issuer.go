package main

import (
	"fmt"
	"io"
	"net"
	"net/url"

	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/untrusted"
)

// announceIssuer guards a token checked with no project: its auth config
// is assumed from the token's own iss, so checking it means fetching
// whatever issuer the token names. authscope says so on stderr before the
// run, and refuses an issuer that is not https unless it is on this
// machine: a pasted token must not send authscope to a plain-http host.
func announceIssuer(cfg rules.AuthConfig, stderr io.Writer) error {
	if len(cfg.Providers) == 0 {
		return nil // no iss: nothing will be fetched
	}
	iss := rules.WithScheme(cfg.Providers[0].Domain)
	shown := untrusted.Text(iss, 200)
	u, err := url.Parse(iss)
	switch {
	case err != nil || u.Host == "":
		return usagef("the token's issuer %q is not a URL: with no project there is nothing to check it against (run in your app's folder, or pass --project DIR)", shown)
	case u.Scheme == "http" && !loopback(u.Hostname()):
		return usagef("the token's issuer %s is not https: authscope fetches an issuer's keys over https only, or from this machine, so it will not ask it. Check the token in your app's folder (or with --project DIR), where auth.config.ts says which issuers to trust", shown)
	}
	fmt.Fprintf(stderr, "authscope: no Convex project here: checking the token against the issuer it names, %s; its discovery document and keys will be fetched from there (decode without --verify stays offline)\n", shown)
	return nil
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

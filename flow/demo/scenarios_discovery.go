package demo

import (
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios of OIDC discovery and the JWKS behind it (step 7): the backend
// fetches them from the token's iss.

func discoveryUnreachable() *Scenario {
	var dead string
	return &Scenario{Name: "discovery-unreachable", Cause: diagnose.CodeDiscoveryUnreachable,
		Title: "The backend cannot reach the token's issuer to fetch its discovery document",
		Clerk: func(o *devinstance.Options) {
			dead = deadIssuer()
			o.Faults.IssuerOverride = dead
		},
		Config: func(*devinstance.Instance, rules.AuthConfig) (rules.AuthConfig, rules.AuthConfig) {
			cfg := clerkProvider(dead, ApplicationID)
			return cfg, cfg
		}}
}

// deadIssuer is an issuer URL on a loopback port nothing listens on.
// Port 1 (tcpmux) is privileged and never handed out as an ephemeral
// port. A port the system just handed out and that was closed again
// could go to the next listener (another demo stack, a test running
// beside this one), and the "unreachable" issuer would then answer.
func deadIssuer() string {
	return "http://127.0.0.1:1"
}

func discovery404() *Scenario {
	return &Scenario{Name: "discovery-404", Cause: diagnose.CodeDiscoveryFailed,
		Title: "The issuer's discovery document answers 404: the socket closes without an AuthError",
		Clerk: func(o *devinstance.Options) { o.Faults.DiscoveryStatus = 404 }}
}

func discovery503() *Scenario {
	return &Scenario{Name: "discovery-503", Cause: diagnose.CodeDiscoveryFailed,
		Title: "The issuer's discovery document answers 503: the socket closes with 1013, no AuthError",
		Clerk: func(o *devinstance.Options) { o.Faults.DiscoveryStatus = 503 }}
}

func discoveryIssuerSlash() *Scenario {
	return &Scenario{Name: "discovery-issuer-slash", Cause: diagnose.CodeDiscoveryIssuerMismatch,
		Title: "The discovery document's issuer has a trailing slash the token's iss lacks",
		After: func(s *Stack) error {
			f := s.Clerk.Faults()
			f.DiscoveryIssuer = s.Clerk.Issuer() + "/"
			s.Clerk.SetFaults(f)
			return nil
		}}
}

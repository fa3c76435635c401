package demo

import (
	"context"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk/devinstance"
	"github.com/authscope/authscope/flow/diagnose"
)

// Scenarios before the backend sees a token: the sign-in is refused, or no
// token is ever sent.

func productionKey() *Scenario {
	return &Scenario{Name: "production-key", Cause: diagnose.CodeProductionKeyOnLoopback,
		Title:         "A production key (pk_live_) cannot sign in from localhost: refused before the flow starts",
		ProductionKey: true,
		// The instance answers as Clerk's production Frontend API does a
		// page outside its domain, for the apps that try anyway.
		Clerk: func(o *devinstance.Options) { o.Production = true }}
}

func integrationOff() *Scenario {
	return &Scenario{Name: "integration-off", Cause: diagnose.CodeIntegrationOffNoTemplate,
		Title: `Convex integration off and the JWT template renamed "Convex": Clerk answers 404, no token is sent`,
		Clerk: func(o *devinstance.Options) {
			o.IntegrationOn = false
			// Template names are case-sensitive: ConvexProviderWithClerk asks
			// for exactly "convex".
			renamed := devinstance.ConvexTemplate()
			renamed.Name = "Convex"
			o.Templates = []devinstance.Template{renamed}
		}}
}

func clientWiring() *Scenario {
	return &Scenario{Name: "client-wiring", Cause: diagnose.CodeClientWiring,
		Title:  "ConvexProviderWithClerk outside ClerkProvider: signed in, yet no token reaches Convex",
		Client: func(src flow.Source) flow.Source { return miswiredClient{src} }}
}

// miswiredClient is an app whose ConvexProviderWithClerk does not see
// Clerk's session: it sits outside ClerkProvider, or its useAuth comes
// from another package. Clerk is signed in (steps 1–4 pass, and the page
// fetches its token), but what the Convex client gets is null, with no
// error from Clerk, so it never sends Authenticate (ConvexProviderWithClerk
// in convex-js src/react-clerk/ConvexProviderWithClerk.tsx reads the
// session only through the useAuth it is given).
type miswiredClient struct{ flow.Source }

// FetchToken fetches through the page, as the sign-in needs, and gives the
// Convex client nothing.
func (c miswiredClient) FetchToken(ctx context.Context, skipCache bool) (flow.TokenResult, error) {
	tr, err := c.Source.FetchToken(ctx, skipCache)
	if err != nil {
		return tr, err
	}
	return flow.TokenResult{Path: tr.Path, Template: tr.Template, SessionAud: tr.SessionAud,
		Start: tr.Start, BrowserTimed: tr.BrowserTimed}, nil
}

func backendDown() *Scenario {
	return &Scenario{Name: "backend-down", Cause: diagnose.CodeBackendUnreachable,
		Title: "The Convex deployment is down (or VITE_CONVEX_URL is wrong): the token never reaches it",
		After: func(s *Stack) error { return s.Backend.Close() }}
}

func tokenAltered() *Scenario {
	return &Scenario{Name: "token-altered", Cause: diagnose.CodeSignatureInvalid,
		Title:  "Something between Clerk and Convex altered the token: its signature no longer verifies",
		Client: func(src flow.Source) flow.Source { return alteringClient{src} }}
}

// alteringClient stands for code or a proxy that changes the token on its
// way to Convex (here: one character of the signature).
type alteringClient struct{ flow.Source }

func (c alteringClient) FetchToken(ctx context.Context, skipCache bool) (flow.TokenResult, error) {
	tr, err := c.Source.FetchToken(ctx, skipCache)
	if err != nil || tr.Token == "" {
		return tr, err
	}
	b := []byte(tr.Token)
	i := len(b) - 8 // inside the signature, past any base64url padding bits
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	tr.Token = string(b)
	return tr, nil
}

package demo

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/authscope/authscope/flow/convex/backend"
	"github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/diagnose"
	"github.com/authscope/authscope/flow/issuers"
	"github.com/authscope/authscope/flow/issuers/convexauth"
	"github.com/authscope/authscope/flow/provider"
)

// convexAuthFlavour is Convex Auth inside the embedded deployment,
// configured as its setup writes convex/auth.config.ts
// (https://labs.convex.dev/auth/setup). The deployment's site URL, Convex
// Auth's issuer, is https://<name>.convex.site: a TLS front that passes
// requests to the backend's site port.
type convexAuthFlavour struct {
	auth  *convexauth.Auth
	front *issuers.Front
	ln    net.Listener
	srv   *http.Server
}

func newConvexAuth(now func() time.Time, sc *Scenario, m issuers.Mapping) (flavour, error) {
	o := convexauth.Options{Now: now}
	if sc.ConvexAuth != nil {
		sc.ConvexAuth(&o)
	}
	auth, err := convexauth.New(o)
	if err != nil {
		return nil, err
	}
	front, err := issuers.NewFront(convexSiteHost)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m.Add(front, ln.Addr().String())
	auth.SetSiteURL("https://" + convexSiteHost)
	return &convexAuthFlavour{auth: auth, front: front, ln: ln}, nil
}

// hooks add Convex Auth's actions and HTTP routes to the deployment.
func (f *convexAuthFlavour) hooks() backend.Options {
	return backend.Options{Actions: f.auth.Actions(), Site: f.auth.Site()}
}

// started serves the site URL's front, passing requests to the backend's
// site port.
func (f *convexAuthFlavour) started(ctx context.Context, b *backend.Backend) error {
	target, err := url.Parse(b.SiteURL())
	if err != nil {
		return err
	}
	// Neither the proxy nor the server logs to the process's stderr: it
	// is the user's terminal.
	quiet := log.New(io.Discard, "", 0)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = quiet
	// The same limits as the other embedded servers: a slow or endless
	// client cannot hold the front.
	f.srv = &http.Server{Handler: proxy, ErrorLog: quiet, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 16 << 10}
	srv, ln := f.srv, tls.NewListener(f.ln, f.front.TLS)
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	return nil
}

func (f *convexAuthFlavour) describe() string {
	return "Convex Auth of the embedded deployment " + f.auth.SiteURL() + " (at " + f.ln.Addr().String() + ")"
}
func (f *convexAuthFlavour) users() []issuers.User { return f.auth.Users() }

func (f *convexAuthFlavour) close() error {
	if f.srv != nil {
		return f.srv.Close()
	}
	return f.ln.Close()
}

func (f *convexAuthFlavour) token(user string) (string, error) {
	t, err := f.auth.SignIn(user)
	return t.Token, err
}

func (f *convexAuthFlavour) signedIn(u issuers.User) string {
	return "the browser sign-in runs for Clerk only; the deployment's Convex Auth signed " + u.Name() +
		" in with the Password provider directly, as its auth:signIn action does"
}

// config is the setup's provider: the deployment's own site URL, aud
// "convex".
func (f *convexAuthFlavour) config() rules.AuthConfig {
	return rules.AuthConfig{Providers: []rules.Provider{{Kind: rules.KindOIDC, Domain: f.auth.SiteURL(),
		ApplicationID: convexauth.Audience, HasApplicationID: true}}}
}

func (f *convexAuthFlavour) app(a *diagnose.App) {
	a.Provider, a.SiteURL = provider.ConvexAuth, demoSiteURL
}

package convexauth

import (
	"encoding/json"
	"net/http"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// Paths of the HTTP routes auth.addHttpRoutes registers.
const (
	PathDiscovery = "/.well-known/openid-configuration"
	PathJWKS      = "/.well-known/jwks.json"
)

// cacheControl is what the library's routes send.
const cacheControl = "public, max-age=15, stale-while-revalidate=15, stale-if-error=86400"

// Site is the deployment's HTTP router with auth.addHttpRoutes: the two
// well-known documents, built from CONVEX_SITE_URL and the JWKS variable;
// any other path is no route (SPEC.md "HTTP routes").
func (a *Auth) Site() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := a.currentFaults()
		var doc fake.Document
		switch r.URL.Path {
		case PathDiscovery:
			site := a.SiteURL()
			iss := site
			if f.DiscoveryIssuer != "" {
				iss = f.DiscoveryIssuer
			}
			b, _ := json.Marshal(map[string]string{"issuer": iss, "jwks_uri": site + PathJWKS, "authorization_endpoint": site + "/oauth/authorize"})
			doc = fake.Document{Body: b, What: "discovery document", FaultStatus: f.DiscoveryStatus, ContentType: f.DiscoveryContentType}
		case PathJWKS:
			jwks, err := a.JWKS()
			if err != nil {
				http.Error(w, "the JWKS variable cannot be built", http.StatusInternalServerError)
				return
			}
			doc = fake.Document{Body: []byte(jwks), What: "JWKS", FaultStatus: f.JWKSStatus, ContentType: f.JWKSContentType}
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("No matching routes found"))
			return
		}
		doc.CacheControl = cacheControl
		fake.ServeDocument(w, r, doc)
	})
}

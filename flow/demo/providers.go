package demo

import (
	"fmt"
	"strings"
)

// The demo's providers: --provider takes these names.
const (
	ProviderClerk      = "clerk"
	ProviderAuth0      = "auth0"
	ProviderWorkOS     = "workos"
	ProviderConvexAuth = "convex-auth"
	ProviderCustomOIDC = "custom-oidc"
	ProviderCustomJWT  = "custom-jwt"
)

// ProviderInfo is one flavour of the embedded issuer.
type ProviderInfo struct {
	// ID is what --provider takes.
	ID string
	// Name is how the scenario list heads the provider's group.
	Name string
	// Issuer says what stands in for it.
	Issuer string
}

// providers are the flavours in the order the scenario list shows them:
// Clerk, the default, first, then docs.convex.dev/auth's order.
var providers = []ProviderInfo{
	{ProviderClerk, "Clerk", "the embedded Clerk-like dev instance"},
	{ProviderWorkOS, "WorkOS AuthKit", "the embedded WorkOS-like API"},
	{ProviderAuth0, "Auth0", "the embedded Auth0-like tenant"},
	{ProviderConvexAuth, "Convex Auth", "Convex Auth inside the embedded deployment"},
	{ProviderCustomOIDC, "custom OIDC", "the embedded OIDC provider"},
	{ProviderCustomJWT, "custom JWT", "the embedded customJwt token server"},
}

// Providers lists the flavours, Clerk first.
func Providers() []ProviderInfo { return append([]ProviderInfo(nil), providers...) }

// Provider returns a flavour by ID; "" is Clerk.
func Provider(id string) (ProviderInfo, error) {
	if id == "" {
		id = ProviderClerk
	}
	for _, p := range providers {
		if p.ID == id {
			return p, nil
		}
	}
	ids := make([]string, len(providers))
	for i, p := range providers {
		ids[i] = p.ID
	}
	return ProviderInfo{}, fmt.Errorf("no demo provider %q: the providers are %s", id, strings.Join(ids, ", "))
}

package provider

import (
	"regexp"
	"strconv"
)

// SnippetParams are the project's values a snippet can name exactly.
type SnippetParams struct {
	// DeploymentURL is the URL the app gives ConvexReactClient: Convex
	// Auth keys its localStorage entries by it.
	DeploymentURL string
	// Auth0ClientID is the app's Auth0 client ID: Auth0's SDK keys its
	// localStorage cache by it.
	Auth0ClientID string
}

// Snippet is one line of JavaScript to paste in the browser console of the
// developer's own running app, signed in: it prints the token the Convex
// client sends for the provider (SPEC.md "Snippets"). Where the provider's
// SDK keeps that token out of reach of the console (AuthKit's memory, an
// app's own hook), it is WebSocketSnippet.
func Snippet(id ID, p SnippetParams) string {
	switch id {
	case Clerk:
		return clerkSnippet
	case Auth0:
		return auth0Snippet(p.Auth0ClientID)
	case ConvexAuth:
		return convexAuthSnippet(p.DeploymentURL)
	}
	return WebSocketSnippet
}

// clerkSnippet makes ConvexProviderWithClerk's choice with ClerkJS's
// global: the session token when its claims carry aud "convex", else the
// "convex" template's token.
const clerkSnippet = `(async()=>{const s=window.Clerk?.session;if(!s)return console.log("not signed in to Clerk");console.log(s.lastActiveToken?.jwt?.claims?.aud==="convex"?await s.getToken():await s.getToken({template:"convex"}))})()`

// auth0Snippet reads the ID token auth0-spa-js keeps for the client under
// @@auth0spajs@@::<client ID>::@@user@@ when the app caches in
// localStorage, as the Convex guide configures it.
func auth0Snippet(clientID string) string {
	find := `Object.keys(localStorage).find(k=>k.startsWith("@@auth0spajs@@::")&&k.endsWith("::@@user@@"))`
	if clientID != "" {
		find = strconv.Quote("@@auth0spajs@@::" + clientID + "::@@user@@")
	}
	return `(k=>{const v=k&&localStorage.getItem(k);console.log(v?JSON.parse(v).id_token:"no Auth0 ID token in localStorage: the app caches it in memory (Auth0Provider without cacheLocation=\"localstorage\"); use the WebSocket snippet instead")})(` + find + `)`
}

// convexAuthSnippet reads the JWT Convex Auth stores under
// __convexAuthJWT_<namespace>, the namespace being the deployment URL
// with every character but letters and digits removed.
func convexAuthSnippet(deploymentURL string) string {
	find := `Object.keys(localStorage).find(k=>k.startsWith("__convexAuthJWT_"))`
	if deploymentURL != "" {
		find = strconv.Quote(ConvexAuthStorageKey(deploymentURL))
	}
	return `(k=>console.log(k&&localStorage.getItem(k)||"no Convex Auth JWT in localStorage: sign in first"))(` + find + `)`
}

// ConvexAuthStorageKey is the localStorage key Convex Auth's React
// provider keeps the JWT under for a deployment URL (SPEC.md "Convex Auth").
func ConvexAuthStorageKey(deploymentURL string) string {
	return "__convexAuthJWT_" + nonAlnum.ReplaceAllString(deploymentURL, "")
}

var nonAlnum = regexp.MustCompile(`[^a-zA-Z0-9]`)

// WebSocketSnippet works for every provider: it prints the value of the
// next Authenticate message the Convex client sends on its sync
// WebSocket. The client sends it again when it reconnects, so switching
// the browser's Network panel to Offline and back makes it send at once.
const WebSocketSnippet = `(()=>{const o=WebSocket.prototype.send;WebSocket.prototype.send=function(d){try{const m=JSON.parse(d);if(m.type==="Authenticate"&&m.tokenType==="User"){WebSocket.prototype.send=o;console.log(m.value)}}catch(e){}return o.call(this,d)};console.log("waiting for the next Authenticate: switch the Network panel to Offline and back")})()`

// SnippetHowTo says in words what a provider's snippet does and where to
// paste it.
func SnippetHowTo(id ID) string {
	switch id {
	case Clerk:
		return "in the browser console of your running app, signed in, this prints the token ConvexProviderWithClerk would fetch:"
	case Auth0:
		return "in the browser console of your running app, signed in, this prints the ID token ConvexProviderWithAuth0 sends (from Auth0's localStorage cache, cacheLocation=\"localstorage\" as the Convex guide sets it):"
	case ConvexAuth:
		return "in the browser console of your running app, signed in, this prints the JWT Convex Auth keeps in localStorage, which the Convex client sends:"
	}
	return "in the browser console of your running app, signed in, this prints the token of the next Authenticate message the Convex client sends on its WebSocket (switch the Network panel to Offline and back to make it send one):"
}

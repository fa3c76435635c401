package provider

import (
	"fmt"
	"strings"
)

// PasteBanner is what authscope says in a project whose provider it cannot
// sign in with: which provider it found and why, which token the app's
// Convex provider component sends, that authscope checks that token from
// the running app, and the snippet that prints it. Each line is one
// paragraph; snippets stand alone on their line.
func PasteBanner(d Detection, p SnippetParams) []string {
	out := []string{fmt.Sprintf("this project signs in with %s (%s).", d.Name, strings.Join(d.Seen, "; "))}
	out = append(out,
		fmt.Sprintf("%s sends %s: %s.", d.Component, d.Token, d.Fetch),
		fmt.Sprintf("authscope cannot run %s's sign-in from its loopback page: it checks the token your running app sends, against this project's auth config and deployment.", d.Name),
		"To get it, "+SnippetHowTo(d.ID),
		Snippet(d.ID, p))
	if Snippet(d.ID, p) != WebSocketSnippet {
		out = append(out, "Or, for any provider, "+SnippetHowTo(OIDC), WebSocketSnippet)
	}
	return out
}

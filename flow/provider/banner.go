package provider

import (
	"fmt"
	"strings"
)

// BannerLine is one paragraph of PasteBanner; Code marks a snippet, to be
// printed alone on its line so that it copies whole.
type BannerLine struct {
	Text string
	Code bool
}

// PasteBanner is what authscope says in a project whose provider it cannot
// sign in with: which provider it found and why, which token the app's
// Convex provider component sends, that authscope checks that token from
// the running app, and the snippet that prints it.
func PasteBanner(d Detection, p SnippetParams) []BannerLine {
	snip := Snippet(d.ID, p)
	out := []BannerLine{
		{Text: fmt.Sprintf("this project signs in with %s (%s).", d.Name, strings.Join(d.Seen, "; "))},
		{Text: fmt.Sprintf("%s sends %s: %s.", d.Component, d.Token, d.Fetch)},
		{Text: fmt.Sprintf("authscope cannot run %s's sign-in from its loopback page: it checks the token your running app sends, against this project's auth config and deployment.", d.Name)},
		{Text: "To get it: " + SnippetHowTo(d.ID)},
		{Text: snip, Code: true},
	}
	if snip != WebSocketSnippet {
		out = append(out, BannerLine{Text: "Or, for any provider: " + SnippetHowTo(OIDC)}, BannerLine{Text: WebSocketSnippet, Code: true})
	}
	return out
}

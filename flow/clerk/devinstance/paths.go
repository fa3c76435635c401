package devinstance

// Paths of the dev instance's own pages (SPEC.md "Sign-in page"). The
// sign-in page stands in for the Account Portal; pathNPM is where ClerkJS's
// script lives on a Frontend API host (clerk.ScriptPath).
const (
	PathSignIn    = "/sign-in"
	pathSignInJS  = "/sign-in/app.js"
	pathSignInCSS = "/sign-in/app.css"
	pathAvatars   = "/avatars/"
	pathNPM       = "/npm/"
)

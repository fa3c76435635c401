package diagnose

import (
	"fmt"
	"strings"
)

// CodeClientWiring is the cause nothing in a token can reveal: the provider
// tree. ConvexProviderWithClerk reads Clerk's session through the useAuth
// it is given, so it must sit inside ClerkProvider and get Clerk's own
// useAuth. Clerk had a session (step 4) and reported no error, yet the
// client got nothing.
func clientWiring(d *round) *Finding {
	tr := d.Fetch
	if d.stage != stageNoToken || tr.HTTPStatus != 0 || tr.Body != "" || (tr.Err != "" && !strings.HasSuffix(tr.Err, "returned null")) {
		return nil
	}
	f := &Finding{Title: "Signed in to Clerk, but ConvexProviderWithClerk got no token: check how the providers are wired"}
	f.note("ClerkProvider", "has a signed-in session (step 4)")
	f.compare("token for Convex", "a JWT", "null, with no error from Clerk")
	f.Fix = wiringFix(d.names)
	return f
}

// wiringFix says, in the framework's own files, how the providers nest.
func wiringFix(n appNames) string {
	switch n.id {
	case "nextjs":
		return fmt.Sprintf(`In %s (a "use client" file), render <ConvexProviderWithClerk client={convex} useAuth={useAuth}> with useAuth imported from %q, and in app/layout.tsx put <ClerkProvider> around it — ClerkProvider outside, ConvexProviderWithClerk inside, not the other way round. Keep a single copy of %s (npm ls %s).`,
			n.providerFile, n.clerkPackage, n.clerkPackage, n.clerkPackage)
	case "tanstack-start":
		return fmt.Sprintf(`In %s, render <ClerkProvider publishableKey={%s}> around <ConvexProviderWithClerk client={convex} useAuth={useAuth}> (not the other way round), with ClerkProvider and useAuth both imported from %q.`,
			n.providerFile, n.keyExpr, n.clerkPackage)
	case "unknown":
		return "Where your app renders ConvexProviderWithClerk: ClerkProvider must wrap it (not the other way round), and its useAuth prop must be the useAuth of the same Clerk SDK that provides ClerkProvider."
	}
	return fmt.Sprintf(`In %s, render <ClerkProvider publishableKey={%s}> around <ConvexProviderWithClerk client={convex} useAuth={useAuth}> (not the other way round), and import useAuth from %q in that file, not from convex/react or a second copy of Clerk's SDK (npm ls %s shows one).`,
		n.providerFile, n.keyExpr, n.clerkPackage, n.clerkPackage)
}

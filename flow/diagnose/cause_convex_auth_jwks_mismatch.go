package diagnose

import (
	"fmt"

	convexrules "github.com/authscope/authscope/flow/convex/rules"
	"github.com/authscope/authscope/flow/provider"
)

// convexAuthJWKSMismatch finds convex-auth-jwks-mismatch: Convex Auth signs
// with JWT_PRIVATE_KEY and publishes the JWKS variable as it is; when JWKS
// does not hold that key's public half, its tokens (without kid) fail the
// signature check, and a JWKS of several keys leaves no single key to
// check them with (flow/provider/SPEC.md "Convex Auth", "Causes").
func convexAuthJWKSMismatch(d *round) *Finding {
	if d.customJWT() || !d.convexAuthToken() ||
		!d.failed(convexrules.ReasonSignature, convexrules.ReasonNoMatchingKey, convexrules.ReasonAmbiguousKey, convexrules.ReasonKeyUnusable) {
		return nil
	}
	title := "The deployment's JWKS does not hold the public key of JWT_PRIVATE_KEY: Convex Auth's tokens fail the signature check"
	if d.replayReason(convexrules.ReasonAmbiguousKey) {
		title = "The deployment's JWKS holds several keys: Convex Auth's tokens have no kid, so no single key can check them"
	}
	f := d.finding(title)
	if u := d.trace().JWKSURL; u != "" {
		f.note("JWKS", u+" (Convex Auth serves the JWKS variable as it is)")
	}
	f.noteReplay(d)
	f.Fix = convexAuthKeysFix(d.names.prod)
	return f
}

// convexAuthKeysFix says how to set the two variables from one pair.
func convexAuthKeysFix(prod bool) string {
	flag := ""
	if prod {
		flag = " --prod"
	}
	return fmt.Sprintf("Set JWT_PRIVATE_KEY and JWKS from one key pair: run npx @convex-dev/auth%s, which generates both and sets them on the deployment, or set JWKS to {\"keys\":[{\"use\":\"sig\", …the public key of JWT_PRIVATE_KEY…}]} with npx convex env set%s JWKS '…'. A pair copied from another deployment must be copied whole.", flag, flag)
}

// projectConvexAuthJWKSMismatch compares the two variables when both are
// known locally.
func projectConvexAuthJWKSMismatch(p *projectFacts) []Finding {
	if p.Provider.ID != provider.ConvexAuth {
		return nil
	}
	priv, jwks := p.ConvexAuthKeys.PrivateKey, p.ConvexAuthKeys.JWKS
	if !priv.Known || !jwks.Known || priv.Value == "" || jwks.Value == "" {
		return nil
	}
	match, why := publicKeyInJWKS(priv.Value, jwks.Value)
	if match {
		return nil
	}
	f := Finding{Title: "JWKS does not hold the public key of JWT_PRIVATE_KEY: Convex Auth's tokens will fail the signature check"}
	f.note("JWT_PRIVATE_KEY", "from "+priv.Where())
	f.note("JWKS", "from "+jwks.Where())
	f.note("found", why)
	f.Fix = convexAuthKeysFix(p.DeploymentKind == "prod")
	return []Finding{f}
}

package wire

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultClientVersion is the npm package version the JS client puts in
// its sync URL (SPEC.md, "Versions of the sources" and "URL").
const DefaultClientVersion = "1.48.0"

// SyncURL turns a deployment URL into the sync WebSocket URL exactly as the
// JS client does (npm: src/common/index.ts validateDeploymentUrl, then
// src/browser/sync/client.ts):
//   - the address must start with "http:" or "https:", parse as a URL and
//     not end with ".convex.site" (the HTTP-actions domain);
//   - it is split at the first "://": "http" becomes "ws", "https" becomes
//     "wss", anything else is `Unknown parent protocol <p>`;
//   - "/api/<clientVersion>/sync" is appended to the rest as it is: a
//     trailing slash or a path is kept, not stripped.
//
// The error texts are the JS client's.
func SyncURL(deploymentURL, clientVersion string) (string, error) {
	if clientVersion == "" {
		clientVersion = DefaultClientVersion
	}
	d := deploymentURL
	if !strings.HasPrefix(d, "http:") && !strings.HasPrefix(d, "https:") {
		return "", fmt.Errorf(`Invalid deployment address: Must start with "https://" or "http://". Found "%s".`, d)
	}
	if !validURL(d) {
		return "", fmt.Errorf("Invalid deployment address: \"%s\" is not a valid URL. If you believe this URL is correct, use the `skipConvexDeploymentUrlCheck` option to bypass this.", d)
	}
	if strings.HasSuffix(d, ".convex.site") {
		return "", fmt.Errorf("Invalid deployment address: \"%s\" ends with .convex.site, which is used for HTTP Actions. Convex deployment URLs typically end with .convex.cloud? If you believe this URL is correct, use the `skipConvexDeploymentUrlCheck` option to bypass this.", d)
	}
	i := strings.Index(d, "://")
	if i < 0 {
		return "", errors.New("Provided address was not an absolute URL.")
	}
	var scheme string
	switch p := d[:i]; p {
	case "http":
		scheme = "ws"
	case "https":
		scheme = "wss"
	default:
		return "", fmt.Errorf("Unknown parent protocol %s", p)
	}
	return scheme + "://" + d[i+3:] + "/api/" + clientVersion + "/sync", nil
}

// validURL approximates the WHATWG URL parser the JS client uses: Go's
// parser plus the rule that an http(s) URL written with "//" has a host.
func validURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	hasAuthority := strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
	return !hasAuthority || u.Host != ""
}

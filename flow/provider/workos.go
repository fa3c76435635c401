package provider

import (
	"net/url"
	"strings"
)

// WorkOSHost is the host of WorkOS's API, which issues AuthKit's tokens
// and serves their key sets (https://docs.convex.dev/auth/authkit/).
const WorkOSHost = "api.workos.com"

// WorkOSIssuer reads a WorkOS issuer: "user_management" and its client
// ID for https://api.workos.com/user_management/<client ID>, "sso" for
// https://api.workos.com; ok is false for any other URL.
func WorkOSIssuer(iss string) (kind, clientID string, ok bool) {
	if !strings.Contains(iss, "://") {
		iss = "https://" + iss
	}
	u, err := url.Parse(iss)
	if err != nil || strings.ToLower(u.Hostname()) != WorkOSHost {
		return "", "", false
	}
	path := strings.Trim(u.Path, "/")
	switch {
	case path == "":
		return "sso", "", true
	case strings.HasPrefix(path, "user_management/"):
		return "user_management", strings.TrimPrefix(path, "user_management/"), true
	case path == "user_management":
		return "user_management", "", true
	}
	return "", "", false
}

// WorkOSUserManagement is the issuer of AuthKit's tokens for a client ID.
func WorkOSUserManagement(clientID string) string {
	return "https://" + WorkOSHost + "/user_management/" + clientID
}

// WorkOSJWKS is WorkOS's JWKS URL for a client ID.
func WorkOSJWKS(clientID string) string { return "https://" + WorkOSHost + "/sso/jwks/" + clientID }

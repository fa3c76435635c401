package auth0

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/authscope/authscope/flow/issuers/internal/fake"
)

// ErrUnknownUser is returned for a user the tenant does not have.
var ErrUnknownUser = errors.New("no such demo user")

// DefaultScope is what the SPA SDK asks for when refresh tokens are on.
const DefaultScope = "openid profile email offline_access"

// Subject is the user's Auth0 user ID for a database connection: "auth0|"
// and 24 hex digits.
func Subject(u fake.User) string {
	sum := sha256.Sum256([]byte("auth0-demo:" + u.Key))
	return "auth0|" + hex.EncodeToString(sum[:12])
}

// TokenSet is the body of a successful /oauth/token answer.
type TokenSet struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// grant is what a code or a refresh token stands for.
type grant struct {
	user     fake.User
	sid      string
	scope    string
	audience string
	nonce    string
	// code only:
	clientID, redirectURI, challenge string
	expires                          time.Time
}

// Tokens are the tokens /oauth/token returns to the SPA for user after the
// Universal Login, with the demo API as audience and DefaultScope: what
// getAccessTokenSilently({detailedResponse: true}) then hands the app.
// For the demo's direct sign-in and for tests; keep tokens in memory.
func (t *Tenant) Tokens(userKey string) (TokenSet, error) {
	u, ok := t.user(userKey)
	if !ok {
		return TokenSet{}, fmt.Errorf("%w: %q", ErrUnknownUser, userKey)
	}
	return t.issue(grant{user: u, sid: fake.RandomHex(16), scope: DefaultScope, audience: t.audience}, false)
}

// issue mints the tokens of one /oauth/token answer.
func (t *Tenant) issue(g grant, withNonce bool) (TokenSet, error) {
	f := t.faults.Get()
	now := t.srv.Now()
	set := TokenSet{Scope: g.scope, TokenType: "Bearer", ExpiresIn: int(AccessTokenLifetime / time.Second)}
	iat, exp := f.Times(now, IDTokenLifetime)
	nonce := ""
	if withNonce {
		nonce = g.nonce
	}
	var err error
	if set.IDToken, err = fake.Mint(t.idClaims(g, nonce, iat, exp), t.key, "JWT", f); err != nil {
		return TokenSet{}, err
	}
	if g.audience == "" {
		// Without an audience Auth0 issues an access token for /userinfo
		// only, which is not a JWT the app can read (SPEC.md "Tokens").
		set.AccessToken = "demo-opaque-" + fake.RandomHex(24)
	} else {
		iat, exp := f.Times(now, AccessTokenLifetime)
		if set.AccessToken, err = fake.Mint(t.accessClaims(g, iat, exp), t.key, "JWT", f); err != nil {
			return TokenSet{}, err
		}
	}
	if slices.Contains(strings.Fields(g.scope), "offline_access") {
		set.RefreshToken = t.newRefreshToken(g)
	}
	return set, nil
}

// idClaims are the ID token's claims in the order Auth0 writes them.
func (t *Tenant) idClaims(g grant, nonce string, iat, exp time.Time) fake.Claims {
	u := g.user
	c := fake.Claims{
		{Name: "given_name", Value: u.GivenName}, {Name: "family_name", Value: u.FamilyName},
		{Name: "nickname", Value: u.Key}, {Name: "name", Value: u.Name()},
		{Name: "picture", Value: "https://s.gravatar.com/avatar/" + fake.RandomHex(16) + "?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F" + u.Key[:2] + ".png"},
		{Name: "updated_at", Value: "2025-01-06T09:30:00.000Z"},
		{Name: "email", Value: u.Email}, {Name: "email_verified", Value: true},
		{Name: "iss", Value: t.Issuer()}, {Name: "aud", Value: t.clientID}, {Name: "sub", Value: Subject(u)},
		{Name: "iat", Value: fake.Unix(iat)}, {Name: "exp", Value: fake.Unix(exp)}, {Name: "sid", Value: g.sid},
	}
	if nonce != "" {
		c = append(c, fake.Claim{Name: "nonce", Value: nonce})
	}
	return c
}

// accessClaims are the access token's claims for the API: aud is the API
// identifier and the tenant's /userinfo, azp the client ID.
func (t *Tenant) accessClaims(g grant, iat, exp time.Time) fake.Claims {
	return fake.Claims{
		{Name: "iss", Value: t.Issuer()}, {Name: "sub", Value: Subject(g.user)},
		{Name: "aud", Value: []string{g.audience, t.Issuer() + "userinfo"}},
		{Name: "iat", Value: fake.Unix(iat)}, {Name: "exp", Value: fake.Unix(exp)},
		{Name: "scope", Value: g.scope}, {Name: "azp", Value: t.clientID},
	}
}

// maxGrants bounds the codes and refresh tokens a tenant keeps.
const maxGrants = 512

func (t *Tenant) newRefreshToken(g grant) string {
	rt := "v1.demo-" + fake.RandomHex(24)
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.refresh) >= maxGrants {
		clear(t.refresh)
	}
	t.refresh[rt] = g
	return rt
}

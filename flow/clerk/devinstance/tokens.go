package devinstance

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/convex/jose"
)

// ErrTemplateNotFound is returned by MintToken for a template the instance
// does not have (the Frontend API answers 404, MissingTemplateError).
var ErrTemplateNotFound = errors.New("JWT template not found")

// ErrUnknownUser is returned by MintToken for a user id the instance does
// not have.
var ErrUnknownUser = errors.New("no such demo user")

// session is a signed-in session. Guarded by Instance.mu.
type session struct {
	id, userID, clientID string
	status               string // "active", "ended", "removed"
	createdAt            time.Time
	lastActiveAt         time.Time
}

// mintInput is everything one token needs, copied under the lock so
// signing happens outside it.
type mintInput struct {
	user        clerk.User
	sess        *session // nil for template tokens minted without one
	sessCreated time.Time
	template    *Template // nil: session token
	origin      string    // azp; "" leaves it out
	integration bool
	faults      Faults
	issuer      string
	updatedAt   time.Time
	signer      jose.SigningKey
}

// MintToken mints a token as the Frontend API would for userID: a session
// token when template is "" (on a session kept for MintToken, not attached
// to any browser client), else a template token. Faults apply. For tests
// and scenarios; the token is a bearer credential, keep it in memory.
func (d *Instance) MintToken(userID, template string) (string, error) {
	u, ok := d.userByID[userID]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownUser, userID)
	}
	d.mu.Lock()
	s := d.detached[userID]
	if s == nil {
		now := d.now()
		s = &session{id: newID("sess"), userID: userID, status: "active", createdAt: now, lastActiveAt: now}
		d.detached[userID] = s
	}
	in, err := d.mintInputLocked(u, s, template, "")
	d.mu.Unlock()
	if err != nil {
		return "", err
	}
	return mint(in, d.now())
}

// mintInputLocked gathers the input of one token; the caller holds d.mu.
func (d *Instance) mintInputLocked(u clerk.User, s *session, template, origin string) (mintInput, error) {
	in := mintInput{
		user: u, sess: s, origin: origin, integration: d.integration,
		faults: copyFaults(d.faults), issuer: d.issuer, updatedAt: d.createdAt,
	}
	if s != nil {
		in.sessCreated = s.createdAt
	}
	alg := "RS256"
	if template != "" {
		var found *Template
		for i := range d.templates {
			if d.templates[i].Name == template {
				t := copyTemplate(d.templates[i])
				found = &t
				break
			}
		}
		if found == nil {
			return mintInput{}, fmt.Errorf("%w: no JWT template exists with name: %s", ErrTemplateNotFound, template)
		}
		in.template = found
		alg = found.Algorithm
	}
	switch alg {
	case "ES256":
		in.signer = jose.SigningKey{Alg: alg, Kid: d.keys.ecKid, Key: d.keys.ec}
	case "HS256":
		in.signer = jose.SigningKey{Alg: alg, Kid: d.keys.hmacKid, Key: d.keys.hmac}
	default:
		k := d.keys.current()
		if in.faults.SignWithUnpublishedKey && d.keys.unpublished.key != nil {
			k = d.keys.unpublished
		}
		in.signer = jose.SigningKey{Alg: "RS256", Kid: k.kid, Key: k.key}
	}
	return in, nil
}

// mint builds the claims of SPEC.md "Tokens" and signs them.
func mint(in mintInput, wall time.Time) (string, error) {
	f := in.faults
	now := wall.Add(f.ClockOffset)
	iat := now.Unix()
	claims := map[string]any{}
	var lifetime time.Duration
	if in.template == nil {
		// Session token, v2 claims.
		lifetime = clerk.SessionTokenLifetime
		claims["nbf"] = iat - int64(clerk.SessionTokenNotBefore/time.Second)
		claims["sid"] = in.sess.id
		claims["v"] = 2
		claims["sts"] = "active"
		claims["fva"] = []int64{int64(wall.Sub(in.sessCreated) / time.Minute), -1}
		if in.integration {
			claims["aud"] = clerk.ConvexAudience
		}
	} else {
		lifetime = in.template.Lifetime
		if in.template.Claims != nil {
			resolved := resolveClaims(in.template.Claims, in.user, in.updatedAt).(map[string]any)
			for k, v := range resolved {
				if !reservedClaims[k] {
					claims[k] = v
				}
			}
		}
		claims["nbf"] = iat - int64(clerk.TemplateClockSkew/time.Second)
	}
	if f.TokenLifetime != 0 {
		lifetime = f.TokenLifetime
	}
	claims["iat"] = iat
	claims["exp"] = iat + int64(lifetime/time.Second)
	claims["iss"] = in.issuer
	claims["sub"] = in.user.ID
	claims["jti"] = newHex(10)
	if in.origin != "" {
		claims["azp"] = in.origin
	}
	if f.IssuerOverride != "" {
		claims["iss"] = f.IssuerOverride
	}
	if f.ExtraAudience != "" {
		switch aud := claims["aud"].(type) {
		case string:
			claims["aud"] = []any{aud, f.ExtraAudience}
		case []any:
			claims["aud"] = append(aud, f.ExtraAudience)
		}
	}
	for _, c := range f.OmitClaims {
		delete(claims, c)
	}
	key := in.signer
	key.Typ = "JWT"
	if f.OmitKid {
		key.Kid = ""
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("devinstance: template claims are not JSON: %w", err)
	}
	return jose.Sign(payload, key)
}

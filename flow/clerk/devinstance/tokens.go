package devinstance

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authscope/authscope/flow/clerk"
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
	signer      signer
}

type signer struct {
	alg string
	kid string
	rsa *rsa.PrivateKey
	ec  *ecdsa.PrivateKey
	mac []byte
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
		in.signer = signer{alg: alg, kid: d.keys.ecKid, ec: d.keys.ec}
	case "HS256":
		in.signer = signer{alg: alg, kid: d.keys.hmacKid, mac: d.keys.hmac}
	default:
		k := d.keys.current()
		if in.faults.SignWithUnpublishedKey && d.keys.unpublished.key != nil {
			k = d.keys.unpublished
		}
		in.signer = signer{alg: "RS256", kid: k.kid, rsa: k.key}
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
	header := map[string]any{"alg": in.signer.alg, "typ": "JWT"}
	if !f.OmitKid {
		header["kid"] = in.signer.kid
	}
	return sign(header, claims, in.signer)
}

func sign(header, claims map[string]any, s signer) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("devinstance: template claims are not JSON: %w", err)
	}
	input := b64url(h) + "." + b64url(c)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch s.alg {
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.rsa, crypto.SHA256, digest[:])
	case "ES256":
		r, sv, e := ecdsa.Sign(rand.Reader, s.ec, digest[:])
		if err = e; err == nil {
			// JWS wants r || s, each 32 bytes (RFC 7518, section 3.4), not ASN.1.
			sig = make([]byte, 64)
			r.FillBytes(sig[:32])
			sv.FillBytes(sig[32:])
		}
	case "HS256":
		m := hmac.New(sha256.New, s.mac)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	default:
		return "", fmt.Errorf("devinstance: unsupported algorithm %q", s.alg)
	}
	if err != nil {
		return "", err
	}
	return input + "." + b64url(sig), nil
}

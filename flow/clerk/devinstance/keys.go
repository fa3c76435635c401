package devinstance

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"sync"

	"github.com/authscope/authscope/flow/convex/jose"
)

// rsaBits is the size of the instance's RSA keys, as Clerk's.
const rsaBits = 2048

type rsaKey struct {
	kid string
	key *rsa.PrivateKey
}

// keyring holds the instance's signing keys. Guarded by Instance.mu.
type keyring struct {
	// published are the RSA keys in the JWKS, oldest first; the last one
	// signs.
	published []rsaKey
	// unpublished signs when Faults.SignWithUnpublishedKey is set; it is
	// made the first time that fault is set (key generation is slow).
	unpublished rsaKey
	ec          *ecdsa.PrivateKey
	ecKid       string
	hmac        []byte
	hmacKid     string
	// drawn counts the shipped demo keys this instance has used.
	drawn int
}

// newRSAKey returns the next key of the instance: one of the demo key pairs
// shipped in the binary while they last, then freshly generated ones.
//
// Why ship keys: generating a 2048-bit RSA key takes 0.1–2 s on a small
// machine, which would dominate a demo run that otherwise takes tens of
// milliseconds. The shipped keys sign tokens only for this loopback issuer,
// whose URL changes every run, and only the embedded backend trusts it:
// demo tokens are not secrets.
// The caller holds the instance's lock when it calls drawDemoKey, not
// while a key is generated.
func (kr *keyring) drawDemoKey() (rsaKey, bool) {
	if k := demoKey(kr.drawn); k != nil {
		kr.drawn++
		return rsaKey{kid: newID("ins"), key: k}, true
	}
	return rsaKey{}, false
}

func (kr *keyring) newRSAKey() (rsaKey, error) {
	if k, ok := kr.drawDemoKey(); ok {
		return k, nil
	}
	return generateRSAKey()
}

// nextRSAKey draws a demo key under the instance's lock, or generates one
// without holding it.
func (d *Instance) nextRSAKey() (rsaKey, error) {
	d.mu.Lock()
	k, ok := d.keys.drawDemoKey()
	d.mu.Unlock()
	if ok {
		return k, nil
	}
	return generateRSAKey()
}

func generateRSAKey() (rsaKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return rsaKey{}, err
	}
	return rsaKey{kid: newID("ins"), key: k}, nil
}

var (
	demoKeysOnce sync.Once
	demoKeys     []*rsa.PrivateKey
)

// demoKey returns the i-th shipped demo key, or nil past the last one.
func demoKey(i int) *rsa.PrivateKey {
	demoKeysOnce.Do(func() {
		rest := mustAsset("assets/demo-keys.pem")
		for {
			var blk *pem.Block
			blk, rest = pem.Decode(rest)
			if blk == nil {
				return
			}
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if rk, ok := k.(*rsa.PrivateKey); ok && err == nil {
				demoKeys = append(demoKeys, rk)
			}
		}
	})
	if i < len(demoKeys) {
		return demoKeys[i]
	}
	return nil
}

func (kr *keyring) init() error {
	first, err := kr.newRSAKey()
	if err != nil {
		return err
	}
	kr.published = []rsaKey{first}
	if kr.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return err
	}
	kr.ecKid = newID("ins")
	kr.hmac = make([]byte, 32)
	_, _ = rand.Read(kr.hmac)
	kr.hmacKid = newID("ins")
	return nil
}

func (kr *keyring) current() rsaKey { return kr.published[len(kr.published)-1] }

// RotateKey makes a new RSA key the signing key. Rotation is graceful: the
// previous key stays in the JWKS, so tokens it signed still verify, until
// RetireKey removes it or more than three keys are published (the oldest
// is then dropped). A verifier that cached the old JWKS (Convex caches it
// for the Cache-Control lifetime and does not refetch on an unknown kid)
// refuses new tokens until its cache expires, which is the "key rotated"
// failure.
func (d *Instance) RotateKey() (oldKid, newKid string) {
	fresh, err := d.nextRSAKey()
	if err != nil {
		// rsa.GenerateKey only fails on a broken random source, which
		// crypto/rand never returns; keep signing with the current key.
		d.mu.Lock()
		defer d.mu.Unlock()
		k := d.keys.current().kid
		return k, k
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	oldKid = d.keys.current().kid
	d.keys.published = append(d.keys.published, fresh)
	if len(d.keys.published) > maxPublishedRSA {
		d.keys.published = d.keys.published[len(d.keys.published)-maxPublishedRSA:]
	}
	return oldKid, fresh.kid
}

// RetireKey removes a key from the JWKS. The signing key cannot be
// retired; it reports whether kid was removed.
func (d *Instance) RetireKey(kid string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	keys := d.keys.published
	for i, k := range keys[:len(keys)-1] {
		if k.kid == kid {
			d.keys.published = append(keys[:i:i], keys[i+1:]...)
			return true
		}
	}
	return false
}

// SigningKID is the kid of the key that signs RS256 tokens now.
func (d *Instance) SigningKID() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.keys.current().kid
}

// PublishedKIDs are the kids in the JWKS, oldest first.
func (d *Instance) PublishedKIDs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for _, k := range d.keys.published {
		out = append(out, k.kid)
	}
	if d.usesES256Locked() {
		out = append(out, d.keys.ecKid)
	}
	return out
}

// UnpublishedKID is the kid Faults.SignWithUnpublishedKey signs with.
func (d *Instance) UnpublishedKID() string {
	d.ensureUnpublishedKey()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.keys.unpublished.kid
}

// ensureUnpublishedKey makes the never-published key, outside the lock.
func (d *Instance) ensureUnpublishedKey() {
	d.mu.Lock()
	have := d.keys.unpublished.key != nil
	d.mu.Unlock()
	if have {
		return
	}
	k, err := d.nextRSAKey()
	if err != nil {
		return
	}
	d.mu.Lock()
	if d.keys.unpublished.key == nil {
		d.keys.unpublished = k
	}
	d.mu.Unlock()
}

func (d *Instance) usesES256Locked() bool {
	for _, t := range d.templates {
		if t.Algorithm == "ES256" {
			return true
		}
	}
	return false
}

// jwksLocked builds the JWKS document with jwx (through jose): the
// published RSA keys, then the ES256 key when a template signs with it.
// Clerk publishes each key's use, kty, kid and alg beside its material
// (SPEC.md "Well-known documents"); jwx writes the members in name order, which no
// reader depends on. The caller holds d.mu.
func (d *Instance) jwksLocked() (json.RawMessage, error) {
	var keys []jose.PublicJWK
	for _, k := range d.keys.published {
		keys = append(keys, jose.PublicJWK{Key: &k.key.PublicKey, Kid: k.kid, Alg: "RS256"})
	}
	if d.usesES256Locked() {
		keys = append(keys, jose.PublicJWK{Key: &d.keys.ec.PublicKey, Kid: d.keys.ecKid, Alg: "ES256"})
	}
	return jose.JWKS(keys...)
}

package fake

import (
	"crypto/rand"
	"encoding/hex"
)

// User is a demo user of an issuer: the same people the Clerk-like dev
// instance has, so every flavour of the demo signs in the same person.
type User struct {
	// Key is the demo's own name for the user ("ada"); each issuer derives
	// its subject from it in its own shape.
	Key        string
	GivenName  string
	FamilyName string
	Email      string
}

// Name is the full name.
func (u User) Name() string { return u.GivenName + " " + u.FamilyName }

// DefaultUsers are the demo users.
func DefaultUsers() []User {
	return []User{
		{Key: "ada", GivenName: "Ada", FamilyName: "Lovelace", Email: "ada@example.com"},
		{Key: "grace", GivenName: "Grace", FamilyName: "Hopper", Email: "grace@example.com"},
	}
}

// RandomHex is n random bytes in hex (codes, refresh tokens, jti).
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

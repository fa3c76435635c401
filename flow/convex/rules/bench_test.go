package rules

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
)

// The performance goal: validating an RS256 token with a warm JWKS cache
// costs at most twice a bare rsa.VerifyPKCS1v15 of the same token. Both
// benchmarks report tokens/s.

// clerkLikeToken is an RS256 token shaped like a Clerk token for Convex.
func clerkLikeToken(k *rsa.PrivateKey, iss string) string { return clerkLikeTokenN(k, iss, 0) }

// clerkLikeTokenN differs from clerkLikeToken in its jti for each n.
func clerkLikeTokenN(k *rsa.PrivateKey, iss string, n int) string {
	payload := jobj("azp", "http://localhost:5173", "exp", testNow.Unix()+60, "fva", []int{0, -1}, "iat", testNow.Unix(),
		"iss", iss, "jti", fmt.Sprintf("c8d3ca4a8e2bd1a4bf7c%04d", n), "nbf", testNow.Unix()-5, "sid", "sess_2abcDEFghiJKLmnoPQRstuVWxyz",
		"sub", "user_2abcDEFghiJKLmnoPQRstuVWxyz", "aud", "convex", "name", "Ada Lovelace", "email", "ada@example.com",
		"email_verified", true, "picture", "https://img.clerk.com/abcdef", "updated_at", testNow.Unix()-3600,
		"given_name", "Ada", "family_name", "Lovelace", "nickname", "ada")
	return mkToken(jobj("alg", "RS256", "kid", "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD", "typ", "JWT"), payload, rs256(k))
}

func BenchmarkValidateRS256WarmCache(b *testing.B) {
	k := loadKeys(b)
	p := okIDP(b, rsaJWK(&k.rsaA.PublicKey, "kid", "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD", "alg", "RS256", "use", "sig"))
	p.set(func(p *idp) { p.cacheControl = "public, max-age=3600" })
	v := &Validator{Config: AuthConfig{Providers: []Provider{oidcProvider(p.url(), "convex")}}, Now: fixedNow,
		Fetcher: fetch.NewCache(fetch.NewHTTP(nil, fetch.Options{}), fixedNow, nil)}
	tok := clerkLikeToken(k.rsaA, p.url())
	ctx := context.Background()
	if r := v.Validate(ctx, tok); r.Err != nil { // warm the cache
		b.Fatal(describeResult(r))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := v.Validate(ctx, tok); r.Err != nil {
			b.Fatal(describeResult(r))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkValidateRS256WarmCacheNewTokens validates a different token each
// time: the cost of the first validation of a refreshed token with a warm
// JWKS cache.
func BenchmarkValidateRS256WarmCacheNewTokens(b *testing.B) {
	k := loadKeys(b)
	p := okIDP(b, rsaJWK(&k.rsaA.PublicKey, "kid", "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD", "alg", "RS256", "use", "sig"))
	p.set(func(p *idp) { p.cacheControl = "public, max-age=3600" })
	v := &Validator{Config: AuthConfig{Providers: []Provider{oidcProvider(p.url(), "convex")}}, Now: fixedNow,
		Fetcher: fetch.NewCache(fetch.NewHTTP(nil, fetch.Options{}), fixedNow, nil)}
	toks := make([]string, 256)
	for i := range toks {
		toks[i] = clerkLikeTokenN(k.rsaA, p.url(), i)
	}
	ctx := context.Background()
	if r := v.Validate(ctx, toks[0]); r.Err != nil {
		b.Fatal(describeResult(r))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := v.Validate(ctx, toks[i%len(toks)]); r.Err != nil {
			b.Fatal(describeResult(r))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkBareRSAVerify(b *testing.B) {
	k := loadKeys(b)
	verify := bareVerifier(b, &k.rsaA.PublicKey, clerkLikeToken(k.rsaA, "https://issuer.example.com"))
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		verify()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// bareVerifier returns a function that verifies tok's signature with
// crypto/rsa alone: what validation costs at the least.
func bareVerifier(b *testing.B, pub *rsa.PublicKey, tok string) func() {
	i := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:i])
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	return func() {
		sum := sha256.Sum256(input)
		if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWarmValidationOverBareVerify alternates a warm validation and a
// bare verify of the same token, so that load from elsewhere on the machine
// weighs on both alike, and reports their ratio (the goal: at most 2).
func BenchmarkWarmValidationOverBareVerify(b *testing.B) {
	k := loadKeys(b)
	p := okIDP(b, rsaJWK(&k.rsaA.PublicKey, "kid", "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD", "alg", "RS256", "use", "sig"))
	p.set(func(p *idp) { p.cacheControl = "public, max-age=3600" })
	v := &Validator{Config: AuthConfig{Providers: []Provider{oidcProvider(p.url(), "convex")}}, Now: fixedNow,
		Fetcher: fetch.NewCache(fetch.NewHTTP(nil, fetch.Options{}), fixedNow, nil)}
	tok := clerkLikeToken(k.rsaA, p.url())
	verify := bareVerifier(b, &k.rsaA.PublicKey, tok)
	ctx := context.Background()
	if r := v.Validate(ctx, tok); r.Err != nil {
		b.Fatal(describeResult(r))
	}
	var validating, bare time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if r := v.Validate(ctx, tok); r.Err != nil {
			b.Fatal(describeResult(r))
		}
		t1 := time.Now()
		verify()
		validating += t1.Sub(t0)
		bare += time.Since(t1)
	}
	b.ReportMetric(float64(validating.Nanoseconds())/float64(b.N), "validate-ns/op")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(float64(validating)/float64(bare), "ratio")
}

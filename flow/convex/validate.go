package convex

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Validator replays the backend's token validation (reference/convex.md
// §1.2–§1.9) with the same messages, and keeps a trace of every check so a
// user learns which one failed even where the backend hides it.
//
// A Validator is safe for concurrent use. Its fields must not change after
// the first Validate.
type Validator struct {
	// Config is the deployment's providers, in table order.
	Config AuthConfig
	// Redact selects the production wording of the two messages that
	// depend on it (§1.8): A3's provider list and C6's kid text.
	Redact bool
	// Fetcher performs the discovery and JWKS GETs; nil means a plain
	// HTTP fetcher with the default options (no cache). Response bodies
	// must not be modified after Fetch returns: parsed documents are
	// cached by body.
	Fetcher Fetcher
	// Now is the clock; nil means time.Now. The backend truncates it to
	// whole seconds (§1.6).
	Now func() time.Time

	docs     *docCache
	labels   []string // providerLabel of each provider, for the trace
	initOnce sync.Once
	fetcher  Fetcher
}

// Names of the checks recorded in Trace.Checks, in the order they can run.
const (
	CheckPayload              = "payload decodes"              // §1.2 step 1
	CheckIssuerPresent        = "iss present"                  // §1.2 step 2
	CheckProvider             = "provider matches iss and aud" // §1.2 step 4
	CheckIssuerURL            = "iss is an absolute URL"       // §1.3 step 1
	CheckDiscoveryFetch       = "discovery fetched"            // §1.3 step 1
	CheckDiscoveryStatus      = "discovery status 200"         // §1.3 step 1
	CheckDiscoveryContentType = "discovery Content-Type"       // §1.3 step 1
	CheckDiscoveryDocument    = "discovery document parses"    // §1.3 step 1
	CheckDiscoveryIssuer      = "discovery issuer equals iss"  // §1.3 step 1
	CheckJWKSSource           = "jwks data: URL decodes"       // §1.4 step 1
	CheckJWKSFetch            = "JWKS fetched"                 // §1.3 step 1, §1.4 step 1
	CheckJWKSStatus           = "JWKS status 200"              // §1.3 step 1, §1.4 step 1
	CheckJWKSContentType      = "JWKS Content-Type"            // §1.3 step 1, §1.4 step 1
	CheckJWKSDocument         = "JWKS parses"                  // §1.3 step 1, §1.4 step 2
	CheckOIDCStructure        = "OIDC ID token structure"      // §1.3 step 3
	CheckTyp                  = "typ header"                   // §1.3 step 4
	CheckCty                  = "cty header absent"            // §1.3 step 4
	CheckCrit                 = "crit header absent"           // §1.3 step 4
	CheckIssuer               = "iss"                          // §1.3 step 4, §1.4 step 4
	CheckAudience             = "aud contains applicationID"   // §1.3 step 4, §1.4 step 5
	CheckSingleAudience       = "no other audiences"           // §1.3 step 4
	CheckAlg                  = "alg"                          // §1.3 step 4, §1.4 step 3
	CheckTokenParts           = "three parts"                  // §1.4 step 3
	CheckHeader               = "header decodes"               // §1.4 step 3
	CheckKid                  = "kid header present"           // §1.4 step 3
	CheckKey                  = "key selected"                 // §1.3 step 4, §1.4 step 3
	CheckSignature            = "signature"                    // §1.3 step 4, §1.4 step 3
	CheckExp                  = "exp"                          // §1.3 step 4, §1.4 step 6
	CheckNbf                  = "nbf"                          // §1.4 step 6
	CheckIat                  = "iat"                          // §1.4 step 6
	CheckSubjectPresent       = "sub present"                  // §1.4 step 7
	CheckExpiryPresent        = "exp present"                  // §1.4 step 7
)

// resultBlock is a Result with inline storage for its checks and fetches.
type resultBlock struct {
	res     Result
	checks  [24]Check
	fetches [2]FetchRecord
}

// run is one validation in progress.
type run struct {
	v      *Validator
	res    *Result
	token  string
	now    time.Time
	nowSec int64
}

func (v *Validator) init() {
	v.initOnce.Do(func() {
		v.docs = newDocCache()
		v.labels = make([]string, len(v.Config.Providers))
		for i, p := range v.Config.Providers {
			v.labels[i] = providerLabel(p)
		}
		v.fetcher = v.Fetcher
		if v.fetcher == nil {
			v.fetcher = NewHTTPFetcher(nil, FetchOptions{Now: v.Now})
		}
	})
}

func (v *Validator) clock() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Validate checks token against the Validator's config as the backend
// does, in the backend's order. It never returns nil; Result.Err is nil
// when the token is accepted, and Result.Trace holds everything that was
// looked at either way.
func (v *Validator) Validate(ctx context.Context, token string) *Result {
	v.init()
	now := v.clock()
	// One allocation holds the result and room for a typical trace.
	blk := &resultBlock{}
	blk.res.Trace = Trace{ProviderIndex: -1, Signature: SignatureNotChecked,
		Checks: blk.checks[:0], Fetches: blk.fetches[:0]}
	r := &run{
		v:      v,
		token:  token,
		now:    now,
		nowSec: now.Unix(),
		res:    &blk.res,
	}
	if err := r.validate(ctx); err != nil {
		r.res.Err = err
	}
	return r.res
}

func (r *run) check(name string, ok bool, expected, actual string) {
	r.res.Trace.Checks = append(r.res.Trace.Checks, Check{Name: name, OK: ok, Expected: expected, Actual: actual})
}

func (r *run) validate(ctx context.Context) *AuthError {
	// §1.2 step 1: the payload, unverified, typed by biscuit.
	pc, perr := parseTokenPayload(r.token)
	if perr != nil {
		r.check(CheckPayload, false, "a base64url JSON object with typed registered claims", perr.Detail)
		if perr.Internal {
			return errInternal(ReasonTimestampRange, perr.Detail)
		}
		return errInvalidAuthHeader(MsgPayloadUnparseable, ReasonPayloadUnparseable, perr.Detail)
	}
	r.check(CheckPayload, true, "", "")
	// §1.2 step 2.
	if !pc.HasIss {
		r.check(CheckIssuerPresent, false, "an iss claim", "none")
		return errInvalidAuthHeader(MsgMissingIssuer, ReasonMissingIssuer,
			"the payload has no iss claim (or it is null); Convex routes tokens to a provider by iss")
	}
	r.check(CheckIssuerPresent, true, "", pc.Iss)
	r.res.Trace.Issuer = pc.Iss
	r.res.Trace.Audiences = pc.Aud

	// §1.2 steps 3–5.
	cfg := r.v.Config
	idx, matches := FindProvider(cfg, pc.Aud, pc.Iss)
	if idx < 0 {
		expected := "at least one provider in convex/auth.config.ts"
		if len(cfg.Providers) > 0 {
			expected = strings.Join(r.v.labels, ", ")
		}
		actual := fmt.Sprintf("iss %s (compared as %s), aud %s", pc.Iss, strings.TrimRight(WithScheme(pc.Iss), "/"), rustDebugList(pc.Aud))
		r.check(CheckProvider, false, expected, actual)
		return noProviderError(cfg, r.v.Redact, explainNoMatch(cfg, matches, pc))
	}
	p := cfg.Providers[idx]
	r.res.Trace.ProviderIndex = idx
	r.res.Trace.Provider = &p
	r.check(CheckProvider, true, r.v.labels[idx], "")

	if p.Kind == KindCustomJWT {
		return r.customJWT(ctx, p, pc)
	}
	return r.oidc(ctx, p, pc)
}

// explainNoMatch says, provider by provider, which side of the match failed.
func explainNoMatch(cfg AuthConfig, matches []MatchResult, pc *payloadClaims) string {
	if len(cfg.Providers) == 0 {
		return "the deployment has no auth providers: none is configured or convex/auth.config.ts was not pushed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no provider matched iss %q with aud %s:", pc.Iss, rustDebugList(pc.Aud))
	for _, m := range matches {
		p := cfg.Providers[m.Index]
		fmt.Fprintf(&b, " [%d] %s:", m.Index, providerLabel(p))
		if !m.IssuerOK {
			fmt.Fprintf(&b, " issuer differs (provider %q, token %q after adding https:// and trimming '/')", m.Domain, m.Issuer)
		} else {
			b.WriteString(" issuer matches")
		}
		if app, ok := providerAppID(p); ok {
			if m.AudienceOK {
				b.WriteString(", aud contains " + strconv.Quote(app))
			} else {
				b.WriteString(", aud lacks " + strconv.Quote(app))
			}
		} else {
			b.WriteString(", aud not checked")
		}
		b.WriteByte(';')
	}
	return strings.TrimSuffix(b.String(), ";")
}

// rustDebugList renders a string list as the backend prints one.
func rustDebugList(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = rustDebugStr(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// fetch runs one GET through the fetcher and records it in the trace.
func (r *run) fetch(ctx context.Context, kind FetchKind, url string) (*FetchResult, error) {
	res, err := r.v.fetcher.Fetch(ctx, kind, url)
	rec := FetchRecord{Kind: kind, URL: url, At: r.now}
	if err != nil {
		rec.Err = err.Error()
	} else if res != nil {
		rec.Status = res.Status
		rec.FromCache = res.FromCache
		rec.Lifetime = res.CacheLifetime
		rec.Timing = res.Timing
	}
	if err == nil && res == nil {
		err = fmt.Errorf("the fetcher returned no response for %s", url)
		rec.Err = err.Error()
	}
	r.res.Trace.Fetches = append(r.res.Trace.Fetches, rec)
	return res, err
}

// docs returns the validator's parsed-document cache.
func (r *run) docs() *docCache { return r.v.docs }

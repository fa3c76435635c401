package rules

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authscope/authscope/flow/convex/fetch"
	"github.com/authscope/authscope/flow/convex/jose"
)

// Validator replays the backend's token validation (SPEC.md "Routing",
// "OIDC path", "customJwt path") with the same messages, and keeps a trace
// of every check so a user learns which one failed even where the backend
// hides it.
//
// A Validator is safe for concurrent use. Its fields must not change after
// the first Validate.
type Validator struct {
	// Config is the deployment's providers, in table order.
	Config AuthConfig
	// Redact selects the production wording of the two messages that
	// depend on it (SPEC.md "Redaction"): A3's provider list and C6's kid
	// text.
	Redact bool
	// Fetcher performs the discovery and JWKS GETs; nil means a plain
	// HTTP fetcher with the default options (no cache). Response bodies
	// must not be modified after Fetch returns: parsed documents are
	// cached by body.
	Fetcher fetch.Fetcher
	// Now is the clock; nil means time.Now. The backend truncates it to
	// whole seconds (SPEC.md "Time").
	Now func() time.Time

	docs     *docCache
	labels   []string // ProviderLabel of each provider, for the trace
	initOnce sync.Once
	fetcher  fetch.Fetcher
}

// resultBlock is a Result with inline storage for its checks and fetches,
// so a validation allocates its trace once.
type resultBlock struct {
	res     Result
	checks  [24]Check
	fetches [2]fetch.Record
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
			v.labels[i] = ProviderLabel(p)
		}
		v.fetcher = v.Fetcher
		if v.fetcher == nil {
			v.fetcher = fetch.NewHTTP(nil, fetch.Options{Now: v.Now})
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
	blk := &resultBlock{}
	blk.res.Trace = Trace{ProviderIndex: -1, Signature: SignatureNotChecked,
		Checks: blk.checks[:0], Fetches: blk.fetches[:0]}
	r := &run{v: v, token: token, now: now, nowSec: now.Unix(), res: &blk.res}
	if err := r.validate(ctx); err != nil {
		r.res.Err = err
	}
	return r.res
}

func (r *run) check(name string, ok bool, expected, actual string) {
	r.res.Trace.Checks = append(r.res.Trace.Checks, Check{Name: name, OK: ok, Expected: expected, Actual: actual})
}

// validate is the backend's validate_id_token: read the payload unverified,
// route the token to a provider, then take that provider's path.
func (r *run) validate(ctx context.Context) *AuthError {
	pc, aerr := r.readPayload()
	if aerr != nil {
		return aerr
	}
	p, aerr := r.route(pc)
	if aerr != nil {
		return aerr
	}
	if p.Kind == KindCustomJWT {
		return r.customJWT(ctx, p, pc)
	}
	return r.oidc(ctx, p, pc)
}

// readPayload is the first step for every token (SPEC.md "Routing"): the
// payload, unverified, typed by biscuit, which must have an iss.
func (r *run) readPayload() (*jose.Claims, *AuthError) {
	pc, perr := jose.ParsePayload(r.token)
	if perr != nil {
		r.check(CheckPayload, false, "a base64url JSON object with typed registered claims", perr.Detail)
		if perr.Internal {
			return nil, errInternal(ReasonTimestampRange, perr.Detail)
		}
		return nil, errInvalidAuthHeader(MsgPayloadUnparseable, ReasonPayloadUnparseable, perr.Detail)
	}
	r.check(CheckPayload, true, "", "")
	if !pc.HasIss {
		r.check(CheckIssuerPresent, false, "an iss claim", "none")
		return nil, errInvalidAuthHeader(MsgMissingIssuer, ReasonMissingIssuer,
			"the payload has no iss claim (or it is null); Convex routes tokens to a provider by iss")
	}
	r.check(CheckIssuerPresent, true, "", pc.Iss)
	r.res.Trace.Issuer = pc.Iss
	r.res.Trace.Audiences = pc.Aud
	return pc, nil
}

// route picks the first provider matching the token's iss and aud.
func (r *run) route(pc *jose.Claims) (Provider, *AuthError) {
	cfg := r.v.Config
	idx, matches := FindProvider(cfg, pc.Aud, pc.Iss)
	if idx < 0 {
		expected := "at least one provider in convex/auth.config.ts"
		if len(cfg.Providers) > 0 {
			expected = strings.Join(r.v.labels, ", ")
		}
		actual := fmt.Sprintf("iss %s (compared as %s), aud %s", pc.Iss, strings.TrimRight(WithScheme(pc.Iss), "/"), rustDebugList(pc.Aud))
		r.check(CheckProvider, false, expected, actual)
		return Provider{}, noProviderError(cfg, r.v.Redact, explainNoMatch(cfg, matches, pc))
	}
	p := cfg.Providers[idx]
	r.res.Trace.ProviderIndex = idx
	r.res.Trace.Provider = &p
	r.check(CheckProvider, true, r.v.labels[idx], "")
	return p, nil
}

// explainNoMatch says, provider by provider, which side of the match failed.
func explainNoMatch(cfg AuthConfig, matches []MatchResult, pc *jose.Claims) string {
	if len(cfg.Providers) == 0 {
		return "the deployment has no auth providers: none is configured or convex/auth.config.ts was not pushed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "no provider matched iss %q with aud %s:", pc.Iss, rustDebugList(pc.Aud))
	for _, m := range matches {
		p := cfg.Providers[m.Index]
		fmt.Fprintf(&b, " [%d] %s:", m.Index, ProviderLabel(p))
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

// fetch runs one GET through the fetcher and records it in the trace.
func (r *run) fetch(ctx context.Context, kind fetch.Kind, url string) (*fetch.Result, error) {
	res, err := r.v.fetcher.Fetch(ctx, kind, url)
	if err == nil && res == nil {
		err = fmt.Errorf("the fetcher returned no response for %s", url)
	}
	rec := fetch.NewRecord(kind, url, r.now, res, err)
	r.res.Trace.Fetches = append(r.res.Trace.Fetches, rec)
	return res, err
}

// contains reports whether list holds s, compared exactly.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

package devinstance

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
	"github.com/authscope/authscope/flow/clerk/internal/weburl"
)

// signIn runs the Go path of a demo sign-in: Load without a session,
// RedirectToSignInURL, AutoSignIn, Load(returnURL).
func signIn(t *testing.T, d *Instance, c *clerk.FAPIClient, userID string) *clerk.ClientState {
	t.Helper()
	ctx := testCtx(t)
	st, err := c.Load(ctx, landing+"/")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if st.SignedIn() || st.SignInURL != d.SignInURL() {
		t.Fatalf("first Load: %+v, want no session and sign-in URL %s", st, d.SignInURL())
	}
	to := c.RedirectToSignInURL(landing + "/")
	ret, err := clerk.AutoSignIn(ctx, nil, to, userID)
	if err != nil {
		t.Fatalf("AutoSignIn(%s): %v", to, err)
	}
	st, err = c.Load(ctx, ret)
	if err != nil {
		t.Fatalf("Load(return URL): %v", err)
	}
	if !st.SignedIn() {
		t.Fatalf("after sign-in: %+v, want a session", st)
	}
	return st
}

func TestGoPathIntegrationOn(t *testing.T) {
	d := startInstance(t, Options{IntegrationOn: true})
	ctx := testCtx(t)
	c := clerk.NewFAPIClient(d.Issuer(), nil, landing)

	st, err := c.Load(ctx, landing+"/")
	if err != nil {
		t.Fatal(err)
	}
	db := c.DevBrowser()
	if !strings.HasPrefix(db, "dvb_") || st.SignedIn() {
		t.Fatalf("first load: dev browser %q, state %+v", db, st)
	}
	to := c.RedirectToSignInURL(landing + "/")
	want := d.SignInURL() + "?__clerk_db_jwt=" + db + "#/?redirect_url=http%3A%2F%2F127.0.0.1%3A9%2F"
	if to != want {
		t.Fatalf("RedirectToSignInURL = %q, want %q", to, want)
	}
	ret, err := clerk.AutoSignIn(ctx, nil, to, DemoUserAda)
	if err != nil {
		t.Fatal(err)
	}
	if ret != landing+"/?__clerk_db_jwt="+db {
		t.Fatalf("return URL = %q, want the landing page with the same dev browser", ret)
	}
	st, err = c.Load(ctx, ret)
	if err != nil {
		t.Fatal(err)
	}
	if st.PageURL != landing+"/" {
		t.Errorf("PageURL = %q, want __clerk_db_jwt stripped", st.PageURL)
	}
	if !strings.HasPrefix(st.SessionID, "sess_") || st.UserID != DemoUserAda || st.User == nil ||
		st.User.Email != "ada@example.com" || !st.User.EmailVerified || st.User.FirstName != "Ada" {
		t.Fatalf("state after sign-in: %+v user %+v", st, st.User)
	}
	if st.SessionClaims["aud"] != clerk.ConvexAudience {
		t.Errorf("session claims aud = %v, want convex (integration on)", st.SessionClaims["aud"])
	}

	// The first getToken comes from the cache ClerkJS hydrates from
	// last_active_token; skipCache asks the server.
	tr, err := c.GetToken(ctx, st.SessionID, "", false)
	if err != nil || !tr.Cached || tr.JWT == "" {
		t.Fatalf("cached session token: %+v, %v", tr, err)
	}
	before := d.Count(KindSessionToken)
	tr, err = c.GetToken(ctx, st.SessionID, "", true)
	if err != nil || tr.Cached || tr.Status != 200 {
		t.Fatalf("fresh session token: %+v, %v", tr, err)
	}
	if d.Count(KindSessionToken) != before+1 {
		t.Errorf("skipCache did not reach the server")
	}
	last := d.Requests()[len(d.Requests())-1]
	if !strings.Contains(last.Query, "debug=skip_cache") || !strings.Contains(last.Query, "__clerk_api_version=2026-08-20") ||
		strings.Contains(last.Query, db) || !strings.Contains(last.Query, "__clerk_db_jwt=%E2%80%A6") {
		t.Errorf("logged query %q: want skip_cache, the API version and a redacted dev browser", last.Query)
	}

	jwks := fetchJWKS(t, d)
	if err := verifyWithJWKS(t, tr.JWT, jwks); err != nil {
		t.Fatalf("session token does not verify with the JWKS: %v", err)
	}
	tok := decodeJWT(t, tr.JWT)
	if tok.Header["alg"] != "RS256" || tok.Header["typ"] != "JWT" || tok.Header["kid"] != d.SigningKID() ||
		!strings.HasPrefix(d.SigningKID(), "ins_") {
		t.Errorf("header %v", tok.Header)
	}
	iat := tok.num(t, "iat")
	if tok.num(t, "exp")-iat != 60 || iat-tok.num(t, "nbf") != 10 {
		t.Errorf("session token times: iat %d exp %d nbf %d", iat, tok.num(t, "exp"), tok.num(t, "nbf"))
	}
	if d := time.Since(time.Unix(iat, 0)); d < -2*time.Second || d > time.Minute {
		t.Errorf("iat %d is not now", iat)
	}
	for claim, want := range map[string]any{
		"aud": "convex", "azp": landing, "iss": d.Issuer(), "sid": st.SessionID, "sub": DemoUserAda,
		"sts": "active", "v": json.Number("2"),
	} {
		if tok.Claims[claim] != want {
			t.Errorf("claim %s = %v, want %v", claim, tok.Claims[claim], want)
		}
	}
	if fva, ok := tok.Claims["fva"].([]any); !ok || len(fva) != 2 || fva[1] != json.Number("-1") {
		t.Errorf("fva = %v", tok.Claims["fva"])
	}
	if jti, _ := tok.Claims["jti"].(string); !regexp.MustCompile(`^[0-9a-f]{20}$`).MatchString(jti) {
		t.Errorf("jti = %q", jti)
	}

	// Template path.
	tr, err = c.GetToken(ctx, st.SessionID, clerk.ConvexTemplateName, false)
	if err != nil || tr.Cached {
		t.Fatalf("template token: %+v, %v", tr, err)
	}
	if err := verifyWithJWKS(t, tr.JWT, jwks); err != nil {
		t.Fatalf("template token does not verify: %v", err)
	}
	tpl := decodeJWT(t, tr.JWT)
	iat = tpl.num(t, "iat")
	if tpl.num(t, "exp")-iat != 60 || iat-tpl.num(t, "nbf") != 5 {
		t.Errorf("template token times: iat %d exp %d nbf %d", iat, tpl.num(t, "exp"), tpl.num(t, "nbf"))
	}
	for claim, want := range map[string]any{
		"aud": "convex", "azp": landing, "iss": d.Issuer(), "sub": DemoUserAda, "name": "Ada Lovelace",
		"email": "ada@example.com", "email_verified": true, "given_name": "Ada", "family_name": "Lovelace",
		"nickname": "ada", "picture": d.Issuer() + "/avatars/" + DemoUserAda + ".svg", "phone_number": nil,
		"phone_number_verified": false,
	} {
		if got, ok := tpl.Claims[claim]; !ok || got != want {
			t.Errorf("template claim %s = %v (present %v), want %v", claim, got, ok, want)
		}
	}
	for _, absent := range []string{"sid", "v", "fva", "sts"} {
		if _, ok := tpl.Claims[absent]; ok {
			t.Errorf("template token has session-only claim %s", absent)
		}
	}
	// A second template read is a cache hit.
	if tr2, err := c.GetToken(ctx, st.SessionID, clerk.ConvexTemplateName, false); err != nil || !tr2.Cached || tr2.JWT != tr.JWT {
		t.Errorf("second template read: cached %v, same %v, %v", tr2.Cached, tr2.JWT == tr.JWT, err)
	}

	// Integration off: the session token has no aud.
	d.SetIntegration(false)
	tr, err = c.GetToken(ctx, st.SessionID, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeJWT(t, tr.JWT).Claims["aud"]; ok {
		t.Errorf("session token has aud with the integration off")
	}
	st2, err := c.Load(ctx, "")
	if err != nil || st2.SessionClaims["aud"] != nil {
		t.Errorf("session claims with the integration off: %v, %v", st2.SessionClaims, err)
	}

	// Template renamed: 404 with the ClerkErrors body.
	if err := d.SetTemplates(Template{Name: "convex-renamed", Claims: map[string]any{"aud": "convex"}}); err != nil {
		t.Fatal(err)
	}
	tr, err = c.GetToken(ctx, st.SessionID, clerk.ConvexTemplateName, true)
	var apiErr *clerk.APIResponseError
	if !errors.As(err, &apiErr) || tr.Status != 404 || apiErr.Status != 404 {
		t.Fatalf("missing template: %+v, %v", tr, err)
	}
	if len(tr.Errors) != 1 || tr.Errors[0].Message != "JWT template not found" ||
		tr.Errors[0].LongMessage != "No JWT template exists with name: convex" || tr.Errors[0].Code != "resource_not_found" {
		t.Errorf("errors = %+v", tr.Errors)
	}
	var body map[string]any
	if json.Unmarshal([]byte(tr.Body), &body) != nil || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(body["clerk_trace_id"].(string)) {
		t.Errorf("body %q has no clerk_trace_id", tr.Body)
	}
	if tr.JWT != "" {
		t.Errorf("a failed call returned a token")
	}

	// Sign out: no session, token calls fail.
	if err := c.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = c.Load(ctx, "")
	if err != nil || st.SignedIn() {
		t.Fatalf("after sign-out: %+v, %v", st, err)
	}
	if _, err := c.GetToken(ctx, st2.SessionID, "", true); !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound {
		t.Errorf("token after sign-out: %v", err)
	}
}

func TestGoPathTokenCacheRule(t *testing.T) {
	now := time.Now()
	d := startInstance(t, Options{})
	c := clerk.NewFAPIClient(d.Issuer(), nil, landing)
	c.Now = func() time.Time { return now }
	st := signIn(t, d, c, DemoUserGrace)
	ctx := testCtx(t)
	first, err := c.GetToken(ctx, st.SessionID, "", false)
	if err != nil || !first.Cached {
		t.Fatalf("hydrated token: %+v %v", first, err)
	}
	exp := time.Unix(decodeJWT(t, first.JWT).num(t, "exp"), 0)
	// More than 5 s before exp: still a hit.
	now = exp.Add(-clerk.PollerInterval - time.Second)
	if tr, _ := c.GetToken(ctx, st.SessionID, "", false); !tr.Cached {
		t.Errorf("6 s before exp: miss, want hit")
	}
	// Within 5 s of exp: ClerkJS treats it as a miss.
	now = exp.Add(-clerk.PollerInterval)
	if tr, _ := c.GetToken(ctx, st.SessionID, "", false); tr.Cached {
		t.Errorf("5 s before exp: hit, want miss")
	}
}

func TestGoPathRecoversFromStaleDevBrowser(t *testing.T) {
	d := startInstance(t, Options{})
	ctx := testCtx(t)
	c := clerk.NewFAPIClient(d.Issuer(), nil, landing)
	// A handoff from an old run: the dev browser is unknown here.
	st, err := c.Load(ctx, landing+"/?__clerk_db_jwt=dvb_stale&x=1")
	if err != nil {
		t.Fatalf("Load with a stale dev browser: %v", err)
	}
	if db := c.DevBrowser(); db == "dvb_stale" || !strings.HasPrefix(db, "dvb_") {
		t.Errorf("dev browser %q: want a fresh one", db)
	}
	if st.PageURL != landing+"/?x=1" {
		t.Errorf("PageURL = %q", st.PageURL)
	}
	if d.Count(KindDevBrowser) != 1 {
		t.Errorf("dev browsers created: %d, want 1", d.Count(KindDevBrowser))
	}
}

func TestMintTokenAndTemplates(t *testing.T) {
	d := startInstance(t, Options{Templates: []Template{{
		Name: "custom", Lifetime: 2 * time.Minute,
		Claims: map[string]any{
			"greeting": "Hi {{user.first_name}}!",
			"nested":   map[string]any{"id": "{{user.id}}", "list": []any{"{{user.username}}", 3}},
			"unknown":  "{{user.shoe_size}}",
			"sub":      "override attempt",
			"iss":      "https://evil.example",
		},
	}}})
	jwt, err := d.MintToken(DemoUserGrace, "custom")
	if err != nil {
		t.Fatal(err)
	}
	tok := decodeJWT(t, jwt)
	if tok.Claims["greeting"] != "Hi Grace!" || tok.Claims["sub"] != DemoUserGrace || tok.Claims["iss"] != d.Issuer() {
		t.Errorf("claims %v", tok.Claims)
	}
	nested, _ := tok.Claims["nested"].(map[string]any)
	if nested["id"] != DemoUserGrace || len(nested["list"].([]any)) != 2 || nested["list"].([]any)[0] != "grace" {
		t.Errorf("nested %v", nested)
	}
	if v, ok := tok.Claims["unknown"]; !ok || v != nil {
		t.Errorf("unknown shortcode = %v (present %v), want null", v, ok)
	}
	if _, ok := tok.Claims["azp"]; ok {
		t.Errorf("MintToken has azp without an Origin")
	}
	if tok.num(t, "exp")-tok.num(t, "iat") != 120 {
		t.Errorf("lifetime not 120 s")
	}
	if _, err := d.MintToken(DemoUserGrace, "convex"); !errors.Is(err, ErrTemplateNotFound) {
		t.Errorf("missing template: %v", err)
	}
	if _, err := d.MintToken("user_nobody", ""); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
	s1, _ := d.MintToken(DemoUserAda, "")
	s2, _ := d.MintToken(DemoUserAda, "")
	if decodeJWT(t, s1).Claims["sid"] != decodeJWT(t, s2).Claims["sid"] {
		t.Errorf("MintToken session tokens of one user have different sids")
	}
	if err := verifyWithJWKS(t, s1, fetchJWKS(t, d)); err != nil {
		t.Errorf("MintToken session token: %v", err)
	}
	for _, bad := range []Template{{Name: ""}, {Name: "a/b"}, {Name: "x", Algorithm: "none"}, {Name: "x", Lifetime: -time.Second}} {
		if err := d.SetTemplates(bad); err == nil {
			t.Errorf("SetTemplates(%+v) accepted", bad)
		}
	}
	if err := d.SetTemplates(Template{Name: "a"}, Template{Name: "a"}); err == nil {
		t.Errorf("duplicate template names accepted")
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{Users: []clerk.User{}}); err == nil {
		t.Errorf("no users accepted")
	}
	if _, err := New(Options{Users: []clerk.User{{ID: "a"}, {ID: "a"}}}); err == nil {
		t.Errorf("duplicate users accepted")
	}
	d := startInstance(t, Options{Templates: []Template{}})
	if len(d.Templates()) != 0 {
		t.Errorf("empty Templates gave %d templates", len(d.Templates()))
	}
	if err := d.Start(testCtx(t)); err == nil {
		t.Errorf("second Start accepted")
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(d.Issuer()) {
		t.Errorf("Issuer = %q", d.Issuer())
	}
	k, err := clerk.ParsePublishableKey(d.PublishableKey())
	if err != nil || k.FrontendAPIURL() != d.Issuer() || k.Instance != clerk.InstanceDevelopment ||
		strings.Contains(d.PublishableKey(), "=") {
		t.Errorf("PublishableKey %q → %+v, %v", d.PublishableKey(), k, err)
	}
	u, _ := url.Parse(d.Users()[0].ImageURL)
	if u == nil || weburl.Origin(u) != d.Issuer() {
		t.Errorf("default avatar URL %q", d.Users()[0].ImageURL)
	}
	// Close is idempotent and releases the port.
	if err := d.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	d.Close()
	if _, err := http.Get(d.Issuer() + clerk.PathJWKS); err == nil {
		t.Errorf("instance still answers after Close")
	}
}

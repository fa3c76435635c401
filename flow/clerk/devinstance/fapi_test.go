package devinstance

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/clerk"
)

// newDevBrowser creates a dev browser over raw HTTP.
func newDevBrowser(t *testing.T, d *Instance) string {
	t.Helper()
	status, _, body := httpDo(t, "POST", d.Issuer()+clerk.PathDevBrowser, nil, nil)
	var db clerk.DevBrowserJSON
	if status != 200 || json.Unmarshal([]byte(body), &db) != nil || db.ID == "" || db.Object != "dev_browser" {
		t.Fatalf("dev_browser: %d %s", status, body)
	}
	return db.ID
}

func errorCode(t *testing.T, body string) string {
	t.Helper()
	var eb clerk.ErrorBody
	if err := json.Unmarshal([]byte(body), &eb); err != nil || len(eb.Errors) == 0 || eb.ClerkTraceID == "" {
		t.Fatalf("not a ClerkErrors body: %q", body)
	}
	return eb.Errors[0].Code
}

func TestFAPIMalformedRequests(t *testing.T) {
	d := startInstance(t, Options{})
	db := newDevBrowser(t, d)
	base := d.Issuer()
	withDB := func(p string) string { return base + p + "?" + clerk.DevBrowserParam + "=" + db }
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	tests := []struct {
		name    string
		method  string
		url     string
		body    string
		headers map[string]string
		status  int
		code    string // "" for a non-JSON answer
	}{
		{"no dev browser", "GET", base + clerk.PathEnv, "", nil, 401, clerk.CodeDevBrowserUnauthenticated},
		{"unknown dev browser", "GET", base + clerk.PathClient + "?__clerk_db_jwt=dvb_nope", "", nil, 401, clerk.CodeDevBrowserUnauthenticated},
		{"no dev browser on tokens", "POST", base + clerk.TokenPath("sess_x", ""), "", form, 401, clerk.CodeDevBrowserUnauthenticated},
		{"unknown FAPI path", "GET", withDB("/v1/nope"), "", nil, 404, clerk.CodeResourceNotFound},
		{"bare /v1", "GET", base + "/v1", "", nil, 404, clerk.CodeResourceNotFound},
		{"empty path segment", "GET", withDB("/v1/client//sign_ins"), "", nil, 404, clerk.CodeResourceNotFound},
		{"escaped slash in session id", "POST", withDB("/v1/client/sessions/a%2Fb/tokens"), "", form, 404, clerk.CodeResourceNotFound},
		{"GET dev_browser", "GET", base + clerk.PathDevBrowser, "", nil, 405, CodeMethodNotAllowed},
		{"PUT client", "PUT", withDB(clerk.PathClient), "", nil, 405, CodeMethodNotAllowed},
		{"GET tokens", "GET", withDB(clerk.TokenPath("sess_x", "")), "", nil, 405, CodeMethodNotAllowed},
		{"_method=PATCH on sign_ins", "POST", withDB(clerk.PathSignIns) + "&_method=PATCH", "", form, 405, CodeMethodNotAllowed},
		{"oversized body", "POST", withDB(clerk.PathSignIns), "identifier=" + strings.Repeat("a", 20<<10), form, 413, CodeBodyTooLarge},
		{"broken form", "POST", withDB(clerk.PathSignIns), "strategy=%zz", form, 400, clerk.CodeFormParamInvalid},
		{"sign-in without strategy", "POST", withDB(clerk.PathSignIns), "identifier=ada", form, 422, clerk.CodeFormParamMissing},
		{"sign-in wrong strategy", "POST", withDB(clerk.PathSignIns), "strategy=password&identifier=ada", form, 422, clerk.CodeFormParamInvalid},
		{"sign-in without identifier", "POST", withDB(clerk.PathSignIns), "strategy=demo_user", form, 422, clerk.CodeFormParamMissing},
		{"sign-in unknown user", "POST", withDB(clerk.PathSignIns), "strategy=demo_user&identifier=nobody", form, 422, clerk.CodeIdentifierNotFound},
		{"token of a foreign session", "POST", withDB(clerk.TokenPath("sess_other", "")), "", form, 404, clerk.CodeResourceNotFound},
		{"wrong Host", "GET", base + clerk.PathJWKS, "", map[string]string{"Host": "evil.example:80"}, 421, CodeHostInvalid},
		{"unknown page", "GET", base + "/nope", "", nil, 404, ""},
		{"other npm file", "GET", base + "/npm/@clerk/clerk-js@6/dist/clerk.legacy.browser.js", "", nil, 404, ""},
		{"npm without version", "GET", base + "/npm/@clerk/clerk-js@/dist/clerk.browser.js", "", nil, 404, ""},
		{"unknown avatar", "GET", base + "/avatars/user_nobody.svg", "", nil, 404, ""},
		{"POST sign-in page", "POST", base + PathSignIn, "", nil, 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			var status int
			var h map[string][]string
			var got string
			if body != nil {
				status, h, got = httpDo(t, tt.method, tt.url, body, tt.headers)
			} else {
				status, h, got = httpDo(t, tt.method, tt.url, nil, tt.headers)
			}
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, got)
			}
			if tt.code != "" {
				if c := errorCode(t, got); c != tt.code {
					t.Errorf("code %q, want %q", c, tt.code)
				}
				if ct := h["Content-Type"]; len(ct) != 1 || ct[0] != "application/json" {
					t.Errorf("Content-Type %v", ct)
				}
			}
			if h["X-Content-Type-Options"] == nil {
				t.Errorf("no nosniff header")
			}
		})
	}
	if strings.Contains(d.Requests()[len(d.Requests())-1].Query, db) {
		t.Errorf("request log holds a dev browser id")
	}
}

func TestFAPISignOutVerbs(t *testing.T) {
	d := startInstance(t, Options{})
	for _, how := range []string{"tunnelled", "DELETE"} {
		t.Run(how, func(t *testing.T) {
			c := clerk.NewFAPIClient(d.Issuer(), nil, landing)
			st := signIn(t, d, c, DemoUserAda)
			target := d.Issuer() + clerk.PathSessions + "?" + clerk.DevBrowserParam + "=" + c.DevBrowser()
			method := "DELETE"
			if how == "tunnelled" {
				method, target = "POST", target+"&_method=DELETE"
			}
			status, _, body := httpDo(t, method, target, nil, map[string]string{"Origin": landing})
			if status != 200 {
				t.Fatalf("%s: %d %s", method, status, body)
			}
			var env clerk.Envelope[*clerk.ClientJSON]
			if json.Unmarshal([]byte(body), &env) != nil || env.Response == nil || len(env.Response.Sessions) != 0 ||
				env.Response.LastActiveSessionID != nil {
				t.Errorf("answer %s", body)
			}
			if after, _ := c.Load(testCtx(t), ""); after.SignedIn() {
				t.Errorf("session %s still active", st.SessionID)
			}
		})
	}
}

func TestFAPISessionActions(t *testing.T) {
	d := startInstance(t, Options{})
	c := clerk.NewFAPIClient(d.Issuer(), nil, landing)
	st := signIn(t, d, c, DemoUserAda)
	q := "?" + clerk.DevBrowserParam + "=" + c.DevBrowser()
	status, _, body := httpDo(t, "POST", d.Issuer()+clerk.PathSessions+"/"+st.SessionID+"/touch"+q, nil, nil)
	var env clerk.Envelope[clerk.SessionJSON]
	if status != 200 || json.Unmarshal([]byte(body), &env) != nil || env.Response.Status != "active" || env.Response.LastActiveToken == nil {
		t.Fatalf("touch: %d %s", status, body)
	}
	status, _, body = httpDo(t, "POST", d.Issuer()+clerk.PathSessions+"/"+st.SessionID+"/remove"+q, nil, nil)
	if status != 200 || json.Unmarshal([]byte(body), &env) != nil || env.Response.Status != "removed" || len(env.Client.Sessions) != 0 {
		t.Fatalf("remove: %d %s", status, body)
	}
}

func TestCORS(t *testing.T) {
	d := startInstance(t, Options{})
	db := newDevBrowser(t, d)
	env := d.Issuer() + clerk.PathEnv + "?" + clerk.DevBrowserParam + "=" + db

	status, h, _ := httpDo(t, "GET", env, nil, map[string]string{"Origin": "http://localhost:5173"})
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "http://localhost:5173" ||
		h.Get("Access-Control-Allow-Credentials") != "true" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Errorf("loopback origin: %d %v", status, h)
	}
	for _, origin := range []string{"https://evil.example", "null", "http://127.0.0.1.evil.example"} {
		status, h, body := httpDo(t, "GET", env, nil, map[string]string{"Origin": origin})
		if status != 403 || h.Get("Access-Control-Allow-Origin") != "" || errorCode(t, body) != clerk.CodeOriginInvalid {
			t.Errorf("origin %s: %d %v %s", origin, status, h, body)
		}
	}
	// Preflight.
	status, h, _ = httpDo(t, "OPTIONS", d.Issuer()+clerk.PathSignIns, nil, map[string]string{
		"Origin": "http://127.0.0.1:3000", "Access-Control-Request-Method": "POST"})
	if status != 204 || h.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:3000" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", status, h)
	}
	status, h, _ = httpDo(t, "OPTIONS", d.Issuer()+clerk.PathSignIns, nil, map[string]string{
		"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
	if status != 403 || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("foreign preflight: %d %v", status, h)
	}
	// Public documents answer anyone, but never with "*" or a foreign origin.
	for _, p := range []string{clerk.PathJWKS, clerk.ScriptPath("6")} {
		status, h, _ = httpDo(t, "GET", d.Issuer()+p, nil, map[string]string{"Origin": "https://evil.example"})
		if status != 200 || h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s with a foreign origin: %d %v", p, status, h)
		}
	}
	// A custom policy.
	d2 := startInstance(t, Options{AllowedRedirectOrigin: func(o string) bool { return o == "https://app.test" }})
	db2 := newDevBrowser(t, d2)
	if status, h, _ := httpDo(t, "GET", d2.Issuer()+clerk.PathEnv+"?__clerk_db_jwt="+db2, nil, map[string]string{"Origin": "https://app.test"}); status != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.test" {
		t.Errorf("custom policy: %d %v", status, h)
	}
}

func TestScriptServing(t *testing.T) {
	d := startInstance(t, Options{})
	for _, v := range []string{"6", "6.40.0", "5", "latest"} {
		status, h, body := httpDo(t, "GET", d.Issuer()+clerk.ScriptPath(v), nil, map[string]string{"Origin": landing})
		if status != 200 || h.Get("Content-Type") != "text/javascript; charset=utf-8" || body != string(BrowserScript()) ||
			h.Get("Access-Control-Allow-Origin") != landing || h.Get("ETag") == "" {
			t.Errorf("version %s: %d %v", v, status, h)
		}
	}
	if clerk.ScriptURL(d.Issuer()+"/") != d.Issuer()+"/npm/@clerk/clerk-js@6/dist/clerk.browser.js" {
		t.Errorf("ScriptURL = %s", clerk.ScriptURL(d.Issuer()+"/"))
	}
	_, h, _ := httpDo(t, "GET", d.Issuer()+clerk.ScriptPath("6"), nil, nil)
	if status, _, _ := httpDo(t, "GET", d.Issuer()+clerk.ScriptPath("6"), nil, map[string]string{"If-None-Match": h.Get("ETag")}); status != 304 {
		t.Errorf("revalidation: %d, want 304", status)
	}
	status, h, body := httpDo(t, "GET", d.Issuer()+"/avatars/"+url.PathEscape(DemoUserAda)+".svg", nil, nil)
	if status != 200 || h.Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, ">AL</text>") {
		t.Errorf("avatar: %d %v %s", status, h, body)
	}
}

func TestDevBrowserCap(t *testing.T) {
	d := startInstance(t, Options{})
	first := newDevBrowser(t, d)
	for i := 0; i < maxDevBrowsers+10; i++ {
		newDevBrowser(t, d)
	}
	d.mu.Lock()
	n := len(d.devBrowsers)
	d.mu.Unlock()
	if n != maxDevBrowsers {
		t.Errorf("%d dev browsers kept, want %d", n, maxDevBrowsers)
	}
	if status, _, _ := httpDo(t, "GET", d.Issuer()+clerk.PathClient+"?__clerk_db_jwt="+first, nil, nil); status != 401 {
		t.Errorf("the oldest dev browser was not evicted: %d", status)
	}
}

package devinstance

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzHandler throws arbitrary requests at the instance's
// handler: every answer must be a clean one (no recovered panic).
func FuzzHandler(f *testing.F) {
	d, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { d.Close() })
	handler := d.guard(http.HandlerFunc(d.route))
	db := d.newDevBrowserForTest()
	for _, seed := range []struct{ method, path, query, body, origin string }{
		{"POST", "/v1/dev_browser", "", "", ""},
		{"GET", "/v1/client", "__clerk_db_jwt=" + db, "", "http://127.0.0.1:1"},
		{"POST", "/v1/client/sign_ins", "__clerk_db_jwt=" + db, "strategy=demo_user&identifier=ada", ""},
		{"POST", "/v1/client/sessions/x/tokens/convex", "__clerk_db_jwt=" + db, "", ""},
		{"POST", "/v1/client/sessions", "__clerk_db_jwt=" + db + "&_method=DELETE", "", ""},
		{"GET", "/sign-in", "redirect_url=http://127.0.0.1:1/%22", "", ""},
		{"GET", "/npm/@clerk/clerk-js@6/dist/clerk.browser.js", "", "", "null"},
		{"OPTIONS", "/v1/client", "", "", "http://localhost:1"},
		{"GET", "/avatars/" + DemoUserAda + ".svg", "", "", ""},
		{"GET", "/.well-known/jwks.json", "", "", ""},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.body, seed.origin)
	}
	f.Fuzz(func(t *testing.T, method, path, query, body, origin string) {
		req := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(body))
		req.Method = method
		req.URL.Path = "/" + strings.TrimPrefix(path, "/")
		req.URL.RawPath = ""
		req.URL.RawQuery = query
		req.Host = d.host
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError && strings.Contains(rec.Body.String(), CodeInternal) {
			t.Fatalf("%s %s?%s panicked", method, path, query)
		}
		if rec.Code < 100 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") == "*" {
			t.Fatalf("wildcard CORS")
		}
	})
}

// newDevBrowserForTest makes a dev browser without HTTP.
func (d *Instance) newDevBrowserForTest() string {
	rec := httptest.NewRecorder()
	d.createDevBrowser(rec)
	d.mu.Lock()
	defer d.mu.Unlock()
	for id := range d.devBrowsers {
		return id
	}
	return ""
}

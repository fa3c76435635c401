package devinstance

import (
	"net/url"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow/clerk"
)

func signInPageURL(d *Instance, redirect string) string {
	return d.SignInURL() + "?" + url.Values{clerk.RedirectURLParam: {redirect}}.Encode()
}

func TestSignInPage(t *testing.T) {
	d := startInstance(t, Options{})
	status, h, body := httpDo(t, "GET", signInPageURL(d, landing+"/app?x=1"), nil, nil)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	for header, want := range map[string]string{
		"Content-Security-Policy": pageCSP, "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Content-Type": "text/html; charset=utf-8",
	} {
		if h.Get(header) != want {
			t.Errorf("%s = %q, want %q", header, h.Get(header), want)
		}
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || strings.Contains(body, "<script>") {
		t.Errorf("the page has inline script or a loose CSP")
	}
	for _, u := range d.Users() {
		if !strings.Contains(body, `data-user-id="`+u.ID+`"`) || !strings.Contains(body, `id="signin-`+u.ID+`"`) {
			t.Errorf("user %s has no button", u.ID)
		}
	}
	if !strings.Contains(body, `data-redirect-url="http://127.0.0.1:9/app?x=1"`) || !strings.Contains(body, "to continue to <strong>http://127.0.0.1:9</strong>") {
		t.Errorf("redirect not rendered:\n%s", body)
	}
	// Without a redirect_url the page still works (the script moves a hash
	// redirect_url into the query).
	if status, _, body := httpDo(t, "GET", d.SignInURL(), nil, nil); status != 200 || !strings.Contains(body, `data-redirect-url=""`) {
		t.Errorf("plain page: %d", status)
	}
	for _, p := range []string{pathSignInJS, pathSignInCSS} {
		if status, h, _ := httpDo(t, "GET", d.Issuer()+p, nil, nil); status != 200 || h.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %d %v", p, status, h)
		}
	}
}

func TestSignInPageRefusesForeignRedirects(t *testing.T) {
	d := startInstance(t, Options{})
	for _, redirect := range []string{
		"https://evil.example/",
		"http://127.0.0.1.evil.example/",
		"http://127.0.0.1@evil.example/",
		"http://user:pw@127.0.0.1:3000/",
		"javascript:alert(1)",
		"//evil.example/",
		"/relative",
		"http://localhost:80x/",
		"data:text/html,hi",
		"http://" + strings.Repeat("a", 3000),
	} {
		t.Run(redirect[:min(len(redirect), 40)], func(t *testing.T) {
			status, h, body := httpDo(t, "GET", signInPageURL(d, redirect), nil, nil)
			if status != 400 || !strings.Contains(body, "Sign-in refused") || strings.Contains(body, "data-user-id") {
				t.Fatalf("status %d for %q:\n%s", status, redirect, body)
			}
			if h.Get("Content-Security-Policy") != pageCSP {
				t.Errorf("refusal page without CSP")
			}
		})
	}
}

func TestSignInPageEscapesHostileRedirect(t *testing.T) {
	d := startInstance(t, Options{})
	hostile := []string{
		// Accepted (loopback), rendered into an attribute and a heading.
		`http://127.0.0.1:9/?q="><script>alert(1)</script>&r='<img src=x onerror=alert(2)>`,
		// Refused, echoed in the refusal page.
		`https://evil.example/"><script>alert(1)</script><img src=x onerror=alert(2)>`,
	}
	for _, redirect := range hostile {
		_, _, body := httpDo(t, "GET", signInPageURL(d, redirect), nil, nil)
		for _, raw := range []string{"<script>alert", "<img src=x", `"><script`, `'<img`} {
			if strings.Contains(body, raw) {
				t.Errorf("redirect %q reached the page unescaped (%q):\n%s", redirect, raw, body)
			}
		}
		if lower := strings.ToLower(body); !strings.Contains(lower, "&lt;script&gt;") && !strings.Contains(lower, "%3cscript%3e") {
			t.Errorf("redirect %q not shown escaped:\n%s", redirect, body)
		}
	}
	// Hostile user data is escaped too.
	d2 := startInstance(t, Options{Users: []clerk.User{{ID: `user_"><b>`, FirstName: "<i>Eve</i>", Email: `e"@x`, ImageURL: "javascript:alert(1)"}}})
	_, _, body := httpDo(t, "GET", d2.SignInURL(), nil, nil)
	if strings.Contains(body, "<i>Eve") || strings.Contains(body, `"><b>`) || strings.Contains(body, "javascript:alert") {
		t.Errorf("user data unescaped:\n%s", body)
	}
}

func TestAutoSignIn(t *testing.T) {
	d := startInstance(t, Options{})
	ctx := testCtx(t)
	hashURL := func(query, redirect string) string {
		return d.SignInURL() + query + "#/?" + url.Values{clerk.RedirectURLParam: {redirect}}.Encode()
	}

	t.Run("creates a dev browser when none is handed over", func(t *testing.T) {
		ret, err := clerk.AutoSignIn(ctx, nil, hashURL("", landing+"/"), DemoUserGrace)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(ret)
		db := u.Query().Get(clerk.DevBrowserParam)
		if !strings.HasPrefix(ret, landing+"/?") || !strings.HasPrefix(db, "dvb_") {
			t.Fatalf("return URL %q", ret)
		}
		st, err := clerk.NewFAPIClient(d.Issuer(), nil, landing).Load(ctx, ret)
		if err != nil || st.UserID != DemoUserGrace {
			t.Errorf("Load(return): %+v %v", st, err)
		}
	})
	t.Run("a stale dev browser is replaced", func(t *testing.T) {
		ret, err := clerk.AutoSignIn(ctx, nil, hashURL("?__clerk_db_jwt=dvb_stale", landing+"/"), DemoUserAda)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ret, "dvb_stale") || !strings.Contains(ret, "__clerk_db_jwt=dvb_") {
			t.Errorf("return URL %q", ret)
		}
	})
	t.Run("identifiers: email and username", func(t *testing.T) {
		for _, id := range []string{"ada@example.com", "ada"} {
			// The page lists users by id, so AutoSignIn needs an id; the
			// API itself accepts the others.
			if _, err := clerk.AutoSignIn(ctx, nil, hashURL("", landing+"/"), id); err == nil || !strings.Contains(err.Error(), "does not list") {
				t.Errorf("AutoSignIn(%s): %v", id, err)
			}
		}
	})
	t.Run("no redirect", func(t *testing.T) {
		if ret, err := clerk.AutoSignIn(ctx, nil, d.SignInURL(), DemoUserAda); err != nil || ret != "" {
			t.Errorf("got %q, %v", ret, err)
		}
	})
	t.Run("foreign redirect", func(t *testing.T) {
		_, err := clerk.AutoSignIn(ctx, nil, hashURL("", "https://evil.example/"), DemoUserAda)
		if err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "not a loopback origin") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("query redirect like a direct link", func(t *testing.T) {
		ret, err := clerk.AutoSignIn(ctx, nil, signInPageURL(d, landing+"/x"), DemoUserAda)
		if err != nil || !strings.HasPrefix(ret, landing+"/x?__clerk_db_jwt=dvb_") {
			t.Errorf("got %q, %v", ret, err)
		}
	})
	t.Run("bad URL", func(t *testing.T) {
		if _, err := clerk.AutoSignIn(ctx, nil, "/sign-in", DemoUserAda); err == nil {
			t.Errorf("relative URL accepted")
		}
	})
}

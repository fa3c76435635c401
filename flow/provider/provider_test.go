package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The interface sizes the title column for Clerk's longest title (41
// columns): every provider's step titles fit it.
func TestStepTitlesFit(t *testing.T) {
	for _, id := range IDs {
		for _, next := range []bool{false, true} {
			info := Lookup(id, next)
			for _, title := range []string{info.ProviderStep, info.TokenStep} {
				if title == "" || len(title) > 41 {
					t.Errorf("%s (next %v): title %q is empty or longer than 41", id, next, title)
				}
			}
			if info.Docs == "" || info.Component == "" || info.Token == "" || info.Refresh == "" || info.SignedOut == "" {
				t.Errorf("%s: incomplete %+v", id, info)
			}
		}
	}
	if !Lookup(Clerk, false).LoopbackSignIn || Lookup(Auth0, false).LoopbackSignIn {
		t.Error("only Clerk signs in through the loopback")
	}
	if Lookup("nope", false).ID != Clerk {
		t.Error("an unknown provider is Clerk's")
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		s    Signals
		want ID
		seen string
	}{
		{"nothing", Signals{}, Clerk, ""},
		{"clerk package", Signals{Packages: []string{"react", "@clerk/clerk-react"}}, Clerk, "@clerk/clerk-react in package.json"},
		{"auth0 package", Signals{Packages: []string{"@auth0/auth0-react"}}, Auth0, "@auth0/auth0-react in package.json"},
		{"authkit react", Signals{Packages: []string{"@workos-inc/authkit-react", "@convex-dev/workos"}}, WorkOS, "@convex-dev/workos in package.json"},
		{"authkit next", Signals{Packages: []string{"@workos-inc/authkit-nextjs"}, NextJS: true}, WorkOS, "@workos-inc/authkit-nextjs in package.json"},
		{"convex auth", Signals{Packages: []string{"@convex-dev/auth"}}, ConvexAuth, "@convex-dev/auth in package.json"},
		{"clerk wins", Signals{Packages: []string{"@auth0/auth0-react", "@clerk/clerk-react"}}, Clerk, ""},
		{"component", Signals{Components: []Component{{"ConvexProviderWithAuth0", "src/main.tsx"}}}, Auth0, "ConvexProviderWithAuth0 in src/main.tsx"},
		{"config auth0", Signals{Config: []ConfigEntry{{Issuer: "https://acme.us.auth0.com"}}}, Auth0, `domain is "https://acme.us.auth0.com"`},
		{"config site url", Signals{Config: []ConfigEntry{{Reads: []string{"CONVEX_SITE_URL"}, Expr: "process.env.CONVEX_SITE_URL"}}}, ConvexAuth, "domain reads CONVEX_SITE_URL (process.env.CONVEX_SITE_URL)"},
		{"config workos jwks", Signals{Config: []ConfigEntry{{CustomJWT: true, Issuer: "https://auth.example.com", JWKS: "https://api.workos.com/sso/jwks/client_1"}}}, WorkOS, "jwks is"},
		{"config custom jwt", Signals{Config: []ConfigEntry{{CustomJWT: true, Issuer: "https://auth.example.com"}}}, CustomJWT, "a customJwt provider"},
		{"config oidc", Signals{Config: []ConfigEntry{{Issuer: "https://login.example.com"}}}, OIDC, "an OIDC provider"},
		{"env", Signals{Env: []string{"VITE_AUTH0_DOMAIN"}}, Auth0, "VITE_AUTH0_DOMAIN in the env files"},
		{"package over config", Signals{Packages: []string{"@convex-dev/auth"}, Config: []ConfigEntry{{Issuer: "https://acme.auth0.com"}}}, ConvexAuth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Detect(tt.s)
			if d.ID != tt.want {
				t.Fatalf("Detect = %s (%v), want %s", d.ID, d.Seen, tt.want)
			}
			if tt.seen != "" && !strings.HasPrefix(strings.Join(d.Seen, "; "), tt.seen) {
				t.Errorf("seen %q, want it to start with %q", d.Seen, tt.seen)
			}
			if d.Default != (tt.name == "nothing") {
				t.Errorf("Default = %v", d.Default)
			}
		})
	}
	if Detect(Signals{Packages: []string{"@workos-inc/authkit-nextjs"}, NextJS: true}).Component != "ConvexProviderWithAuth" {
		t.Error("Next.js AuthKit is wired with ConvexProviderWithAuth")
	}
}

// Convex Auth's key is the prefix, an underscore, and the deployment URL
// with only its letters and digits (react/client.tsx useNamespacedStorage).
func TestConvexAuthStorageKey(t *testing.T) {
	got := ConvexAuthStorageKey("https://happy-animal-123.convex.cloud")
	if got != "__convexAuthJWT_httpshappyanimal123convexcloud" {
		t.Fatal(got)
	}
}

// Each snippet runs in node against a stand-in for the browser's
// localStorage and WebSocket, and prints the token the app keeps.
func TestSnippetsRun(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	const tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
	// localStorage's items are its own enumerable properties, as in a
	// browser, so Object.keys lists them.
	prelude := "globalThis.localStorage=Object.create({getItem(k){return Object.hasOwn(this,k)?this[k]:null}});const store=localStorage;" +
		"globalThis.WebSocket=function(){};WebSocket.prototype.send=function(){};globalThis.window=globalThis;"
	tests := []struct {
		name, setup, snippet, after string
	}{
		{"clerk", `window.Clerk={session:{lastActiveToken:{jwt:{claims:{aud:"convex"}}},getToken:async o=>o?"template":"` + tok + `"}};`, Snippet(Clerk, SnippetParams{}), ""},
		{"auth0 exact", `store["@@auth0spajs@@::abc::@@user@@"]=JSON.stringify({id_token:"` + tok + `"});`, Snippet(Auth0, SnippetParams{Auth0ClientID: "abc"}), ""},
		{"auth0 any", `store["@@auth0spajs@@::abc::@@user@@"]=JSON.stringify({id_token:"` + tok + `"});`, Snippet(Auth0, SnippetParams{}), ""},
		{"convex auth exact", `store["__convexAuthJWT_httpshappyanimal123convexcloud"]="` + tok + `";`, Snippet(ConvexAuth, SnippetParams{DeploymentURL: "https://happy-animal-123.convex.cloud"}), ""},
		{"convex auth any", `store["__convexAuthJWT_x"]="` + tok + `";`, Snippet(ConvexAuth, SnippetParams{}), ""},
		{"websocket", ``, Snippet(WorkOS, SnippetParams{}), `new WebSocket().send(JSON.stringify({type:"Authenticate",tokenType:"User",value:"` + tok + `",baseVersion:0}));`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.snippet, "\n") {
				t.Fatal("the snippet is not one line")
			}
			file := filepath.Join(t.TempDir(), "s.js")
			src := prelude + tt.setup + tt.snippet + ";" + tt.after + "\n"
			if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(node, file).CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !strings.Contains(string(out), tok+"\n") {
				t.Fatalf("the snippet did not print the token:\n%s", out)
			}
		})
	}
}

// The banner of a project authscope cannot sign in with names the
// provider, its token, and the snippet, in that provider's words only.
func TestPasteBanner(t *testing.T) {
	for _, id := range []ID{Auth0, WorkOS, ConvexAuth, OIDC, CustomJWT} {
		d := Detection{Info: Lookup(id, false), Seen: []string{"a signal"}}
		var text string
		for _, l := range PasteBanner(d, SnippetParams{DeploymentURL: "https://happy-animal-123.convex.cloud"}) {
			text += l.Text + "\n"
		}
		if !strings.Contains(text, d.Name) || !strings.Contains(text, Snippet(id, SnippetParams{DeploymentURL: "https://happy-animal-123.convex.cloud"})) {
			t.Errorf("%s: banner lacks the name or the snippet:\n%s", id, text)
		}
		if strings.Contains(strings.ToLower(text), "clerk") {
			t.Errorf("%s: Clerk wording in the banner:\n%s", id, text)
		}
		info := Lookup(id, true)
		for _, s := range []string{info.ProviderStep, info.TokenStep, info.TokenSource(true), info.TokenSource(false), info.Token, info.Fetch, info.Refresh, info.SignedOut} {
			if strings.Contains(strings.ToLower(s), "clerk") {
				t.Errorf("%s: Clerk wording in %q", id, s)
			}
		}
	}
}

// The JSON report keeps a provider's id and component; reading it back
// gives the whole Info, Next.js wiring included.
func TestInfoJSONRoundTrip(t *testing.T) {
	for _, id := range IDs {
		for _, next := range []bool{false, true} {
			want := Lookup(id, next)
			b, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var got Info
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s next=%v: %s read back as %+v", id, next, b, got)
			}
		}
	}
}

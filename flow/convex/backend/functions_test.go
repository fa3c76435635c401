package backend

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/convex/rules"
)

// POST /api/action runs a registered action as ConvexHttpClient calls it,
// fails a throwing one with 560, and the site URL serves Options.Site.
func TestHTTPActionsAndSite(t *testing.T) {
	b := New(Options{
		Actions: map[string]ActionFunc{
			"auth:echo": func(_ context.Context, id *rules.Identity, args json.RawMessage) (json.RawMessage, error) {
				return args, nil
			},
			"auth:fail": func(context.Context, *rules.Identity, json.RawMessage) (json.RawMessage, error) {
				return nil, errors.New("InvalidSecret")
			},
		},
		Site: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("site " + r.URL.Path)) }),
	})
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	hc := &http.Client{Timeout: 5 * time.Second}
	post := func(path string) (int, string) {
		body := `{"path":"` + path + `","format":"convex_encoded_json","args":[{"a":"b"}]}`
		req, _ := http.NewRequest(http.MethodPost, b.URL()+"/api/action", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", "http://127.0.0.1:5173")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" {
			t.Errorf("%s: no CORS answer for a loopback page", path)
		}
		return resp.StatusCode, strings.TrimSpace(string(out))
	}
	if code, out := post("auth:echo"); code != 200 || out != `{"logLines":[],"status":"success","value":{"a":"b"}}` {
		t.Errorf("echo: %d %s", code, out)
	}
	if code, out := post("auth:fail"); code != statusUDFFailed || !strings.Contains(out, `"errorMessage":"Uncaught Error: InvalidSecret"`) {
		t.Errorf("fail: %d %s", code, out)
	}
	if code, out := post("auth:none"); code != statusUDFFailed || !strings.Contains(out, "Could not find public function for 'auth:none'") {
		t.Errorf("missing: %d %s", code, out)
	}
	resp, err := hc.Get(b.SiteURL() + "/.well-known/x")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(out) != "site /.well-known/x" || b.SiteURL() == b.URL() {
		t.Errorf("site %s answered %q", b.SiteURL(), out)
	}
}

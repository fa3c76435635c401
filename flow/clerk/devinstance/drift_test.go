package devinstance

import (
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/authscope/authscope/flow/clerk"
)

// The embedded scripts repeat package clerk's wire constants; they must not
// drift from them.
func TestScriptConstants(t *testing.T) {
	secs := func(d time.Duration) string { return strconv.Itoa(int(d / time.Second)) }
	scripts := map[string]map[string]string{
		"assets/clerk.browser.js": {
			"API_VERSION": "'" + clerk.APIVersion + "'", "JS_VERSION": "'" + clerk.ScriptVersion + "'",
			"DEV_BROWSER_KEY": "'" + clerk.DevBrowserParam + "'", "REDIRECT_KEY": "'" + clerk.RedirectURLParam + "'",
			"REFRESH_THRESHOLD_S": secs(clerk.BackgroundRefreshThreshold), "REFRESH_LEAD_S": secs(clerk.RefreshLeadTime),
			"POLLER_INTERVAL_S": secs(clerk.PollerInterval),
		},
		"assets/signin.js": {
			"API_VERSION": "'" + clerk.APIVersion + "'", "DEV_BROWSER_KEY": "'" + clerk.DevBrowserParam + "'",
			"REDIRECT_KEY": "'" + clerk.RedirectURLParam + "'", "STRATEGY": "'" + clerk.DemoSignInStrategy + "'",
		},
	}
	decl := regexp.MustCompile(`(?m)^\s*const ([A-Z_]+) = ([^;]+);`)
	for file, want := range scripts {
		got := map[string]string{}
		for _, m := range decl.FindAllStringSubmatch(string(mustAsset(file)), -1) {
			got[m[1]] = m[2]
		}
		for name, value := range want {
			if got[name] != value {
				t.Errorf("%s: const %s = %s, want %s", file, name, got[name], value)
			}
		}
	}
	// The literal paths and parameter names the scripts use.
	for file, literals := range map[string][]string{
		"assets/clerk.browser.js": {"'/v1/dev_browser'", "'/environment'", "'/client'", "'/client/sessions'", "'/tokens'",
			"'debug', 'skip_cache'", "'_method'", "'__clerk_api_version'", "'_clerk_js_version'", "'dev_browser_unauthenticated'",
			"'data-clerk-publishable-key'"},
		"assets/signin.js": {"'/v1/dev_browser'", "'/v1/client/sign_ins'", "strategy:", "identifier:", "'__clerk_api_version'",
			"data-user-id"},
	} {
		body := string(mustAsset(file))
		for _, lit := range literals {
			if !regexp.MustCompile(regexp.QuoteMeta(lit)).MatchString(body) {
				t.Errorf("%s no longer contains %s", file, lit)
			}
		}
	}
	if clerk.StrategyField != "strategy" || clerk.IdentifierField != "identifier" || clerk.PathSignIns != "/v1/client/sign_ins" ||
		clerk.PathDevBrowser != "/v1/dev_browser" || clerk.TokenPath("s", "t") != "/v1/client/sessions/s/tokens/t" {
		t.Errorf("Go constants changed without the scripts")
	}
}

// The scripts are plain ES2020 without a build step: Node can parse them.
func TestScriptsParse(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH")
	}
	for _, f := range []string{"assets/clerk.browser.js", "assets/signin.js"} {
		if out, err := exec.Command(node, "--check", f).CombinedOutput(); err != nil {
			t.Errorf("node --check %s: %v\n%s", f, err, out)
		}
	}
}

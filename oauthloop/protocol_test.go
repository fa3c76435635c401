package oauthloop

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/authscope/authscope/flow"
	"github.com/authscope/authscope/flow/clerk"
)

// protocolMessages are every message type of the page protocol.
var protocolMessages = []any{Event{}, TokenReport{}, PollRequest{}, Command{}, Reply{}, PageStep{}, Leave{}}

// protocolValues are every constant the page must use verbatim.
func protocolValues() []string {
	return []string{
		PathEvent, PathToken, PathCommand, PathLeave, HeaderSecret, ParamState, ParamSecret, ParamDevBrowser,
		CommandRefresh, CommandWait, CommandClose, CommandProgress, TemplateConvex, AudienceConvex,
		InstanceDevelopment, InstanceProduction, flow.TokenPathSession, flow.TokenPathTemplate,
		string(flow.StepClick), string(flow.StepRedirect), string(flow.StepReturn), string(flow.StepProvider),
		string(flow.StepToken), string(flow.StepSend), string(flow.StepJWKS), string(flow.StepConfirmed),
		string(flow.StatusOK), string(flow.StatusFail), string(flow.StatusSkipped), string(flow.StatusWarn),
	}
}

// jsonFields lists the JSON names of a struct's fields.
func jsonFields(v any) []string {
	var names []string
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

var (
	objectKey      = regexp.MustCompile(`([A-Za-z_$][\w$]*)\s*:`)
	propertyAccess = regexp.MustCompile(`\.([A-Za-z_$][\w$]*)`)
)

// missingFromScript returns every protocol field or value the script does
// not mention: a field must appear as an object key ("name:") or a property
// access (".name"), a value as a quoted string.
func missingFromScript(js string) []string {
	used := map[string]bool{}
	for _, re := range []*regexp.Regexp{objectKey, propertyAccess} {
		for _, m := range re.FindAllStringSubmatch(js, -1) {
			used[m[1]] = true
		}
	}
	var missing []string
	for _, msg := range protocolMessages {
		for _, name := range jsonFields(msg) {
			if !used[name] {
				missing = append(missing, reflect.TypeOf(msg).Name()+"."+name)
			}
		}
	}
	for _, v := range protocolValues() {
		if !strings.Contains(js, "'"+v+"'") {
			missing = append(missing, "'"+v+"'")
		}
	}
	return missing
}

func readAsset(t *testing.T, name string) string {
	t.Helper()
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPageScriptMirrorsProtocol(t *testing.T) {
	js := readAsset(t, "page.js")
	if missing := missingFromScript(js); len(missing) > 0 {
		t.Errorf("assets/page.js does not mention these protocol names (protocol.go changed without the script): %v", missing)
	}
}

// The drift check itself must be able to fail.
func TestDriftCheckCatchesRemovals(t *testing.T) {
	js := readAsset(t, "page.js")
	tests := []struct {
		remove string
		want   string
	}{
		{"sessionAud", "Event.sessionAud"},
		{"httpStatus", "TokenReport.httpStatus"},
		{"'" + CommandClose + "'", "'" + CommandClose + "'"},
		{"'" + PathToken + "'", "'" + PathToken + "'"},
		{"'" + HeaderSecret + "'", "'" + HeaderSecret + "'"},
	}
	for _, tt := range tests {
		got := missingFromScript(strings.ReplaceAll(js, tt.remove, "x"))
		if !slices.Contains(got, tt.want) {
			t.Errorf("after removing %s, the drift check reported %v, want it to name %s", tt.remove, got, tt.want)
		}
	}
}

func TestProtocolConstantsAgreeWithClerk(t *testing.T) {
	if ParamDevBrowser != clerk.DevBrowserParam {
		t.Errorf("ParamDevBrowser = %q, clerk.DevBrowserParam = %q", ParamDevBrowser, clerk.DevBrowserParam)
	}
	if TemplateConvex != clerk.ConvexTemplateName || AudienceConvex != clerk.ConvexAudience {
		t.Errorf("convex names differ from package clerk's")
	}
}

// The page must never build HTML from strings or evaluate code: everything
// from Clerk or the server goes in with textContent.
func TestPageScriptAvoidsDangerousSinks(t *testing.T) {
	js := readAsset(t, "page.js")
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout('", "setTimeout(\""} {
		if strings.Contains(js, sink) {
			t.Errorf("assets/page.js uses %s", sink)
		}
	}
	page := readAsset(t, "landing.html")
	if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(page) || regexp.MustCompile(`<[^>]+\son[a-z]+\s*=`).MatchString(page) {
		t.Error("assets/landing.html has inline script or an inline event handler; the CSP forbids both")
	}
	for _, p := range []string{PathScript, PathStyle} {
		if !strings.Contains(page, `"`+p+`"`) {
			t.Errorf("assets/landing.html does not load %s", p)
		}
	}
}

func TestTokenPathFor(t *testing.T) {
	tests := []struct {
		aud      string
		path     string
		template string
	}{
		{`"convex"`, flow.TokenPathSession, ""},
		{``, flow.TokenPathTemplate, TemplateConvex},
		{`null`, flow.TokenPathTemplate, TemplateConvex},
		{`"Convex"`, flow.TokenPathTemplate, TemplateConvex},
		{`["convex"]`, flow.TokenPathTemplate, TemplateConvex}, // === compares with an array: false
		{`"convex "`, flow.TokenPathTemplate, TemplateConvex},
		{`42`, flow.TokenPathTemplate, TemplateConvex},
	}
	for _, tt := range tests {
		path, template := TokenPathFor(json.RawMessage(tt.aud))
		if path != tt.path || template != tt.template {
			t.Errorf("TokenPathFor(%s) = %q, %q; want %q, %q", tt.aud, path, template, tt.path, tt.template)
		}
	}
}

func TestAudText(t *testing.T) {
	tests := map[string]string{``: "", `null`: "", `"convex"`: "convex", `["a","b"]`: `["a","b"]`}
	for in, want := range tests {
		if got := audText(json.RawMessage(in)); got != want {
			t.Errorf("audText(%s) = %q, want %q", in, got, want)
		}
	}
}

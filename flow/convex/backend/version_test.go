package backend

import "testing"

func TestParseSemverLikeRust(t *testing.T) {
	bad := map[string]string{
		"":                         "empty string, expected a semver version",
		"1":                        "unexpected end of input while parsing major version number",
		"1.0":                      "unexpected end of input while parsing minor version number",
		"abc":                      "unexpected character 'a' while parsing major version number",
		"1.x.0":                    "unexpected character 'x' while parsing minor version number",
		"1;0":                      "unexpected character ';' after major version number",
		"1.0\n":                    `unexpected character '\n' after minor version number`,
		"é":                        "unexpected character 'é' while parsing major version number",
		"01.0.0":                   "invalid leading zero in major version number",
		"18446744073709551616.0.0": "value of major version number exceeds u64::MAX",
		"1.0.0_x":                  "unexpected character '_' after patch version number",
		"1.0.0-":                   "empty identifier segment in pre-release identifier",
		"1.0.0-01":                 "invalid leading zero in pre-release identifier",
		"1.0.0-a..b":               "empty identifier segment in pre-release identifier",
		"1.0.0-é":                  "empty identifier segment in pre-release identifier",
		"1.0.0-a_b":                "unexpected character '_' after pre-release identifier",
		"1.0.0+":                   "empty identifier segment in build metadata",
		"1.0.0+b_c":                "unexpected character '_' after build metadata",
	}
	for in, want := range bad {
		if _, err := parseSemver(in); err == nil || err.Error() != want {
			t.Errorf("parseSemver(%q) = %v, want %q", in, err, want)
		}
	}
	for _, ok := range []string{"18446744073709551615.0.0", "1.0.0-rc.1", "1.0.0-0.0.0", "0.0.0-a+b", "1.2.3-x-y.z", "1.0.0+01", "1.48.0"} {
		if _, err := parseSemver(ok); err != nil {
			t.Errorf("parseSemver(%q) = %v", ok, err)
		}
	}
}

func TestUnsupportedVersions(t *testing.T) {
	cases := map[string]bool{
		"npm-0.19.1": true, "npm-0.19.1-alpha": true, "npm-0.1.0": true, "NPM-0.1.0": true, "npm-cli-0.1.0-alpha.0": true,
		"actions-0.1.0": true, "python-convex-0.0.2": true, "rust-0.0.1": true,
		"npm-0.19.2": false, "npm-0.19.1+b": false, "npm-0.19.2-alpha": false, "npm-1.48.0": false,
		"rust-0.0.2": false, "swift-0.0.0": false, "python-0.0.1": false, "a-b-c-1.2.3-4-5": false,
	}
	for h, want := range cases {
		cv, err := parseClientHeader(h)
		if err != nil {
			t.Errorf("parseClientHeader(%q): %v", h, err)
			continue
		}
		if got := cv.unsupported() != ""; got != want {
			t.Errorf("%s unsupported = %v, want %v", h, got, want)
		}
	}
	if cv, _ := parseClientHeader("some-custom-thing-1.2.3-4.5.6-alpha.7"); cv.client != "some-custom-thing" || cv.version.String() != "1.2.3-4.5.6-alpha.7" {
		t.Errorf("longest semver from the right: %+v", cv)
	}
}

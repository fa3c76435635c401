package diagnose

import (
	"strings"
	"testing"
	"time"
)

func TestRefetchDelay(t *testing.T) {
	iat := time.Unix(1_800_000_000, 0)
	cases := []struct {
		name     string
		iat, exp time.Time
		delay    time.Duration
		ok       bool
		msg      string
	}{
		{"clerk 60 s token refetches after 50 s", iat, iat.Add(60 * time.Second), 50 * time.Second, true, ""},
		{"one hour template", iat, iat.Add(time.Hour), time.Hour - 10*time.Second, true, ""},
		{"leeway larger than lifetime", iat, iat.Add(8 * time.Second), 0, true, "leeway 10s is larger than the token's lifetime 8s"},
		{"lifetime of exactly 2 s", iat, iat.Add(2 * time.Second), 0, false, ClientTooShortLife},
		{"missing iat", time.Time{}, iat, 0, false, ClientNoFields},
		{"capped at 20 days", iat, iat.Add(400 * 24 * time.Hour), 20 * 24 * time.Hour, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, ok, msg := RefetchDelay(c.iat, c.exp, ConvexRefreshLeeway)
			if d != c.delay || ok != c.ok || (c.msg == "") != (msg == "") || !strings.Contains(msg, c.msg) {
				t.Fatalf("got (%v, %v, %q), want (%v, %v, %q)", d, ok, msg, c.delay, c.ok, c.msg)
			}
		})
	}
}

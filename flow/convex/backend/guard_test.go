package backend

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// The embedded backend refuses, before the upgrade, a request that names
// another host (DNS rebinding) or comes from a page on another origin, as
// the loopback sign-in server does; loopback pages and clients that send
// no Origin connect.
func TestHostAndOriginAreChecked(t *testing.T) {
	b := startBackend(t, Options{})
	port := strings.TrimPrefix(b.URL(), "http://127.0.0.1")
	ws := "ws" + strings.TrimPrefix(b.URL(), "http") + "/api/1.48.0/sync"
	cases := []struct {
		name         string
		host, origin string
		want         int
	}{
		{"no Origin (a client that is not a browser)", "", "", http.StatusSwitchingProtocols},
		{"loopback page", "", "http://127.0.0.1:5173", http.StatusSwitchingProtocols},
		{"localhost page", "", "http://localhost:3000", http.StatusSwitchingProtocols},
		{"localhost Host", "localhost" + port, "", http.StatusSwitchingProtocols},
		{"foreign Origin", "", "http://evil.example", http.StatusForbidden},
		{"null Origin", "", "null", http.StatusForbidden},
		{"foreign Host (DNS rebinding)", "evil.example" + port, "", http.StatusMisdirectedRequest},
		{"foreign Host and Origin", "evil.example" + port, "http://evil.example" + port, http.StatusMisdirectedRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.origin != "" {
				h.Set("Origin", c.origin)
			}
			opts := &websocket.DialOptions{HTTPHeader: h, Host: c.host}
			conn, resp, err := websocket.Dial(context.Background(), ws, opts)
			if conn != nil {
				defer conn.CloseNow()
			}
			if resp == nil {
				t.Fatalf("no answer: %v", err)
			}
			if resp.StatusCode != c.want {
				t.Errorf("HTTP %d, want %d (%v)", resp.StatusCode, c.want, err)
			}
		})
	}
}

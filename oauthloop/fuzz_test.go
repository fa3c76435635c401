package oauthloop

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzPageMessages posts arbitrary bodies to every API path of a live
// server's handler, with all the right headers: nothing may panic, every
// answer is one of the documented statuses, and none repeats the secret.
func FuzzPageMessages(f *testing.F) {
	srv, err := listen(serverConfig{Kind: KindDemo, PublishableKey: "pk_test_x", FrontendOrigin: "http://127.0.0.1:9", ClerkJSURL: "http://127.0.0.1:9/x.js",
		PollHold: time.Millisecond}) // a valid poll answers "wait" at once
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.close() })
	state := srv.state
	for _, seed := range []string{
		`{"state":"` + state + `","step":"click","status":"ok","start":1,"end":2}`,
		`{"state":"` + state + `","step":"provider","status":"ok","start":1,"end":2,"sessionAud":["convex",{"a":[1e999]}]}`,
		`{"state":"` + state + `","round":0,"path":"session","skipCache":false,"token":null,"start":1e308,"end":-1}`,
		`{"state":"` + state + `","after":-9223372036854775808}`,
		`{"state":"` + state + `","round":9223372036854775807,"path":"template","skipCache":true,"token":"x","start":1,"end":2}`,
		`{"state":"` + state + `","step":"click","status":"ok","start":"NaN","end":2}`,
		"{\"state\":\"\xff\xfe\"}",
		`[]`, `null`, ``, `{"state":` + state,
	} {
		for path := range 3 {
			f.Add(path, []byte(seed))
		}
	}
	paths := []string{PathEvent, PathToken, PathCommand}
	allowed := map[int]bool{200: true, 400: true, 403: true, 409: true, 413: true}
	f.Fuzz(func(t *testing.T, which int, body []byte) {
		path := paths[((which%3)+3)%3]
		req := httptest.NewRequest(http.MethodPost, srv.origin+path, bytes.NewReader(body))
		req.Host = srv.host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", srv.origin)
		req.Header.Set(HeaderSecret, srv.secret)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if !allowed[w.Code] {
			t.Errorf("%s answered %d to %q", path, w.Code, body)
		}
		if bytes.Contains(w.Body.Bytes(), []byte(srv.secret)) {
			t.Errorf("%s repeated the secret", path)
		}
	})
}

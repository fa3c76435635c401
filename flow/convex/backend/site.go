package backend

import (
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// startSite serves Options.Site on its own loopback port: a deployment's
// HTTP actions live at a second origin (https://<name>.convex.site beside
// https://<name>.convex.cloud; http://127.0.0.1:3211 beside :3210 for a
// local backend), which is also its CONVEX_SITE_URL. The caller holds
// b.mu.
func (b *Backend) startSite() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	b.siteLn = ln
	b.siteURL = "http://" + ln.Addr().String()
	b.siteSrv = &http.Server{Handler: b.opts.Site, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: log.New(io.Discard, "", 0)} // not on the user's terminal
	srv := b.siteSrv
	go func() { _ = srv.Serve(ln) }()
	return nil
}

// SiteURL is the deployment's site URL (its CONVEX_SITE_URL), where
// Options.Site is served; "" without one.
func (b *Backend) SiteURL() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.siteURL
}

package devinstance

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// listen binds 127.0.0.1 (or takes ln) and sets the instance's host and issuer: the
// bound address over plain HTTP, or publicHost over TLS (SPEC.md "Behind a
// TLS front").
func (d *Instance) listen(ln net.Listener, publicHost string, cfg *tls.Config) error {
	if publicHost != "" {
		if cfg == nil {
			return errors.New("devinstance: PublicHost needs a TLS configuration with a certificate for it")
		}
		if strings.ContainsAny(publicHost, ":/@") || !strings.Contains(publicHost, ".") {
			return fmt.Errorf("devinstance: PublicHost %q must be a port-less host name", publicHost)
		}
	}
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("devinstance: the dev instance cannot listen on 127.0.0.1: %w", err)
		}
	}
	tcp, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !tcp.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		ln.Close()
		return fmt.Errorf("devinstance: the listener's address %s is not 127.0.0.1", ln.Addr())
	}
	d.addr = "127.0.0.1:" + strconv.Itoa(tcp.Port)
	d.host, d.issuer = d.addr, "http://"+d.addr
	if publicHost != "" {
		ln = tls.NewListener(ln, cfg)
		d.host, d.issuer = publicHost, "https://"+publicHost
	}
	d.ln = ln
	return nil
}

// hostAllowed checks the Host header, so a DNS-rebinding page cannot reach
// the instance: the Frontend API host (with :443 when behind TLS), or
// localhost on the bound port.
func (d *Instance) hostAllowed(host string) bool {
	if d.host != d.addr {
		return host == d.host || host == d.host+":443"
	}
	return host == d.addr || host == "localhost"+d.addr[len("127.0.0.1"):]
}

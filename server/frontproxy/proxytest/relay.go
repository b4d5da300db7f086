// Package proxytest provides a PROXY-protocol-speaking front proxy for
// tests: a loopback relay that plays Fly.io's proxy_proto handler, so an
// end-to-end test can point the real OpenSSH client at it and check that
// the server logs, limits and counts the address the relay claims.
package proxytest

import (
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"

	proxyproto "github.com/pires/go-proxyproto"
)

// Relay accepts connections on a loopback port and forwards each to Target,
// first sending a PROXY header of Version that names Source as the client.
type Relay struct {
	Addr    string         // where to point the client: "127.0.0.1:port"
	Target  string         // the server
	Version byte           // 1 or 2
	Source  netip.AddrPort // the visitor address the header claims

	ln net.Listener
	wg sync.WaitGroup
}

// NewRelay starts a relay that is closed when the test ends.
func NewRelay(tb testing.TB, target string, version byte, source netip.AddrPort) *Relay {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r := &Relay{Addr: ln.Addr().String(), Target: target, Version: version, Source: source, ln: ln}
	r.wg.Add(1)
	go r.serve()
	tb.Cleanup(r.Close)
	return r
}

// Close stops accepting and waits for open relays to end.
func (r *Relay) Close() {
	_ = r.ln.Close()
	r.wg.Wait()
}

func (r *Relay) serve() {
	defer r.wg.Done()
	for {
		client, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.relay(client)
		}()
	}
}

func (r *Relay) relay(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", r.Target)
	if err != nil {
		return
	}
	defer server.Close()
	h := proxyproto.HeaderProxyFromAddrs(r.Version,
		net.TCPAddrFromAddrPort(r.Source), server.RemoteAddr())
	if _, err := h.WriteTo(server); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		// Pass the half-close on, as a TCP proxy does.
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	<-done
}

package server

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/frontproxy/proxytest"
)

// dialVia opens an SSH client connection to the server through addr (a relay).
func (ts *testServer) dialVia(t *testing.T, addr string) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "visitor",
		HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
		Timeout:         5 * time.Second,
	})
}

func TestProxyProtocolGivesTheVisitorsAddress(t *testing.T) {
	for _, tc := range []struct {
		mode    string
		version byte
		mask    bool
		want    string
	}{
		{"v2", 2, false, "203.0.113.7:40001"},
		{"v1", 1, false, "203.0.113.7:40001"},
		{"any", 2, true, "203.0.113.0/24"},
	} {
		t.Run(fmt.Sprintf("%s mask=%v", tc.mode, tc.mask), func(t *testing.T) {
			ts := newTestServer(t, func(c *Config) { c.ProxyProtocol = tc.mode; c.LogMaskAddr = tc.mask })
			relay := proxytest.NewRelay(t, ts.addr, tc.version, netip.MustParseAddrPort("203.0.113.7:40001"))
			client, err := ts.dialVia(t, relay.Addr)
			if err != nil {
				t.Fatal(err)
			}
			sess, _ := client.NewSession()
			if out, err := sess.Output("education"); err != nil || !strings.Contains(string(out), "Education") {
				t.Fatalf("education: %v %q", err, out)
			}
			client.Close()
			waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 1 })
			end := ts.logs.find(t, "session end")[0]
			if end["addr"] != tc.want || end["command"] != "education" || end["kind"] != "plain" {
				t.Errorf("session end: %v", end)
			}
			if st := ts.logs.find(t, "session start")[0]; st["addr"] != tc.want {
				t.Errorf("session start: %v", st)
			}

			// No header: closed before the handshake, counted, logged at debug.
			if c, err := ts.dialVia(t, ts.addr); err == nil {
				c.Close()
				t.Fatal("a connection without a PROXY header got a session")
			}
			waitUntil(t, func() bool { return len(ts.logs.find(t, "proxy header rejected")) == 1 })
			if e := ts.logs.find(t, "proxy header rejected")[0]; e["level"] != "debug" || e["addr"] == "" {
				t.Errorf("rejection event: %v", e)
			}
			if body := scrapeMetrics(t, ts.Server); !strings.Contains(body, "portfolio_proxy_header_rejections_total 1\n") {
				t.Error("the headerless connection is not counted in portfolio_proxy_header_rejections_total")
			}
		})
	}
}

// TestProxyTrustedRanges: the parsed PORTFOLIO_PROXY_TRUSTED ranges in the Config are the
// front listener's policy: a proxy outside them is refused before the handshake.
func TestProxyTrustedRanges(t *testing.T) {
	for _, tc := range []struct {
		trusted string
		ok      bool
	}{{"127.0.0.0/8", true}, {"10.0.0.0/8", false}} {
		t.Run(tc.trusted, func(t *testing.T) {
			ts := newTestServer(t, func(c *Config) {
				c.ProxyProtocol, c.ProxyTrusted = "v2", []netip.Prefix{netip.MustParsePrefix(tc.trusted)}
			})
			relay := proxytest.NewRelay(t, ts.addr, 2, netip.MustParseAddrPort("203.0.113.7:40001"))
			client, err := ts.dialVia(t, relay.Addr)
			if (err == nil) != tc.ok {
				t.Fatalf("a proxy on 127.0.0.1 with trusted %s: %v, want ok %v", tc.trusted, err, tc.ok)
			}
			if err == nil {
				client.Close()
				return
			}
			waitUntil(t, func() bool { return len(ts.logs.find(t, "proxy header rejected")) == 1 })
		})
	}
}

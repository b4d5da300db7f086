package server

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/frontproxy/proxytest"
)

func TestMaskAddr(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7:51234":          "203.0.113.0/24",
		"[2001:db8:1:2::7]:22":       "2001:db8:1::/48",
		"[::ffff:198.51.100.9]:4000": "198.51.100.0/24",
		"10.1.2.3":                   "10.1.2.0/24",
		"not-an-address":             "masked",
	} {
		if got := MaskAddr(addrString(in)); got != want {
			t.Errorf("MaskAddr(%s) = %s, want %s", in, got, want)
		}
	}
	tcp := &net.TCPAddr{IP: net.ParseIP("192.0.2.200"), Port: 9}
	if got := MaskAddr(tcp); got != "192.0.2.0/24" {
		t.Errorf("MaskAddr(%v) = %s", tcp, got)
	}
}

// TestSectionsInTextAndJSON: the same value is a list of objects in JSON (what portfolio
// stats reads) and a compact slug:ms list in text logs.
func TestSectionsInTextAndJSON(t *testing.T) {
	v := sectionViews{{"education", 5120}, {"road-ahead", 830}}
	var js, txt, lf bytes.Buffer
	log.NewWithOptions(&js, log.Options{Formatter: log.JSONFormatter}).Info("session end", "sections", v)
	log.NewWithOptions(&txt, log.Options{Formatter: log.TextFormatter}).Info("session end", "sections", v)
	log.NewWithOptions(&lf, log.Options{Formatter: log.LogfmtFormatter}).Info("session end", "sections", v)
	if !strings.Contains(js.String(), `"sections":[{"slug":"education","ms":5120},{"slug":"road-ahead","ms":830}]`) {
		t.Errorf("JSON: %s", js.String())
	}
	for _, out := range []string{txt.String(), lf.String()} {
		if !strings.Contains(out, "education:5120,road-ahead:830") {
			t.Errorf("text/logfmt: %s", out)
		}
	}
	if got := fmt.Sprint(sectionViews{}); got != "" {
		t.Errorf("empty: %q", got)
	}
}

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
			if end["addr"] != tc.want || end["command"] != "education" || end["kind"] != kindPlain {
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

func TestMetricsCountTheChain(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.RateLimit = Rate{Events: 1, Per: time.Hour}; c.RateBurst = 2 })
	ts.run(t, "", "education")
	ts.run(t, "", "help")
	// Two connections without a session spend the budget (the visits gave theirs back); the
	// next is refused at accept time, before the handshake (it is no session).
	for range 2 {
		if err := ts.handshake("127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	}
	if ts.handshake("127.0.0.1") == nil {
		t.Fatal("a connection over the rate limit got through the handshake")
	}
	// A connection that never finishes the handshake, from a source still within its rate.
	c, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Write([]byte("SSH-2.0-scanner\r\n\x00\x00\x00\x0cgarbage-here"))
	_ = c.Close()

	waitUntil(t, func() bool {
		return len(ts.logs.find(t, "session end")) == 2 && len(ts.logs.find(t, "handshake failed")) == 1
	})
	m := ts.Metrics()
	body := scrapeMetrics(t, ts.Server)
	for _, want := range []string{
		`portfolio_sessions_total{kind="plain"} 2`,
		`portfolio_rejections_total{reason="rate-limit"} 1`,
		`portfolio_section_views_total{section="education"} 1`,
		`portfolio_handshake_failures_total 1`,
		`portfolio_sessions_open 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(body, "portfolio_bytes_sent_total ") || strings.Contains(body, "portfolio_bytes_sent_total 0\n") {
		t.Error("bytes sent not counted")
	}
	if m.OpenSessions() != 0 {
		t.Errorf("open sessions %d", m.OpenSessions())
	}
	if rj := ts.logs.find(t, "ssh connection refused"); len(rj) != 1 || rj[0]["level"] != "info" || rj[0]["remote"] != "127.0.0.1" ||
		rj[0]["reason"] != "rate_limit" {
		t.Errorf("refusal at accept time: %v", rj)
	}
	hf := ts.logs.find(t, "handshake failed")[0]
	if hf["level"] != "debug" || !strings.HasPrefix(hf["addr"].(string), "127.0.0.2:") {
		t.Errorf("handshake failed: %v", hf)
	}
	// The end summary carries the start's fields, so one line tells the whole visit.
	for _, e := range ts.logs.find(t, "session end") {
		for _, k := range []string{"session", "addr", "user", "client", "term", "profile", "width", "height", "pty", "command",
			"duration_ms", "sections", "keys", "bytes", "reason", "kind"} {
			if _, ok := e[k]; !ok {
				t.Errorf("session end lacks %q: %v", k, e)
			}
		}
	}
}

func TestHealthFollowsTheServer(t *testing.T) {
	// An address of its own in 127.0.0.0/8: the check below that the port is closed must
	// not find another test process that was given the same port on 127.0.0.1 meanwhile.
	own := fmt.Sprintf("127.%d.%d.%d:0", 1+rand.IntN(250), rand.IntN(250), 1+rand.IntN(250))
	ts := newTestServer(t, func(c *Config) { c.HTTPAddr = own })
	if err := ts.ListenHTTP(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return ts.Metrics().Health().Ready })
	if ts.HTTPAddr() == nil {
		t.Fatal("no HTTP address")
	}
	if body := scrapeMetrics(t, ts.Server); !strings.Contains(body, "portfolio_sessions_open 0\n") {
		t.Errorf("/metrics: %s", body)
	}
	if err := ts.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if h := ts.Metrics().Health(); h.Ready || h.Status != "shutting down" {
		t.Errorf("after shutdown: %+v", h)
	}
	if c, err := net.DialTimeout("tcp", ts.HTTPAddr().String(), time.Second); err == nil {
		c.Close()
		t.Error("HTTP listener still open after Shutdown")
	}
}

// scrapeMetrics reads /metrics from the server's own handler.
func scrapeMetrics(t *testing.T, s *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Metrics().Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

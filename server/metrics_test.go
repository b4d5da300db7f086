package server

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"portfolio/server/guard"
)

func TestMetricsCountTheChain(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.RateLimit = Rate{Events: 1, Per: time.Hour} },
		withGuard(func(l *guard.Limits) { l.RateBurst = 2 }))
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

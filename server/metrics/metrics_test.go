package metrics

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMethodsUpdateCollectors(t *testing.T) {
	m := New(Options{Sections: []string{"education", "certification"}})

	m.SessionOpened()
	m.SessionOpened()
	m.SessionOpened()
	if got := testutil.ToFloat64(m.open); got != 3 {
		t.Errorf("open = %v, want 3", got)
	}
	m.SessionClosed(Interactive, 90*time.Second)
	m.SessionClosed(Plain, 200*time.Millisecond)
	m.SessionClosed(Rejected, time.Millisecond)
	if got := testutil.ToFloat64(m.open); got != 0 || m.OpenSessions() != 0 {
		t.Errorf("open = %v / %d, want 0", got, m.OpenSessions())
	}
	m.SectionViewed("education")
	m.SectionViewed("education")
	m.SectionViewed("../../etc/passwd") // never a new series
	m.Rejected(ReasonRateLimit)
	m.Rejected(ReasonCap)
	m.Rejected(ReasonCap)
	m.Rejected("client-made-this-up")
	m.HandshakeFailed()
	m.ProxyHeaderRejected()
	m.BytesSent(100)
	m.BytesSent(-5) // ignored

	want := `
# HELP portfolio_sessions_total SSH sessions ended, by kind (interactive, plain, rejected).
# TYPE portfolio_sessions_total counter
portfolio_sessions_total{kind="interactive"} 1
portfolio_sessions_total{kind="plain"} 1
portfolio_sessions_total{kind="rejected"} 1
# HELP portfolio_section_views_total Times a section was shown, by slug.
# TYPE portfolio_section_views_total counter
portfolio_section_views_total{section="certification"} 0
portfolio_section_views_total{section="education"} 2
portfolio_section_views_total{section="other"} 1
# HELP portfolio_rejections_total Connections or sessions refused, by reason (rate-limit, cap).
# TYPE portfolio_rejections_total counter
portfolio_rejections_total{reason="cap"} 2
portfolio_rejections_total{reason="other"} 1
portfolio_rejections_total{reason="rate-limit"} 1
# HELP portfolio_handshake_failures_total SSH connections that failed before a session (bad handshake, timeout, bad algorithms).
# TYPE portfolio_handshake_failures_total counter
portfolio_handshake_failures_total 1
# HELP portfolio_proxy_header_rejections_total Connections closed for a missing, malformed or untrusted PROXY header.
# TYPE portfolio_proxy_header_rejections_total counter
portfolio_proxy_header_rejections_total 1
# HELP portfolio_bytes_sent_total Bytes written to visitors' sessions (stdout and stderr).
# TYPE portfolio_bytes_sent_total counter
portfolio_bytes_sent_total 100
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want),
		"portfolio_sessions_total", "portfolio_section_views_total", "portfolio_rejections_total",
		"portfolio_handshake_failures_total", "portfolio_proxy_header_rejections_total",
		"portfolio_bytes_sent_total"); err != nil {
		t.Error(err)
	}

	// Rejected sessions stay out of the duration histogram.
	if n := testutil.CollectAndCount(m.duration); n != 2 {
		t.Errorf("duration series = %d, want 2 (interactive, plain)", n)
	}
	body := scrape(t, m)
	for _, line := range []string{
		`portfolio_session_duration_seconds_count{kind="interactive"} 1`,
		`portfolio_session_duration_seconds_sum{kind="interactive"} 90`,
		`portfolio_session_duration_seconds_bucket{kind="interactive",le="60"} 0`,
		`portfolio_session_duration_seconds_bucket{kind="interactive",le="120"} 1`,
		`portfolio_session_duration_seconds_count{kind="plain"} 1`,
		`portfolio_session_duration_seconds_bucket{kind="plain",le="0.5"} 1`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("/metrics lacks %q", line)
		}
	}
}

func TestSeparateRegistries(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	a.HandshakeFailed()
	if got := testutil.ToFloat64(b.handshake); got != 0 {
		t.Errorf("second Metrics saw the first's count: %v", got)
	}
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics status %d", resp.StatusCode)
	}
	return string(b)
}

func TestHandler(t *testing.T) {
	m := New(Options{Sections: []string{"education"}})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()

	health := func() (int, Health) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		var h Health
		if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, h
	}

	if code, h := health(); code != http.StatusServiceUnavailable || h.Ready || h.Status != "starting" {
		t.Errorf("before ready: %d %+v", code, h)
	}
	m.SetReady(true)
	m.SessionOpened()
	m.SessionOpened()
	if code, h := health(); code != http.StatusOK || !h.Ready || h.Status != "ok" || h.OpenSessions != 2 {
		t.Errorf("ready: %d %+v", code, h)
	}
	m.ShuttingDown()
	if code, h := health(); code != http.StatusServiceUnavailable || h.Ready || h.Status != "shutting down" || h.OpenSessions != 2 {
		t.Errorf("shutting down: %d %+v", code, h)
	}

	body := scrape(t, m)
	for _, want := range []string{
		"portfolio_sessions_open 2\n",
		`portfolio_section_views_total{section="education"} 0` + "\n",
		"go_goroutines ",
		"go_memstats_heap_alloc_bytes ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	for path, wantCode := range map[string]int{"/": 404, "/debug/pprof/": 404} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != wantCode {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, wantCode)
		}
	}
	resp, err := http.Post(srv.URL+"/healthz", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d, want 405", resp.StatusCode)
	}
}

func TestNewHTTPServerHasTimeouts(t *testing.T) {
	s := NewHTTPServer(":9091", http.NotFoundHandler())
	if s.Addr != ":9091" || s.ReadHeaderTimeout == 0 || s.ReadTimeout == 0 || s.WriteTimeout == 0 || s.IdleTimeout == 0 {
		t.Errorf("server lacks timeouts: %+v", s)
	}
}

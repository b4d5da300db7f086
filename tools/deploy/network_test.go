package deploy

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strconv"
	"testing"
	"time"

	"portfolio/server/frontproxy"
	"portfolio/server/metrics"

	proxyproto "github.com/pires/go-proxyproto"
)

func TestPortsAgree(t *testing.T) {
	f := load(t)
	sshPort := port(t, "PORTFOLIO_ADDR", f.mustEnv(t, "PORTFOLIO_ADDR"))
	httpPort := port(t, "PORTFOLIO_HTTP_ADDR", f.mustEnv(t, "PORTFOLIO_HTTP_ADDR"))
	exposed := f.docker.Final().Exposed()
	for _, p := range []int{sshPort, httpPort} {
		if !slices.Contains(exposed, strconv.Itoa(p)) {
			t.Errorf("EXPOSE %v lacks %d", exposed, p)
		}
	}
	if sshPort == httpPort {
		t.Fatalf("SSH and HTTP share port %d", sshPort)
	}

	if len(f.fly.Services) != 1 {
		t.Fatalf("%d [[services]], want exactly the SSH one", len(f.fly.Services))
	}
	if f.fly.HTTPService != nil {
		t.Error("[http_service] present: the app speaks SSH, not HTTP, to the internet")
	}
	svc := f.fly.Services[0]
	if svc.Protocol != "tcp" || svc.InternalPort != sshPort {
		t.Errorf("service %s/%d, want tcp/%d (PORTFOLIO_ADDR)", svc.Protocol, svc.InternalPort, sshPort)
	}
	if len(svc.Ports) != 1 || svc.Ports[0].Port != 22 {
		t.Fatalf("service ports %+v, want public port 22 only", svc.Ports)
	}
	if len(svc.TCPChecks) > 0 || len(svc.HTTPChecks) > 0 {
		t.Error("service-level checks on the SSH port: they arrive without a PROXY header and are refused")
	}

	if f.fly.Metrics.Port != httpPort || f.fly.Metrics.Path != "/metrics" {
		t.Errorf("[metrics] %d%s, want %d/metrics", f.fly.Metrics.Port, f.fly.Metrics.Path, httpPort)
	}
	var health []FlyCheck
	for name, c := range f.fly.Checks {
		if c.Port == sshPort {
			t.Errorf("check %s probes the SSH port", name)
		}
		if c.Type == "http" && c.Port == httpPort && c.Path == "/healthz" {
			health = append(health, c)
		}
	}
	if len(health) == 0 {
		t.Fatalf("no [checks] http check on %d /healthz: %+v", httpPort, f.fly.Checks)
	}
	for _, c := range health {
		if c.Interval.Duration <= 0 || c.Timeout.Duration <= 0 || c.Timeout.Duration >= c.Interval.Duration {
			t.Errorf("health check interval %v timeout %v", c.Interval, c.Timeout)
		}
	}
}

// TestHealthAndMetricsPathsAnswer serves the real handler and asks it what
// Fly's check and scraper will ask.
func TestHealthAndMetricsPathsAnswer(t *testing.T) {
	f := load(t)
	m := metrics.New(metrics.Options{})
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	get := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, c := range f.fly.Checks {
		if c.Type != "http" {
			continue
		}
		if code := get(c.Path); code != http.StatusServiceUnavailable {
			t.Errorf("check %s before ready: %d, want 503", name, code)
		}
		m.SetReady(true)
		if code := get(c.Path); code != http.StatusOK {
			t.Errorf("check %s when ready: %d, want 200", name, code)
		}
	}
	if code := get(f.fly.Metrics.Path); code != http.StatusOK {
		t.Errorf("GET %s = %d", f.fly.Metrics.Path, code)
	}
}

// TestProxyProtocolAgrees checks the server's setting accepts the header
// version Fly sends, and that a connection carrying such a header gets
// through with the visitor's address.
func TestProxyProtocolAgrees(t *testing.T) {
	f := load(t)
	p := f.fly.Services[0].Ports[0]
	if !slices.Equal(p.Handlers, []string{"proxy_proto"}) {
		t.Fatalf("port 22 handlers %v, want [proxy_proto] alone (tls or http would break SSH)", p.Handlers)
	}
	version := p.ProxyProtoVersion()
	mode, err := frontproxy.ParseMode(f.mustEnv(t, "PORTFOLIO_PROXY_PROTOCOL"))
	if err != nil {
		t.Fatal(err)
	}
	accepts := map[string][]frontproxy.Mode{"v1": {frontproxy.V1, frontproxy.Any}, "v2": {frontproxy.V2, frontproxy.Any}}
	if !slices.Contains(accepts[version], mode) {
		t.Fatalf("Fly sends PROXY %s but PORTFOLIO_PROXY_PROTOCOL=%s", version, mode)
	}

	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := frontproxy.Wrap(inner, frontproxy.Config{Mode: mode, HeaderTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	checked := make(chan struct{}) // the visitor stays connected until the test has looked
	defer close(checked)
	go func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return
		}
		defer c.Close()
		h := proxyproto.HeaderProxyFromAddrs(map[string]byte{"v1": 1, "v2": 2}[version],
			net.TCPAddrFromAddrPort(netip.MustParseAddrPort("203.0.113.5:40001")),
			net.TCPAddrFromAddrPort(netip.MustParseAddrPort("10.0.0.2:2222")))
		_, _ = h.WriteTo(c)
		_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
		<-checked
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.RemoteAddr().String(); got != "203.0.113.5:40001" {
		t.Errorf("RemoteAddr = %s, want the visitor's", got)
	}
}

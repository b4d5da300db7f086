package deploy

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"portfolio/server/frontproxy"
	"portfolio/server/metrics"

	proxyproto "github.com/pires/go-proxyproto"
)

// files are the parsed deployment files of the repository root.
type files struct {
	docker *Dockerfile
	fly    *FlyConfig
	// env is what the running server sees: the image's ENV overlaid with
	// fly.toml's [env] (Fly sets those on the machine, and they win).
	env map[string]string
}

func load(t *testing.T) files {
	t.Helper()
	df, err := os.Open(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer df.Close()
	docker, err := ParseDockerfile(df)
	if err != nil {
		t.Fatal(err)
	}
	ft, err := os.Open(filepath.Join("..", "fly.toml"))
	if err != nil {
		t.Fatal(err)
	}
	defer ft.Close()
	fly, err := DecodeFly(ft)
	if err != nil {
		t.Fatal(err)
	}
	env := docker.Final().Env()
	for k, v := range fly.Env {
		env[k] = v
	}
	return files{docker, fly, env}
}

// port returns the port of a listen address such as ":2222".
func port(t *testing.T, setting, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s=%q: %v", setting, addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: no port", setting, addr)
	}
	return n
}

func (f files) mustEnv(t *testing.T, key string) string {
	t.Helper()
	v, ok := f.env[key]
	if !ok || v == "" {
		t.Fatalf("%s is set neither in the Dockerfile's ENV nor in fly.toml's [env]", key)
	}
	return v
}

func TestDockerfileBuildsStaticBinary(t *testing.T) {
	f := load(t)
	if len(f.docker.Stages) < 2 {
		t.Fatalf("%d stages: want a build stage and a minimal final stage", len(f.docker.Stages))
	}
	build := f.docker.Stages[0]
	if !strings.HasPrefix(build.From, "golang:1.26") {
		t.Errorf("build stage FROM %s, want golang:1.26", build.From)
	}
	var buildCmd string
	for _, st := range f.docker.Stages[:len(f.docker.Stages)-1] {
		for _, in := range st.All("run") {
			if strings.Contains(strings.Join(in.Args, " "), "go build") {
				buildCmd = strings.Join(in.Args, " ")
			}
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "./cmd/portfolio"} {
		if !strings.Contains(buildCmd, want) {
			t.Errorf("go build command %q lacks %s", buildCmd, want)
		}
	}
	final := f.docker.Final()
	if !strings.HasPrefix(final.From, "gcr.io/distroless/static") && final.From != "scratch" {
		t.Errorf("final stage FROM %s: want distroless static or scratch", final.From)
	}
	// Everything in the final image comes from the build stage, never
	// straight from the build context (where a host key might lie).
	for _, in := range append(final.All("copy"), final.All("add")...) {
		if !slices.ContainsFunc(in.Flags, func(fl string) bool { return strings.HasPrefix(fl, "--from=") }) {
			t.Errorf("line %d: %s %v copies from the build context into the final image", in.Line, in.Cmd, in.Args)
		}
	}
	if ep, ok := final.Last("entrypoint"); !ok || !ep.JSON {
		t.Error("ENTRYPOINT missing or in shell form: a shell as PID 1 would not pass SIGTERM on")
	}
}

func TestNoHostKeyInImageOrConfig(t *testing.T) {
	f := load(t)
	keyish := regexp.MustCompile(`ssh-keygen|\.ssh|host_key|_ed25519|\.pem`)
	for _, st := range f.docker.Stages {
		for _, in := range st.Instructions {
			if in.Cmd == "run" || in.Cmd == "copy" || in.Cmd == "add" {
				if s := strings.Join(in.Args, " "); keyish.MatchString(s) {
					t.Errorf("Dockerfile line %d handles a key: %s %s", in.Line, in.Cmd, s)
				}
			}
		}
	}
	gen, err := strconv.ParseBool(f.mustEnv(t, "PORTFOLIO_HOST_KEY_GENERATE"))
	if err != nil || gen {
		t.Errorf("PORTFOLIO_HOST_KEY_GENERATE = %q: the image must switch key generation off", f.env["PORTFOLIO_HOST_KEY_GENERATE"])
	}
	for _, src := range []map[string]string{f.docker.Final().Env(), f.fly.Env} {
		if _, ok := src["PORTFOLIO_HOST_KEY"]; ok {
			t.Error("PORTFOLIO_HOST_KEY is in a committed file: it belongs in `fly secrets set`")
		}
	}

	ignored := map[string]bool{}
	di, err := os.Open(filepath.Join("..", ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer di.Close()
	sc := bufio.NewScanner(di)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ignored[line] = true
		}
	}
	for _, want := range []string{".ssh", "**/.ssh", ".git", "**/*.pem", ".env"} {
		if !ignored[want] {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

func TestImageRunsAsNonRoot(t *testing.T) {
	f := load(t)
	user, ok := f.docker.Final().Last("user")
	if !ok || len(user.Args) != 1 {
		t.Fatal("final stage has no USER: the server would run as root")
	}
	uid, gid, _ := strings.Cut(user.Args[0], ":")
	n, err := strconv.Atoi(uid)
	if err != nil {
		t.Fatalf("USER %s: want a numeric uid, checkable without /etc/passwd", user.Args[0])
	}
	if n == 0 {
		t.Error("USER is root")
	}
	if gid != "" {
		if g, err := strconv.Atoi(gid); err != nil || g == 0 {
			t.Errorf("USER group %q: want a numeric non-root gid", gid)
		}
	}
}

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
		time.Sleep(time.Second)
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

func TestStopSignalAndDeadline(t *testing.T) {
	f := load(t)
	stop, ok := f.docker.Final().Last("stopsignal")
	if !ok || len(stop.Args) != 1 {
		t.Fatal("no STOPSIGNAL in the final stage")
	}
	if stop.Args[0] != "SIGTERM" || f.fly.KillSignal != stop.Args[0] {
		t.Errorf("STOPSIGNAL %s, kill_signal %s: want both SIGTERM, the signal the server drains on", stop.Args[0], f.fly.KillSignal)
	}
	shutdown := serverShutdownTimeout()
	if v, ok := f.env["PORTFOLIO_SHUTDOWN_TIMEOUT"]; ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("PORTFOLIO_SHUTDOWN_TIMEOUT=%q: %v", v, err)
		}
		shutdown = d
	}
	const margin = 5 * time.Second // goodbye lines, closing, log flush
	kill := f.fly.KillTimeout.Duration
	if kill < shutdown+margin {
		t.Errorf("kill_timeout %v < shutdown timeout %v + %v: Fly would SIGKILL mid-drain", kill, shutdown, margin)
	}
	if kill > 300*time.Second {
		t.Errorf("kill_timeout %v is over Fly's maximum of 300s", kill)
	}
}

func TestConcurrencyAndMemory(t *testing.T) {
	f := load(t)
	svc := f.fly.Services[0]
	maxSessions := serverMaxSessions()
	if v, ok := f.env["PORTFOLIO_MAX_SESSIONS"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("PORTFOLIO_MAX_SESSIONS=%q: %v", v, err)
		}
		maxSessions = n
	}
	c := svc.Concurrency
	if c.Type != "connections" {
		t.Errorf("concurrency type %q, want connections (SSH has no requests)", c.Type)
	}
	if c.HardLimit <= maxSessions {
		t.Errorf("hard_limit %d <= PORTFOLIO_MAX_SESSIONS %d: visitors over the cap would be dropped by the proxy instead of told by the server", c.HardLimit, maxSessions)
	}
	if c.SoftLimit <= 0 || c.SoftLimit > maxSessions {
		t.Errorf("soft_limit %d: want 1..%d", c.SoftLimit, maxSessions)
	}

	switch v := svc.AutoStopMachines.(type) {
	case nil:
	case bool:
		if v {
			t.Error(`auto_stop_machines = true: want "off"`)
		}
	case string:
		switch v {
		case "off":
		case "stop":
			if svc.MinMachinesRunning < 1 {
				t.Error(`auto_stop_machines = "stop" without min_machines_running >= 1`)
			}
		default:
			t.Errorf("auto_stop_machines = %q: suspend freezes live sessions", v)
		}
	default:
		t.Errorf("auto_stop_machines = %v: want \"off\"", v)
	}

	if len(f.fly.VM) != 1 {
		t.Fatalf("%d [[vm]], want one", len(f.fly.VM))
	}
	vmBytes, err := ParseSize(f.fly.VM[0].Memory, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	limit, err := ParseGoMemLimit(f.mustEnv(t, "GOMEMLIMIT"))
	if err != nil {
		t.Fatal(err)
	}
	// About 1 MiB per session (the hardening caps what a client can make
	// a session cost) plus the runtime, caches and listeners.
	const perSession, base = 1 << 20, 96 << 20
	if need := int64(maxSessions)*perSession + base; limit < need {
		t.Errorf("GOMEMLIMIT %d MiB < %d sessions x 1 MiB + 96 MiB", limit>>20, maxSessions)
	}
	if limit > vmBytes*9/10 {
		t.Errorf("GOMEMLIMIT %d MiB leaves under 10%% of the %d MiB VM for the kernel and non-heap memory", limit>>20, vmBytes>>20)
	}
}

func TestFlyTomlRefusesUnknownKeys(t *testing.T) {
	_, err := DecodeFly(strings.NewReader("app = \"x\"\nkill_timout = 30\n"))
	if err == nil || !strings.Contains(err.Error(), "kill_timout") {
		t.Errorf("misspelt key: err = %v", err)
	}
}

func TestParsers(t *testing.T) {
	for in, want := range map[string]int64{"1gb": 1 << 30, "512mb": 512 << 20, "2048": 2048 << 20, "1GB": 1 << 30} {
		if got, err := ParseSize(in, 1<<20); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]int64{"800MiB": 800 << 20, "1GiB": 1 << 30, "1048576": 1 << 20} {
		if got, err := ParseGoMemLimit(in); err != nil || got != want {
			t.Errorf("ParseGoMemLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"800MB", "800mib", "1.5GiB", "", "-1MiB", "GiB"} {
		if _, err := ParseGoMemLimit(bad); err == nil {
			t.Errorf("ParseGoMemLimit(%q): want an error (the Go runtime refuses it)", bad)
		}
	}
	d, err := ParseDockerfile(strings.NewReader("ARG X=1\nFROM scratch AS run\nENV A=1 B=\"two words\"\nENV C 3\nEXPOSE 22/tcp 80\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := d.Final().Env()
	if env["A"] != "1" || env["B"] != "two words" || env["C"] != "3" || d.Final().Name != "run" {
		t.Errorf("env %v, name %q", env, d.Final().Name)
	}
	if got := d.Final().Exposed(); !slices.Equal(got, []string{"22", "80"}) {
		t.Errorf("exposed %v", got)
	}
}

package server

// Each hazard of a public port 22 (issue 4), shown on the WIRED server: server.New, the real
// middleware chain, the guard applied by New and the listener Serve wraps, on 127.0.0.1:0,
// with golang.org/x/crypto/ssh clients. The guard's own unit tests cover its pieces; these
// show that the server actually uses them. The input-idle timeout with its goodbye is
// TestIdleTimeoutCountsInputNotOutput (server_test.go).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
	"portfolio/ui"
)

// withGuard shortens the guard's limits that are not settings (write timeout, no-session
// timeout, keepalive misses) for one test.
func withGuard(tune func(*guard.Config)) Option {
	return func(s *Server) { s.tuneGuard = tune }
}

// handshake dials from a loopback address and runs the SSH handshake only.
func (ts *testServer) handshake(from string) error { return ts.handshakeWith(from, nil) }

// handshakeWith is handshake with the client's algorithms restricted to algos.
func (ts *testServer) handshakeWith(from string, algos *gossh.Config) error {
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	conn, err := d.Dial("tcp", ts.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	cfg := &gossh.ClientConfig{
		User:            "visitor",
		HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
	}
	if algos != nil {
		cfg.Config = *algos
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, cfg)
	if err != nil {
		return err
	}
	return gossh.NewClient(c, chans, reqs).Close()
}

// liveHeap is the live heap after full collections.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// openSized opens a PTY session of the claimed size on its own connection.
func (ts *testServer) openSized(t *testing.T, w, h int) *term {
	t.Helper()
	sess, err := ts.dial(t, "").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &term{sess: sess, waited: make(chan error, 1)}
	tm.stdin, _ = sess.StdinPipe()
	sess.Stdout, sess.Stderr = tm, tm
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { tm.waited <- sess.Wait() }()
	return tm
}

// TestMemoryBoundedWhateverTheClientClaims: a 65535x65535 pty-req, and ESC[8;1000;1000t typed
// as input, cost about what a normal session costs, with the real UI. (Unclamped, 1000x1000
// costs about 109 MB of heap and 65535x65535 cannot be allocated at all.)
func TestMemoryBoundedWhateverTheClientClaims(t *testing.T) {
	ts := newTestServer(t, nil)
	title := testSite(t).Settings.Title

	base := liveHeap()
	normal := ts.openSized(t, 100, 30)
	normal.waitFor(t, title, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	afterNormal := liveHeap()

	huge := ts.openSized(t, 65535, 65535)
	huge.waitFor(t, title, 10*time.Second)
	time.Sleep(200 * time.Millisecond)
	afterHuge := liveHeap()

	// In band: the visitor types window size reports, which Bubble Tea turns into sizes.
	for i := range 20 {
		normal.press(t, fmt.Sprintf("\x1b[8;%d;%dt", 1000+i, 1000+i))
	}
	normal.press(t, "\x1b[8;1000;1000t")
	time.Sleep(500 * time.Millisecond)
	afterInBand := liveHeap()

	mb := func(a, b uint64) float64 { return (float64(a) - float64(b)) / (1 << 20) }
	normalCost, hugeCost, inBandCost := mb(afterNormal, base), mb(afterHuge, afterNormal), mb(afterInBand, afterHuge)
	t.Logf("heap: 100x30 session %+.1f MB; 65535x65535 pty-req session %+.1f MB; typed ESC[8;1000;1000t %+.1f MB",
		normalCost, hugeCost, inBandCost)
	// Clamped to 300x100 (PORTFOLIO_MAX_WINDOW), ten times the cells of 100x30: a few MB more.
	const bound = 16.0
	if hugeCost > normalCost+bound {
		t.Errorf("the 65535x65535 session cost %.1f MB against %.1f MB for a normal one", hugeCost, normalCost)
	}
	if inBandCost > bound {
		t.Errorf("the typed resize cost %.1f MB", inBandCost)
	}
	for _, tm := range []*term{normal, huge} {
		tm.press(t, "q")
		if code := tm.exit(t, 5*time.Second); code != 0 {
			t.Errorf("exit status %d after the resizes", code)
		}
	}
}

// sizeRecorder is a model that records every window size it is given.
type sizeRecorder struct{ sizes *sizeLog }

type sizeLog struct {
	mu    sync.Mutex
	sizes []tea.WindowSizeMsg
}

func (l *sizeLog) add(m tea.WindowSizeMsg) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sizes = append(l.sizes, m)
}

func (l *sizeLog) get() []tea.WindowSizeMsg {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]tea.WindowSizeMsg(nil), l.sizes...)
}

func (m sizeRecorder) Init() tea.Cmd { return nil }
func (m sizeRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.sizes.add(msg)
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m sizeRecorder) View() tea.View { return tea.NewView("sizes") }

func withSizeRecorder(l *sizeLog) Option {
	return func(s *Server) { s.newModel = func(ui.Options) tea.Model { return sizeRecorder{sizes: l} } }
}

// TestWindowChangeStorm: 20,000 window-changes, absurd sizes among them, are survived: the
// program sees a few coalesced sizes, none above the limit, and the last one.
func TestWindowChangeStorm(t *testing.T) {
	sizes := &sizeLog{}
	// The storm is 1 MB of SSH traffic: lift the read pacing so the test measures coalescing,
	// not PORTFOLIO_READ_RATE.
	ts := newTestServer(t, func(c *Config) { c.ReadRate = 64 << 20 }, withSizeRecorder(sizes))
	tm := ts.openSized(t, 80, 24)
	tm.waitFor(t, "sizes", 5*time.Second)
	before := liveHeap()
	start := time.Now()
	const storm = 20000
	for i := range storm {
		w, h := 40+i%200, 10+i%90
		if i%7 == 0 {
			w, h = 65535, 65535
		}
		if err := tm.sess.WindowChange(h, w); err != nil {
			t.Fatalf("window-change %d: %v", i, err)
		}
	}
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	sent := time.Since(start)
	waitUntil(t, func() bool {
		s := sizes.get()
		return len(s) > 0 && s[len(s)-1] == tea.WindowSizeMsg{Width: 120, Height: 40}
	})
	got := sizes.get()
	t.Logf("%d window-changes sent in %s; the program saw %d sizes, the last %dx%d; heap %+.1f MB",
		storm+1, sent.Round(time.Millisecond), len(got), got[len(got)-1].Width, got[len(got)-1].Height,
		(float64(liveHeap())-float64(before))/(1<<20))
	for _, s := range got {
		if s.Width > 300 || s.Height > 100 || s.Width < 1 || s.Height < 1 {
			t.Fatalf("the program saw %dx%d, beyond the 300x100 limit", s.Width, s.Height)
		}
	}
	if len(got) > storm/10 {
		t.Errorf("%d sizes reached the program: the storm was not coalesced", len(got))
	}
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d after the storm", code)
	}
}

// TestThirdSessionChannelRefused: at most two session channels per connection.
func TestThirdSessionChannelRefused(t *testing.T) {
	ts := newTestServer(t, nil, withTicker)
	client := ts.dial(t, "")
	var open []*gossh.Session
	for range 2 {
		s, err := client.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", len(open)+1, err)
		}
		open = append(open, s)
	}
	_, err := client.NewSession()
	var oce *gossh.OpenChannelError
	if !errors.As(err, &oce) || oce.Reason != gossh.ResourceShortage {
		t.Fatalf("third session channel: %v, want a ResourceShortage refusal", err)
	}
	_ = open[0].Close()
	waitUntil(t, func() bool {
		s, err := client.NewSession()
		if err == nil {
			_ = s.Close()
		}
		return err == nil
	})
}

// TestEnvRequestsBounded: env requests are bounded in count and size.
func TestEnvRequestsBounded(t *testing.T) {
	ts := newTestServer(t, nil)
	sess, err := ts.dial(t, "").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Setenv("BIG", strings.Repeat("x", 30<<10)); err == nil {
		t.Error("a 30 KB env request was accepted")
	}
	accepted := 0
	for i := range 100 {
		if sess.Setenv(fmt.Sprintf("V%d", i), "1") == nil {
			accepted++
		}
	}
	if accepted > guard.DefaultMaxEnv {
		t.Errorf("%d env requests accepted, limit %d", accepted, guard.DefaultMaxEnv)
	}
}

// TestSilentClientDroppedAtHandshakeTimeout: a TCP connection that never speaks SSH is closed
// at PORTFOLIO_HANDSHAKE_TIMEOUT.
func TestSilentClientDroppedAtHandshakeTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	ts := newTestServer(t, func(c *Config) { c.HandshakeTimeout = limit })
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, conn) // the server's banner, then the close
	took := time.Since(start)
	if err != nil {
		t.Fatalf("the silent connection was not closed: %v after %s", err, took)
	}
	t.Logf("silent client dropped after %s (handshake timeout %s)", took.Round(time.Millisecond), limit)
	if took < limit-50*time.Millisecond || took > limit+2*time.Second {
		t.Errorf("dropped after %s, want about %s", took, limit)
	}
	if r := ts.run(t, "", "help"); r.code != 0 {
		t.Errorf("the server stopped answering: %d %q", r.code, r.stderr)
	}
}

// TestNoSessionConnectionDropped: a connection that finishes the handshake and opens no
// session is closed (a minute by default).
func TestNoSessionConnectionDropped(t *testing.T) {
	const limit = 300 * time.Millisecond
	ts := newTestServer(t, nil, withGuard(func(g *guard.Config) { g.NoSessionTimeout = limit }))
	client := ts.dial(t, "")
	start := time.Now()
	done := make(chan struct{})
	go func() { _ = client.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a connection without a session is still open after 5s")
	}
	took := time.Since(start)
	t.Logf("connection without a session dropped after %s", took.Round(time.Millisecond))
	if took < limit-50*time.Millisecond {
		t.Errorf("dropped after %s, before the %s limit", took, limit)
	}
}

// TestKeepaliveDropsSilentPeer: a client that stops answering keepalives is dropped after
// three missed intervals; one that answers stays.
func TestKeepaliveDropsSilentPeer(t *testing.T) {
	const interval = 100 * time.Millisecond
	ts := newTestServer(t, func(c *Config) { c.KeepaliveInterval = interval }, withTicker)

	answering := ts.openSized(t, 80, 24)
	answering.waitFor(t, "tick", 5*time.Second)

	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	cc, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{
		User: "visitor", HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The server's global requests (keepalives) go to reqs, which nobody reads or answers:
	// a peer whose host vanished while its TCP connection lives on.
	silent := gossh.NewClient(cc, chans, make(chan *gossh.Request))
	defer silent.Close()
	sess, err := silent.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sess.Stdout = io.Discard
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan struct{})
	go func() { _ = silent.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the peer that answers no keepalive is still connected after 5s")
	}
	took := time.Since(start)
	t.Logf("peer without keepalive answers dropped after %s (interval %s, 3 missed)", took.Round(time.Millisecond), interval)
	if took < 2*interval {
		t.Errorf("dropped after %s: before three intervals could be missed", took)
	}
	select {
	case r := <-reqs:
		if r.Type != "keepalive@openssh.com" || !r.WantReply {
			t.Errorf("the server sent %q, want keepalive@openssh.com wanting a reply", r.Type)
		}
	default:
		t.Error("no keepalive reached the client")
	}
	if !answering.alive() {
		t.Fatal("the client that answers keepalives was dropped too")
	}
	answering.press(t, "q")
	answering.exit(t, 5*time.Second)
}

// TestWeakAlgorithmsRefused: a client offering only what ssh-audit fails (the issue's
// diffie-hellman-group14-sha1 first) cannot connect; a modern one can.
func TestWeakAlgorithmsRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	weak := []struct {
		name  string
		algos gossh.Config
	}{
		{"kex diffie-hellman-group14-sha1", gossh.Config{KeyExchanges: []string{gossh.InsecureKeyExchangeDH14SHA1}}},
		{"kex ecdh-sha2-nistp256", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeECDHP256}}},
		{"kex diffie-hellman-group14-sha256", gossh.Config{KeyExchanges: []string{gossh.KeyExchangeDH14SHA256}}},
		{"mac hmac-sha1", gossh.Config{MACs: []string{gossh.HMACSHA1}, Ciphers: []string{gossh.CipherAES128CTR}}},
		{"mac hmac-sha2-256 (not ETM)", gossh.Config{MACs: []string{gossh.HMACSHA256}, Ciphers: []string{gossh.CipherAES128CTR}}},
		{"cipher aes128-cbc", gossh.Config{Ciphers: []string{gossh.InsecureCipherAES128CBC}}},
	}
	for _, tt := range weak {
		t.Run(tt.name, func(t *testing.T) {
			algos := tt.algos
			err := ts.handshakeWith("127.0.0.1", &algos)
			if err == nil {
				t.Fatal("the handshake succeeded")
			}
			if !strings.Contains(err.Error(), "no common algorithm") {
				t.Fatalf("refused for another reason: %v", err)
			}
		})
	}
	t.Run("modern client", func(t *testing.T) {
		if err := ts.handshake("127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	})
}

// flooder is a model that repaints its whole (clamped 300x100) screen on every frame: a
// session that produces output as fast as the renderer allows.
type flooder struct{ n int }

func (m flooder) Init() tea.Cmd { return tick() }
func (m flooder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tickMsg); ok {
		m.n++
		return m, tea.Tick(time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
	}
	return m, nil
}
func (m flooder) View() tea.View {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for row := range 100 {
		for col := range 300 {
			b.WriteByte(letters[(m.n+row*7+col)%len(letters)])
		}
		b.WriteByte('\n')
	}
	return tea.NewView(b.String())
}

// TestStalledReaderDropped: a client that stops reading (its channel window stays at zero)
// does not hold its session: the blocked write times out and the connection is dropped.
func TestStalledReaderDropped(t *testing.T) {
	const limit = 300 * time.Millisecond
	ts := newTestServer(t, nil, withGuard(func(g *guard.Config) { g.WriteTimeout = limit }), func(s *Server) {
		s.newModel = func(ui.Options) tea.Model { return flooder{} }
	})
	client := ts.dial(t, "")
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 100, 300, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	// Never read: the gossh client stops opening the channel window once its 2 MB are full.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan struct{})
	go func() { _ = client.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the client that stopped reading is still connected after 20s")
	}
	t.Logf("client that stopped reading dropped %s after it connected (write timeout %s)", time.Since(start).Round(time.Millisecond), limit)
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 1 })
	if ts.guard.Stats().WriteTimeouts < 1 {
		t.Errorf("guard stats %+v: no write timeout counted", ts.guard.Stats())
	}
	if len(ts.logs.find(t, "ssh peer dropped")) == 0 {
		t.Error("the drop was not logged")
	}
}

// TestReadRateLimited: one connection's input is read at PORTFOLIO_READ_RATE at most.
func TestReadRateLimited(t *testing.T) {
	const rate = 16 << 10
	ts := newTestServer(t, func(c *Config) { c.ReadRate = rate }, withGuard(func(g *guard.Config) { g.ReadBurst = 4096 }), withTicker)
	client := ts.dial(t, "")
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sess.Stdout = io.Discard
	stdin, _ := sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const input = 32 << 10
	if _, err := stdin.Write(bytes.Repeat([]byte("x"), input)); err != nil {
		t.Fatal(err)
	}
	// The reply to this request comes after the server has read everything before it.
	if _, _, err := client.SendRequest("ping@portfolio.test", true, nil); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("%d KB of input read in %s at a %d KB/s limit", input>>10, took.Round(time.Millisecond), rate>>10)
	if want := time.Duration(float64(input-8192) / rate * float64(time.Second)); took < want {
		t.Errorf("read %d KB in %s: faster than the limit allows (%s)", input>>10, took, want)
	}
}

// TestForgedUserNameOneLogLine: a user name with a newline, a forged log prefix, escape
// sequences and a bidi override leaves one clean line per event, in JSON and in text.
func TestForgedUserNameOneLogLine(t *testing.T) {
	const forged = "alice\nINFO session start user=root\r\x1b[2J\x1b]0;pwned\x07\u202etxt.exe"
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			logs := &syncBuffer{}
			opts := log.Options{Level: log.InfoLevel, Formatter: log.TextFormatter}
			if format == "json" {
				opts.Formatter = log.JSONFormatter
			}
			cfg := Defaults()
			cfg.HostKeyPath = t.TempDir() + "/key"
			srv, err := New(cfg, testSite(t), log.NewWithOptions(logs, opts))
			if err != nil {
				t.Fatal(err)
			}
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = srv.Serve(l) }()
			t.Cleanup(func() { _ = srv.Close() })

			client, err := gossh.Dial("tcp", l.Addr().String(), &gossh.ClientConfig{
				User: forged, HostKeyCallback: gossh.FixedHostKey(srv.HostKey().Signer.PublicKey()),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			sess, err := client.NewSession()
			if err != nil {
				t.Fatal(err)
			}
			_, _ = sess.Output("help")
			waitUntil(t, func() bool { return strings.Contains(logs.String(), "session end") })

			out := logs.String()
			if strings.ContainsAny(out, "\x1b\x07\r\u202e") {
				t.Fatalf("control characters reached the log:\n%q", out)
			}
			var mentions []string
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				if strings.Contains(line, "alice") {
					mentions = append(mentions, line)
				}
			}
			if len(mentions) != 2 {
				t.Fatalf("the name appears on %d lines, want 2 (start, end):\n%s", len(mentions), out)
			}
			for i, prefix := range []string{"session start", "session end"} {
				line := mentions[i]
				switch format {
				case "json":
					if !strings.HasPrefix(line, "{") || !strings.Contains(line, `"msg":"`+prefix+`"`) {
						t.Errorf("line %d is not the %s event:\n%s", i, prefix, line)
					}
				case "text":
					if !strings.HasPrefix(strings.Join(strings.Fields(line), " "), "INFO "+prefix+" ") {
						t.Errorf("line %d does not open with INFO %s:\n%s", i, prefix, line)
					}
				}
			}
			if format == "json" {
				e := logs.find(t, "session start")
				if len(e) != 1 || e[0]["user"] != "aliceINFO session start user=roottxt.exe" {
					t.Errorf("user logged as %q", e[0]["user"])
				}
			}
		})
	}
}

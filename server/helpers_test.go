package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/content"
	"portfolio/server/guard"
)

// syncBuffer is a log sink tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// events parses the JSON log into one map per line.
func (s *syncBuffer) events(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not one JSON object: %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

// find returns the events with the given message.
func (s *syncBuffer) find(t *testing.T, msg string) []map[string]any {
	var out []map[string]any
	for _, e := range s.events(t) {
		if e["msg"] == msg {
			out = append(out, e)
		}
	}
	return out
}

type testServer struct {
	*Server
	addr string
	logs *syncBuffer
}

func testSite(t testing.TB) *content.Site {
	t.Helper()
	site, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// newTestServer runs the real server (real middleware chain) on 127.0.0.1:0.
func newTestServer(t testing.TB, mutate func(*Config), opts ...Option) *testServer {
	t.Helper()
	cfg := Defaults()
	cfg.HostKeyPath = t.TempDir() + "/key"
	cfg.Database = t.TempDir() + "/portfolio.db"
	cfg.RateLimit = Rate{Events: 1000, Per: time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	logs := &syncBuffer{}
	logger := log.NewWithOptions(logs, log.Options{Formatter: log.JSONFormatter, Level: log.DebugLevel})
	// Many dials from 127.0.0.1 must not spend its budget; a test's own withGuard runs after.
	generous := withGuard(func(l *guard.Limits) { l.RateBurst = 1000 })
	srv, err := New(cfg, testSite(t), logger, append([]Option{generous}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	// The database opens in the background; a test starts once it has, so its work (and
	// its memory) is not mistaken for a visitor's.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if srv.db.waitStore(ctx) == nil {
		t.Fatal("the test database did not open")
	}
	return &testServer{Server: srv, addr: l.Addr().String(), logs: logs}
}

// dial connects as a visitor from 127.0.0.1, or from another loopback address.
func (ts *testServer) dial(t testing.TB, from string) *gossh.Client {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	conn, err := d.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &gossh.ClientConfig{
		User:            "visitor",
		HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
		Timeout:         5 * time.Second,
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	client := gossh.NewClient(c, chans, reqs)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// result is what a finished session left behind.
type result struct {
	stdout, stderr string
	code           int
}

// run opens one session without a PTY and runs cmd ("" for a shell).
func (ts *testServer) run(t *testing.T, from, cmd string) result {
	t.Helper()
	sess, err := ts.dial(t, from).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	sess.Stdout, sess.Stderr = &stdout, &stderr
	if cmd == "" {
		err = sess.Shell()
		if err == nil {
			err = sess.Wait()
		}
	} else {
		err = sess.Run(cmd)
	}
	return result{stdout.String(), stderr.String(), exitCode(t, err)}
}

func exitCode(t testing.TB, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*gossh.ExitError); ok {
		return ee.ExitStatus()
	}
	t.Fatalf("session ended without an exit status: %v", err)
	return -1
}

// term is one interactive session: a PTY, keys in, screen bytes out.
type term struct {
	sess   *gossh.Session
	stdin  io.WriteCloser
	mu     sync.Mutex
	out    bytes.Buffer
	grew   chan struct{} // closed and replaced by every write; nil until first asked for
	waited chan error
}

func (ts *testServer) openTerm(t testing.TB, from, cmd string, env map[string]string) *term {
	t.Helper()
	return ts.openPty(t, from, "xterm-256color", 100, 30, cmd, env)
}

// openPty opens a session on a connection of its own from the address from: a PTY of the
// given TERM and size, env set first, then cmd (or a shell when cmd is empty).
func (ts *testServer) openPty(t testing.TB, from, termName string, w, h int, cmd string, env map[string]string) *term {
	t.Helper()
	sess, err := ts.dial(t, from).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatalf("setenv %s: %v", k, err)
		}
	}
	if err := sess.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &term{sess: sess, waited: make(chan error, 1)}
	tm.stdin, _ = sess.StdinPipe()
	// Writers, not pipes: Wait then returns only after all output has been copied.
	sess.Stdout, sess.Stderr = tm, tm
	if cmd == "" {
		err = sess.Shell()
	} else {
		err = sess.Start(cmd)
	}
	if err != nil {
		t.Fatal(err)
	}
	go func() { tm.waited <- sess.Wait() }()
	return tm
}

func (tm *term) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.grew != nil {
		close(tm.grew)
		tm.grew = nil
	}
	return tm.out.Write(p)
}

func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// outputNow returns the output so far and a channel closed at the next write.
func (tm *term) outputNow() (string, <-chan struct{}) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.grew == nil {
		tm.grew = make(chan struct{})
	}
	return tm.out.String(), tm.grew
}

// waitOutput waits, write by write, until ok holds for the output, and returns the output.
func (tm *term) waitOutput(t testing.TB, within time.Duration, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.After(within)
	for {
		out, grew := tm.outputNow()
		if ok(out) {
			return out
		}
		select {
		case <-grew:
		case <-deadline:
			t.Fatalf("no %s within %s; output:\n%q", what, within, out)
		}
	}
}

// waitFor waits until the output contains s.
func (tm *term) waitFor(t testing.TB, s string, within time.Duration) {
	t.Helper()
	tm.waitOutput(t, within, fmt.Sprintf("%q", s), func(out string) bool { return strings.Contains(out, s) })
}

// waitGrown waits until the output is longer than n bytes: the server drew something.
func (tm *term) waitGrown(t testing.TB, n int, within time.Duration) {
	t.Helper()
	tm.waitOutput(t, within, "new output", func(out string) bool { return len(out) > n })
}

func (tm *term) press(t testing.TB, keys string) {
	t.Helper()
	if _, err := tm.stdin.Write([]byte(keys)); err != nil {
		t.Fatalf("type %q: %v", keys, err)
	}
}

// exit waits for the session to end and returns its exit status.
func (tm *term) exit(t testing.TB, within time.Duration) int {
	t.Helper()
	select {
	case err := <-tm.waited:
		return exitCode(t, err)
	case <-time.After(within):
		t.Fatalf("session still open after %s; output:\n%q", within, tm.output())
	}
	return -1
}

// alive reports whether the session is still open.
func (tm *term) alive() bool {
	select {
	case err := <-tm.waited:
		tm.waited <- err
		return false
	default:
		return true
	}
}

type netDialer struct{}

func (netDialer) dial(addr string) (net.Conn, error) {
	return net.DialTimeout("tcp", addr, time.Second)
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	if !poll(5*time.Second, cond) {
		t.Fatal("condition not met within 5s")
	}
}

// poll reports whether cond holds within the time given, looking every 20ms. It is for state
// no event announces: the log a server writes, the budget's reservations, the goroutines and
// heap left behind, a slot the server frees when it has seen a close. Output is awaited
// write by write instead (waitOutput).
func poll(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); !cond(); {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond) // no event to wait on: see above
	}
	return true
}

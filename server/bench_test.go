package server

import (
	"net"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// BenchmarkInteractiveSession is one visitor end to end, in process: TCP connect, SSH
// handshake, PTY and shell, the first full frame (the footer's "q quit"), q, and the exit
// status. Client and server share the CPU: tools/sshload measures the server alone.
// The footer is the last line drawn, and "quit" is on it alone.
func BenchmarkInteractiveSession(b *testing.B) {
	ts, cfg := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		benchSession(b, ts.addr, cfg)
	}
}

// BenchmarkVisit is the commonest visit: TCP connect, SSH handshake, PTY and shell, the
// first full frame, and the visitor closing the connection without a key. The server's end
// of the session runs on after the client has gone and is counted in the next visits.
func BenchmarkVisit(b *testing.B) {
	ts, cfg := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		benchVisit(b, ts.addr, cfg, false)
	}
}

// benchServer is a server with room for every visit a benchmark makes, and a client that
// trusts its key.
func benchServer(b *testing.B) (*testServer, *gossh.ClientConfig) {
	ts := newTestServer(b, func(c *Config) {
		c.MaxSessions, c.MaxSessionsPerIP = 1000, 1000
	})
	cfg := &gossh.ClientConfig{
		User:            "bench",
		HostKeyCallback: gossh.FixedHostKey(ts.key.Signer.PublicKey()),
		Timeout:         5 * time.Second,
	}
	return ts, cfg
}

func benchSession(b *testing.B, addr string, cfg *gossh.ClientConfig) {
	benchVisit(b, addr, cfg, true)
}

// benchVisit opens one session and waits for its first full frame; then it quits with q
// and waits for the exit status, or just closes the connection.
func benchVisit(b *testing.B, addr string, cfg *gossh.ClientConfig, quit bool) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, cfg)
	if err != nil {
		b.Fatal(err)
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		b.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		b.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	out := &term{}
	sess.Stdout = out
	if err := sess.Shell(); err != nil {
		b.Fatal(err)
	}
	out.waitFor(b, "quit", 5*time.Second)
	if !quit {
		return // the deferred Close ends the connection
	}
	_, _ = stdin.Write([]byte("q"))
	if err := sess.Wait(); err != nil {
		b.Fatalf("q: %v", err)
	}
}

package server

import (
	"io"
	"net"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
)

// TestSilentClientDroppedAtHandshakeTimeout: a TCP connection that never speaks SSH is closed
// at guard.HandshakeTimeout (here shortened).
func TestSilentClientDroppedAtHandshakeTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.HandshakeTimeout = limit }))
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
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.NoSessionTimeout = limit }))
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
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.KeepaliveInterval = interval }), withTicker)

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

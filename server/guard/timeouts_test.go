package guard

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

func TestSilentClientDroppedAtHandshakeTimeout(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.HandshakeTimeout = 300 * time.Millisecond }})
	addr := startServer(t, g, holdHandler)
	for _, tt := range []struct {
		name  string
		greet string
	}{
		{"says nothing", ""},
		{"stops after its version", "SSH-2.0-OpenSSH_9.9\r\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if tt.greet != "" {
				_, _ = io.WriteString(c, tt.greet)
			}
			d := readClosed(t, c, 3*time.Second)
			if d < 250*time.Millisecond {
				t.Fatalf("closed after %v, before the timeout", d)
			}
			t.Logf("silent client dropped after %v (timeout 300ms)", d)
		})
	}
}

func TestNoSessionDropped(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.NoSessionTimeout = 300 * time.Millisecond }})
	addr := startServer(t, g, func(s ssh.Session) {})
	start := time.Now() // the clock starts at accept, before the handshake
	c := dial(t, addr)
	waitClosed(t, c, 3*time.Second)
	if d := time.Since(start); d < 290*time.Millisecond {
		t.Fatalf("closed after %v", d)
	}
	if g.Stats().NoSession != 1 {
		t.Fatalf("stats %+v", g.Stats())
	}
	// After a session ends, the clock starts again.
	c = dial(t, addr)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Run("")
	waitClosed(t, c, 3*time.Second)
}

// dialSilent connects a client that never answers the server's global
// requests: it opens a session but leaves keepalives unread, like a peer
// whose host vanished (the TCP connection itself still works).
func dialSilent(t *testing.T, addr string) (*gossh.Client, <-chan *gossh.Request) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	cc, chans, reqs, err := gossh.NewClientConn(nc, addr, clientConfig())
	if err != nil {
		t.Fatal(err)
	}
	c := gossh.NewClient(cc, chans, make(chan *gossh.Request))
	t.Cleanup(func() { _ = c.Close() })
	return c, reqs
}

func TestKeepaliveDropsSilentPeer(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.KeepaliveInterval, l.KeepaliveMaxMissed = 100*time.Millisecond, 3 }})
	addr := startServer(t, g, holdHandler)

	// A peer that answers stays, well past three intervals.
	alive := dial(t, addr)
	if s, err := alive.NewSession(); err != nil {
		t.Fatal(err)
	} else if err := s.Shell(); err != nil {
		t.Fatal(err)
	}

	silent, reqs := dialSilent(t, addr)
	s, err := silent.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	d := waitClosed(t, silent, 3*time.Second)
	if d < 250*time.Millisecond {
		t.Fatalf("dropped after %v, too early", d)
	}
	select {
	case r := <-reqs:
		if r.Type != keepaliveRequest || !r.WantReply {
			t.Fatalf("unexpected request %q", r.Type)
		}
	default:
		t.Fatal("no keepalive was sent")
	}
	if _, _, err := alive.SendRequest("ping@test", true, nil); err != nil {
		t.Fatalf("the answering peer was dropped too: %v", err)
	}
	if g.Stats().KeepaliveDrops != 1 {
		t.Fatalf("stats %+v", g.Stats())
	}
	t.Logf("silent peer dropped after %v (interval 100ms, 3 missed)", d)
}

func TestClientThatStopsReadingDropped(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.WriteTimeout = 300 * time.Millisecond }})
	wrote := make(chan int64, 1)
	addr := startServer(t, g, func(s ssh.Session) {
		chunk := []byte(strings.Repeat("the narrative, again and again\n", 1024))
		var n int64
		for {
			m, err := s.Write(chunk)
			n += int64(m)
			if err != nil {
				wrote <- n
				return
			}
		}
	})
	c := dial(t, addr)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// Never read stdout: the gossh client then stops adjusting the
	// channel window once its 2 MB buffer is full.
	if _, err := s.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	d := waitClosed(t, c, 5*time.Second)
	select {
	case n := <-wrote:
		t.Logf("server wrote %d KB, then the stalled client was dropped after %v (write timeout 300ms)", n>>10, d)
	case <-time.After(2 * time.Second):
		t.Fatal("the session handler is still blocked in Write")
	}
	if g.Stats().WriteTimeouts < 1 {
		t.Fatalf("stats %+v", g.Stats())
	}
}

func TestTCPWriteDeadline(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.WriteTimeout = 100 * time.Millisecond }})
	server, client := net.Pipe() // unbuffered: a write waits for a reader
	defer client.Close()
	g.adm.admit("pipe", time.Now())
	c := newConn(g, server, "pipe")
	start := time.Now()
	_, err := c.Write([]byte("hello"))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err %v, want a deadline error", err)
	}
	if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
		t.Fatalf("write returned after %v", d)
	}
	// The connection is closed and its slot given back.
	if _, err := client.Read(make([]byte, 1)); err == nil {
		t.Fatal("connection not closed")
	}
	if g.adm.inFlight != 0 {
		t.Fatalf("slot not released: %d in flight", g.adm.inFlight)
	}
}

func TestReadRateLimited(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.ReadRate, l.ReadBurst = 1<<20, 64<<10 }})
	server, client := net.Pipe()
	defer client.Close()
	c := newConn(g, server, "pipe")
	defer c.Close()
	const total = 512 << 10
	go func() {
		buf := make([]byte, 32<<10)
		for sent := 0; sent < total; sent += len(buf) {
			if _, err := client.Write(buf); err != nil {
				return
			}
		}
	}()
	start := time.Now()
	buf := make([]byte, 256<<10)
	for got := 0; got < total; {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		got += n
	}
	// 512 KiB at 1 MiB/s with a 64 KiB burst: at least 448/1024 s.
	d := time.Since(start)
	if d < 400*time.Millisecond {
		t.Fatalf("read 512 KiB in %v: not rate limited", d)
	}
	t.Logf("512 KiB read in %v at 1 MiB/s", d)
}

// TestApplySetsTheSessionBackstop: the ssh package's own deadlines are the login grace and
// MaxSessionGrace after the session limit (the server's polite timer comes first).
func TestApplySetsTheSessionBackstop(t *testing.T) {
	g := newGuard(t, Config{MaxSessionDuration: 10 * time.Minute, Tune: func(l *Limits) {
		l.MaxSessionGrace, l.LoginGrace = 5*time.Second, 40*time.Second
	}})
	srv := &ssh.Server{HostSigners: []ssh.Signer{hostSigner(t)}}
	if err := g.Apply(srv); err != nil {
		t.Fatal(err)
	}
	if srv.MaxTimeout != 10*time.Minute+5*time.Second || srv.HandshakeTimeout != 40*time.Second {
		t.Errorf("MaxTimeout %s, HandshakeTimeout %s; want 10m5s and 40s", srv.MaxTimeout, srv.HandshakeTimeout)
	}
}

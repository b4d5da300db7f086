package guard

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// quietConfig is a Config whose drops are not logged (tests count them
// through Stats instead) and, unless the test sets them (its Tune runs
// last), whose admission limits do not get in the way of tests that dial
// many times from 127.0.0.1.
func quietConfig(c Config) Config {
	c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	generous := c.RateLimit == 0
	if generous {
		c.RateLimit = 1000
	}
	own := c.Tune
	c.Tune = func(l *Limits) {
		if generous {
			l.RateBurst = 1000
		}
		l.StartupsContended, l.MaxStartupsPerSource = 100, 100
		if own != nil {
			own(l)
		}
	}
	return c
}

func newGuard(t *testing.T, c Config) *Guard {
	t.Helper()
	g, err := New(quietConfig(c))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// hostSigner makes a throwaway Ed25519 host key.
func hostSigner(t testing.TB) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServer serves handler on 127.0.0.1:0 with g applied (nil g: an
// unguarded server, for comparisons) and returns the address.
func startServer(t *testing.T, g *Guard, handler ssh.Handler) string {
	t.Helper()
	srv := &ssh.Server{Handler: handler, HostSigners: []ssh.Signer{hostSigner(t)}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if g != nil {
		if err := g.Apply(srv); err != nil {
			t.Fatal(err)
		}
		ln = g.Listener(ln)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-done
	})
	return ln.Addr().String()
}

func clientConfig() *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User:            "visitor",
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	}
}

// dial connects an SSH client to addr, failing the test on error.
func dial(t *testing.T, addr string) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", addr, clientConfig())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// waitClosed waits up to limit for c's connection to end and returns how
// long it took.
func waitClosed(t *testing.T, c interface{ Wait() error }, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan struct{})
	go func() {
		_ = c.Wait()
		close(done)
	}()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(limit):
		t.Fatalf("connection still open after %v", limit)
		return 0
	}
}

// readClosed waits up to limit for the server to close a raw connection.
func readClosed(t *testing.T, c net.Conn, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	_ = c.SetReadDeadline(start.Add(limit))
	buf := make([]byte, 4096)
	for {
		_, err := c.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("connection still open after %v", limit)
		}
		return time.Since(start)
	}
}

// waitUntil asks ok every 5 ms until it holds, and fails the test after within. It is for
// the guard's state (its counters, a slot, the goroutines left), which changes on the server's
// goroutines without announcing it.
func waitUntil(t *testing.T, what string, within time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			if !ok() {
				t.Fatalf("%s: not within %v", what, within)
			}
			return
		}
	}
}

func sshClientConn(nc net.Conn, addr string, conf *gossh.ClientConfig) (gossh.Conn, <-chan gossh.NewChannel, <-chan *gossh.Request, error) {
	return gossh.NewClientConn(nc, addr, conf)
}

// firstOutput opens a session on a fresh client connection, returns what
// the server prints, and closes the connection.
func firstOutput(cc gossh.Conn, chans <-chan gossh.NewChannel, reqs <-chan *gossh.Request) (string, error) {
	c := gossh.NewClient(cc, chans, reqs)
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	out, err := s.Output("")
	return string(out), err
}

// tuned is the fixed limits with tune applied.
func tuned(tune func(*Limits)) Limits {
	l := fixedLimits()
	tune(&l)
	return l
}

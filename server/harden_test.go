package server

// Each hazard of a public port 22, shown on the WIRED server: server.New, the real middleware
// chain, the guard applied by New and the listener Serve wraps, on 127.0.0.1:0, with
// golang.org/x/crypto/ssh clients, one concept a file (harden_*_test.go). The guard's own unit
// tests cover its pieces; these show that the server actually uses them. The input-idle
// timeout with its goodbye is TestIdleTimeoutCountsInputNotOutput (interactive_test.go).

import (
	"net"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
)

// withGuard changes the guard's fixed limits (a sub-second write or no-session timeout) for
// one test, after any earlier withGuard's changes.
func withGuard(tune func(*guard.Limits)) Option {
	return func(s *Server) {
		earlier := s.tuneGuard
		s.tuneGuard = func(l *guard.Limits) {
			if earlier != nil {
				earlier(l)
			}
			tune(l)
		}
	}
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

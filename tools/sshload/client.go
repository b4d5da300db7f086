package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialer opens interactive SSH sessions against one loopback server.
type dialer struct {
	addr    string
	spread  bool          // bind each connection to a different 127.0.0.X source address
	timeout time.Duration // bound on connecting and on waiting for the first frame
	width   int
	height  int
	term    string
	next    atomic.Uint32
}

// chunk is one read from the session's output, stamped with when it arrived.
type chunk struct {
	b  []byte
	at time.Time
}

// session is one open interactive SSH session whose output is read by its own goroutine.
type session struct {
	client  *gossh.Client
	sess    *gossh.Session
	stdin   io.WriteCloser
	out     chan chunk  // arrivals, while watching is set
	watch   atomic.Bool // send arrivals on out; when false, output is counted and dropped
	readErr atomic.Value
	total   atomic.Int64 // bytes received in all
	done    chan struct{}
}

func (d *dialer) clientConfig() *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: "sshload",
		// The tool only talks to servers it started itself on loopback, whose keys are
		// generated per run; there is nothing to verify them against.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Auth: []gossh.AuthMethod{
			// "none" is always tried first; these cover servers that accept anyone through
			// a password or keyboard-interactive handler instead.
			gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
				return nil, nil
			}),
			gossh.Password(""),
		},
		Timeout: d.timeout,
	}
}

// localAddr picks the source address for the next connection: 127.0.0.2 .. 127.0.250.254
// when spreading, so per-address caps and rate limits on the server see many visitors.
func (d *dialer) localAddr() net.Addr {
	if !d.spread {
		return nil
	}
	n := d.next.Add(1)
	return &net.TCPAddr{IP: net.IPv4(127, 0, byte(n/253%250), byte(2+n%253))}
}

// open connects, requests a PTY and a shell, and starts reading. It does not wait for output.
func (d *dialer) open(ctx context.Context) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	nd := net.Dialer{LocalAddr: d.localAddr()}
	conn, err := nd.DialContext(ctx, "tcp", d.addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", d.addr, err)
	}
	// The SSH handshake has no context; a deadline on the socket bounds it instead.
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, chans, reqs, err := gossh.NewClientConn(conn, d.addr, d.clientConfig())
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("handshake: %w", err)
	}
	client := gossh.NewClient(c, chans, reqs)
	s, err := d.startShell(client)
	if err != nil {
		client.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return s, nil
}

func (d *dialer) startShell(client *gossh.Client) (*session, error) {
	sess, err := client.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	modes := gossh.TerminalModes{gossh.ECHO: 0, gossh.TTY_OP_ISPEED: 38400, gossh.TTY_OP_OSPEED: 38400}
	if err := sess.RequestPty(d.term, d.height, d.width, modes); err != nil {
		return nil, fmt.Errorf("request pty: %w", err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("stdin: %w", err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("stdout: %w", err)
	}
	s := &session{
		client: client, sess: sess, stdin: stdin,
		out:  make(chan chunk, 256),
		done: make(chan struct{}),
	}
	s.watch.Store(true)
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	go s.read(stdout)
	return s, nil
}

// read drains the session's output until it ends. While watched, every chunk's bytes and
// arrival time go to the channels; a full channel would stall the SSH connection, so the
// watcher must keep up (it only ever waits for a frame or a keystroke's answer).
func (s *session) read(r io.Reader) {
	defer close(s.done)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			now := time.Now()
			s.total.Add(int64(n))
			if s.watch.Load() {
				b := make([]byte, n)
				copy(b, buf[:n])
				s.out <- chunk{b: b, at: now}
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.readErr.Store(err)
			}
			return
		}
	}
}

// next returns the next chunk of output or an error when none comes within wait.
func (s *session) next(wait *time.Timer) (chunk, error) {
	select {
	case c := <-s.out:
		return c, nil
	case <-s.done:
		// what arrived before the end still counts
		select {
		case c := <-s.out:
			return c, nil
		default:
		}
		if err, _ := s.readErr.Load().(error); err != nil {
			return chunk{}, err
		}
		return chunk{}, io.EOF
	case <-wait.C:
		return chunk{}, errTimeout
	}
}

var errTimeout = errors.New("timed out waiting for output")

// waitFor reads until the visible text contains marker, returning when the marker arrived
// and when the first byte did.
func (s *session) waitFor(marker []byte, timeout time.Duration) (first, full time.Time, err error) {
	var sc textScanner
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		c, err := s.next(t)
		if err != nil {
			return first, full, fmt.Errorf("waiting for %q: %w (seen %d bytes)", marker, err, s.total.Load())
		}
		if first.IsZero() {
			first = c.at
		}
		sc.Write(c.b)
		if sc.Contains(marker) {
			return first, c.at, nil
		}
	}
}

// quiet stops watching: from now on the output is counted and thrown away.
func (s *session) quiet() {
	s.watch.Store(false)
	for {
		select {
		case <-s.out:
		default:
			return
		}
	}
}

// Close ends the session and the connection.
func (s *session) Close() error {
	s.watch.Store(false)
	err := s.client.Close()
	// unblock a reader stuck sending to a full channel
	go func() {
		for {
			select {
			case <-s.out:
			case <-s.done:
				return
			}
		}
	}()
	return err
}

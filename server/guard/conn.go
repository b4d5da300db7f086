package guard

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// conn is an admitted TCP connection. It sits below everything the ssh
// package does, so its limits hold whatever the SSH layer thinks:
//   - reads are paced by a token bucket of bytes;
//   - every write has a deadline of at most WriteTimeout, so a peer whose TCP
//     window stays closed cannot park a goroutine forever;
//   - until the client has sent its KEXINIT it has HandshakeTimeout; after
//     that the ssh package's deadline, LoginGrace from accept, applies (a
//     person may be reading the host-key prompt);
//   - closing it settles its admission exactly once.
type conn struct {
	net.Conn
	g   *Guard
	key string

	readLim   *rate.Limiter
	readBurst int
	closed    chan struct{}

	mu         sync.Mutex
	outerWrite time.Time // write deadline the ssh package asked for

	sniffMu  sync.Mutex // reads come from one goroutine at a time, but not always the same one
	sniff    kexSniffer
	sniffed  atomic.Bool // the sniffer has decided
	preKex   *time.Timer // HandshakeTimeout, stopped by the client's KEXINIT
	timedOut atomic.Bool // cut off by the handshake timeout or the login grace

	authOnce  sync.Once
	visitOnce sync.Once
	closeOnce sync.Once
	authed    atomic.Bool
}

func newConn(g *Guard, c net.Conn, key string) *conn {
	gc := &conn{
		Conn:      c,
		g:         g,
		key:       key,
		readLim:   rate.NewLimiter(rate.Limit(g.lim.ReadRate), g.lim.ReadBurst),
		readBurst: g.lim.ReadBurst,
		closed:    make(chan struct{}),
	}
	gc.preKex = time.AfterFunc(g.lim.HandshakeTimeout, func() {
		g.logger().Info("ssh peer dropped", "reason", "handshake timeout", "remote", key)
		g.stats.handshakeTimeouts.Add(1)
		gc.timedOut.Store(true)
		_ = gc.Close()
	})
	return gc
}

// Read reads at most one burst and then waits until the bucket has paid
// for what was read, so the sustained rate is ReadRate.
func (c *conn) Read(p []byte) (int, error) {
	if len(p) > c.readBurst {
		p = p[:c.readBurst]
	}
	n, err := c.Conn.Read(p)
	if n > 0 && !c.sniffed.Load() {
		c.sniffKexInit(p[:n])
	}
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) && !c.authed.Load() {
		// The ssh package's handshake deadline: LoginGrace has passed
		// since accept without a login.
		if c.timedOut.CompareAndSwap(false, true) {
			c.g.logger().Info("ssh peer dropped", "reason", "login grace", "remote", c.key)
			c.g.stats.loginGraceDrops.Add(1)
		}
	}
	if n > 0 {
		if d := c.readLim.ReserveN(time.Now(), n).Delay(); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-c.closed:
				t.Stop()
			}
		}
	}
	return n, err
}

// sniffKexInit feeds the first bytes to the sniffer and stops the
// HandshakeTimeout timer when the client's KEXINIT arrives.
func (c *conn) sniffKexInit(p []byte) {
	c.sniffMu.Lock()
	defer c.sniffMu.Unlock()
	if c.sniff.feed(p) {
		c.preKex.Stop()
	}
	if c.sniff.done {
		c.sniffed.Store(true)
	}
}

// Write bounds each write by WriteTimeout (or the ssh package's own
// deadline, when that is sooner). A timed-out write closes the connection:
// the SSH stream is corrupt after a partial write anyway.
func (c *conn) Write(p []byte) (int, error) {
	if wt := c.g.lim.WriteTimeout; wt > 0 {
		dl := time.Now().Add(wt)
		c.mu.Lock()
		if outer := c.outerWrite; !outer.IsZero() && outer.Before(dl) {
			dl = outer
		}
		c.mu.Unlock()
		_ = c.Conn.SetWriteDeadline(dl)
	}
	n, err := c.Conn.Write(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		c.g.logger().Info("ssh peer dropped", "reason", "write timeout", "remote", c.key)
		c.g.stats.writeTimeouts.Add(1)
		_ = c.Close()
	}
	return n, err
}

// SetDeadline records the write half so Write can combine it with
// WriteTimeout; the read half applies as asked.
func (c *conn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.outerWrite = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

// SetWriteDeadline records t for Write (see SetDeadline).
func (c *conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.outerWrite = t
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// authenticated gives back the startup slot: the connection finished its
// handshake and is no longer one of the cheap half-open kind.
func (c *conn) authenticated() {
	c.authOnce.Do(func() {
		c.authed.Store(true)
		c.preKex.Stop() // a login implies a key exchange, whatever the sniffer saw
		c.g.adm.authenticated(c.key)
	})
}

// Close closes the socket and settles the admission: a connection that
// never authenticated gives back its startup slot, one that timed out is
// charged the penalty.
func (c *conn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		close(c.closed)
		c.preKex.Stop()
		authed := true
		c.authOnce.Do(func() { authed = false })
		c.g.adm.ended(c.key, authed, c.timedOut.Load(), time.Now())
	})
	return err
}

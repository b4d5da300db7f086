package frontproxy

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	proxyproto "github.com/pires/go-proxyproto"
)

// Defaults for Config's zero values.
const (
	// DefaultHeaderTimeout bounds the wait for the header. A proxy sends it
	// with the first bytes, so anything slower is not our proxy.
	DefaultHeaderTimeout = 5 * time.Second
	// DefaultMaxPending bounds connections whose header is still being read.
	DefaultMaxPending = 256
)

// Reasons a connection is refused before the SSH handshake. Header errors
// from go-proxyproto (proxyproto.ErrNoProxyProtocol and its parse errors)
// are passed to OnReject as they are.
var (
	ErrUntrusted = errors.New("frontproxy: source outside the trusted ranges")
	ErrVersion   = errors.New("frontproxy: PROXY header version not accepted")
	ErrNoAddress = errors.New("frontproxy: PROXY header carries no client address")
	ErrBusy      = errors.New("frontproxy: too many connections waiting for a PROXY header")
)

// Config is the PROXY protocol policy.
type Config struct {
	// Mode: Off leaves the listener untouched.
	Mode Mode
	// Trusted, when not empty, lists the only source ranges allowed to
	// connect at all. Others are closed at once rather than served with
	// their own address: behind a proxy every honest connection comes from
	// the proxy, and serving direct ones would let them skip its limits.
	Trusted []netip.Prefix
	// HeaderTimeout: default DefaultHeaderTimeout.
	HeaderTimeout time.Duration
	// MaxPending: default DefaultMaxPending. Over it, new connections are
	// closed at once (ErrBusy) instead of queueing goroutines.
	MaxPending int
	// OnReject, if set, is called (from several goroutines) for every
	// refused connection with the TCP peer's address and the reason: log it
	// at debug level and count it as a handshake failure.
	OnReject func(peer net.Addr, err error)
}

// Wrap returns ln unchanged when cfg.Mode is Off, and otherwise a listener
// that enforces cfg. Closing the returned listener closes ln.
func Wrap(ln net.Listener, cfg Config) (net.Listener, error) {
	switch cfg.Mode {
	case Off:
		if len(cfg.Trusted) > 0 {
			return nil, errors.New("frontproxy: trusted ranges set but the PROXY protocol is off")
		}
		return ln, nil
	case V1, V2, Any:
	default:
		return nil, fmt.Errorf("frontproxy: unknown mode %d", int(cfg.Mode))
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = DefaultHeaderTimeout
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	l := &listener{
		inner:   ln,
		cfg:     cfg,
		ready:   make(chan net.Conn),
		done:    make(chan struct{}),
		failed:  make(chan struct{}),
		slots:   make(chan struct{}, cfg.MaxPending),
		pending: make(map[net.Conn]struct{}),
	}
	go l.acceptLoop()
	return l, nil
}

type listener struct {
	inner net.Listener
	cfg   Config

	ready  chan net.Conn // connections with a verified header
	done   chan struct{} // closed by Close
	failed chan struct{} // closed when the inner listener fails for good
	err    error         // why; written before failed is closed
	slots  chan struct{} // one per header being read

	closeOnce sync.Once
	mu        sync.Mutex
	pending   map[net.Conn]struct{} // closed by Close so reads end at once
}

// Accept returns the next connection whose PROXY header was accepted; its
// RemoteAddr is the visitor's address from the header.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.failed:
		return nil, l.err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Addr is the inner listener's address.
func (l *listener) Addr() net.Addr { return l.inner.Addr() }

// Close stops accepting and drops connections still sending their header.
func (l *listener) Close() error {
	var err error
	l.closeOnce.Do(func() {
		close(l.done)
		err = l.inner.Close()
		l.mu.Lock()
		for c := range l.pending {
			_ = c.Close()
		}
		l.mu.Unlock()
	})
	return err
}

func (l *listener) acceptLoop() {
	var delay time.Duration
	for {
		c, err := l.inner.Accept()
		if err != nil {
			select {
			case <-l.done:
				return
			default:
			}
			// Temporary errors (EMFILE and the like) pass with a backoff,
			// as in net/http and the ssh package's own Serve loop. Temporary is
			// deprecated for being ill-defined in general, but for Accept it is
			// still the test the standard library itself uses, and no replacement
			// names the same set of errors.
			var ne net.Error
			//lint:ignore SA1019 net/http's Server.Serve makes the same check on Accept errors
			if errors.As(err, &ne) && ne.Temporary() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(delay):
				case <-l.done:
					return
				}
				continue
			}
			l.err = err
			close(l.failed)
			return
		}
		delay = 0
		if !l.trusted(c.RemoteAddr()) {
			l.reject(c, ErrUntrusted)
			continue
		}
		select {
		case l.slots <- struct{}{}:
		default:
			l.reject(c, ErrBusy)
			continue
		}
		if !l.track(c) {
			<-l.slots
			_ = c.Close()
			return
		}
		go l.readHeader(c)
	}
}

// readHeader reads and checks the header, then hands the connection to
// Accept. It runs on its own goroutine so one silent peer cannot stall the
// others.
func (l *listener) readHeader(c net.Conn) {
	defer func() { <-l.slots }()
	pc := proxyproto.NewConn(c,
		proxyproto.WithPolicy(proxyproto.REQUIRE),
		proxyproto.ValidateHeader(l.validate),
		proxyproto.SetReadHeaderTimeout(l.cfg.HeaderTimeout),
	)
	// A zero-length read makes go-proxyproto read the header (once) and
	// report its verdict without consuming any of the SSH bytes after it.
	_, err := pc.Read(nil)
	l.untrack(c)
	if err != nil {
		select {
		case <-l.done: // closed by Close: not the peer's fault
			_ = c.Close()
		default:
			l.reject(c, err)
		}
		return
	}
	select {
	case l.ready <- pc:
	case <-l.done:
		_ = c.Close()
	}
}

// validate accepts only headers of the configured version that name the
// visitor: a LOCAL command or an UNKNOWN/UNSPEC family would leave
// RemoteAddr pointing at the proxy, merging every visitor into one.
func (l *listener) validate(h *proxyproto.Header) error {
	switch l.cfg.Mode {
	case V1:
		if h.Version != 1 {
			return fmt.Errorf("%w: got v%d, want v1", ErrVersion, h.Version)
		}
	case V2:
		if h.Version != 2 {
			return fmt.Errorf("%w: got v%d, want v2", ErrVersion, h.Version)
		}
	}
	if h.Command.IsLocal() || h.TransportProtocol.IsUnspec() || h.SourceAddr == nil {
		return ErrNoAddress
	}
	if _, ok := h.SourceAddr.(*net.TCPAddr); !ok {
		return ErrNoAddress
	}
	return nil
}

func (l *listener) trusted(a net.Addr) bool {
	if len(l.cfg.Trusted) == 0 {
		return true
	}
	var ip netip.Addr
	if t, ok := a.(*net.TCPAddr); ok {
		ip = t.AddrPort().Addr().Unmap()
	} else if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		ip = ap.Addr().Unmap()
	} else {
		return false
	}
	for _, p := range l.cfg.Trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func (l *listener) reject(c net.Conn, err error) {
	peer := c.RemoteAddr()
	_ = c.Close()
	if l.cfg.OnReject != nil {
		l.cfg.OnReject(peer, err)
	}
}

// track records a connection whose header is being read; false once closed.
func (l *listener) track(c net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	select {
	case <-l.done:
		return false
	default:
	}
	l.pending[c] = struct{}{}
	return true
}

func (l *listener) untrack(c net.Conn) {
	l.mu.Lock()
	delete(l.pending, c)
	l.mu.Unlock()
}

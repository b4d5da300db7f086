package guard

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Guard enforces a Config on one ssh.Server. It is safe for concurrent use;
// build one per server with New and wire it with Apply (or Option) and,
// without a PROXY protocol in front, Listener.
type Guard struct {
	cfg    Config
	lim    Limits
	adm    *admission
	shares *sessionShares
	stats  stats
	// wrapsHandler is set by Apply, before serving, when it wrapped the
	// handler with drainWindowChanges: the request filter may then wait
	// for its start signal.
	wrapsHandler bool
}

// New returns a Guard enforcing cfg (zero fields take their defaults) and the fixed limits.
func New(cfg Config) (*Guard, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	lim := fixedLimits()
	if cfg.Tune != nil {
		cfg.Tune(&lim)
	}
	return &Guard{cfg: cfg, lim: lim, adm: newAdmission(cfg.RateLimit, lim), shares: newSessionShares(cfg)}, nil
}

// Config returns the configuration in force, defaults filled in.
func (g *Guard) Config() Config { return g.cfg }

// Limits returns the fixed limits in force.
func (g *Guard) Limits() Limits { return g.lim }

func (g *Guard) logger() *slog.Logger { return g.cfg.Logger }

// stats are the guard's counters.
type stats struct {
	accepted, rateLimited, startupsRefused, startupsFull  atomic.Int64
	sessionsFull, sessionsOverShare                       atomic.Int64
	sessionsRefused, requestsRefused, resizesCoalesced    atomic.Int64
	handshakeTimeouts, loginGraceDrops                    atomic.Int64
	writeTimeouts, keepaliveDrops, noSession, connections atomic.Int64
}

// Stats is a snapshot of the guard's counters, for metrics and tests.
type Stats struct {
	Accepted          int64 // connections admitted
	RateLimited       int64 // refused at accept: the source's budget is spent (ErrRateLimited)
	StartupsRefused   int64 // refused at accept: the source's share of startups (ErrTooManyStartups)
	StartupsFull      int64 // refused at accept: MaxStartups reached (ErrStartupsFull)
	SessionsFull      int64 // sessions refused: MaxOpenSessions reached (ErrServerFull)
	SessionsOverShare int64 // sessions refused: the source's share while contended (ErrOverShare)
	SessionsRefused   int64 // session channels rejected (MaxSessions per connection)
	RequestsRefused   int64 // session requests refused (env, agent, x11, ...)
	ResizesCoalesced  int64 // window-changes replaced by a later one
	HandshakeTimeouts int64 // connections dropped: no KEXINIT within HandshakeTimeout
	LoginGraceDrops   int64 // connections dropped: no login within LoginGrace
	WriteTimeouts     int64 // connections dropped: a write blocked too long
	KeepaliveDrops    int64 // connections dropped: keepalives unanswered
	NoSession         int64 // connections dropped: no session open

	Connections  int64 // SSH connections the guard tracks now (gauge)
	Startups     int64 // connections not yet logged in now (gauge)
	OpenSessions int64 // sessions admitted by AdmitSession and open now (gauge)
}

// Stats returns the current counters.
func (g *Guard) Stats() Stats {
	s := &g.stats
	return Stats{
		Accepted: s.accepted.Load(), RateLimited: s.rateLimited.Load(),
		StartupsRefused: s.startupsRefused.Load(), StartupsFull: s.startupsFull.Load(),
		SessionsFull: s.sessionsFull.Load(), SessionsOverShare: s.sessionsOverShare.Load(),
		SessionsRefused: s.sessionsRefused.Load(), RequestsRefused: s.requestsRefused.Load(),
		ResizesCoalesced:  s.resizesCoalesced.Load(),
		HandshakeTimeouts: s.handshakeTimeouts.Load(), LoginGraceDrops: s.loginGraceDrops.Load(),
		WriteTimeouts: s.writeTimeouts.Load(), KeepaliveDrops: s.keepaliveDrops.Load(), NoSession: s.noSession.Load(),
		Connections: s.connections.Load(), Startups: int64(g.adm.startups()), OpenSessions: int64(g.shares.open()),
	}
}

// RefusalReason names a refusal at accept for logs and metrics:
// "rate_limit", "source_startups" or "startups_full".
func RefusalReason(err error) string {
	switch {
	case errors.Is(err, ErrRateLimited):
		return "rate_limit"
	case errors.Is(err, ErrStartupsFull):
		return "startups_full"
	}
	return "source_startups"
}

// admit decides on a new TCP connection and wraps it, or closes it.
func (g *Guard) admit(c net.Conn) (*conn, error) {
	key := SourceKey(c.RemoteAddr())
	now := time.Now()
	if err := g.adm.admit(key, now); err != nil {
		_ = c.Close()
		switch {
		case errors.Is(err, ErrRateLimited):
			g.stats.rateLimited.Add(1)
		case errors.Is(err, ErrStartupsFull):
			g.stats.startupsFull.Add(1)
		default:
			g.stats.startupsRefused.Add(1)
		}
		if unlogged, ok := g.adm.logRefusal(key, now); ok {
			g.logger().Info("ssh connection refused", "remote", key, "reason", RefusalReason(err),
				"suppressed", unlogged, "err", err)
		}
		if g.cfg.OnRefused != nil {
			g.cfg.OnRefused(key, err)
		}
		return nil, err
	}
	g.stats.accepted.Add(1)
	return newConn(g, c, key), nil
}

// Listener wraps ln so that connections are admitted, per source, in
// Accept: a refused connection is closed there and then, before the server
// spends a goroutine, a context or a key exchange on it. Accept never
// blocks on a refused connection, so a flood cannot slow the others.
//
// Do not use it behind a PROXY protocol listener: the client's address is
// only known once the header has been read, which must not happen in the
// accept loop. There, leave the listener alone and let Apply's
// ConnCallback admit connections.
func (g *Guard) Listener(ln net.Listener) net.Listener {
	return &listener{Listener: ln, g: g}
}

type listener struct {
	net.Listener
	g *Guard
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if gc, err := l.g.admit(c); err == nil {
			return gc, nil
		}
	}
}

// ConnCallback returns an ssh.ConnCallback that admits and wraps the
// connection (unless Listener already did), arms the no-session timer,
// and then calls next (if not nil).
func (g *Guard) ConnCallback(next ssh.ConnCallback) ssh.ConnCallback {
	return func(ctx ssh.Context, c net.Conn) net.Conn {
		gc, ok := c.(*conn)
		if !ok {
			var err error
			if gc, err = g.admit(c); err != nil {
				return nil
			}
		}
		g.attachState(ctx, gc, gc.Close)
		if next == nil {
			return gc
		}
		return next(ctx, gc)
	}
}

// ServerConfigCallback returns an ssh.ServerConfigCallback that restricts
// the algorithms (see AlgorithmConfig) of next's config and sets the
// anonymous logins (see anonymousLogins), each of which frees the
// connection's startup slot.
func (g *Guard) ServerConfigCallback(next ssh.ServerConfigCallback) ssh.ServerConfigCallback {
	algos := ServerConfigCallback(next)
	return func(ctx ssh.Context) *gossh.ServerConfig {
		conf := algos(ctx)
		if conf.MaxAuthTries == 0 {
			conf.MaxAuthTries = g.lim.MaxAuthTries
		}
		anonymousLogins(conf, func() {
			if st, ok := ctx.Value(stateKey{}).(*connState); ok && st.c != nil {
				st.c.authenticated()
			}
		})
		return conf
	}
}

// Apply wires the guard into srv: handshake and maximum timeouts, the
// ConnCallback, the algorithm-restricting ServerConfigCallback, and the
// guarded "session" channel handler as the only channel handler (port
// forwarding channels, agent channels and any others are rejected as
// unknown types). Subsystem handlers are removed and port forwarding
// callbacks cleared. Existing ConnCallback, ServerConfigCallback and
// "session" handler are kept, wrapped.
//
// It also wraps srv.Handler (see drainWindowChanges), so it must run after
// the handler or middleware is set, and after the host key: it fails when
// srv has no host key or one that is not Ed25519 (without a key, the ssh
// package would invent an RSA one).
func (g *Guard) Apply(srv *ssh.Server) error {
	if len(srv.HostSigners) == 0 {
		return errors.New("guard: the server has no host key yet: apply the guard after setting it")
	}
	for _, s := range srv.HostSigners {
		if t := s.PublicKey().Type(); t != gossh.KeyAlgoED25519 {
			return fmt.Errorf("guard: host key type %s: only %s is allowed", t, gossh.KeyAlgoED25519)
		}
	}
	// The ssh package's handshake deadline is the login grace; the guard's
	// conn enforces the shorter HandshakeTimeout until the client's KEXINIT.
	srv.HandshakeTimeout = g.lim.LoginGrace
	// A backstop a little after the session limit: the server's own timer
	// at MaxSessionDuration says goodbye politely; this one cuts the
	// connection if that ever fails.
	srv.MaxTimeout = g.cfg.MaxSessionDuration + g.lim.MaxSessionGrace
	srv.ConnCallback = g.ConnCallback(srv.ConnCallback)
	srv.ServerConfigCallback = g.ServerConfigCallback(srv.ServerConfigCallback)
	session := srv.ChannelHandlers["session"]
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": g.SessionHandler(session)}
	srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
	if srv.Handler != nil {
		srv.Handler = drainWindowChanges(srv.Handler)
		g.wrapsHandler = true
	}
	srv.LocalPortForwardingCallback = nil
	srv.ReversePortForwardingCallback = nil
	return nil
}

// Option returns Apply as an ssh.Option for wish.NewServer. List it after
// the host key option.
func (g *Guard) Option() ssh.Option { return g.Apply }

// ClampSize clamps a window size a client claims to the guard's size limits (see
// SizeLimits.Clamp).
func (g *Guard) ClampSize(w, h int) (int, int, bool) { return g.lim.Size.Clamp(w, h) }

// TeaFilter returns a new filter for one Bubble Tea program, with the
// guard's size limits and resize interval (see NewTeaFilter).
func (g *Guard) TeaFilter(next TeaFilter) TeaFilter {
	return NewTeaFilter(g.lim.Size, g.lim.ResizeInterval, next)
}

// Package guard provides the defences an anonymous public SSH server needs
// that charm.land/ssh (v0.4.3) and wish (v2.0.5) leave to the application:
// per-source admission before the handshake, timeouts the library lacks or
// gets wrong, per-connection channel and request limits, window size
// clamps, a modern algorithm set, and sanitising of every client-supplied
// string before it is logged or shown.
//
// # What each piece defends against
//
//   - Listener / ConnCallback: a per-source token bucket (IPv4 address or
//     IPv6 /64, LRU-bounded) and caps on unauthenticated connections per
//     source and in total (OpenSSH's MaxStartups), checked when the TCP
//     connection is accepted; connections that never authenticate charge
//     their source a penalty (PerSourcePenalties). Admitted connections
//     have their reads paced (ReadRate) and every socket write bounded by
//     WriteTimeout.
//   - Apply: HandshakeTimeout, MaxTimeout (MaxSessionDuration plus a
//     minute, as a backstop behind the server's polite session timer), the
//     algorithm set (AlgorithmConfig), and the guarded "session" channel
//     handler (SessionHandler): at most MaxSessions sessions per
//     connection, bounded env requests, agent/X11/subsystems refused,
//     pty-req and window-change sizes clamped and storms coalesced, a
//     watchdog on channel writes (a client that stops opening its window
//     is dropped), keepalive@openssh.com every KeepaliveInterval with the
//     peer dropped after KeepaliveMaxMissed misses, and connections with no
//     session open for NoSessionTimeout closed.
//   - NewTeaFilter / Guard.TeaFilter: clamps every tea.WindowSizeMsg,
//     including those Bubble Tea derives from input bytes (a typed
//     "ESC[8;1000;1000t"), coalesces resize storms, turns suspend into resume.
//   - Sanitize: one clean line of bounded length from any client string.
//
// # Wiring
//
// Build one Guard per server, after validating the server's own config:
//
//	g, err := guard.New(guard.Config{
//		RateLimit:          rate.Every(cfg.RateLimit.Per / time.Duration(cfg.RateLimit.Events)), // PORTFOLIO_RATE_LIMIT
//		RateBurst:          cfg.RateBurst,          // PORTFOLIO_RATE_BURST
//		MaxSessionDuration: cfg.MaxSessionDuration, // PORTFOLIO_MAX_SESSION_DURATION
//		Logger:             slogLogger,             // drops are logged here, one line each
//	})
//
// 1. The ssh.Server: apply the guard as the LAST option, after the host
// key is set (Apply fails without an Ed25519 host key, so the ssh package
// can never invent an RSA one). It wraps whatever ConnCallback,
// ServerConfigCallback and "session" channel handler the server already
// has, so the server's own request filter keeps working inside it:
//
//	srv, err := wish.NewServer(
//		wish.WithHostKeyPEM(pem),
//		wish.WithMiddleware(...),
//		g.Option(), // or, on an existing *ssh.Server: g.Apply(srv)
//	)
//
// Apply sets srv.HandshakeTimeout, srv.MaxTimeout, srv.ConnCallback,
// srv.ServerConfigCallback, srv.ChannelHandlers (only "session"),
// srv.SubsystemHandlers (none), clears the port forwarding callbacks, and
// wraps srv.Handler (so apply it after wish.WithMiddleware) to drain
// window-changes once the application stops reading them: without that,
// charm.land/ssh's session request loop blocks forever on its one-slot
// window channel and outlives the connection. Leave srv.IdleTimeout at
// zero: it is reset by output and so never fires for a drawing UI. The
// input-idle timeout is the application's: portfolio's server measures it
// on the bytes its Bubble Tea program reads (server/session), and says
// goodbye when it fires.
//
// portfolio's server applies g.Option() last, after its host key and its
// middleware (server.go, buildSSH).
//
// 2. The listener (direct exposure, no PROXY protocol): wrap it so refused
// connections are closed in the accept loop, before the server spends a
// goroutine on them:
//
//	ln, err := net.Listen("tcp", cfg.Addr)
//	...
//	err = srv.Serve(g.Listener(ln))
//
// Behind a PROXY protocol front, wrap the PROXY listener only if it reads
// and checks headers off the accept loop and returns connections whose
// RemoteAddr is already the visitor's (portfolio's server/frontproxy does:
// g.Listener(frontproxy.Wrap(raw, ...))). A listener that reads the header
// lazily, or in Accept, must not be wrapped: leave it alone, and Apply's
// ConnCallback admits each connection on its own goroutine, with the
// address from the header. Either way, admission happens before the SSH
// handshake.
//
// 3. Every Bubble Tea program: the guard's filter must be the last
// tea.WithFilter (a program has one filter; the last option wins, and
// wish's MakeOptions installs its own). It holds per-program state (the
// coalesced size), so build a NEW one for every program, never share one
// between sessions, and chain the server's own filter as next:
//
//	opts := append(bubbletea.MakeOptions(s),
//		tea.WithoutSignalHandler(),
//		tea.WithFilter(g.TeaFilter(serverFilter)), // serverFilter may be nil
//	)
//
// 4. Logging: pass every client-supplied value through Sanitize before
// it reaches a logger or the screen: s.User(), pty.Term, ctx.ClientVersion(),
// s.RawCommand(), env values. For example Sanitize(s.User(), 64).
//
// 5. Metrics: Guard.Stats returns counters (admitted, refused at accept by
// reason, sessions and requests refused, resizes coalesced, drops by
// reason) for a Prometheus collector; Config.OnRefused is called for each
// connection refused at accept time.
package guard

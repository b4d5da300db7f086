// Package guard provides the defences an anonymous public SSH server needs
// that charm.land/ssh (v0.4.3) and wish (v2.0.5) leave to the application:
// per-source admission before the handshake and fair shares of sessions
// after it, timeouts the library lacks or gets wrong, anonymous logins,
// per-connection channel and request limits, window size clamps, a modern
// algorithm set, and sanitising of every client-supplied string before it
// is logged or shown.
//
// # What each piece defends against
//
//   - Listener / ConnCallback: admission at accept, before any SSH work (see
//     Admission below). Admitted connections have their reads paced
//     (ReadRate) and every socket write bounded by WriteTimeout; until the
//     client's KEXINIT arrives they have HandshakeTimeout, after it
//     LoginGrace.
//   - AdmitSession: the sessions' fair shares, after the handshake, where a
//     refused visitor can be told why in one line.
//   - Apply: LoginGrace as the ssh package's handshake deadline, MaxTimeout
//     (MaxSessionDuration plus MaxSessionGrace, a minute, as a backstop behind the server's
//     polite session timer), the algorithm set (AlgorithmConfig), the
//     anonymous logins (none, any public key, keyboard-interactive with no
//     questions; never password), and the guarded "session" channel
//     handler (SessionHandler): at most MaxSessions sessions per
//     connection, bounded env requests, agent/X11/subsystems refused,
//     pty-req and window-change sizes clamped and storms coalesced, a
//     watchdog on channel writes (a client that stops opening its window
//     is dropped), keepalive@openssh.com every KeepaliveInterval with the
//     peer dropped after KeepaliveMaxMissed misses, and connections with no
//     session open for NoSessionTimeout closed. A connection's state is
//     forgotten when it ends: no timer of it is armed after that.
//   - NewTeaFilter / Guard.TeaFilter: clamps every tea.WindowSizeMsg,
//     including those Bubble Tea derives from input bytes (a typed
//     "ESC[8;1000;1000t"), coalesces resize storms, turns suspend into resume.
//   - Sanitize: one clean line of bounded length from any client string.
//
// # Admission: a crowd is not a flood
//
// One address is not one person. A room at a talk that shows the ssh
// command on a slide, a school, a mobile carrier's CGNAT: forty people
// behind one IPv4 address within seconds, many of them reading the
// host-key prompt at the same time. A flood from one address looks the
// same for its first seconds. What tells them apart is what the
// connections do, and whether the server has room. So the per-source
// limits are there to share a contended server fairly, and to make a
// source pay for what it did wrong, never to cap a quiet server:
//
//   - A budget of connections that are not visits, per source: a token
//     bucket (RateBurst, refilled at RateLimit) from which every accepted
//     connection takes a token, checked in the accept loop. A connection
//     that becomes a visit (its first session is admitted) gives the token
//     back, so visits never use up the budget: twelve `ssh HOST help` in a
//     row, or forty visitors, cost nothing. Scans (ssh-keyscan opens one
//     connection per key type and logs in with none), abandoned and failed
//     handshakes, and connections that log in but open no session keep
//     theirs spent. A connection cut off by HandshakeTimeout or LoginGrace
//     pays PenaltyTokens more: it held a startup slot as long as it could.
//     This is OpenSSH's PerSourcePenalties (noauth, grace-exceeded) as a
//     token bucket: penalties for what a source did, forgiven at a steady
//     rate. A connection holds its token from accept until it becomes a
//     visit, so the burst also bounds a source's handshakes in flight: at
//     the defaults (burst 64, 2/s) forty people behind one address can
//     all sit at the host-key prompt at once, two full ssh-keyscans (ten
//     connections) leave the visit after them its token, and a source
//     that only floods handshakes is refused after 64 and then at two a
//     second, cheaply, in Accept.
//   - Startups (connections not yet logged in) in the spirit of OpenSSH's
//     MaxStartups start:full. Below StartupsContended (its "start", 64)
//     a source may hold any number, so a room reading the host-key prompt
//     fits; from there on each source is held to MaxStartupsPerSource (8)
//     while sources under their share still get in, up to MaxStartups (256,
//     its "full"), where everyone waits. There is no random early drop
//     between start and full: it would refuse the innocent with the same
//     odds as the flood, where the share refuses only sources that already
//     hold more than others.
//   - Sessions (AdmitSession) the same way: any number per source while
//     fewer than OpenSessionsContended (150, three quarters of
//     MaxOpenSessions) are open; from there on each source is held to
//     OpenSessionsPerSource (10), so the last quarter of the server is kept
//     for sources under their share; MaxOpenSessions (200) in total. A
//     refused session does not give its connection's token back: a flood
//     that keeps opening sessions over its share while the server is
//     contended spends its budget and is then refused at accept.
//
// Measured at the defaults (e2e, and `sshload admission`): 40 visitors from
// one address within 10 s all get in, and so do 40 arriving at once who all
// read the host-key prompt for 3 s; a flood of 400 held interactive
// sessions at 80/s from one address gets 150, 70 polite refusals and 180
// refusals at accept, while visitors from other addresses get their first
// screen in the same ~20 ms as on the idle server.
//
// Refusals at accept are counted by reason (Stats: RateLimited,
// StartupsRefused, StartupsFull) and logged at info level at most once per
// RefusalLogInterval (a minute) per source, with the number of refusals
// not logged since; a
// flood cannot flood the log, and an operator still sees who was turned
// away. The source table is an LRU of MaxSources entries: a forgotten
// source starts with a full budget again, which costs an attacker who
// rotates through more sources than that nothing it could not have had
// from those sources anyway.
//
// # Handshake and login grace
//
// A client that sends nothing, or not SSH, is dropped after
// HandshakeTimeout (15 s). One that has sent its KEXINIT (the guard's conn
// reads the identification line and the first packet's message number as
// they pass, nothing more) is past that: the ssh package's handshake
// deadline is LoginGrace (120 s from accept, OpenSSH's LoginGraceTime), so
// a first-time visitor can read "Are you sure you want to continue
// connecting?" and answer.
//
// # Wiring
//
// Build one Guard per server, after validating the server's own config:
//
//	g, err := guard.New(guard.Config{
//		RateLimit:          cfg.RateLimit.Limit(),  // PORTFOLIO_RATE_LIMIT
//		MaxOpenSessions:    cfg.MaxSessions,        // PORTFOLIO_MAX_SESSIONS
//		MaxSessionDuration: cfg.MaxSessionDuration, // PORTFOLIO_MAX_SESSION_DURATION
//		Logger:             slogLogger,             // drops are logged here, one line each
//	})
//
// (portfolio's server/harden.go maps the operator's settings.) Every other limit is fixed:
// the constants in limits.go, each with its reason. Only tests change them, through
// Config.Tune.
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
// 5. Sessions: call AdmitSession(s.Context()) before serving a session and
// release when it ends; answer ErrServerFull or ErrOverShare with one
// polite line (portfolio's server/limits.go does).
//
// 6. Metrics: Guard.Stats returns counters (admitted, refused at accept by
// reason, sessions refused by reason, requests refused, resizes coalesced,
// drops by reason) and gauges (connections tracked, startups now) for a
// Prometheus collector (portfolio's server/metrics.WatchGuard);
// Config.OnRefused is called for each connection refused at accept time.
package guard

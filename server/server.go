package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/content"
	"portfolio/server/firstframe"
	"portfolio/server/guard"
	"portfolio/server/metrics"
	"portfolio/ui"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// Server is the portfolio's SSH server. Build it with New; it is safe for any number of
// concurrent sessions.
type Server struct {
	cfg      Config
	site     *content.Site
	log      *log.Logger
	key      HostKey
	renderer *ui.Renderer
	frames   *firstframe.Cache // first frames painted without a program (server/screen)
	ssh      *ssh.Server
	live     *liveSessions
	metrics  *metrics.Metrics // counted by the logging middleware, served by ListenHTTP
	http     httpServer
	guard    *guard.Guard // the hardening layer: admission, timeouts, limits, algorithms

	tuneGuard func(*guard.Config) // tests shorten the guard's fixed limits

	newModel   func(ui.Options) tea.Model // one model per visitor; tests substitute
	app        wish.Middleware            // the innermost handler; tests substitute
	sshOptions []ssh.Option               // applied after the server's own
	middleware []wish.Middleware          // extra middleware, just outside the app
	wrapChan   func(ssh.ChannelHandler) ssh.ChannelHandler
}

// Option adjusts a Server built by New; the hardening, metrics and proxy layers plug in here.
type Option func(*Server)

// WithSSHOptions applies ssh.Options (algorithms, callbacks, timeouts) after the server's own.
func WithSSHOptions(opts ...ssh.Option) Option {
	return func(s *Server) { s.sshOptions = append(s.sshOptions, opts...) }
}

// WithMiddleware adds middleware just outside the handler that answers the visitor, inside
// the limits: listed in wish's order (the last one runs first).
func WithMiddleware(mw ...wish.Middleware) Option {
	return func(s *Server) { s.middleware = append(s.middleware, mw...) }
}

// WithSessionChannelWrapper wraps the "session" channel handler, outside the server's own
// request filter (per-connection channel caps, env request limits).
func WithSessionChannelWrapper(wrap func(ssh.ChannelHandler) ssh.ChannelHandler) Option {
	return func(s *Server) { s.wrapChan = wrap }
}

// New validates cfg, loads (or creates once) the host key and builds the server. It logs the
// host key's fingerprint. Nothing listens until ListenAndServe or Serve.
func New(cfg Config, site *content.Site, logger *log.Logger, opts ...Option) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if site == nil || len(site.Sections) == 0 {
		return nil, errors.New("server: the site has no sections")
	}
	if logger == nil {
		logger = log.Default()
	}
	key, err := LoadHostKey(cfg)
	if err != nil {
		return nil, err
	}
	logger.Info("host key", "fingerprint", key.Fingerprint, "source", key.Source, "generated", key.Generated)
	if key.LooseMode {
		logger.Warn("host key file is readable by others; chmod 600 it", "path", key.Source)
	}

	s := &Server{
		cfg:      cfg,
		site:     site,
		log:      logger,
		key:      key,
		renderer: ui.NewRenderer(ui.DefaultCacheSize),
		frames:   firstframe.NewCache(firstframe.DefaultCacheSize),
		live:     newLiveSessions(),
	}
	s.metrics = s.newMetrics()
	s.newModel = func(o ui.Options) tea.Model { return ui.New(s.site, s.renderer, o) }
	s.app = s.answer
	for _, o := range opts {
		o(s)
	}
	var guardLog slog.Handler = logger
	if cfg.LogMaskAddr {
		guardLog = maskRemote(guardLog)
	}
	s.guard, err = newGuard(cfg, slog.New(guardLog), s.refusedAtAccept, s.tuneGuard)
	if err != nil {
		return nil, err
	}
	s.ssh, err = s.buildSSH()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// buildSSH assembles the ssh.Server: host key, middleware chain, and shell-only handlers.
func (s *Server) buildSSH() (*ssh.Server, error) {
	session := refuseRequests(ssh.DefaultSessionHandler)
	if s.wrapChan != nil {
		session = s.wrapChan(session)
	}
	srv := &ssh.Server{
		Addr:    s.cfg.Addr,
		Version: "portfolio",
		// Only "session" channels: direct-tcpip (ssh -L) and x11 channels are unknown types
		// and rejected. No request handlers: tcpip-forward (ssh -R) is refused. No subsystem
		// handlers: sftp and scp -s are refused. Port forwarding callbacks stay nil (deny).
		ChannelHandlers:   map[string]ssh.ChannelHandler{"session": session},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
		// No password, public key or keyboard-interactive handler: anyone may connect
		// with any user name, and nobody is asked for anything.
	}
	srv.HostSigners = []ssh.Signer{s.key.Signer}
	srv.ConnectionFailedCallback = s.handshakeFailed // options may wrap it
	options := append([]ssh.Option{wish.WithMiddleware(s.chain()...)}, s.sshOptions...)
	// The guard goes last: it needs the host key (it refuses anything but Ed25519), wraps the
	// handler the middleware built, the session channel handler and any callbacks set above,
	// and sets the handshake and maximum timeouts and the algorithms.
	options = append(options, s.guard.Option())
	for _, o := range options {
		if err := srv.SetOption(o); err != nil {
			return nil, fmt.Errorf("configure ssh server: %w", err)
		}
	}
	// An option must never leave the server without our key: the ssh package would then
	// invent an ephemeral one, and visitors would see a new identity on every start.
	if len(srv.HostSigners) == 0 {
		return nil, errors.New("configure ssh server: no host key")
	}
	return srv, nil
}

// HostKey returns the server's host key.
func (s *Server) HostKey() HostKey { return s.key }

// ListenAndServe listens on the configured addresses (SSH, and HTTP when set) and serves
// until Shutdown.
func (s *Server) ListenAndServe() error {
	if err := s.ListenHTTP(); err != nil {
		return err
	}
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(l)
}

// Serve serves SSH on l until Shutdown; it then returns ErrServerClosed. With the PROXY
// protocol on, l is wrapped first (see frontListener), before anything else sees a conn.
func (s *Server) Serve(l net.Listener) error {
	l, err := s.frontListener(l)
	if err != nil {
		return err
	}
	// Per-source admission in the accept loop, before any SSH work. On top of the PROXY
	// listener, whose connections already carry the visitor's address.
	l = s.guard.Listener(l)
	attrs := []any{"addr", l.Addr().String(), "proxy_protocol", s.cfg.ProxyProtocol}
	if a := s.HTTPAddr(); a != nil {
		attrs = append(attrs, "http", a.String())
	}
	s.log.Info("listening", attrs...)
	s.metrics.SetReady(true) // connections queue on the open listener until Serve accepts
	return s.ssh.Serve(l)
}

// Shutdown stops accepting connections, tells every open session the server is restarting,
// and waits for them to leave until ctx is done; then it closes whatever is left. It returns
// ctx's error when sessions had to be cut off.
func (s *Server) Shutdown(ctx context.Context) error {
	s.metrics.ShuttingDown() // /healthz turns 503 first: the platform stops sending visitors
	defer s.shutdownHTTP()   // last, so the drain stays observable
	open := s.live.count()
	s.log.Info("shutting down", "sessions", open)
	shut := make(chan error, 1)
	go func() { shut <- s.ssh.Shutdown(ctx) }() // closes the listeners first
	s.live.stopAll("shutdown", msgRestarting)
	err := s.live.wait(ctx)
	// Sessions are gone (or out of time): close connections that never opened one.
	_ = s.ssh.Close()
	<-shut
	if err != nil {
		s.log.Warn("shutdown deadline passed; sessions cut off", "sessions", s.live.count())
		return err
	}
	s.log.Info("shut down", "sessions", open)
	return nil
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.metrics.ShuttingDown()
	defer s.shutdownHTTP()
	return s.ssh.Close()
}

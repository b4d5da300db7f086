package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/content"
	"portfolio/outbox"
	"portfolio/server/firstframe"
	"portfolio/server/fleet"
	"portfolio/server/guard"
	"portfolio/server/hostkey"
	"portfolio/server/metrics"
	"portfolio/server/owner"
	"portfolio/server/replies"
	"portfolio/server/session"
	"portfolio/server/sessionlog"
	"portfolio/ui"
)

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = ssh.ErrServerClosed

// Server is the portfolio's SSH server. Build it with New; it is safe for any number of
// concurrent sessions.
type Server struct {
	cfg      Config
	site     *content.Site
	key      hostkey.Key
	renderer *ui.Renderer
	frames   *firstframe.Cache // first frames painted without a program (server/screen)
	ssh      *ssh.Server
	live     *liveSessions
	log      *sessionlog.Log  // visits and connections, into the logger and the metrics
	logger   *log.Logger      // everything else: start-up, shutdown, panics
	metrics  *metrics.Metrics // counted by the session log, served by ListenHTTP
	http     httpServer
	guard    *guard.Guard                  // the hardening layer: admission, timeouts, limits, algorithms
	budget   *memoryBudget                 // interactive sessions' estimated memory (budget.go)
	db       *database                     // visitors' messages and the guestbook (database.go)
	outbox   atomic.Pointer[outbox.Worker] // delivers notifications, once the store is open; nil: none configured
	owners   owner.Keys                    // who may log in as "owner" (PORTFOLIO_OWNER_KEYS); none: nobody
	fleet    *fleet.Fleet                  // this machine's visits and open sessions into the database (visits.go)
	replies  *replies.Replies              // `reply CODE` and the form's "read a reply" (reply.go)
	// stopFleet ends the fleet writer, writing what is left.
	stopFleet func()

	newModel   func(ui.Options) tea.Model // one model per visitor; tests substitute theirs
	tuneGuard  func(*guard.Limits)        // tests shorten the guard's fixed limits
	sleepAfter time.Duration              // sleepAfter; tests shorten it, 0: screens never sleep
}

// Option adjusts a Server built by New. Only tests have any: they substitute the model and
// shorten the guard's limits and the sleep delay.
type Option func(*Server)

// New loads (or creates once) the host key and builds the server from cfg, which package
// config has validated (the settings table is the one place that judges an operator's
// values). It logs the host key's fingerprint. Nothing listens until Serve (and ListenHTTP).
func New(cfg Config, site *content.Site, logger *log.Logger, opts ...Option) (*Server, error) {
	if site == nil || len(site.Sections) == 0 {
		return nil, errors.New("server: the site has no sections")
	}
	if logger == nil {
		logger = log.Default()
	}
	owners, err := owner.ParseKeys(cfg.OwnerKeys)
	if err != nil {
		return nil, fmt.Errorf("PORTFOLIO_OWNER_KEYS: %w", err)
	}
	key, err := hostkey.Load(hostkey.Source{PEM: cfg.HostKeyPEM, Path: cfg.HostKeyPath, Generate: cfg.HostKeyGenerate})
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
		logger:   logger,
		key:      key,
		renderer: ui.NewRenderer(ui.DefaultCacheSize),
		frames:   firstframe.NewCache(firstframe.DefaultCacheSize),
		live:     newLiveSessions(),
		budget:   newMemoryBudget(cfg.MemoryBudget),
		owners:   owners,

		sleepAfter: sleepAfter,
	}
	if err := s.notifyConfig().Check(); err != nil {
		return nil, err
	}
	s.db = startDatabase(cfg.Database, site, logger, s.startOutbox)
	// Section views are labelled by the site's slugs (and the guestbook's), anything else
	// counts as "other", so a visitor can never create a new time series.
	s.metrics = metrics.New(metrics.Options{Sections: append(site.Slugs(), content.GuestbookSlug), Database: s.db.health})
	s.log = sessionlog.New(logger, s.metrics, cfg.LogMaskAddr)
	s.newModel = func(o ui.Options) tea.Model { return ui.New(s.db.siteNow(), s.renderer, o) }
	s.replies = replies.New(whenOpen{s.db}.ReplyFor, nil)
	for _, o := range opts {
		o(s)
	}
	s.guard, err = newGuard(cfg, slog.New(s.log.GuardHandler()), s.log.RefusedAtAccept, s.tuneGuard)
	if err != nil {
		_ = s.db.stop()
		return nil, err
	}
	s.metrics.WatchGuard(s.guard.Stats)
	s.ssh, err = s.buildSSH()
	if err != nil {
		_ = s.db.stop()
		return nil, err
	}
	s.startFleet()
	return s, nil
}

// buildSSH assembles the ssh.Server: host key, middleware chain, and shell-only handlers.
func (s *Server) buildSSH() (*ssh.Server, error) {
	srv := &ssh.Server{
		Addr:    s.cfg.Addr,
		Version: "portfolio",
		// Only "session" channels: direct-tcpip (ssh -L) and x11 channels are unknown types
		// and rejected. No request handlers: tcpip-forward (ssh -R) is refused. No subsystem
		// handlers: sftp and scp -s are refused. Port forwarding callbacks stay nil (deny).
		// Agent forwarding and x11-req are refused by the guard, which wraps this handler.
		ChannelHandlers:   map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler},
		RequestHandlers:   map[string]ssh.RequestHandler{},
		SubsystemHandlers: map[string]ssh.SubsystemHandler{},
		// No login handler here: the guard lets anyone in with any user name, by none, any
		// public key or keyboard-interactive with no questions, and never offers password;
		// except the user name "owner", which only the owner's keys open (server/owner),
		// whose callbacks the guard runs first.
		ServerConfigCallback: s.owners.Logins(nil, s.ownerRefused),
	}
	srv.HostSigners = []ssh.Signer{s.key.Signer}
	srv.ConnectionFailedCallback = s.log.HandshakeFailed
	// The guard goes last: it needs the host key (it refuses anything but Ed25519), wraps the
	// handler the middleware built and the session channel handler, and sets the handshake
	// and maximum timeouts and the algorithms.
	for _, o := range []ssh.Option{wish.WithMiddleware(s.chain()...), s.guard.Option()} {
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
func (s *Server) HostKey() hostkey.Key { return s.key }

// Metrics returns the server's Prometheus collectors and readiness state.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

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
	s.logger.Info("listening", attrs...)
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
	s.logger.Info("shutting down", "sessions", open)
	shut := make(chan error, 1)
	go func() { shut <- s.ssh.Shutdown(ctx) }() // closes the listeners first
	s.live.stopAll(session.Shutdown, msgRestarting)
	err := s.live.wait(ctx)
	// Sessions are gone (or out of time): close connections that never opened one.
	_ = s.ssh.Close()
	<-shut
	s.stopFleet() // after the sessions' ends were recorded: their records go out with it
	if dbErr := s.db.stop(); dbErr != nil {
		s.logger.Warn("database close", "err", dbErr)
	}
	if err != nil {
		s.logger.Warn("shutdown deadline passed; sessions cut off", "sessions", s.live.count())
		return err
	}
	s.logger.Info("shut down", "sessions", open)
	return nil
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.metrics.ShuttingDown()
	defer s.shutdownHTTP()
	err := s.ssh.Close()
	s.stopFleet()
	_ = s.db.stop()
	return err
}

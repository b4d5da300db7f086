// Command portfolio serves a personal portfolio over SSH (`portfolio`) or shows it in the
// local terminal (`portfolio preview`). main is thin: Main holds the steps (ParseFlags, Run,
// Close) so that tests can run the real server in-process on 127.0.0.1:0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"charm.land/log/v2"

	"portfolio/config"
	"portfolio/content"
	"portfolio/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, stop, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run returns the process's exit status: 0 after a clean start and shutdown (ctx ends it:
// main's is cancelled by SIGINT or SIGTERM, and stop then gives the next signal back its
// default effect), 2 for bad settings, 1 for anything that stopped the server from starting
// or serving.
func run(ctx context.Context, stop func(), args, environ []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "preview" {
		return runPreview(ctx, args[1:], os.LookupEnv, stderr)
	}
	if len(args) > 0 && args[0] == "inbox" {
		return runInbox(ctx, args[1:], environ, os.Stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "stats" {
		return runStats(ctx, args[1:], os.LookupEnv, os.Stdin, stdout, stderr)
	}

	m := NewMain()
	m.Stderr = stderr
	if err := m.ParseFlags(args, environ); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		for _, u := range m.Unknown {
			fmt.Fprintln(stderr, "portfolio: warning:", u)
		}
		// One line for the error and one for the way out, not the whole usage: a bad value
		// in a long --help scrolls off the screen.
		fmt.Fprintf(stderr, "portfolio: %v\nrun portfolio --help for every setting\n", err)
		return 2
	}
	logger, err := newLogger(stderr, m.Config.LogFormat, m.Config.LogLevel)
	if err != nil {
		fmt.Fprintln(stderr, "portfolio:", err)
		return 1
	}
	m.Logger = logger
	if m.Config.LogFormat != "text" {
		// One object per line, panics included: see captureStderr. Before Run: once Serve
		// has started, a session's panic report may be writing to os.Stderr.
		if restore, err := captureStderr(logger); err == nil {
			defer restore()
		}
	}
	if err := m.Run(); err != nil {
		fmt.Fprintln(stderr, "portfolio:", err)
		return 1
	}
	code := 0
	select {
	case <-ctx.Done():
		stop()
	case err := <-m.Done():
		m.Logger.Error("server stopped", "err", err)
		code = 1
	}
	// Close before os.Stderr is put back: no session is left to write to it.
	if err := m.Close(); err != nil {
		m.Logger.Warn("shutdown", "err", err)
	}
	return code
}

// usage is --help: the commands, then every setting from the settings table.
func usage(w io.Writer) {
	fmt.Fprint(w, `portfolio serves a personal portfolio over SSH.

Usage:
  portfolio [flags]                   serve (visitors run: ssh -p PORT HOST)
  portfolio preview [flags] [SECTION]  show the portfolio in this terminal, no SSH
  portfolio stats [FILE]               summarise a visitor log, JSON, logfmt or text
                                       (stdin when no FILE; also `+"`fly logs`"+` output)
  portfolio inbox [--json] [--unread]  the messages visitors left (inbox --help:
                                       show, read, archive, delete, approve, reply)

Every flag can also be set with its environment variable; a flag beats the variable,
which beats the default.

`)
	config.WriteHelp(w)
}

// Main is one run of the server.
type Main struct {
	Config server.Config
	// Unknown lists the PORTFOLIO_* variables that name no setting; Run logs a warning for
	// each.
	Unknown []config.Unknown
	Stderr  io.Writer   // where logs and start-up errors go
	Logger  *log.Logger // set by Run when not set before (run sets it to capture stderr)
	Server  *server.Server

	listener net.Listener
	done     chan error
}

// NewMain returns a Main with the default configuration, logging to stderr.
func NewMain() *Main {
	return &Main{Config: server.Defaults(), Stderr: os.Stderr}
}

// ParseFlags reads the configuration from args and environ (KEY=VALUE pairs, os.Environ
// outside tests) through the settings table and validates it.
func (m *Main) ParseFlags(args, environ []string) error {
	loaded, err := config.Load(args, environ)
	m.Unknown = loaded.Unknown
	if err != nil {
		return err
	}
	if len(loaded.Args) > 0 {
		return fmt.Errorf("unexpected argument %q", loaded.Args[0])
	}
	m.Config = loaded.Config
	return nil
}

// Run loads the content and the host key, starts listening and serves in the background.
// It returns once the listener is open (its address is in Addr and in the "listening" log).
func (m *Main) Run() error {
	if m.Logger == nil {
		logger, err := newLogger(m.Stderr, m.Config.LogFormat, m.Config.LogLevel)
		if err != nil {
			return err
		}
		m.Logger = logger
	}
	logger := m.Logger
	for _, u := range m.Unknown {
		logger.Warn("unknown setting ignored", "name", u.Name, "did_you_mean", u.Closest)
	}
	// The libraries (charm.land/ssh logs with slog, wish with log) use the default loggers:
	// main is the one place allowed to set them.
	log.SetDefault(logger)
	slog.SetDefault(slog.New(logger))

	site, err := loadSite(m.Config.ContentDir)
	if err != nil {
		return err
	}
	srv, err := server.New(m.Config, site, logger)
	if err != nil {
		return err
	}
	// HTTP first: /healthz answers 503 ("starting") until Serve has the SSH listener.
	if err := srv.ListenHTTP(); err != nil {
		return err
	}
	l, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("listen %s: %w", m.Config.Addr, err)
	}
	m.Server, m.listener = srv, l
	m.done = make(chan error, 1)
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, server.ErrServerClosed) {
			m.done <- err
		}
	}()
	return nil
}

// Addr is the address the server listens on, once Run has returned.
func (m *Main) Addr() net.Addr { return m.listener.Addr() }

// Done delivers an error if the server stops serving on its own.
func (m *Main) Done() <-chan error { return m.done }

// Close shuts the server down politely within the configured ShutdownTimeout: stop
// accepting, tell every visitor the server is restarting, wait for them to leave.
func (m *Main) Close() error {
	if m.Server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	return m.Server.Shutdown(ctx)
}

// loadSite reads the content directory, or the content built into the binary.
func loadSite(dir string) (*content.Site, error) {
	if dir == "" {
		return content.Default()
	}
	site, err := content.LoadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load content %s: %w", dir, err)
	}
	return site, nil
}

// newLogger builds the process's logger from the validated format and level.
func newLogger(w io.Writer, format, level string) (*log.Logger, error) {
	lvl, err := log.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("PORTFOLIO_LOG_LEVEL %q: %w", level, err)
	}
	opts := log.Options{Level: lvl, ReportTimestamp: true, TimeFormat: time.RFC3339Nano}
	switch format {
	case "json":
		opts.Formatter = log.JSONFormatter
	case "logfmt":
		opts.Formatter = log.LogfmtFormatter
	default:
		opts.Formatter = log.TextFormatter
		opts.TimeFormat = time.DateTime
	}
	return log.NewWithOptions(w, opts), nil
}

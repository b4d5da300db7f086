package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"portfolio/server/metrics"
)

// httpShutdownTimeout bounds the HTTP server's own shutdown, which comes after the SSH
// drain has used up its deadline: a scrape in flight gets this long to finish.
const httpShutdownTimeout = 2 * time.Second

// httpServer is the optional /healthz and /metrics listener (PORTFOLIO_HTTP_ADDR).
type httpServer struct {
	mu  sync.Mutex
	srv *http.Server
	ln  net.Listener
}

// ListenHTTP opens PORTFOLIO_HTTP_ADDR, when it is set, and serves /healthz and /metrics on it
// in the background until Shutdown, which closes it last, after the visitors have gone, so
// that the drain stays observable. /healthz answers 503 until Serve has the SSH listener,
// and again from the moment Shutdown begins. Calling it again does nothing.
func (s *Server) ListenHTTP() error {
	if s.cfg.HTTPAddr == "" {
		return nil
	}
	s.http.mu.Lock()
	defer s.http.mu.Unlock()
	if s.http.srv != nil {
		return nil
	}
	l, err := net.Listen("tcp", s.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen PORTFOLIO_HTTP_ADDR %s: %w", s.cfg.HTTPAddr, err)
	}
	srv := metrics.NewHTTPServer(s.cfg.HTTPAddr, s.metrics.Handler())
	s.http.srv, s.http.ln = srv, l
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("http server stopped", "addr", l.Addr().String(), "err", err)
		}
	}()
	return nil
}

// HTTPAddr is the address /healthz and /metrics are served on, or nil when off.
func (s *Server) HTTPAddr() net.Addr {
	s.http.mu.Lock()
	defer s.http.mu.Unlock()
	if s.http.ln == nil {
		return nil
	}
	return s.http.ln.Addr()
}

// shutdownHTTP stops the HTTP server, letting requests in flight finish briefly.
func (s *Server) shutdownHTTP() {
	s.http.mu.Lock()
	srv := s.http.srv
	s.http.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), httpShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}

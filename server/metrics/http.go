package metrics

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Health is the /healthz answer.
type Health struct {
	// Status is "ok", "starting" or "shutting down".
	Status string `json:"status"`
	// Ready is true only when Status is "ok"; the code is then 200, else 503.
	Ready        bool  `json:"ready"`
	OpenSessions int64 `json:"open_sessions"`
	// Database is "ok" or why the database cannot be used. It never makes the server
	// unready: the portfolio is still read while the database is away.
	Database string `json:"database,omitempty"`
}

// Health reports the current state.
func (m *Metrics) Health() Health {
	h := Health{OpenSessions: m.OpenSessions()}
	if m.database != nil {
		h.Database = m.database()
	}
	switch {
	case m.stopping.Load():
		h.Status = "shutting down"
	case !m.ready.Load():
		h.Status = "starting"
	default:
		h.Status, h.Ready = "ok", true
	}
	return h
}

// Handler serves GET /healthz (JSON Health; 200 when ready, 503 otherwise)
// and GET /metrics (Prometheus text format from this registry only).
// Anything else is 404.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:            m.reg, // also counts promhttp's own errors
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	}))
	mux.HandleFunc("GET /healthz", m.serveHealth)
	return mux
}

func (m *Metrics) serveHealth(w http.ResponseWriter, _ *http.Request) {
	h := m.Health()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !h.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(h)
}

// NewHTTPServer returns an http.Server for addr (PORTFOLIO_HTTP_ADDR) with
// timeouts, so a slow client cannot hold connections on the health port.
// On shutdown call ShuttingDown first (health turns 503), drain the SSH
// server, and shut this server down last so the drain stays observable.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
}

package metrics

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Kind is what a session turned out to be. The values match the "kind" key
// of the session-end log line.
type Kind string

// Session kinds.
const (
	Interactive Kind = "interactive" // had a PTY: the Bubble Tea UI
	Plain       Kind = "plain"       // no PTY: a plain-text answer
	Rejected    Kind = "rejected"    // refused by a rate limit or a cap
	Owner       Kind = "owner"       // the owner's console or commands, not a visit
)

// Rejection reasons, matching the "reason" key of "session rejected" lines.
const (
	ReasonRateLimit = "rate-limit"
	ReasonCap       = "cap"
)

// otherLabel replaces label values outside the known set, so a client can
// never create new time series.
const otherLabel = "other"

// Options configures New.
type Options struct {
	// Sections lists the section slugs (content.Site.Slugs()). Views of any
	// other slug are counted as "other".
	Sections []string
	// Namespace prefixes every metric name; default "portfolio".
	Namespace string
	// Database, when set, reports the database's state for /healthz: "ok" or the error.
	// It must answer within a second or two: a health check waits for it.
	Database func() string
}

// Metrics holds the collectors and the readiness state. The zero value is
// not usable; call New. All methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry
	ns  string

	open       prometheus.Gauge
	sessions   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	sections   *prometheus.CounterVec
	rejections *prometheus.CounterVec
	handshake  prometheus.Counter
	proxy      prometheus.Counter
	bytes      prometheus.Counter
	msgs       messages // messages.go

	database func() string // the database's state for /healthz; nil: none

	knownSections map[string]bool
	openSessions  atomic.Int64
	ready         atomic.Bool
	stopping      atomic.Bool
}

// durationBuckets (seconds) span a scanner's instant disconnect to an hour of
// reading; the session length cap lies inside the range.
var durationBuckets = []float64{0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600}

// New builds the collectors on a fresh registry, together with the Go
// runtime and process collectors (heap and RSS against GOMEMLIMIT). Every
// label value is created at zero up front so dashboards see the series
// before the first visitor.
func New(opts Options) *Metrics {
	ns := opts.Namespace
	if ns == "" {
		ns = "portfolio"
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ns:  ns,
		open: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: ns, Name: "sessions_open",
			Help: "SSH sessions open now.",
		}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "sessions_total",
			Help: "SSH sessions ended, by kind (interactive, plain, rejected).",
		}, []string{"kind"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: ns, Name: "session_duration_seconds",
			Help:    "Length of served (not rejected) sessions, by kind.",
			Buckets: durationBuckets,
		}, []string{"kind"}),
		sections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "section_views_total",
			Help: "Times a section was shown, by slug.",
		}, []string{"section"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: ns, Name: "rejections_total",
			Help: "Connections or sessions refused, by reason (rate-limit, cap).",
		}, []string{"reason"}),
		handshake: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "handshake_failures_total",
			Help: "SSH connections that failed before a session (bad handshake, timeout, bad algorithms).",
		}),
		proxy: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "proxy_header_rejections_total",
			Help: "Connections closed for a missing, malformed or untrusted PROXY header.",
		}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: ns, Name: "bytes_sent_total",
			Help: "Bytes written to visitors' sessions (stdout and stderr).",
		}),
		knownSections: make(map[string]bool, len(opts.Sections)),
		msgs:          newMessages(ns),
		database:      opts.Database,
	}
	m.reg.MustRegister(
		m.open, m.sessions, m.duration, m.sections, m.rejections, m.handshake, m.proxy, m.bytes,
		m.msgs.taken, m.msgs.notified,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, k := range []Kind{Interactive, Plain, Rejected} {
		m.sessions.WithLabelValues(string(k))
	}
	for _, k := range []Kind{Interactive, Plain} {
		m.duration.WithLabelValues(string(k))
	}
	for _, r := range []string{ReasonRateLimit, ReasonCap} {
		m.rejections.WithLabelValues(r)
	}
	for _, s := range opts.Sections {
		m.knownSections[s] = true
		m.sections.WithLabelValues(s)
	}
	return m
}

// Registry is the registry the collectors live on, for tests and for
// adding the server's own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SessionOpened counts a session that has started (any kind).
func (m *Metrics) SessionOpened() {
	m.openSessions.Add(1)
	m.open.Inc()
}

// SessionClosed counts a session that has ended, with its kind and length.
// Rejected sessions are counted but kept out of the duration histogram,
// where their zero lengths would drown the visitors.
func (m *Metrics) SessionClosed(kind Kind, d time.Duration) {
	m.openSessions.Add(-1)
	m.open.Dec()
	switch kind {
	case Interactive, Plain:
		m.duration.WithLabelValues(string(kind)).Observe(d.Seconds())
	case Rejected, Owner:
	default:
		kind = otherLabel
	}
	m.sessions.WithLabelValues(string(kind)).Inc()
}

// OpenSessions is the number of sessions open now.
func (m *Metrics) OpenSessions() int64 { return m.openSessions.Load() }

// SectionViewed counts one view of a section.
func (m *Metrics) SectionViewed(slug string) {
	if !m.knownSections[slug] {
		slug = otherLabel
	}
	m.sections.WithLabelValues(slug).Inc()
}

// Rejected counts a refusal (ReasonRateLimit or ReasonCap), wherever it
// happened: at accept time or inside a session. For a refused session also
// call RejectSession (or SessionClosed with Rejected).
func (m *Metrics) Rejected(reason string) {
	if reason != ReasonRateLimit && reason != ReasonCap {
		reason = otherLabel
	}
	m.rejections.WithLabelValues(reason).Inc()
}

// HandshakeFailed counts a connection that never got to a session; call it
// from ssh.Server.ConnectionFailedCallback.
func (m *Metrics) HandshakeFailed() { m.handshake.Inc() }

// ProxyHeaderRejected counts a connection refused by the PROXY protocol
// policy; call it from frontproxy.Config.OnReject.
func (m *Metrics) ProxyHeaderRejected() { m.proxy.Inc() }

// BytesSent adds n bytes written to a visitor.
func (m *Metrics) BytesSent(n int) {
	if n > 0 {
		m.bytes.Add(float64(n))
	}
}

// SetReady marks the server ready (listening) or not. /healthz answers 503
// until it is.
func (m *Metrics) SetReady(ready bool) { m.ready.Store(ready) }

// ShuttingDown marks the server as draining: /healthz answers 503 from now
// on, whatever SetReady said.
func (m *Metrics) ShuttingDown() { m.stopping.Store(true) }

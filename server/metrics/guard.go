package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"portfolio/server/guard"
)

// guardCollector exports the guard's counters (server/guard's Stats) at
// scrape time: the guard counts with atomics of its own, and reading them
// when Prometheus asks costs nothing between scrapes.
type guardCollector struct {
	stats func() guard.Stats

	accepted, refused, sessionsRefused, drops *prometheus.Desc
	requests, resizes, connections, startups  *prometheus.Desc
}

// WatchGuard exports stats (normally a *guard.Guard's Stats method) on the
// registry:
//
//	portfolio_guard_accepted_total                  connections admitted at accept
//	portfolio_guard_refused_total{reason}           refused at accept: rate_limit, source_startups, startups_full
//	portfolio_guard_sessions_refused_total{reason}  sessions refused: server_full, over_share, per_connection
//	portfolio_guard_drops_total{reason}             connections dropped: handshake_timeout, login_grace,
//	                                                write_timeout, keepalive, no_session
//	portfolio_guard_requests_refused_total          session requests refused (env, agent, x11, ...)
//	portfolio_guard_resizes_coalesced_total         window-changes replaced by a later one
//	portfolio_guard_connections                     SSH connections tracked now
//	portfolio_guard_startups                        connections not yet logged in now
//
// Call it once.
func (m *Metrics) WatchGuard(stats func() guard.Stats) {
	desc := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(m.ns, "guard", name), help, labels, nil)
	}
	m.reg.MustRegister(&guardCollector{
		stats:           stats,
		accepted:        desc("accepted_total", "Connections admitted at accept."),
		refused:         desc("refused_total", "Connections refused at accept, before the SSH handshake, by reason.", "reason"),
		sessionsRefused: desc("sessions_refused_total", "Sessions refused after the handshake, by reason.", "reason"),
		drops:           desc("drops_total", "Connections the guard dropped, by reason.", "reason"),
		requests:        desc("requests_refused_total", "Session requests refused (env, agent, x11, subsystems, ...)."),
		resizes:         desc("resizes_coalesced_total", "Window-changes replaced by a later one."),
		connections:     desc("connections", "SSH connections the guard tracks now."),
		startups:        desc("startups", "Connections not yet logged in now."),
	})
}

func (c *guardCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.accepted, c.refused, c.sessionsRefused, c.drops, c.requests, c.resizes, c.connections, c.startups} {
		ch <- d
	}
}

func (c *guardCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v int64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v))
	}
	counter(c.accepted, s.Accepted)
	counter(c.refused, s.RateLimited, "rate_limit")
	counter(c.refused, s.StartupsRefused, "source_startups")
	counter(c.refused, s.StartupsFull, "startups_full")
	counter(c.sessionsRefused, s.SessionsFull, "server_full")
	counter(c.sessionsRefused, s.SessionsOverShare, "over_share")
	counter(c.sessionsRefused, s.SessionsRefused, "per_connection")
	counter(c.drops, s.HandshakeTimeouts, "handshake_timeout")
	counter(c.drops, s.LoginGraceDrops, "login_grace")
	counter(c.drops, s.WriteTimeouts, "write_timeout")
	counter(c.drops, s.KeepaliveDrops, "keepalive")
	counter(c.drops, s.NoSession, "no_session")
	counter(c.requests, s.RequestsRefused)
	counter(c.resizes, s.ResizesCoalesced)
	gauge(c.connections, s.Connections)
	gauge(c.startups, s.Startups)
}

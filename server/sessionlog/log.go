package sessionlog

import (
	"errors"
	"log/slog"
	"net"

	"charm.land/log/v2"

	"portfolio/server/guard"
	"portfolio/server/metrics"
	"portfolio/server/session"
)

// Log is where the server reports visits and connections: a logger and the metrics.
type Log struct {
	logger  *log.Logger
	metrics *metrics.Metrics
	mask    bool // log addresses as their network only
	onEnd   func(*session.Visit, session.Summary)
}

// OnEnd sets fn to be told of every session's end with the summary "session end" logged,
// after the line is written (the fleet's visit records: the same facts as the log). Set it
// before serving.
func (l *Log) OnEnd(fn func(*session.Visit, session.Summary)) { l.onEnd = fn }

// New returns a Log writing to logger and counting in m; with maskAddr, every client
// address is logged as its IPv4 /24 or IPv6 /48.
func New(logger *log.Logger, m *metrics.Metrics, maskAddr bool) *Log {
	return &Log{logger: logger, metrics: m, mask: maskAddr}
}

// Addr is a client address as the logs show it: "ip:port", or with masking only the
// network ("203.0.113.0/24"). Limits still see the full address; only the logs are masked.
func (l *Log) Addr(a net.Addr) string {
	if a == nil {
		return ""
	}
	if !l.mask {
		return a.String()
	}
	return MaskAddr(a)
}

// GuardHandler is the handler the guard logs through: the server's logger, with the
// guard's "remote" values masked like every other address when masking is on.
func (l *Log) GuardHandler() slog.Handler {
	if l.mask {
		return maskRemote(l.logger)
	}
	return l.logger
}

// HandshakeFailed is the ssh.Server's ConnectionFailedCallback: a connection that never got
// to a session (scanners, wrong algorithms, timeouts). Logged at debug level: on a public
// port these arrive all day and would drown the visitor events.
func (l *Log) HandshakeFailed(conn net.Conn, err error) {
	l.metrics.HandshakeFailed()
	l.logger.Debug("handshake failed", "addr", l.Addr(conn.RemoteAddr()), "err", guard.Sanitize(err.Error(), 256))
}

// ProxyRejected is frontproxy's OnReject: a connection closed for a missing, malformed or
// untrusted PROXY header, before the SSH handshake. peer is the TCP peer (the proxy, or
// whoever skipped it), the only address known.
func (l *Log) ProxyRejected(peer net.Addr, err error) {
	l.metrics.ProxyHeaderRejected()
	l.logger.Debug("proxy header rejected", "addr", l.Addr(peer), "err", guard.Sanitize(err.Error(), 256))
}

// RefusedAtAccept is the guard's OnRefused: a connection refused before the handshake, over
// its source's rate or a cap on unauthenticated connections. The guard logs it; this counts it.
func (l *Log) RefusedAtAccept(_ string, err error) {
	reason := metrics.ReasonCap
	if errors.Is(err, guard.ErrRateLimited) {
		reason = metrics.ReasonRateLimit
	}
	l.metrics.Rejected(reason)
}

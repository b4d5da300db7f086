package server

import (
	"net"
	"net/netip"

	"portfolio/server/metrics"
)

// newMetrics builds the server's collectors: section views are labelled by the site's slugs,
// anything else counts as "other", so a visitor can never create a new time series.
func (s *Server) newMetrics() *metrics.Metrics {
	return metrics.New(metrics.Options{Sections: s.site.Slugs()})
}

// Metrics returns the server's Prometheus collectors and readiness state.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// handshakeFailed is the ssh.Server's ConnectionFailedCallback: a connection that never got
// to a session (scanners, wrong algorithms, timeouts). Logged at debug level: on a public
// port these arrive all day and would drown the visitor events.
func (s *Server) handshakeFailed(conn net.Conn, err error) {
	s.metrics.HandshakeFailed()
	s.log.Debug("handshake failed", "addr", s.logAddr(conn.RemoteAddr()), "err", clean(err.Error(), 256))
}

// proxyRejected is frontproxy's OnReject: a connection closed for a missing, malformed or
// untrusted PROXY header, before the SSH handshake. peer is the TCP peer (the proxy, or
// whoever skipped it), the only address known.
func (s *Server) proxyRejected(peer net.Addr, err error) {
	s.metrics.ProxyHeaderRejected()
	s.log.Debug("proxy header rejected", "addr", s.logAddr(peer), "err", clean(err.Error(), 256))
}

// logAddr is a client address as the logs show it: "ip:port", or with PORTFOLIO_LOG_MASK_ADDR
// only the network, IPv4 /24 or IPv6 /48 ("203.0.113.0/24"), for owners who must not keep
// visitors' addresses. Limits still see the full address; only the logs are masked.
func (s *Server) logAddr(a net.Addr) string {
	if a == nil {
		return ""
	}
	if !s.cfg.LogMaskAddr {
		return a.String()
	}
	return MaskAddr(a)
}

// MaskAddr returns the network an address belongs to: its IPv4 /24 or IPv6 /48, without the
// port. Something that is not an IP address is replaced entirely.
func MaskAddr(a net.Addr) string {
	var ip netip.Addr
	switch t := a.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(t.IP)
	default:
		if ap, err := netip.ParseAddrPort(a.String()); err == nil {
			ip = ap.Addr()
		} else if p, err := netip.ParseAddr(a.String()); err == nil {
			ip = p
		}
	}
	return maskIP(ip)
}

// maskIP is MaskAddr for an address already parsed; an invalid one becomes "masked".
func maskIP(ip netip.Addr) string {
	if !ip.IsValid() {
		return "masked"
	}
	ip = ip.Unmap()
	bits := 48
	if ip.Is4() {
		bits = 24
	}
	p, _ := ip.Prefix(bits)
	return p.String()
}

// metricsKind maps a session's logged kind to its metrics label.
func metricsKind(kind string) metrics.Kind {
	switch kind {
	case kindInteractive:
		return metrics.Interactive
	case kindRejected:
		return metrics.Rejected
	}
	return metrics.Plain // plain answers, and sessions that panicked before the app chose
}

// rejectionReason maps the limits' end reasons to the vocabulary of the metrics and of the
// "session rejected" event (which portfolio stats counts): rate-limit or cap.
func rejectionReason(reason string) string {
	if reason == "rate_limited" {
		return metrics.ReasonRateLimit
	}
	return metrics.ReasonCap
}

package server

import (
	"net"

	"portfolio/server/frontproxy"
)

// frontListener puts the PROXY protocol policy (PORTFOLIO_PROXY_PROTOCOL, _TRUSTED) in front
// of everything else: when it is on, a connection reaches the SSH server (and any per-source
// admission, rate limit, cap or log) only after its header has been read and checked, with
// the visitor's address as RemoteAddr. Connections without a valid header are closed before
// the handshake and reported by the session log (ProxyRejected). Off: l is returned as it is.
//
// This replaces ssh.Server's EnableProxyProtocol, which is left off: it reads the header
// inside the server's own goroutine with no policy of ours, and may let headerless
// connections through.
func (s *Server) frontListener(l net.Listener) (net.Listener, error) {
	mode, err := s.cfg.ProxyMode()
	if err != nil {
		return nil, err
	}
	return frontproxy.Wrap(l, frontproxy.Config{Mode: mode, Trusted: s.cfg.ProxyTrusted, OnReject: s.log.ProxyRejected})
}

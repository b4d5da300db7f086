// Package frontproxy accepts connections that arrive through a front proxy
// speaking the PROXY protocol (HAProxy's v1 text or v2 binary header), such as
// Fly.io's "proxy_proto" handler, so that the rest of the server sees the
// visitor's address instead of the proxy's.
//
// The policy is explicit and strict. When the protocol is on, every
// connection must open with a PROXY header of an accepted version; a
// connection without one, with a malformed one, with a header that names no
// client address (LOCAL, UNKNOWN), or from a source outside the trusted
// ranges is closed before the SSH handshake and reported through
// Config.OnReject. The header is read eagerly on its own goroutine with a
// deadline, so Accept only ever returns connections whose RemoteAddr is
// already the visitor's and a slow or silent peer never holds up the accept
// loop. The number of headers being read at once is bounded.
//
// Typical wiring (outermost listener first):
//
//	ln, _ := net.Listen("tcp", cfg.Addr)
//	ln, err = frontproxy.Wrap(ln, frontproxy.Config{Mode: mode, Trusted: trusted, OnReject: logAndCount})
//	// then any per-source limiter keyed by RemoteAddr, then srv.Serve(ln)
package frontproxy

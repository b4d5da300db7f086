// Package sessionlog writes what the operator learns about visits: one "session start" and
// one "session end" event per session, whatever ended it, and the Prometheus counts from the
// same facts (open sessions, sessions by kind, duration, bytes, section views, rejections),
// so the log and /metrics agree on what a session was. It also logs the connections that
// never became a session (failed handshakes, refused PROXY headers), and masks client
// addresses in every line when the owner must not keep them (PORTFOLIO_LOG_MASK_ADDR):
// the server's own events and the guard's alike.
//
// Every client-supplied value is sanitised (guard.Sanitize). Nothing a visitor types is
// logged: only the number of keys.
package sessionlog

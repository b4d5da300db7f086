// Package server provides the SSH side of the portfolio: a wish/v2 server that gives every
// visitor with a terminal their own Bubble Tea program (ui.Model) and every visitor without
// one a plain-text answer, behind panic recovery, session logging, a per-source rate limit and
// caps on concurrent sessions.
//
// Around that: an optional PROXY protocol policy on the listener (proxy.go, before anything
// else sees a connection), one "session start" and one "session end" log event per session
// with Prometheus counts from the same facts (logging.go, observe.go), and /healthz and
// /metrics on PORTFOLIO_HTTP_ADDR (http.go).
//
// The server never executes anything: the command a visitor types after the host name only
// picks what to show. Port, agent and X11 forwarding and subsystems (sftp, scp) are refused.
package server

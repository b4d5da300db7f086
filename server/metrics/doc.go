// Package metrics counts what the SSH server does for Prometheus and answers
// the health check.
//
// Everything lives on a Metrics value with its own registry: no collector is
// registered globally, so tests and several servers in one process never
// collide. The server reports events through plain methods (server/sessionlog
// counts sessions from the same facts it logs), and Handler serves /metrics
// and /healthz on the HTTP address (PORTFOLIO_HTTP_ADDR).
package metrics

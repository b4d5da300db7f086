package sessionlog

import (
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/server/guard"
	"portfolio/server/metrics"
	"portfolio/server/session"
	"portfolio/ui/terminal"
)

// Middleware writes one "session start" event when a session begins and one "session end"
// summary when it ends, whatever ended it (including a panic on its way to the recover
// middleware), and counts the session in the metrics. The keys are stable: log readers
// (portfolio stats, dashboards) depend on them.
//
//	start: session addr user client term profile width height pty command
//	end:   the same, plus duration_ms sections keys bytes sleeps woken reason kind
//
// sections is a list of {"slug","ms"} objects in JSON (time on screen per section, in the
// order first viewed) and "slug:ms,..." in text and logfmt. A session turned away by a cap
// also gets a "session rejected" warning (reason "cap", as in the metrics; limit, the end
// reason). sleeps counts how often the visitor's screen was put to sleep while they read;
// woken how many Bubble Tea programs drew it: 0 for a visitor who left without a key, since
// the first frame is painted without one.
//
// The session must be a *session.Visit (session.Middleware runs further out).
func (l *Log) Middleware() wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			v := session.Of(s)
			l.metrics.SessionOpened()
			pty, _, isPty := s.Pty()
			profile := ""
			if isPty {
				profile = terminal.Profile(pty.Term, s.Environ()).String()
			}
			who := []any{
				"session", v.ID(),
				"addr", l.Addr(s.RemoteAddr()),
				"user", guard.Sanitize(s.User(), 64),
				"client", guard.Sanitize(s.Context().ClientVersion(), 128),
				"term", guard.Sanitize(pty.Term, 64),
				"profile", profile,
				"width", pty.Window.Width,
				"height", pty.Window.Height,
				"pty", isPty,
				"command", guard.Sanitize(s.RawCommand(), 128),
			}
			l.logger.Info("session start", who...)
			// Deferred without recover: a panic keeps unwinding to the recover middleware,
			// and this still logs the end with reason "panic".
			finished := false
			defer func() {
				if !finished {
					v.End(session.Panic, "")
				}
				sum := v.Summary()
				l.ended(sum, who)
				if l.onEnd != nil {
					l.onEnd(v, sum)
				}
			}()
			next(v)
			finished = true
		}
	}
}

// ended counts and logs a session's end.
func (l *Log) ended(sum session.Summary, who []any) {
	l.metrics.SessionClosed(metrics.Kind(sum.Kind), sum.Duration)
	for _, sec := range sum.Sections {
		l.metrics.SectionViewed(sec.Slug)
	}
	if sum.Kind == session.Rejected {
		// Sessions are refused by caps only: the rate limit acts at accept, before a
		// session exists (RefusedAtAccept).
		l.metrics.Rejected(metrics.ReasonCap)
		l.logger.Warn("session rejected", append(who[:len(who):len(who)],
			"reason", metrics.ReasonCap, "limit", string(sum.Reason))...)
	}
	level := log.InfoLevel
	if sum.Reason == session.Panic {
		level = log.ErrorLevel
	}
	l.logger.Log(level, "session end", append(who[:len(who):len(who)],
		"duration_ms", sum.Duration.Milliseconds(),
		"sections", sum.Sections,
		"keys", sum.Keys,
		"bytes", sum.Bytes,
		"sleeps", sum.Sleeps,
		"woken", sum.Woken,
		"reason", string(sum.Reason),
		"kind", string(sum.Kind),
	)...)
}

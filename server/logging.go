package server

import (
	"time"

	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/ui/terminal"
)

// logSessions writes one "session start" event when a session begins and one "session end"
// summary when it ends, whatever ended it (including a panic on its way to the recover
// middleware), and counts the session in the metrics. The keys are stable: log readers
// (portfolio stats, dashboards) depend on them.
//
//	start: session addr user client term profile width height pty command
//	end:   the same, plus duration_ms sections keys bytes sleeps woken reason kind
//
// sections is a list of {"slug","ms"} objects in JSON (time on screen per section, in the
// order first viewed) and "slug:ms,..." in text and logfmt. A refused session also gets a
// "session rejected" warning (reason rate-limit or cap, as in the metrics). sleeps counts
// how often the visitor's screen was put to sleep while they read (server/screen); woken how
// many Bubble Tea programs drew it: 0 for a visitor who left without a key, since the
// first frame is painted without one.
//
// Every client-supplied value is sanitised (see clean). Nothing a visitor types is logged:
// only the number of keys.
//
// It also registers the session with live, so that a shutdown waits for it. Registered here,
// and released only after "session end" is written, so that no end event is lost to exit.
func (srv *Server) logSessions() wish.Middleware {
	logger, live, m := srv.log, srv.live, srv.metrics
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			v := newVisit(s)
			v.tracked = true
			v.metrics = m
			live.add(v)
			defer live.remove(v) // runs last: after the end event below
			m.SessionOpened()
			pty, _, isPty := s.Pty()
			if isPty {
				v.profile = terminal.Profile(pty.Term, s.Environ()).String()
			}
			who := []any{
				"session", v.id,
				"addr", srv.logAddr(s.RemoteAddr()),
				"user", clean(s.User(), 64),
				"client", clean(s.Context().ClientVersion(), 128),
				"term", clean(pty.Term, 64),
				"profile", v.profile,
				"width", pty.Window.Width,
				"height", pty.Window.Height,
				"pty", isPty,
				"command", clean(s.RawCommand(), 128),
			}
			logger.Info("session start", who...)
			// Deferred without recover: a panic keeps unwinding to the recover middleware,
			// and this still logs the end with reason "panic".
			finished := false
			defer func() {
				if !finished {
					v.end("panic", "")
				}
				v.mu.Lock()
				kind, reason, sections := v.kind, v.reason, v.sections
				v.mu.Unlock()
				if reason == "" {
					reason = "done"
				}
				duration := time.Since(v.start)
				m.SessionClosed(metricsKind(kind), duration)
				for _, sec := range sections {
					m.SectionViewed(sec.Slug)
				}
				if kind == kindRejected {
					m.Rejected(rejectionReason(reason))
					logger.Warn("session rejected", append(who[:len(who):len(who)],
						"reason", rejectionReason(reason), "limit", reason)...)
				}
				level := log.InfoLevel
				if reason == "panic" {
					level = log.ErrorLevel
				}
				logger.Log(level, "session end", append(who[:len(who):len(who)],
					"duration_ms", duration.Milliseconds(),
					"sections", sections,
					"keys", v.keys.Load(),
					"bytes", v.bytesOut.Load(),
					"sleeps", v.sleeps.Load(),
					"woken", v.woken.Load(),
					"reason", reason,
					"kind", kind,
				)...)
			}()
			next(v)
			finished = true
		}
	}
}

package server

import (
	"charm.land/wish/v2"

	"portfolio/server/session"
)

// chain lists the middleware in wish's order: wish.WithMiddleware makes the LAST one listed
// the OUTERMOST, the first to see a session. Outermost first, each for a reason:
//
//  1. recoverPanics: a panic anywhere further in, logging included, ends only that session,
//     with an apology and exit status 1; the server carries on.
//  2. session.Middleware: wraps the session in a *session.Visit, which counts the bytes sent
//     (live, into the metrics), the keys and the idle clock, and holds the end reason; every
//     layer below reads it.
//  3. s.live.track: registers the visit so that a shutdown can end it and wait for it;
//     outside the log, so it lets go only after "session end" is written.
//  4. s.log.Middleware: "session start" and "session end" for every session, refused ones
//     too, and the metrics from the same facts.
//     (No rate limit here: the one per-source limiter runs at accept time, before the SSH
//     handshake, in the guard. A middleware limiter would act only after a flood had paid
//     for its key exchanges.)
//  5. limitSessions, total and fair shares per address (server/guard): before the app, so
//     that a session over a cap never starts a Bubble Tea program.
//  6. s.present: an admitted visitor's session is in the fleet's "now" (visits.go) while
//     it lasts; inside the caps, so that a refused session never is.
//  7. s.app, innermost: the UI for a terminal, a text answer otherwise (the owner's console
//     or commands for the owner).
func (s *Server) chain() []wish.Middleware {
	return []wish.Middleware{
		s.app,
		s.present,
		limitSessions(s.guard),
		s.log.Middleware(),
		s.live.track,
		session.Middleware(s.metrics.BytesSent),
		recoverPanics(s.log, s.logger),
	}
}

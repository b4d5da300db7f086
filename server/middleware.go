package server

import (
	"charm.land/ssh"
	"charm.land/wish/v2"
)

// chain lists the middleware in wish's order: wish.WithMiddleware makes the LAST one listed
// the OUTERMOST, the first to see a session. Read it from the bottom up:
//
//   - recoverPanics, outermost: a panic anywhere below, logging included, ends only that
//     session, with an apology and exit status 1; the server carries on.
//   - logSessions: sees every session, rejected ones too, so that "session start" and
//     "session end" come in pairs with the reason it ended; it also counts each session in
//     the metrics (open, total by kind, duration, bytes, section views, rejections) from
//     the same facts, so the log and /metrics agree on what a session was.
//   - (no rate limit here: the one per-source limiter runs at accept time, before the SSH
//     handshake, in the guard; see harden.go. A middleware limiter would only act after a
//     flood had paid for its key exchanges.)
//   - limitSessions, total and per address: before the app, so that a session over a cap
//     never starts a Bubble Tea program.
//   - extra middleware from WithMiddleware (metrics, say), then the app that answers.
func (s *Server) chain() []wish.Middleware {
	mw := []wish.Middleware{s.app}
	mw = append(mw, s.middleware...)
	return append(mw,
		limitSessions(newSessionCaps(s.cfg.MaxSessions, s.cfg.MaxSessionsPerIP)),
		s.logSessions(),
		recoverPanics(s.log),
	)
}

// answer is the innermost handler: a terminal gets the UI, anything else a text answer. It
// ends the session itself, so it never calls next.
func (s *Server) answer(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := visitOf(sess)
		var args []string
		if sess.RawCommand() != "" { // most visits: Command's shell lexer allocates 4 KiB for nothing
			args = sess.Command()
		}
		if _, _, isPty := sess.Pty(); isPty && !isTextCommand(args) {
			s.interactive(v, args)
			return
		}
		s.plain(v, args)
	}
}

// plain writes a text answer and the exit status.
func (s *Server) plain(v *visit, args []string) {
	v.setKind(kindPlain)
	a := s.plainAnswer(args)
	v.end(a.reason, "")
	if a.section != "" {
		v.mu.Lock()
		v.sections = sectionViews{{Slug: a.section}} // read at once: no reading time to tell
		v.mu.Unlock()
	}
	if a.stdout != "" {
		_, _ = v.Write([]byte(a.stdout))
	}
	if a.stderr != "" {
		_, _ = v.Stderr().Write([]byte(a.stderr))
	}
	_ = v.Exit(a.code)
}

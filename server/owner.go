package server

import (
	"charm.land/log/v2"

	"portfolio/server/owner"
	"portfolio/server/session"
)

// ownerRefused logs a refused login as "owner". The first "none" of a login is every
// client's opening probe, not an attempt on the owner's door: debug, so that each of the
// owner's own logins does not leave a warning.
func (s *Server) ownerRefused(r owner.Refusal) {
	level := log.WarnLevel
	if r.Method == "none" {
		level = log.DebugLevel
	}
	s.logger.Log(level, "owner login refused",
		"addr", s.log.Addr(r.Conn.RemoteAddr()),
		"method", r.Method,
		"key", r.Fingerprint,
	)
}

// ownerSession serves a connection the owner logged in to (owner.Is): the console on a
// terminal, the owner's commands otherwise. It is never a visit: kind owner, which the
// statistics leave out; the guard's limits applied to it on the way in like to anyone.
func (s *Server) ownerSession(v *session.Visit, args []string) {
	v.SetKind(session.Owner)
	code := s.ownerCommand(v, args)
	_ = v.Exit(code)
	if v.Lost() {
		v.End(session.Disconnect, "")
	}
	if code != 0 {
		v.End(session.UnknownCommand, "")
	}
	v.End(session.Done, "")
}

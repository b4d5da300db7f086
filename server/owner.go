package server

import (
	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"

	"portfolio/server/answer"
	"portfolio/server/owner"
	"portfolio/server/ownercmd"
	"portfolio/server/session"
	"portfolio/ui"
	"portfolio/ui/console"
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
// terminal (TERM=dumb gets the commands' help: the console needs a screen), the owner's
// commands otherwise. It is never a visit: kind owner, which the statistics leave out; the
// guard's limits applied to it on the way in like to anyone.
func (s *Server) ownerSession(v *session.Visit, args []string) {
	v.SetKind(session.Owner)
	st := s.db.store() // nil while the database has not opened: the console says so
	if pty, _, isPty := v.Pty(); isPty && len(args) == 0 && pty.Term != "dumb" {
		s.runScreen(v, s.uiOptions(v, nil), false, func(o ui.Options) tea.Model {
			return console.New(st, console.Options{
				Width: o.Width, Height: o.Height, Profile: o.Profile, DarkBackground: o.DarkBackground,
				ASCII: o.ASCII, Accent: s.site.Settings.Accent, Session: v.ID(),
				EmailReplies: s.emailReplies(),
			})
		})
		return
	}
	env := ownercmd.Env{Store: st, EmailReplies: s.emailReplies()}
	r := answer.Reply{Code: ownercmd.Run(v.Context(), env, args, v, v, v.Stderr()), Reason: session.Done}
	if r.Code != 0 {
		r.Reason = session.UnknownCommand
	}
	s.send(v, r) // the command wrote its own output
}

// emailReplies says whether a reply to an email address is also emailed: SMTP is set.
func (s *Server) emailReplies() bool { return s.cfg.SMTPURL != "" }

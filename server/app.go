package server

import (
	"charm.land/ssh"

	"portfolio/server/answer"
	"portfolio/server/owner"
	"portfolio/server/session"
)

// app is the innermost handler: a terminal gets the UI, anything else a text answer. It
// ends the session itself, so it never calls next.
func (s *Server) app(ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		v := session.Of(sess)
		args := sess.Command()
		if owner.Is(sess.Context()) {
			s.ownerSession(v, args)
			return
		}
		if len(args) > 0 && args[0] == replyWord {
			s.replyCommand(v, args[1:])
			return
		}
		if _, _, isPty := sess.Pty(); isPty && !answer.IsText(args) {
			s.interactive(v, args)
			return
		}
		s.reply(v, args)
	}
}

// reply writes a text answer and the exit status. An answer the client did not take whole
// (it went away, or `ssh HOST | head` closed the channel) ends as a disconnect.
func (s *Server) reply(v *session.Visit, args []string) {
	v.SetKind(session.Plain)
	r := answer.For(s.site, s.key.Fingerprint, args)
	if r.Section != "" {
		v.SetSections(session.SectionViews{{Slug: r.Section}}) // read at once: no reading time to tell
	}
	if r.Stdout != "" {
		_, _ = v.Write([]byte(r.Stdout))
	}
	if r.Stderr != "" {
		_, _ = v.Stderr().Write([]byte(r.Stderr))
	}
	_ = v.Exit(r.Code)
	if v.Lost() {
		v.End(session.Disconnect, "")
	}
	v.End(r.Reason, "")
}

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
		_, _, isPty := sess.Pty()
		switch {
		case owner.Is(sess.Context()):
			s.ownerSession(v, args)
		case len(args) > 0 && args[0] == answer.ReadReply:
			s.replyCommand(v, args[1:])
		case len(args) > 0 && args[0] == answer.Message && !(isPty && len(args) == 1):
			s.message(v, args[1:]) // `ssh -t HOST message` alone opens the form instead
		case isPty && !answer.IsText(args):
			s.interactive(v, args)
		default:
			s.reply(v, args)
		}
	}
}

// reply writes a text answer and the exit status. An answer the client did not take whole
// (it went away, or `ssh HOST | head` closed the channel) ends as a disconnect.
func (s *Server) reply(v *session.Visit, args []string) {
	v.SetKind(session.Plain)
	var r answer.Reply
	if len(args) == 1 && args[0] == answer.Guestbook {
		r = answer.GuestbookReply(s.site, s.db.freshGuestbook(v.Context()))
	} else {
		r = answer.For(s.site, s.key.Fingerprint, args)
	}
	s.send(v, r)
}

// send writes a text answer and the exit status, and ends the visit.
func (s *Server) send(v *session.Visit, r answer.Reply) {
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

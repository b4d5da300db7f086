package server

import (
	"errors"
	"fmt"
	"strings"

	"portfolio/server/answer"
	"portfolio/server/guard"
	"portfolio/server/replies"
	"portfolio/server/session"
	"portfolio/store"
)

// replyCommand answers `ssh HOST reply CODE`: exit 0 with the reply, or a line saying there
// is none yet; exit 1 for an unknown code, a source over its wrong codes, or no database.
func (s *Server) replyCommand(v *session.Visit, args []string) {
	v.SetKind(session.Plain)
	code, out, errLine := 1, "", ""
	switch {
	case len(args) != 1:
		errLine = fmt.Sprintf("usage: ssh %s reply CODE (the code your confirmation showed)", s.site.Settings.Host)
	default:
		reply, known, err := s.replies.Read(v.Context(), guard.SourceKey(v.RemoteAddr()), args[0])
		switch {
		case errors.Is(err, replies.ErrTooManyWrong):
			errLine = err.Error()
		case err != nil:
			errLine = "replies can't be read right now; please try again in a minute"
		case !known:
			errLine = "no message has that code; check it against your confirmation"
		case reply == "":
			code, out = 0, "No reply yet. Try again later."
		default:
			code, out = 0, store.Clean(reply)
		}
	}
	r := answer.Reply{Code: code, Reason: session.Done}
	if out != "" {
		r.Stdout = strings.TrimRight(out, "\n") + "\n"
	}
	if errLine != "" {
		r.Stderr, r.Reason = errLine+"\n", session.UnknownCommand
	}
	s.send(v, r)
}

package server

import (
	"fmt"
	"runtime/debug"

	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/server/guard"
	"portfolio/server/sessionlog"
)

// apology is what a visitor sees when their session hits a bug.
const apology = "Sorry, something went wrong on our side and this session has to end. Please try again."

// recoverPanics ends a session whose handler panicked with an apology and exit status 1, and
// logs the panic with its stack. The server and every other session carry on. (A panic in a
// Bubble Tea command runs on the program's own goroutine, out of reach of this: Bubble Tea's
// panic catching and the screen's panic watch handle those; see server/screen.)
func recoverPanics(l *sessionlog.Log, logger *log.Logger) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				logger.Error("session panic",
					"addr", l.Addr(s.RemoteAddr()),
					"panic", guard.Sanitize(fmt.Sprint(r), 1024),
					"stack", string(debug.Stack()),
				)
				wish.Errorln(s, "\r\n"+apology+"\r")
				_ = s.Exit(1)
			}()
			next(s)
		}
	}
}

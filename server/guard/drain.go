package guard

import "charm.land/ssh"

// drainWindowChanges wraps the server's handler so that, once the
// application is done with a session, its window-change channel is
// drained until the ssh package closes it.
//
// Why: charm.land/ssh delivers each window-change by a blocking send on a
// one-slot channel from the session's request loop. When the application
// stops reading it (its program ended, or it never read it), the next
// window-change blocks that loop for good: the loop, the channel handler
// and the session stay in memory after the client has gone, one set per
// connection that sent a resize at the wrong moment. A client can do that
// on purpose. The drain ends when the request loop ends and closes the
// channel, at the latest when the connection closes.
func drainWindowChanges(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		// Pty copies a struct the request loop updates on every
		// window-change: the request filter holds window-changes back
		// until this has been read (see filterRequests).
		_, winch, ok := s.Pty()
		// Tell the request filter it may pass window-changes on now.
		_, _ = s.SendRequest(handlerStartedRequest, false, nil)
		next(s)
		if ok && winch != nil {
			go func() {
				for range winch {
				}
			}()
		}
	}
}

package server

import (
	"errors"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/server/guard"
	"portfolio/server/session"
)

// The messages a visitor over a limit gets: one polite line, then exit status 1.
var (
	ErrServerBusy     = errors.New("the portfolio has too many visitors right now; please try again in a minute")
	ErrTooManyFromYou = errors.New("the portfolio is busy and your address already has its share of sessions open; close one or try again in a minute")
)

// limitSessions admits a session through the guard's fair shares (PORTFOLIO_MAX_SESSIONS in
// total; beyond PORTFOLIO_MAX_SESSIONS_PER_IP for one address only while fewer than
// PORTFOLIO_CONTENDED_SESSIONS are open) and turns a refused one away with one polite line.
func limitSessions(g *guard.Guard) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			release, err := g.AdmitSession(s.Context())
			if err != nil {
				reason, msg := session.TooManySessions, ErrServerBusy
				if errors.Is(err, guard.ErrOverShare) {
					reason, msg = session.TooManyFromAddress, ErrTooManyFromYou
				}
				reject(s, reason, msg)
				return
			}
			defer release()
			next(s)
		}
	}
}

// reject turns a session away with one line on stderr and exit status 1.
func reject(s ssh.Session, reason session.Reason, err error) {
	v := session.Of(s)
	v.SetKind(session.Rejected)
	v.End(reason, "")
	wish.Fatalln(v, err)
}

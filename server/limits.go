package server

import (
	"errors"
	"sync"

	"charm.land/ssh"
	"charm.land/wish/v2"

	"portfolio/server/guard"
	"portfolio/server/session"
)

// The messages a visitor over a limit gets: one polite line, then exit status 1.
var (
	ErrServerBusy     = errors.New("the portfolio has too many visitors right now; please try again in a minute")
	ErrTooManyFromYou = errors.New("you already have the maximum number of sessions open; close one and try again")
)

// sessionCaps counts open sessions in total and per source.
type sessionCaps struct {
	mu       sync.Mutex
	total    int
	perIP    map[string]int
	maxTotal int
	maxPerIP int
}

func newSessionCaps(maxTotal, maxPerIP int) *sessionCaps {
	return &sessionCaps{perIP: map[string]int{}, maxTotal: maxTotal, maxPerIP: maxPerIP}
}

// acquire takes a slot for key, or says which cap is full.
func (c *sessionCaps) acquire(key string) (release func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.total >= c.maxTotal {
		return nil, ErrServerBusy
	}
	if c.perIP[key] >= c.maxPerIP {
		return nil, ErrTooManyFromYou
	}
	c.total++
	c.perIP[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.total--
			if c.perIP[key]--; c.perIP[key] <= 0 {
				delete(c.perIP, key)
			}
		})
	}, nil
}

func limitSessions(c *sessionCaps) wish.Middleware {
	return func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			release, err := c.acquire(guard.SourceKey(s.RemoteAddr()))
			if err != nil {
				reason := session.TooManySessions
				if errors.Is(err, ErrTooManyFromYou) {
					reason = session.TooManyFromAddress
				}
				reject(s, reason, err)
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

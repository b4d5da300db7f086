package guard

import (
	"errors"
	"sync"
	"time"

	"charm.land/ssh"
)

// Sentinel errors for sessions refused after the handshake (AdmitSession).
// The server turns them into one polite line for the visitor.
var (
	// ErrServerFull: MaxOpenSessions sessions are open.
	ErrServerFull = errors.New("guard: the server has as many sessions open as it may")
	// ErrOverShare: the server is contended (OpenSessionsContended sessions
	// open) and the source already has its share (OpenSessionsPerSource).
	ErrOverShare = errors.New("guard: the source has its share of sessions while the server is contended")
)

// sessionShares counts open sessions in total and per source and applies
// the fair-share rule: a source may go beyond its share only while the
// server is not contended.
type sessionShares struct {
	max, share, contended int

	mu     sync.Mutex
	total  int
	perSrc map[string]int
}

func newSessionShares(c Config) *sessionShares {
	return &sessionShares{
		max: c.MaxOpenSessions, share: c.OpenSessionsPerSource, contended: c.OpenSessionsContended,
		perSrc: map[string]int{},
	}
}

// acquire takes a session for key, or says which limit refused it.
func (s *sessionShares) acquire(key string) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.total >= s.max {
		return nil, ErrServerFull
	}
	if s.perSrc[key] >= s.share && s.total >= s.contended {
		return nil, ErrOverShare
	}
	s.total++
	s.perSrc[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.total--
			if s.perSrc[key]--; s.perSrc[key] <= 0 {
				delete(s.perSrc, key)
			}
		})
	}, nil
}

// open is the number of sessions open now.
func (s *sessionShares) open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// AdmitSession decides whether a session (ctx is its ssh.Context) may be
// served: it returns a release function to call when the session ends, or
// ErrServerFull or ErrOverShare. Call it from the server's handler before
// anything costly starts, and answer a refusal with one polite line: the
// visitor has finished the handshake and their client shows what the
// session writes.
//
// An admitted session is what makes its connection a visit: the first one
// gives the source back the token the connection took at accept, so
// completed visits never use up a source's rate budget. A refused one
// does not, so a source that keeps opening sessions over its share while
// the server is contended spends its budget and is then refused at accept.
func (g *Guard) AdmitSession(ctx ssh.Context) (release func(), err error) {
	key := SourceKey(ctx.RemoteAddr())
	release, err = g.shares.acquire(key)
	if err != nil {
		if errors.Is(err, ErrServerFull) {
			g.stats.sessionsFull.Add(1)
		} else {
			g.stats.sessionsOverShare.Add(1)
		}
		return nil, err
	}
	if st, ok := ctx.Value(stateKey{}).(*connState); ok && st.c != nil {
		st.c.visited()
	}
	return release, nil
}

// visited refunds the connection's admission token, once.
func (c *conn) visited() {
	c.visitOnce.Do(func() { c.g.adm.visited(c.key, time.Now()) })
}

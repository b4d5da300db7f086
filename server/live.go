package server

import (
	"context"
	"sync"

	"charm.land/ssh"

	"portfolio/server/session"
)

// liveSessions knows every open session, so that a shutdown can tell each visitor the
// server is restarting and wait for them to leave.
type liveSessions struct {
	mu       sync.Mutex
	stops    map[*session.Visit]func(session.Reason, string) // nil for plain answers: they end by themselves
	closing  bool
	drained  chan struct{} // closed when closing and the last session has gone
	drainOne sync.Once
}

func newLiveSessions() *liveSessions {
	return &liveSessions{stops: map[*session.Visit]func(session.Reason, string){}, drained: make(chan struct{})}
}

// track is the middleware that registers every session for as long as its handler runs.
func (l *liveSessions) track(next ssh.Handler) ssh.Handler {
	return func(s ssh.Session) {
		v := session.Of(s)
		l.add(v)
		defer l.remove(v)
		next(v)
	}
}

// add registers a session that ends by itself (a plain answer, a refusal) until setStop
// says how to end it early.
func (l *liveSessions) add(v *session.Visit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stops[v] = nil
}

// setStop records how to end a registered session early. It reports false when shutdown
// has begun: the caller should then end the session at once, telling the visitor why.
func (l *liveSessions) setStop(v *session.Visit, stop func(session.Reason, string)) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stops[v] = stop
	return !l.closing
}

func (l *liveSessions) remove(v *session.Visit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.stops, v)
	if l.closing && len(l.stops) == 0 {
		l.drainOne.Do(func() { close(l.drained) })
	}
}

func (l *liveSessions) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.stops)
}

// stopAll marks the server as closing and asks every open session to end with message. A
// stop must not block (an interactive session hands its program the quit on a goroutine
// its screen waits for), so they run one after another, outside the lock.
func (l *liveSessions) stopAll(reason session.Reason, message string) {
	l.mu.Lock()
	l.closing = true
	var stops []func(session.Reason, string)
	for _, stop := range l.stops {
		if stop != nil {
			stops = append(stops, stop)
		}
	}
	if len(l.stops) == 0 {
		l.drainOne.Do(func() { close(l.drained) })
	}
	l.mu.Unlock()
	for _, stop := range stops {
		stop(reason, message)
	}
}

// wait returns nil once every session has gone, or ctx's error at its deadline.
func (l *liveSessions) wait(ctx context.Context) error {
	select {
	case <-l.drained:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

package server

import (
	"context"
	"sync"
)

// liveSessions knows every open session, so that a shutdown can tell each visitor the
// server is restarting and wait for them to leave.
type liveSessions struct {
	mu       sync.Mutex
	stops    map[*visit]func(reason, message string) // nil for plain answers: they end by themselves
	closing  bool
	drained  chan struct{} // closed when closing and the last session has gone
	drainOne sync.Once
}

func newLiveSessions() *liveSessions {
	return &liveSessions{stops: map[*visit]func(string, string){}, drained: make(chan struct{})}
}

// add registers a session that ends by itself (a plain answer, a refusal) until setStop
// says how to end it early.
func (l *liveSessions) add(v *visit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stops[v] = nil
}

// setStop records how to end a registered (or, for a visit made outside the logging
// middleware, a new) session early. It reports false when shutdown has begun: the caller
// should then end the session at once, telling the visitor why.
func (l *liveSessions) setStop(v *visit, stop func(reason, message string)) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stops[v] = stop
	return !l.closing
}

func (l *liveSessions) remove(v *visit) {
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

// stopAll marks the server as closing and asks every open session to end with message.
func (l *liveSessions) stopAll(reason, message string) {
	l.mu.Lock()
	l.closing = true
	var stops []func(string, string)
	for _, stop := range l.stops {
		if stop != nil {
			stops = append(stops, stop)
		}
	}
	if len(l.stops) == 0 {
		l.drainOne.Do(func() { close(l.drained) })
	}
	l.mu.Unlock()
	// Outside the lock: a stop may block briefly handing the program its quit message.
	for _, stop := range stops {
		go stop(reason, message)
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

package session

import (
	"sync"
	"time"
)

// IdleFor is how long the visitor has typed nothing.
func (v *Visit) IdleFor(now time.Time) time.Duration {
	return now.Sub(time.Unix(0, v.lastInput.Load()))
}

// WatchIdle calls onIdle once the visitor has typed nothing for limit. It re-arms itself for
// the time remaining instead of ticking, so an active visitor costs one timer wake-up per
// limit. Stop it when the session ends.
func (v *Visit) WatchIdle(limit time.Duration, onIdle func()) *IdleTimer {
	it := &IdleTimer{}
	it.mu.Lock()
	defer it.mu.Unlock()
	it.t = time.AfterFunc(limit, func() {
		if idle := v.IdleFor(time.Now()); idle < limit {
			it.mu.Lock()
			if !it.stopped {
				it.t.Reset(limit - idle)
			}
			it.mu.Unlock()
			return
		}
		onIdle()
	})
	return it
}

// IdleTimer is a re-arming timer that can be stopped for good from another goroutine.
type IdleTimer struct {
	mu      sync.Mutex
	t       *time.Timer
	stopped bool
}

// Stop stops the timer; onIdle is not called after Stop returns, unless it already runs.
func (it *IdleTimer) Stop() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.stopped = true
	it.t.Stop()
}

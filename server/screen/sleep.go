package screen

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// maybeSleep puts p to sleep if its screen has been quiet for SleepAfter, or looks again
// when it could first be. An event on its way to p, or waiting for it, is not quiet: once
// the screen is asleep the dispatcher keeps every event for the next program, so none goes
// down with p.
func (sc *Screen) maybeSleep(p *tea.Program) {
	sc.mu.Lock()
	if sc.p != p || sc.asleep || sc.stopping {
		sc.mu.Unlock()
		return
	}
	now := time.Now()
	quiet := min(sc.cfg.IdleFor(now), now.Sub(sc.lastEvent), sc.out.quietFor(now))
	if sc.sending || len(sc.queue) > 0 {
		quiet = 0
	}
	if quiet < sc.cfg.SleepAfter {
		sc.timer.Reset(sc.cfg.SleepAfter - quiet)
		sc.mu.Unlock()
		return
	}
	sc.asleep = true
	sc.sleeps++
	sc.releaseDecoder(now)
	out, kill := sc.out, sc.kill
	sc.mu.Unlock()

	out.discard.Store(true)
	kill()
}

// sleep waits until the sleeping screen must wake. It reports false when the visitor has
// gone (done is closed or their input has ended) and nothing should wake.
func (sc *Screen) sleep(done <-chan struct{}) bool {
	for {
		select {
		case <-done:
			return false
		default:
		}
		sc.mu.Lock()
		replies := sc.takeReplies() // terminal replies are not the visitor acting (lazy.go)
		sc.releaseDecoder(time.Now())
		ended := sc.inputEnded && len(sc.queue) == 0
		wake := len(sc.queue) > 0 || sc.resized || sc.stopping
		sc.mu.Unlock()
		if len(replies) > 0 {
			sc.programAwake() // the queue has room again
			if sc.applyReplies(replies) {
				return true
			}
		}
		if ended {
			return false
		}
		if wake {
			return true
		}
		select {
		case <-sc.wake:
		case <-done:
			return false
		}
	}
}

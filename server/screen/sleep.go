package screen

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// maybeSleep puts p to sleep if its screen has been quiet for SleepAfter, or looks again
// when it could first be.
func (sc *Screen) maybeSleep(p *tea.Program) {
	sc.mu.Lock()
	if sc.p != p || sc.asleep || sc.stopping {
		sc.mu.Unlock()
		return
	}
	now := time.Now()
	quiet := min(sc.cfg.IdleFor(now), now.Sub(sc.lastEvent), sc.out.quietFor(now))
	if quiet < sc.cfg.SleepAfter {
		sc.timer.Reset(sc.cfg.SleepAfter - quiet)
		sc.mu.Unlock()
		return
	}
	sc.asleep = true
	sc.sleeps++
	out, kill := sc.out, sc.kill
	taken := sc.in.taken()
	sc.mu.Unlock()

	out.discard.Store(true)
	late := sc.in.detach() != taken
	sc.mu.Lock()
	sc.lateInput = late
	sc.mu.Unlock()
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
		if sc.in.ended() {
			return false
		}
		input, waiting := sc.in.pending()
		var retry <-chan time.Time
		if waiting {
			// Terminal replies are not the visitor acting (lazy.go).
			var wait time.Duration
			if waiting, wait = sc.takeReplies(); wait > 0 {
				retry = time.After(wait)
			}
		}
		sc.mu.Lock()
		wake := waiting || sc.resized || sc.stopping || sc.lateInput
		sc.mu.Unlock()
		if wake {
			return true
		}
		select {
		case <-input:
		case <-retry:
		case <-sc.wake:
		case <-done:
			return false
		}
	}
}

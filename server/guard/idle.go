package guard

import (
	"context"
	"errors"
	"time"

	"charm.land/ssh"
)

// ErrInputIdle is the cause of a context from IdleContext that ended
// because the visitor sent nothing for the idle timeout.
var ErrInputIdle = errors.New("guard: no input from the visitor")

// InputIdle reports how long the visitor of ctx's connection has sent no
// bytes on any session channel, and false when the connection is not
// guarded. ssh.Server.IdleTimeout cannot do this: the ssh package resets it
// on every write, so a UI that redraws a clock never times out.
func InputIdle(ctx ssh.Context) (time.Duration, bool) {
	st, ok := ctx.Value(stateKey{}).(*connState)
	if !ok {
		return 0, false
	}
	return st.idleFor(time.Now()), true
}

// IdleContext returns a context derived from ctx (a session's Context())
// that is cancelled with cause ErrInputIdle once the visitor has sent no
// input for timeout (Config.IdleTimeout when timeout <= 0). Pass it to
// tea.WithContext so the program ends, then check
// context.Cause(idleCtx) == guard.ErrInputIdle to print a goodbye after the
// terminal is restored. Call cancel when the session ends; the watcher's
// goroutine ends with the context.
func (g *Guard) IdleContext(ctx ssh.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	if timeout <= 0 {
		timeout = g.cfg.IdleTimeout
	}
	idle, cancel := context.WithCancelCause(ctx)
	st, ok := ctx.Value(stateKey{}).(*connState)
	if !ok {
		// Unguarded connection: nothing measures input, so no idle
		// timeout rather than a wrong one.
		return idle, func() { cancel(context.Canceled) }
	}
	go func() {
		t := time.NewTimer(timeout)
		defer t.Stop()
		for {
			select {
			case <-idle.Done():
				return
			case now := <-t.C:
				left := timeout - st.idleFor(now)
				if left <= 0 {
					cancel(ErrInputIdle)
					return
				}
				t.Reset(left)
			}
		}
	}()
	return idle, func() { cancel(context.Canceled) }
}

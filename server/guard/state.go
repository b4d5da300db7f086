package guard

import (
	"context"
	"sync"
	"time"

	"charm.land/ssh"
)

// stateKey stores a connection's *connState in its ssh.Context.
type stateKey struct{}

// connState is what the guard knows about one SSH connection: its
// sessions, its input clock and how to drop it. It is forgotten when the
// connection ends: stop stops its timer for good and the guard stops
// counting it (Stats.Connections), whatever its sessions do afterwards.
type connState struct {
	g     *Guard
	c     *conn        // nil when the guard was not given the connection
	close func() error // closes the connection's transport

	mu        sync.Mutex
	open      int         // session channels open now
	opened    int         // session channels opened in the connection's life
	ended     bool        // stop has run: no timer may be armed again
	noSession *time.Timer // armed while no session is open

	keepalive sync.Once
}

// attachState creates the connection's state. close drops the connection.
func (g *Guard) attachState(ctx ssh.Context, c *conn, close func() error) *connState {
	st := &connState{g: g, c: c, close: close}
	g.stats.connections.Add(1)
	st.noSession = time.AfterFunc(g.lim.NoSessionTimeout, func() {
		g.logger().Info("ssh peer dropped", "reason", "no session", "remote", SourceKey(ctx.RemoteAddr()))
		g.stats.noSession.Add(1)
		_ = st.close()
	})
	ctx.SetValue(stateKey{}, st)
	// The connection context is cancelled when the connection closes.
	context.AfterFunc(ctx, st.stop)
	return st
}

// stateOf returns the connection's state, creating it when the
// ConnCallback was not installed (then the transport is closed through
// closeFn, normally the *gossh.ServerConn).
func (g *Guard) stateOf(ctx ssh.Context, closeFn func() error) *connState {
	// The context's own lock is per connection: channel handlers for one
	// connection run concurrently.
	ctx.Lock()
	defer ctx.Unlock()
	if st, ok := ctx.Value(stateKey{}).(*connState); ok {
		return st
	}
	return g.attachState(ctx, nil, closeFn)
}

// openSession reserves a session slot, or reports that the connection has
// used up its allowance.
func (st *connState) openSession() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended || st.open >= st.g.lim.MaxSessions || st.opened >= st.g.lim.MaxSessionsTotal {
		return false
	}
	st.open++
	st.opened++
	st.noSession.Stop()
	return true
}

// closeSession frees the slot; the last one out re-arms the no-session
// timer, so a connection cannot idle between sessions for free. Not once
// the connection has ended: a session handler often returns after that
// (the connection closing is what ends it), and a timer armed then would
// keep the connection's state for NoSessionTimeout and finally report a
// drop of a connection that was long gone.
func (st *connState) closeSession() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.open--
	if st.open == 0 && !st.ended {
		st.noSession.Reset(st.g.lim.NoSessionTimeout)
	}
}

// stop releases the timer when the connection ends; it runs once.
func (st *connState) stop() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.ended = true
	st.noSession.Stop()
	st.g.stats.connections.Add(-1)
}

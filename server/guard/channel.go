package guard

import (
	"io"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// channel is a session channel with a write watchdog and an input clock.
//
// A gossh channel's Write blocks, without any deadline, while the peer's
// channel window is zero: a client that keeps its TCP connection alive but
// stops consuming (or a malicious one that never sends window adjustments)
// would hold the session, its Bubble Tea program and their goroutines for
// ever. The TCP write deadline cannot see this, since nothing is written
// to the socket, so each channel write gets its own timer.
type channel struct {
	gossh.Channel
	g  *Guard
	st *connState

	started     chan struct{} // closed when the handler has started
	startedOnce sync.Once
}

func newChannelGuard(ch gossh.Channel, g *Guard, st *connState) *channel {
	return &channel{Channel: ch, g: g, st: st, started: make(chan struct{})}
}

// handlerStartedRequest is never sent to the peer: drainWindowChanges
// "sends" it on the session, which reaches this channel (the ssh package's
// session embeds it), to say the handler has read its Pty.
const handlerStartedRequest = "handler-started@guard"

// SendRequest intercepts handlerStartedRequest and passes the rest on.
func (c *channel) SendRequest(name string, wantReply bool, payload []byte) (bool, error) {
	if name == handlerStartedRequest {
		c.startedOnce.Do(func() { close(c.started) })
		return true, nil
	}
	return c.Channel.SendRequest(name, wantReply, payload)
}

func (c *channel) Write(p []byte) (int, error) {
	return c.watch(func() (int, error) { return c.Channel.Write(p) })
}

// Stderr returns the extended data stream with the same watchdog.
func (c *channel) Stderr() io.ReadWriter {
	return &stderr{c: c, rw: c.Channel.Stderr()}
}

// watch runs write and drops the connection if it is still blocked after
// WriteTimeout. Closing the transport is what wakes a writer blocked on
// the window: the connection's channels all close with it.
func (c *channel) watch(write func() (int, error)) (int, error) {
	wt := c.g.lim.WriteTimeout
	if wt <= 0 {
		return write()
	}
	t := time.AfterFunc(wt, func() {
		c.g.logger().Info("ssh peer dropped", "reason", "session write timeout")
		c.g.stats.writeTimeouts.Add(1)
		_ = c.st.close()
	})
	defer t.Stop()
	return write()
}

type stderr struct {
	c  *channel
	rw io.ReadWriter
}

func (s *stderr) Read(p []byte) (int, error) { return s.rw.Read(p) }

func (s *stderr) Write(p []byte) (int, error) {
	return s.c.watch(func() (int, error) { return s.rw.Write(p) })
}

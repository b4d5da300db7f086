package session

import (
	"errors"
	"io"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"charm.land/ssh"
)

// channel is the few parts of an SSH session a Visit counts: writes that fail once the
// client has gone, and reads of what it typed.
type channel struct {
	ssh.Session // nil: only what a Visit wraps is implemented
	gone        bool
	typed       string
}

func (c *channel) Write(p []byte) (int, error) {
	if c.gone {
		return 0, io.EOF
	}
	return len(p), nil
}
func (c *channel) Stderr() io.ReadWriter { return c }
func (c *channel) Read(p []byte) (int, error) {
	if c.typed == "" {
		return 0, io.EOF
	}
	n := copy(p, c.typed)
	c.typed = c.typed[n:]
	return n, nil
}

func visit(c *channel) (v *Visit, sent *atomic.Int64) {
	sent = &atomic.Int64{}
	Middleware(func(n int) { sent.Add(int64(n)) })(func(s ssh.Session) { v = Of(s) })(c)
	return v, sent
}

func TestFirstReasonWins(t *testing.T) {
	v, _ := visit(&channel{})
	if sum := v.Summary(); sum.Reason != Done || sum.Kind != Plain {
		t.Errorf("a session nothing ended: reason %s kind %s, want done plain", sum.Reason, sum.Kind)
	}
	if !v.End(Idle, "bye") || v.End(Quit, "") {
		t.Fatal("the first End must win and only it")
	}
	if r, msg := v.Ending(); r != Idle || msg != "bye" {
		t.Errorf("Ending() = %s %q, want idle \"bye\"", r, msg)
	}
}

func TestWritesAreCountedAndLossNoticed(t *testing.T) {
	c := &channel{}
	v, sent := visit(c)
	_, _ = v.Write([]byte("hello"))
	_, _ = v.Stderr().Write([]byte("err"))
	if sum := v.Summary(); sum.Bytes != 8 || sent.Load() != 8 {
		t.Errorf("bytes %d, told %d; want 8 and 8 (stdout and stderr)", sum.Bytes, sent.Load())
	}
	if v.Lost() {
		t.Fatal("lost before anything failed")
	}
	c.gone = true
	if _, err := v.Write([]byte("x")); !errors.Is(err, io.EOF) || !v.Lost() {
		t.Errorf("a failed write: err %v, Lost %v; want io.EOF and true", err, v.Lost())
	}
}

// advance moves the synctest bubble's fake clock on by d: inside the bubble a sleep returns
// once every other goroutine of the bubble is blocked, at the fake time d later, and takes
// no wall time. It is how a test of code that runs on timers lets the timers fire.
func advance(d time.Duration) { time.Sleep(d) }

// The idle clock's tests run in a synctest bubble: time passes only when every goroutine
// waits, so the durations below are exact, and a loaded machine cannot move them.

func TestIdleClockCountsInputOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &channel{}
		v, _ := visit(c)
		advance(30 * time.Millisecond) // the bubble's clock: returns at once, 30 ms later
		_, _ = v.Write([]byte("drawing"))
		if idle := v.IdleFor(time.Now()); idle != 30*time.Millisecond {
			t.Errorf("idle %s after 30ms of output only, want 30ms: output must not count", idle)
		}
		c.typed = "j"
		_, _ = v.Read(make([]byte, 4))
		if idle := v.IdleFor(time.Now()); idle != 0 {
			t.Errorf("idle %s right after a key, want 0", idle)
		}
	})
}

func TestWatchIdleFiresAfterTheLastKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &channel{}
		v, _ := visit(c)
		fired := make(chan time.Time, 1)
		start := time.Now()
		it := v.WatchIdle(150*time.Millisecond, func() { fired <- time.Now() })
		defer it.Stop()
		advance(100 * time.Millisecond) // the bubble's clock: the key comes 100 ms in
		c.typed = "k"
		_, _ = v.Read(make([]byte, 4)) // re-arms the clock: 150ms from now
		if at := <-fired; at.Sub(start) != 250*time.Millisecond {
			t.Errorf("fired %s after the start, want 250ms: 150ms after the key", at.Sub(start))
		}
	})
}

package guard

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
)

// ourGoroutines returns the stacks of goroutines running code of this
// package (outside tests), of charm.land/ssh or of x/crypto/ssh: the ones a
// leak in the guard would leave behind.
func ourGoroutines() []string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var ours []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "_test.go") || strings.Contains(g, "net.(*TCPListener).Accept") {
			continue // the test itself, and the server still listening
		}
		if strings.Contains(g, "portfolio/server/guard.") || strings.Contains(g, "charm.land/ssh.") ||
			strings.Contains(g, "golang.org/x/crypto/ssh.") {
			ours = append(ours, g)
		}
	}
	return ours
}

// noneLeft waits up to 5 s for the goroutines of closed connections to end. They end on
// their own schedule and tell nobody, so the stacks are looked at every 20 ms.
func noneLeft(t *testing.T) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		left := ourGoroutines()
		if len(left) == 0 {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("%d goroutines left after the clients went:\n%s", len(left), strings.Join(left, "\n\n"))
		}
	}
}

// TestNoGoroutinesOutliveTheirConnection opens Bubble Tea sessions with
// resizes, typed input and keepalives, closes the clients, and checks that
// no goroutine of the guard or the ssh packages (request filters,
// keepalives, watchdogs, coalescing timers, connection handlers) is left.
func TestNoGoroutinesOutliveTheirConnection(t *testing.T) {
	// Keepalives often, but a loaded machine must not make them miss.
	g := newGuard(t, Config{Tune: func(l *Limits) { l.KeepaliveInterval, l.KeepaliveMaxMissed = 20*time.Millisecond, 100 }})
	addr := startServer(t, g, teaHandler(g))
	for range 3 {
		c := dial(t, addr)
		s, stdin, _ := openScreen(t, c, 100, 30)
		for i := range 50 {
			_ = s.WindowChange(30+i, 100+i)
		}
		_, _ = io.WriteString(stdin, "\x1b[8;1000;1000tjk")
		// A few keepalives each way. The client answers them inside x/crypto/ssh, which tells
		// nobody, so there is no event to await: three intervals pass.
		time.Sleep(60 * time.Millisecond)
		_ = c.Close()
	}
	noneLeft(t)
}

// TestResizeAfterTheAppStoppedReading is the deterministic form of the
// leak drainWindowChanges fixes: an application that never reads
// window-changes (or stopped), and a client that resizes. Without the
// drain, charm.land/ssh's request loop blocks on its one-slot channel and
// outlives the connection.
func TestResizeAfterTheAppStoppedReading(t *testing.T) {
	g := newGuard(t, Config{})
	resized := make(chan struct{})
	addr := startServer(t, g, func(s ssh.Session) {
		<-resized // busy, not reading resizes, until the client has sent them
	})
	for range 3 {
		c := dial(t, addr)
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPty("xterm", 24, 80, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			_ = s.WindowChange(24+i, 80+i)
		}
		resized <- struct{}{}
		_ = s.Wait()
		_ = c.Close()
	}
	noneLeft(t)
}

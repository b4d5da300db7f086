package guard

import (
	"io"
	"runtime"
	"testing"
	"time"
)

// TestNoGoroutinesOutliveTheirConnection opens Bubble Tea sessions with
// resizes, typed input and an idle watcher, closes the clients, and checks
// that the guard's goroutines (request filters, keepalives, watchdogs,
// coalescing timers) are all gone.
func TestNoGoroutinesOutliveTheirConnection(t *testing.T) {
	g := newGuard(t, Config{KeepaliveInterval: 20 * time.Millisecond})
	addr := startServer(t, g, teaHandler(g))
	time.Sleep(50 * time.Millisecond)
	before := runtime.NumGoroutine()
	for range 3 {
		c := dial(t, addr)
		s, stdin, _ := openScreen(t, c, 100, 30)
		for i := range 50 {
			_ = s.WindowChange(30+i, 100+i)
		}
		_, _ = io.WriteString(stdin, "\x1b[8;1000;1000tjk")
		time.Sleep(60 * time.Millisecond) // a few keepalives
		_ = c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		now := runtime.NumGoroutine()
		if now <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after the clients left:\n%s", before, now, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

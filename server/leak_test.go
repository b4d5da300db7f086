package server

import (
	tea "charm.land/bubbletea/v2"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
	"portfolio/ui"
)

// inputGoroutines returns the stacks of goroutines still running an input side: a Bubble Tea
// program's read loop, or an ultraviolet decoder (the session's, server/screen/input.go, or
// a program's). Once every session has ended there must be none. A decoder that hands events
// on with a bare channel send blocks for ever once its receiver has gone, keeping the session
// (and, when the receiver was a program, both its cell buffers) alive; the screen hands them
// on with Program.Send, which returns once the program has ended.
func inputGoroutines() []string {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "bubbletea/v2.(*Program).readLoop") || strings.Contains(g, "ultraviolet.(*TerminalReader)") {
			out = append(out, g)
		}
	}
	return out
}

// assertNoInputLeft waits until no program input goroutine is left and the live heap is back
// within slack of before.
func assertNoInputLeft(t *testing.T, before uint64, slack uint64) {
	t.Helper()
	start := time.Now()
	if !poll(15*time.Second, func() bool { return len(inputGoroutines()) == 0 }) {
		left := inputGoroutines()
		t.Fatalf("%d input goroutines left after every session ended, e.g.:\n%s", len(left), left[0])
	}
	var after uint64
	if !poll(15*time.Second-time.Since(start), func() bool { after = liveHeap(); return after < before+slack }) {
		t.Fatalf("live heap %.1f MB after every session ended, %.1f MB before", float64(after)/1e6, float64(before)/1e6)
	}
	t.Logf("live heap %.1f MB before, %.1f MB after", float64(before)/1e6, float64(after)/1e6)
}

// warmUp makes one visit that quits normally, so the page cache and the lazily built tables
// are in the heap before it is measured.
func warmUp(t *testing.T, ts *testServer) {
	t.Helper()
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, "Education", 10*time.Second)
	tm.press(t, "q")
	tm.exit(t, 10*time.Second)
}

// TestNoLeakWhenAReaderStallsWhileTyping: visitors at 300x100 who stop reading their output
// but keep typing are dropped by the write watchdog while their programs' input decoders hold
// keys (the event loop is stuck drawing into the blocked channel). Every program's input goroutine must end with its session, and the heap must come
// back (each leaked program kept ~8 MB).
func TestNoLeakWhenAReaderStallsWhileTyping(t *testing.T) {
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.WriteTimeout = 500 * time.Millisecond }), func(s *Server) {
		// A screen that repaints all of its 300x100 cells every frame fills the client's
		// 2 MB window within a second, even under the race detector; the real UI's frames
		// are diffs and take tens of seconds. The input side, where the leak is, is the same
		// for every model.
		s.newModel = func(ui.Options) tea.Model { return flooder{} }
	})
	before := liveHeap()
	const visitors = 4
	var wg sync.WaitGroup
	for i := range visitors {
		client := ts.dial(t, fmt.Sprintf("127.0.1.%d", i+1))
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.RequestPty("xterm-256color", 100, 300, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		// Never read: the gossh client stops opening the channel window once its 2 MB are
		// full, and the server's writes block.
		if _, err := sess.StdoutPipe(); err != nil {
			t.Fatal(err)
		}
		stdin, err := sess.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _ = client.Wait(); close(done) }()
		wg.Go(func() {
			start := time.Now()
			defer func() { t.Logf("visitor %d dropped after %s", i, time.Since(start).Round(time.Millisecond)) }()
			deadline := time.After(60 * time.Second)
			n := 0
			for {
				select {
				case <-done:
					return
				case <-deadline:
					t.Error("a visitor who stopped reading was still connected after 60s")
					_ = client.Close()
					return
				default:
				}
				n++
				if _, err := io.WriteString(stdin, string("123"[n%3])); err != nil {
					<-done
					return
				}
				time.Sleep(2 * time.Millisecond) // the pace of the typing is the scenario, not a wait
			}
		})
	}
	wg.Wait()
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == visitors })
	if n := ts.guard.Stats().WriteTimeouts; n < visitors {
		t.Errorf("%d write timeouts counted, want %d: the test did not stall the writes", n, visitors)
	}
	assertNoInputLeft(t, before, 16<<20)
}

// TestNoLeakWhenAKeyIsHeldAndTheConnectionCut: visitors holding a key down (3,000 key
// repeats, as fast as the connection takes them) cut their connections a few milliseconds
// into the burst. A program killed while its decoder holds keys must
// not leave the decoder behind.
func TestNoLeakWhenAKeyIsHeldAndTheConnectionCut(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxSessionsPerIP = 50 })
	warmUp(t, ts)
	before := liveHeap()
	const visitors = 30
	var wg sync.WaitGroup
	for i := range visitors {
		wg.Go(func() {
			client := ts.dial(t, fmt.Sprintf("127.0.2.%d", i+1))
			sess, err := client.NewSession()
			if err != nil {
				t.Error(err)
				return
			}
			if err := sess.RequestPty("xterm-256color", 50, 160, gossh.TerminalModes{}); err != nil {
				t.Error(err)
				return
			}
			tm := &term{sess: sess}
			tm.stdin, _ = sess.StdinPipe()
			sess.Stdout = tm
			if err := sess.Shell(); err != nil {
				t.Error(err)
				return
			}
			tm.waitFor(t, "Education", 20*time.Second)
			// Key repeat: one key every millisecond; the connection is cut mid-burst.
			go func() {
				for range 300 {
					if _, err := io.WriteString(tm.stdin, "jjjjjjjjjj"); err != nil {
						return
					}
				}
			}()
			// A few milliseconds into the burst, different for each: the moment of the cut
			// is the scenario, not a wait for something.
			time.Sleep(time.Duration(i%5) * time.Millisecond)
			_ = client.Close() // the connection, not just the session
		})
	}
	wg.Wait()
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == visitors+1 })
	assertNoInputLeft(t, before, 16<<20)
}

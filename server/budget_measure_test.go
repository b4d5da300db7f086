package server

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// measuredCost is the live heap one interactive session holds, awake and asleep, measured
// through the real server with the real UI.
type measuredCost struct {
	w, h          int
	awake, asleep float64 // bytes per session
}

// countingSink is a visitor's terminal that keeps no output (so the test's own copy of it
// is not counted as the server's): it counts bytes and notes whether a string has shown up.
type countingSink struct {
	mu   sync.Mutex
	want []byte
	tail []byte
	n    int
	seen bool
}

func (c *countingSink) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += len(p)
	buf := append(c.tail, p...)
	c.seen = c.seen || bytes.Contains(buf, c.want)
	c.tail = append(c.tail[:0], buf[max(0, len(buf)-len(c.want)):]...)
	return len(p), nil
}

func (c *countingSink) state() (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.seen
}

// openCounted opens a PTY session of w x h whose output goes to a countingSink.
func (ts *testServer) openCounted(t *testing.T, w, h int, want string) (*gossh.Session, io.Writer, *countingSink) {
	t.Helper()
	sess, err := ts.dial(t, "").NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sink := &countingSink{want: []byte(want)}
	stdin, _ := sess.StdinPipe()
	sess.Stdout, sess.Stderr = sink, sink
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return sess, stdin, sink
}

// settledHeap is the live heap once it has stopped shrinking: what ended sessions leave to
// collect can take a moment to become garbage.
func settledHeap() uint64 {
	last := liveHeap()
	for range 20 {
		// No event says the heap has settled: it has when it stops shrinking between looks.
		time.Sleep(50 * time.Millisecond)
		h := liveHeap()
		if h+32<<10 >= last {
			return min(h, last)
		}
		last = h
	}
	return last
}

// measureSessions returns the live heap each of n sessions of w x h holds awake (on a
// server whose screens never sleep, so a slow machine cannot put the first ones to sleep
// before the last has drawn), and each of asleepSessions holds asleep (on one whose screens
// sleep after 300ms).
func measureSessions(t *testing.T, w, h, n int) measuredCost {
	t.Helper()
	return measuredCost{w: w, h: h, awake: heapPerSession(t, w, h, n, 0), asleep: heapPerSession(t, w, h, asleepSessions, 300*time.Millisecond)}
}

// asleepSessions is how many sleeping sessions are measured at every size: they hold no
// cells, and with fewer (4 at 300x100) the heap's own noise moved the figure per session by
// over 100 KB between runs.
const asleepSessions = 20

// heapPerSession opens n sessions of w x h on a fresh server with the given sleep delay,
// waits for their first frame (and, when they can sleep, for them to have slept), and
// returns the live heap each holds.
func heapPerSession(t *testing.T, w, h, n int, sleepAfter time.Duration) float64 {
	t.Helper()
	ts := newTestServer(t, func(c *Config) {
		c.MaxSessionsPerIP = n + 1
		c.MaxSessions = max(n+1, c.MaxSessions)
	}, sleepQuickly(sleepAfter))
	title := testSite(t).Settings.Title
	waitSeen := func(sinks ...*countingSink) {
		t.Helper()
		waitFor(t, 30*time.Second, func() bool {
			for _, s := range sinks {
				if _, seen := s.state(); !seen {
					return false
				}
			}
			return true
		})
	}
	// A first visit builds the page cache and the lazily built tables at this size.
	warm, warmIn, warmSink := ts.openCounted(t, w, h, title)
	waitSeen(warmSink)
	_, _ = io.WriteString(warmIn, "q")
	waitEnded(t, warm)
	waitUntil(t, func() bool { return ts.live.count() == 0 })
	base := settledHeap()

	sinks := make([]*countingSink, n)
	stdins := make([]io.Writer, n)
	sessions := make([]*gossh.Session, n)
	for i := range sinks {
		sessions[i], stdins[i], sinks[i] = ts.openCounted(t, w, h, title)
	}
	waitSeen(sinks...)
	// A visitor's terminal answers the start-up queries (here its device attributes, which
	// no model acts on): the session decodes them, with a key table. A sleeping screen lets
	// its decoder go once its input has been quiet for a second (server/screen/input.go);
	// an awake one keeps it.
	for _, in := range stdins {
		_, _ = io.WriteString(in, "\x1b[?62;22c")
	}
	waitFor(t, 30*time.Second, func() bool { return decoders() >= n })
	if sleepAfter > 0 {
		waitFor(t, 30*time.Second, func() bool { return decoders() == 0 })
		// Screens whose output has been quiet for three sleep delays have slept.
		quietSince, lengths := time.Now(), make([]int, n)
		waitFor(t, 30*time.Second, func() bool {
			for i, s := range sinks {
				if l, _ := s.state(); l != lengths[i] {
					lengths[i], quietSince = l, time.Now()
				}
			}
			return time.Since(quietSince) >= 3*sleepAfter
		})
	}
	held := settledHeap()
	for i := range sessions {
		_, _ = io.WriteString(stdins[i], "q")
		waitEnded(t, sessions[i])
	}
	waitUntil(t, func() bool { return ts.live.count() == 0 })
	// The heap with no session open is looked at twice, before and after: the lower is the
	// baseline. Before, it can still hold garbage another server's ended sessions leave
	// (300x100 once read -46 KB a session); after, what these sessions leave to collect.
	after := settledHeap()
	// Closed now, not at the test's end, so its timers and ended sessions are not counted
	// in the next size's measurement.
	_ = ts.Close()
	return (float64(held) - float64(min(base, after))) / float64(n)
}

// waitEnded waits for the session to end after its q, or fails the test after 30s.
func waitEnded(t *testing.T, sess *gossh.Session) {
	t.Helper()
	ended := make(chan struct{})
	go func() { _ = sess.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(30 * time.Second):
		t.Fatal("a session did not end within 30s of its q")
	}
}

// decoders counts the sessions' input decoders (server/screen/input.go) that have begun.
func decoders() int {
	buf := make([]byte, 8<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "ultraviolet.(*TerminalReader).StreamEvents(") && strings.Contains(g, "portfolio/server/screen.decode") {
			n++
		}
	}
	return n
}

// waitFor polls cond until it holds, or fails the test after within.
func waitFor(t *testing.T, within time.Duration, cond func() bool) {
	t.Helper()
	if !poll(within, cond) {
		t.Fatalf("condition not met within %s", within)
	}
}

// asleepCeiling is the most a sleeping session may hold, in bytes: it has no program and,
// once its input has been quiet, no input decoder. Measured under -race on 2026-12-07
// (20 sessions a size): 127-129 KB at 80x24, 138-143 KB at 160x50, 167-194 KB at 300x100
// (a bigger painted first frame); sessions that kept their decoder (its key table, about
// 140 KB) held 279, 235 and 344 KB.
const asleepCeiling = 240 << 10

// TestSessionMemoryWithinEstimate measures what sessions hold at the sizes visitors bring
// and checks the memory budget's estimate (sessionCost) against it: never below what a
// session really holds awake, and not so far above that the budget turns visitors away for
// nothing. It also shows that sleeping gives the cells and the input decoder back at every
// size. The numbers are the ones in docs/performance.md ("Memory per session"); run with -v
// to see them.
func TestSessionMemoryWithinEstimate(t *testing.T) {
	for _, size := range [][3]int{{80, 24, 20}, {160, 50, 8}, {300, 100, 4}} {
		w, h := size[0], size[1]
		c := measureSessions(t, w, h, size[2])
		est := float64(sessionCost(w, h))
		t.Logf("%dx%d: awake %.0f KB (%.0f B/cell), asleep %.0f KB; estimate %.0f KB",
			w, h, c.awake/1e3, c.awake/float64(w*h), c.asleep/1e3, est/1e3)
		if c.awake > est {
			t.Errorf("%dx%d: a session holds %.0f KB awake, more than the %.0f KB the budget reserves", w, h, c.awake/1e3, est/1e3)
		}
		if w*h >= 160*50 && c.awake < 0.7*est {
			t.Errorf("%dx%d: the estimate %.0f KB is far above the %.0f KB a session holds", w, h, est/1e3, c.awake/1e3)
		}
		if c.asleep > asleepCeiling || c.asleep < 0 {
			t.Errorf("%dx%d: a sleeping session holds %.0f KB, more than %.0f KB: no program and no input decoder should be left",
				w, h, c.asleep/1e3, asleepCeiling/1e3)
		}
	}
}

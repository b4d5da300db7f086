package server

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"portfolio/ui"
)

const (
	altScreenOn  = "\x1b[?1049h"
	altScreenOff = "\x1b[?1049l"
)

// sleepQuickly puts screens to sleep after after instead of sleepAfter; 0: never.
func sleepQuickly(after time.Duration) Option {
	return func(s *Server) { s.sleepAfter = after }
}

// quietOutput waits until the session's output has not grown for quiet: its screen is
// asleep or idle. It returns the output's length then.
func (tm *term) quietOutput(t *testing.T, quiet time.Duration) int {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		out, grew := tm.outputNow()
		select {
		case <-grew: // drawn: the quiet starts again
		case <-time.After(quiet):
			return len(out)
		case <-deadline:
			t.Fatalf("output never went quiet:\n%q", out)
		}
	}
}

// goroutineIDs returns the ids of the goroutines running now, for sessionGoroutines to leave
// out: other tests' sessions (one wedges its program on purpose).
func goroutineIDs() map[string]bool {
	ids := map[string]bool{}
	for id := range sessionGoroutines(nil) {
		ids[id] = true
	}
	return ids
}

// runningPrograms counts the Bubble Tea programs running, leaving out the goroutines in
// before: 0 once every screen started since is asleep or over.
func runningPrograms(before map[string]bool) int {
	n := 0
	for _, g := range sessionGoroutines(before) {
		if strings.Contains(g, "bubbletea/v2.(*Program).eventLoop") {
			n++
		}
	}
	return n
}

func (ts *testServer) lastEnd(t *testing.T) map[string]any {
	t.Helper()
	var end map[string]any
	waitUntil(t, func() bool {
		ends := ts.logs.find(t, "session end")
		if len(ends) == 0 {
			return false
		}
		end = ends[len(ends)-1]
		return true
	})
	return end
}

func TestSleepingScreenWakesOnTheKeyThatWakesIt(t *testing.T) {
	const after = 200 * time.Millisecond
	ts := newTestServer(t, nil, sleepQuickly(after))
	site := testSite(t)
	tm := ts.openTerm(t, "", "education", nil) // a deep link: the first section, not the cover
	tm.waitFor(t, site.Sections[0].Title, 5*time.Second)

	// Asleep: nothing more is written, and the visitor's screen is left as it was.
	asleep := tm.quietOutput(t, 3*after)
	if out := tm.output(); strings.Contains(out, altScreenOff) {
		t.Fatalf("going to sleep left the alternate screen:\n%q", out)
	}

	// The key typed at a sleeping screen is not lost: "2" opens the second section.
	second := "I pursue certifications because they force me" // not in the cover's summaries
	tm.press(t, "2")
	tm.waitFor(t, second, 5*time.Second)
	if strings.Contains(tm.output()[:asleep], second) {
		t.Fatal("the second section was on screen before the key")
	}
	if woke := tm.output()[asleep:]; strings.Count(woke, altScreenOff) != 0 {
		t.Errorf("waking left the alternate screen:\n%q", woke)
	}

	// Asleep again, and q still leaves cleanly: terminal restored once, goodbye after it.
	tm.quietOutput(t, 3*after)
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("q: exit status %d, want 0", code)
	}
	out := tm.output()
	if n := strings.Count(out, altScreenOff); n != 1 {
		t.Errorf("alternate screen left %d times, want once at the end:\n%q", n, out)
	}
	if n := strings.Count(out, "\x1b[?1007s"); n != 1 {
		t.Errorf("the visitor's alternate-scroll mode was saved %d times, want once (a second save would overwrite theirs)", n)
	}
	goodbye := strings.TrimSpace(ui.New(site, nil, ui.Options{}).Goodbye())
	if i := strings.LastIndex(out, altScreenOff); !strings.Contains(out[i:], goodbye) {
		t.Errorf("no goodbye after the restored screen:\n%q", out[i:])
	}

	// Painted asleep at start, "2" woke the first program, which slept; q woke the second.
	end := ts.lastEnd(t)
	if sleeps, _ := end["sleeps"].(float64); sleeps < 1 {
		t.Errorf("session end says sleeps=%v, want at least 1", end["sleeps"])
	}
	if end["woken"] != float64(2) {
		t.Errorf("session end says woken=%v, want 2 (a program for 2, one for q)", end["woken"])
	}
	if end["reason"] != "quit" || end["keys"] != float64(2) {
		t.Errorf("session end reason=%v keys=%v, want quit and 2", end["reason"], end["keys"])
	}
	var slugs []string
	for _, s := range end["sections"].([]any) {
		slugs = append(slugs, s.(map[string]any)["slug"].(string))
	}
	if strings.Join(slugs, ",") != "education,certification" {
		t.Errorf("sections read %v, want the model's time carried across sleeps", slugs)
	}
}

// Ending a sleeping session (idle timeout, shutdown) gives the terminal back before the
// message, without a program: this visitor never typed, so none ever ran.
func TestSleepingScreenEndsPolitely(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.IdleTimeout = 800 * time.Millisecond }, sleepQuickly(100*time.Millisecond))
	tm := ts.openTerm(t, "", "", nil)
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d", code)
	}
	out := tm.output()
	off := strings.LastIndex(out, altScreenOff)
	msg := strings.Index(out, "without a key press")
	if off < 0 || msg < off {
		t.Fatalf("the idle message did not follow a restored screen:\n%q", out)
	}
	end := ts.lastEnd(t)
	if end["reason"] != "idle" {
		t.Errorf("reason %v, want idle", end["reason"])
	}
	if end["woken"] != float64(0) {
		t.Errorf("woken=%v: a program ran for a visitor who never typed", end["woken"])
	}
}

func TestVisitorLeavingWhileAsleep(t *testing.T) {
	ts := newTestServer(t, nil, sleepQuickly(100*time.Millisecond))
	site := testSite(t)
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, site.Sections[0].Title, 5*time.Second)
	tm.quietOutput(t, 300*time.Millisecond)
	_ = tm.sess.Close()
	end := ts.lastEnd(t)
	if end["reason"] != "disconnect" {
		t.Errorf("reason %v, want disconnect", end["reason"])
	}
	if end["woken"] != float64(0) {
		t.Errorf("woken=%v, want 0: the visitor never typed", end["woken"])
	}
	waitUntil(t, func() bool { return ts.live.count() == 0 })
}

// Sleeping gives back what an idle visitor costs: the program's cell buffers and key table.
func TestSleepingSessionsGiveBackTheirMemory(t *testing.T) {
	const n, after = 20, 1500 * time.Millisecond
	others := goroutineIDs()
	ts := newTestServer(t, func(c *Config) { c.MaxSessionsPerIP = n }, sleepQuickly(after))
	title := testSite(t).Settings.Title
	base := liveHeap()
	var terms []*term
	for range n {
		tm := ts.openTerm(t, "", "", nil)
		tm.waitFor(t, title, 10*time.Second)
		terms = append(terms, tm)
	}
	painted := liveHeap() // started asleep: no program yet
	for _, tm := range terms {
		tm.press(t, "2")
	}
	for _, tm := range terms {
		tm.waitFor(t, "In a world where anyone can claim expertise", 10*time.Second)
	}
	awake := liveHeap()
	if !poll(after+5*time.Second, func() bool { return runningPrograms(others) == 0 }) {
		t.Fatalf("%d programs still running %s after the last key", runningPrograms(others), after+5*time.Second)
	}
	var lengths []int
	for _, tm := range terms {
		lengths = append(lengths, len(tm.output()))
	}
	asleep := liveHeap()
	// Nothing announces that nothing is drawn: look again a while later.
	time.Sleep(300 * time.Millisecond)
	for i, tm := range terms {
		if len(tm.output()) != lengths[i] {
			t.Fatalf("session %d still drawing while asleep", i)
		}
	}
	perSession := func(heap uint64) float64 { return (float64(heap) - float64(base)) / n / 1024 }
	t.Logf("heap per session: painted %.0f KiB, awake %.0f KiB, asleep %.0f KiB", perSession(painted), perSession(awake), perSession(asleep))
	if perSession(painted) > 0.4*perSession(awake) {
		t.Errorf("painted without a program a session holds %.0f KiB of %.0f awake", perSession(painted), perSession(awake))
	}
	if perSession(asleep) > 0.4*perSession(awake) {
		t.Errorf("asleep a session holds %.0f KiB of %.0f awake: the dead program is still referenced",
			perSession(asleep), perSession(awake))
	}
	for _, tm := range terms {
		tm.press(t, "q")
		tm.exit(t, 5*time.Second)
	}
}

// The first window change the ssh package reports is the pty-req's own size: applying it
// again would repaint the whole screen a frame after the first.
func TestOneFullFrameAtStart(t *testing.T) {
	ts := newTestServer(t, nil)
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, testSite(t).Settings.Title, 5*time.Second)
	// A second paint would follow the first within a frame; nothing announces that none
	// came: look past the resize coalescer's interval.
	time.Sleep(200 * time.Millisecond)
	if n := strings.Count(tm.output(), "\x1b[2J"); n != 1 {
		t.Errorf("%d full-screen paints at start, want 1:\n%q", n, tm.output())
	}
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return strings.Count(tm.output(), "\x1b[2J") == 2 })
	tm.press(t, "q")
	tm.exit(t, 5*time.Second)
}

// sessionGoroutines returns the stacks of goroutines a visitor's session runs (the input
// decoder and dispatcher, the screen's timers and window-change loop, Bubble Tea's programs) by id, leaving
// out the ids in before: other tests' sessions (one wedges its program on purpose).
func sessionGoroutines(before map[string]bool) map[string]string {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	ours := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		id, _, _ := strings.Cut(g, " [")
		if before[id] {
			continue
		}
		if strings.Contains(g, "portfolio/server/screen.") ||
			strings.Contains(g, "portfolio/server.(*Server).interactive") || strings.Contains(g, "charm.land/bubbletea/v2.") {
			ours[id] = g
		}
	}
	return ours
}

func TestNoGoroutinesOutliveSleepingSessions(t *testing.T) {
	before := goroutineIDs()
	ts := newTestServer(t, nil, sleepQuickly(100*time.Millisecond))
	title := testSite(t).Settings.Title
	var terms []*term
	for range 3 {
		tm := ts.openTerm(t, "", "", nil)
		tm.waitFor(t, title, 5*time.Second)
		terms = append(terms, tm)
	}
	// Painted asleep from the start; each is woken below.
	terms[0].press(t, "q") // woken to quit
	terms[0].exit(t, 5*time.Second)
	_ = terms[1].sess.Close() // gone while asleep
	drawn := len(terms[2].output())
	terms[2].press(t, "j") // woken, then gone while awake
	terms[2].waitGrown(t, drawn, 5*time.Second)
	_ = terms[2].sess.Close()
	stacks := func(gs map[string]string) string {
		var s []string
		for _, g := range gs {
			s = append(s, g)
		}
		return strings.Join(s, "\n\n")
	}
	if !poll(5*time.Second, func() bool { return len(ts.logs.find(t, "session end")) == 3 }) {
		t.Fatalf("%d of 3 sessions ended; their goroutines:\n%s", len(ts.logs.find(t, "session end")), stacks(sessionGoroutines(before)))
	}
	if !poll(5*time.Second, func() bool { return len(sessionGoroutines(before)) == 0 }) {
		left := sessionGoroutines(before)
		t.Fatalf("%d goroutines outlived their sessions:\n%s", len(left), stacks(left))
	}
}

// A client that closes its session channel but keeps the connection leaves an awake program
// with nobody to draw for, which Bubble Tea would keep running: the server ends it itself.
func TestClosedSessionEndsAwakeProgram(t *testing.T) {
	ts := newTestServer(t, nil, sleepQuickly(0)) // never asleep: a sleeping screen notices by itself
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, testSite(t).Settings.Title, 5*time.Second)
	_ = tm.sess.Close()
	if end := ts.lastEnd(t); end["reason"] != "disconnect" {
		t.Errorf("reason %v, want disconnect", end["reason"])
	}
	waitUntil(t, func() bool { return ts.live.count() == 0 })
}

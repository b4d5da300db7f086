package server

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
)

func TestFitSize(t *testing.T) {
	tests := []struct {
		w, h   int
		free   int64
		fw, fh int
		ok     bool
	}{
		{300, 100, sessionCost(300, 100), 300, 100, true},
		{300, 100, sessionCost(300, 40), 300, 40, true},       // fewer rows first
		{300, 100, sessionCost(300, 40) + 299, 300, 40, true}, // whole rows only
		{300, 100, sessionCost(200, 24), 200, 24, true},       // then fewer columns
		{300, 100, sessionCost(80, 24), 80, 24, true},
		{300, 100, sessionCost(80, 24) - 1, 0, 0, false}, // not below 80x24
		{60, 20, sessionCost(60, 20), 60, 20, true},      // a small window is served as it is
		{60, 20, sessionCost(60, 20) - 1, 0, 0, false},
		{80, 24, 0, 0, 0, false},
	}
	for _, tt := range tests {
		fw, fh, ok := fitSize(tt.w, tt.h, tt.free)
		if fw != tt.fw || fh != tt.fh || ok != tt.ok {
			t.Errorf("fitSize(%d, %d, %d) = %d, %d, %v; want %d, %d, %v", tt.w, tt.h, tt.free, fw, fh, ok, tt.fw, tt.fh, tt.ok)
		}
	}
}

// reservations returns the sizes the budget holds for open sessions, largest first.
func (b *memoryBudget) reservations() []size {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []size
	for _, s := range b.sessions {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b size) int { return b.w*b.h - a.w*a.h })
	return out
}

// terminalQueries matches what Bubble Tea asks a terminal: mode reports (DECRQM), the
// background colour (OSC 11), kitty keyboard flags and device attributes.
var terminalQueries = regexp.MustCompile(`\x1b\[\?[0-9;]*\$p|\x1b\]1[01];\?(\a|\x1b\\)|\x1b\[\?u|\x1b\[[>=]?c`)

// lastDrawnRow is the last row of the session's screen, drawn by a terminal emulator of
// w x h, that shows anything.
func (tm *term) lastDrawnRow(w, h int) int {
	e := vt.NewEmulator(w, h)
	defer e.Close()
	// Without the queries, and without in-band resize reports (mode 2048, which the
	// emulator answers at once), it has nothing to answer and never blocks on an answer.
	out := strings.ReplaceAll(terminalQueries.ReplaceAllString(tm.output(), ""), "\x1b[?2048h", "")
	_, _ = e.WriteString(out)
	last := -1
	for i, line := range strings.Split(e.String(), "\n") {
		if strings.TrimSpace(line) != "" {
			last = i
		}
	}
	return last
}

// TestMemoryBudgetWith300x100Sessions: with room for two 300x100 sessions and a 300x40 one,
// two visitors at 300x100 are served in full, the third at 300x40 (and draws nothing below
// row 40), the fourth is told the server is full and gets exit status 1; a visitor leaving
// makes room again, a resize grows a reservation only while there is room, and a typed size
// report cannot grow it either. The live heap the sessions hold stays within the budget.
func TestMemoryBudgetWith300x100Sessions(t *testing.T) {
	budget := 2*sessionCost(300, 100) + sessionCost(300, 40)
	ts := newTestServer(t, func(c *Config) { c.MemoryBudget = ByteSize(budget) })
	title := testSite(t).Settings.Title
	sizes := func() []size { return ts.budget.reservations() }

	base := liveHeap()
	a := ts.openSized(t, 300, 100)
	a.waitFor(t, title, 20*time.Second)
	b := ts.openSized(t, 300, 100)
	b.waitFor(t, title, 20*time.Second)
	c := ts.openSized(t, 300, 100)
	c.waitFor(t, title, 20*time.Second)
	if got := sizes(); !slices.Equal(got, []size{{300, 100}, {300, 100}, {300, 40}}) {
		t.Fatalf("reservations %v, want two 300x100 and one 300x40", got)
	}
	held := liveHeap()
	t.Logf("three sessions hold %.1f MB of heap; the budget is %.1f MB", (float64(held)-float64(base))/1e6, float64(budget)/1e6)
	if held > base && int64(held-base) > budget {
		t.Errorf("sessions hold %d bytes, more than the %d budget", held-base, budget)
	}
	if row := c.lastDrawnRow(300, 100); row < 10 || row >= 40 {
		t.Errorf("the session served at 300x40 draws down to row %d", row+1)
	}

	for _, size := range [][2]int{{300, 100}, {80, 24}} {
		full := ts.openSized(t, size[0], size[1])
		if code := full.exit(t, 10*time.Second); code != 1 {
			t.Errorf("%dx%d over the budget: exit status %d, want 1", size[0], size[1], code)
		}
		if out := strings.TrimSpace(full.output()); out != msgBusy {
			t.Errorf("%dx%d over the budget was told %q, want the one line %q", size[0], size[1], out, msgBusy)
		}
	}

	// A leaves: C may grow into the room, and then E gets what is left.
	a.press(t, "q")
	a.exit(t, 10*time.Second)
	// The exit status reaches the client just before the server releases the reservation.
	waitUntil(t, func() bool { return len(sizes()) == 2 })
	if err := c.sess.WindowChange(100, 300); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return slices.Equal(sizes(), []size{{300, 100}, {300, 100}}) })
	e := ts.openSized(t, 300, 100)
	e.waitFor(t, title, 20*time.Second)
	if got := sizes(); !slices.Equal(got, []size{{300, 100}, {300, 100}, {300, 40}}) {
		t.Fatalf("after a resize into the room: reservations %v, want two 300x100 and one 300x40", got)
	}
	// A window change does not grow E past the budget; shrinking gives memory back.
	if err := e.sess.WindowChange(90, 300); err != nil {
		t.Fatal(err)
	}
	if err := e.sess.WindowChange(30, 300); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool { return slices.Contains(sizes(), size{300, 30}) })
	if got := sizes(); !slices.Equal(got, []size{{300, 100}, {300, 100}, {300, 30}}) {
		t.Fatalf("after E's resizes: reservations %v", got)
	}
	// Nor does a typed size report (ESC[8;ROWS;COLSt, which the screen takes as a window
	// change): E may take back the rows it gave up, never more.
	e.press(t, "\x1b[8;100;300t")
	waitUntil(t, func() bool { return slices.Contains(sizes(), size{300, 40}) })
	if got := sizes(); !slices.Equal(got, []size{{300, 100}, {300, 100}, {300, 40}}) {
		t.Fatalf("after a typed size report: reservations %v", got)
	}
	if used := ts.budget.reserved(); used > budget {
		t.Fatalf("reserved %d > budget %d", used, budget)
	}
	for _, tm := range []*term{b, c, e} {
		tm.press(t, "q")
		if code := tm.exit(t, 10*time.Second); code != 0 {
			t.Errorf("exit status %d", code)
		}
	}
	waitUntil(t, func() bool { return ts.budget.reserved() == 0 })
}

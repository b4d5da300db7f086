package server

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"portfolio/server/guard"
	"portfolio/ui"
)

// liveHeap is the live heap after full collections.
func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// openSized opens a PTY session of the claimed size on its own connection.
func (ts *testServer) openSized(t *testing.T, w, h int) *term {
	t.Helper()
	return ts.openPty(t, "", "xterm-256color", w, h, "", nil)
}

// TestMemoryBoundedWhateverTheClientClaims: a 65535x65535 pty-req, and ESC[8;1000;1000t typed
// as input, cost about what a normal session costs, with the real UI. (Unclamped, 1000x1000
// costs about 109 MB of heap and 65535x65535 cannot be allocated at all.)
func TestMemoryBoundedWhateverTheClientClaims(t *testing.T) {
	ts := newTestServer(t, nil)
	title := testSite(t).Settings.Title

	base := liveHeap()
	// Both start asleep: the painted first frame is all they have once it is on screen.
	normal := ts.openSized(t, 100, 30)
	normal.waitFor(t, title, 10*time.Second)
	afterNormal := liveHeap()

	huge := ts.openSized(t, 65535, 65535)
	huge.waitFor(t, title, 10*time.Second)
	afterHuge := liveHeap()

	// In band: the visitor types window size reports, which the screen takes as window
	// changes; the first wakes a program at the clamped size, which draws.
	drawn := len(normal.output())
	for i := range 20 {
		normal.press(t, fmt.Sprintf("\x1b[8;%d;%dt", 1000+i, 1000+i))
	}
	normal.press(t, "\x1b[8;1000;1000t")
	normal.waitGrown(t, drawn, 10*time.Second)
	afterInBand := liveHeap()

	mb := func(a, b uint64) float64 { return (float64(a) - float64(b)) / (1 << 20) }
	normalCost, hugeCost, inBandCost := mb(afterNormal, base), mb(afterHuge, afterNormal), mb(afterInBand, afterHuge)
	t.Logf("heap: 100x30 session %+.1f MB; 65535x65535 pty-req session %+.1f MB; typed ESC[8;1000;1000t %+.1f MB",
		normalCost, hugeCost, inBandCost)
	// Clamped to 300x100 (guard.MaxWidth x MaxHeight), ten times the cells of 100x30: a few MB more.
	const bound = 16.0
	if hugeCost > normalCost+bound {
		t.Errorf("the 65535x65535 session cost %.1f MB against %.1f MB for a normal one", hugeCost, normalCost)
	}
	if inBandCost > bound {
		t.Errorf("the typed resize cost %.1f MB", inBandCost)
	}
	for _, tm := range []*term{normal, huge} {
		tm.press(t, "q")
		if code := tm.exit(t, 5*time.Second); code != 0 {
			t.Errorf("exit status %d after the resizes", code)
		}
	}
}

// sizeRecorder is a model that records every window size it is given.
type sizeRecorder struct{ sizes *sizeLog }

func (m sizeRecorder) Init() tea.Cmd { return nil }

func (m sizeRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.sizes.add(msg)
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m sizeRecorder) View() tea.View { return tea.NewView("sizes") }

type sizeLog struct {
	mu    sync.Mutex
	sizes []tea.WindowSizeMsg
}

func (l *sizeLog) add(m tea.WindowSizeMsg) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sizes = append(l.sizes, m)
}

func (l *sizeLog) get() []tea.WindowSizeMsg {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]tea.WindowSizeMsg(nil), l.sizes...)
}

func withSizeRecorder(l *sizeLog) Option {
	return func(s *Server) { s.newModel = func(ui.Options) tea.Model { return sizeRecorder{sizes: l} } }
}

// TestWindowChangeStorm: 20,000 window-changes, absurd sizes among them, are survived: the
// program sees a few coalesced sizes, none above the limit, and the last one.
func TestWindowChangeStorm(t *testing.T) {
	sizes := &sizeLog{}
	// The storm is 1 MB of SSH traffic: lift the read pacing so the test measures coalescing,
	// not the read rate (guard.ReadRate).
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.ReadRate = 64 << 20 }), withSizeRecorder(sizes))
	tm := ts.openSized(t, 80, 24)
	tm.waitFor(t, "sizes", 5*time.Second)
	before := liveHeap()
	start := time.Now()
	const storm = 20000
	for i := range storm {
		w, h := 40+i%200, 10+i%90
		if i%7 == 0 {
			w, h = 65535, 65535
		}
		if err := tm.sess.WindowChange(h, w); err != nil {
			t.Fatalf("window-change %d: %v", i, err)
		}
	}
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	sent := time.Since(start)
	waitUntil(t, func() bool {
		s := sizes.get()
		return len(s) > 0 && s[len(s)-1] == tea.WindowSizeMsg{Width: 120, Height: 40}
	})
	got := sizes.get()
	t.Logf("%d window-changes sent in %s; the program saw %d sizes, the last %dx%d; heap %+.1f MB",
		storm+1, sent.Round(time.Millisecond), len(got), got[len(got)-1].Width, got[len(got)-1].Height,
		(float64(liveHeap())-float64(before))/(1<<20))
	for _, s := range got {
		if s.Width > 300 || s.Height > 100 || s.Width < 1 || s.Height < 1 {
			t.Fatalf("the program saw %dx%d, beyond the 300x100 limit", s.Width, s.Height)
		}
	}
	if len(got) > storm/10 {
		t.Errorf("%d sizes reached the program: the storm was not coalesced", len(got))
	}
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d after the storm", code)
	}
}

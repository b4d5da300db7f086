package guard

import (
	"context"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestClampSize: the guard every session's sizes go through clamps them to MaxWidth x
// MaxHeight and refuses a size that cannot be drawn into.
func TestClampSize(t *testing.T) {
	g := newGuard(t, Config{})
	tests := []struct {
		w, h         int
		wantW, wantH int
		ok           bool
	}{
		{80, 24, 80, 24, true},
		{MaxWidth, MaxHeight, MaxWidth, MaxHeight, true},
		{1000, 1000, MaxWidth, MaxHeight, true},
		{65535, 65535, MaxWidth, MaxHeight, true},
		{1, 1, 1, 1, true},
		{0, 24, 0, 0, false},
		{80, 0, 0, 0, false},
		{-5, 10, 0, 0, false},
	}
	for _, tt := range tests {
		w, h, ok := g.ClampSize(tt.w, tt.h)
		if w != tt.wantW || h != tt.wantH || ok != tt.ok {
			t.Errorf("Guard.ClampSize(%d, %d) = %d, %d, %v; want %d, %d, %v", tt.w, tt.h, w, h, ok, tt.wantW, tt.wantH, tt.ok)
		}
	}
	if w, h, _ := (SizeLimits{MaxWidth: 100, MaxHeight: 50}).Clamp(500, 20); w != 100 || h != 20 {
		t.Errorf("custom limits: %dx%d", w, h)
	}
}

// fakeClock is a manual clock for the coalescer.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestTeaFilterCoalesces(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	c := &resizeCoalescer{limits: SizeLimits{MaxWidth: MaxWidth, MaxHeight: MaxHeight}, interval: 25 * time.Millisecond, now: clock.now}

	// The first size applies at once, clamped.
	if got := c.filter(tea.WindowSizeMsg{Width: 1000, Height: 1000}); got != (tea.WindowSizeMsg{Width: MaxWidth, Height: MaxHeight}) {
		t.Fatalf("first size: %#v", got)
	}
	// A storm within the interval: the first held-back size schedules one
	// flush, the rest only replace the pending size.
	clock.t = clock.t.Add(time.Millisecond)
	batch, ok := c.filter(tea.WindowSizeMsg{Width: 81, Height: 25}).(tea.BatchMsg)
	if !ok || len(batch) != 1 {
		t.Fatalf("want one scheduled flush, got %#v", batch)
	}
	for i := range 20000 {
		if got := c.filter(tea.WindowSizeMsg{Width: 82 + i%100, Height: 26}); got != nil {
			t.Fatalf("storm message %d passed: %#v", i, got)
		}
	}
	c.filter(tea.WindowSizeMsg{Width: 120, Height: 40})
	// The flush applies the final size, exactly once.
	start := time.Now()
	flush := batch[0]()
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("flush took %v", d)
	}
	clock.t = clock.t.Add(25 * time.Millisecond)
	if got := c.filter(flush); got != (tea.WindowSizeMsg{Width: 120, Height: 40}) {
		t.Fatalf("flush gave %#v, want the final size", got)
	}
	if got := c.filter(flushResize{}); got != nil {
		t.Fatalf("second flush gave %#v", got)
	}
	// After a quiet interval, a size applies directly again.
	clock.t = clock.t.Add(time.Second)
	if got := c.filter(tea.WindowSizeMsg{Width: 90, Height: 30}); got != (tea.WindowSizeMsg{Width: 90, Height: 30}) {
		t.Fatalf("quiet size: %#v", got)
	}
	// Zero sizes are dropped, other messages pass, suspend becomes resume.
	if got := c.filter(tea.WindowSizeMsg{}); got != nil {
		t.Fatalf("zero size passed: %#v", got)
	}
	if got := c.filter(tea.KeyPressMsg{Code: 'q'}); got == nil {
		t.Fatal("key dropped")
	}
	if _, ok := c.filter(tea.SuspendMsg{}).(tea.ResumeMsg); !ok {
		t.Fatal("suspend not turned into resume")
	}
}

// sizeModel records the sizes its program applies.
type sizeModel struct {
	mu      *sync.Mutex
	sizes   *[]tea.WindowSizeMsg
	applied chan<- tea.WindowSizeMsg // each size as it is applied, when the test listens
}

func (m sizeModel) Init() tea.Cmd { return nil }

func (m sizeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.mu.Lock()
		*m.sizes = append(*m.sizes, msg)
		m.mu.Unlock()
		if m.applied != nil {
			m.applied <- msg
		}
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m sizeModel) View() tea.View { return tea.NewView("hi") }

// TestTeaFilterInBandResize types window size reports into a real program's
// input: Bubble Tea turns them into WindowSizeMsgs, the filter clamps them,
// and the last one typed is the one that stays.
func TestTeaFilterInBandResize(t *testing.T) {
	pr, pw := io.Pipe()
	var mu sync.Mutex
	var sizes []tea.WindowSizeMsg
	applied := make(chan tea.WindowSizeMsg, 1024) // more than are typed: Update never blocks
	p := tea.NewProgram(sizeModel{mu: &mu, sizes: &sizes, applied: applied},
		tea.WithInput(pr), tea.WithOutput(io.Discard),
		tea.WithWindowSize(80, 24), tea.WithoutSignalHandler(),
		tea.WithFilter(NewTeaFilter(SizeLimits{MaxWidth: MaxWidth, MaxHeight: MaxHeight}, 20*time.Millisecond, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	go func() {
		<-ctx.Done()
		p.Kill()
	}()
	// XTWINOPS 8 report: ESC [ 8 ; height ; width t. Then a storm, then
	// a plausible final size, then quit once it is applied.
	_, _ = io.WriteString(pw, "\x1b[8;1000;1000t")
	for i := range 500 {
		_, _ = io.WriteString(pw, "\x1b[8;"+strconv.Itoa(30+i%50)+";"+strconv.Itoa(100+i%50)+"t")
	}
	_, _ = io.WriteString(pw, "\x1b[8;50;160t")
	// Quit once the last size typed has been applied (after the filter's interval).
	for final := false; !final; {
		select {
		case size := <-applied:
			final = size == tea.WindowSizeMsg{Width: 160, Height: 50}
		case <-ctx.Done():
			t.Fatal("the last size typed was never applied")
		}
	}
	_, _ = io.WriteString(pw, "q")
	if err := <-done; err != nil {
		t.Fatalf("program: %v", err)
	}
	_ = pw.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(sizes) == 0 {
		t.Fatal("no sizes seen")
	}
	for _, s := range sizes {
		if s.Width > MaxWidth || s.Height > MaxHeight || s.Width <= 0 || s.Height <= 0 {
			t.Fatalf("unclamped size reached the model: %#v", s)
		}
	}
	if last := sizes[len(sizes)-1]; last != (tea.WindowSizeMsg{Width: 160, Height: 50}) {
		t.Fatalf("final size %#v, want 160x50 (all: %d sizes)", last, len(sizes))
	}
	if len(sizes) > 100 {
		t.Fatalf("storm not coalesced: %d sizes applied", len(sizes))
	}
	t.Logf("%d sizes typed, %d applied", 502, len(sizes))
}

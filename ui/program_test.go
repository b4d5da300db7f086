package ui

import (
	"bytes"
	"context"
	"io"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// syncBuffer is the program's terminal: Bubble Tea writes from its own goroutine.
type syncBuffer struct {
	mu   sync.Mutex
	b    bytes.Buffer
	grew chan struct{} // closed (and dropped) by the next write: what waitFor wakes on
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grew != nil {
		close(s.grew)
		s.grew = nil
	}
	return s.b.Write(p)
}

// waitFor waits until the output contains want, or within has passed (false).
func (s *syncBuffer) waitFor(within time.Duration, want []byte) bool {
	deadline := time.After(within)
	for {
		s.mu.Lock()
		found := bytes.Contains(s.b.Bytes(), want)
		if s.grew == nil {
			s.grew = make(chan struct{})
		}
		grew := s.grew
		s.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-grew:
		case <-deadline:
			return false
		}
	}
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// TestBytesPerScroll runs the model in a real Bubble Tea program at 80x24 in true colour and
// measures what one line of scrolling costs on the wire (issue 6: p95 at most 512 bytes).
// Because the body is drawn from the same pre-split lines between a fixed header and footer,
// Bubble Tea's renderer can scroll the region instead of redrawing it.
func TestBytesPerScroll(t *testing.T) {
	synctest.Test(t, testBytesPerScroll) // the program's frame ticker runs on the bubble's clock
}

func testBytesPerScroll(t *testing.T) {
	out := &syncBuffer{}
	m := press(t, newTestModel(t, 80, 24, colorprofile.TrueColor, false), "3")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
		tea.WithWindowSize(80, 24), tea.WithColorProfile(colorprofile.TrueColor),
		tea.WithoutSignalHandler(), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	settle := func() int {
		// Everything a key causes is written within a few frame intervals; on the bubble's
		// clock they pass at once, and Wait returns when the program has nothing left to do.
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		return out.Len()
	}
	before := settle()
	var sizes []int
	for i := range 12 {
		k := "j"
		if i >= 8 {
			k = "k"
		}
		p.Send(keyPress(t, k))
		after := settle()
		sizes = append(sizes, after-before)
		before = after
	}
	p.Quit()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	slices.Sort(sizes)
	p95 := sizes[len(sizes)*95/100]
	t.Logf("bytes per one-line scroll: min %d, median %d, p95 %d, max %d", sizes[0], sizes[len(sizes)/2], p95, sizes[len(sizes)-1])
	if p95 > 512 {
		t.Fatalf("one-line scroll p95 is %d bytes, want at most 512", p95)
	}
}

// TestInBandResize feeds a mode 2048 size report into a real program's input, as a terminal
// sends it, and checks the model reflowed to it.
func TestInBandResize(t *testing.T) {
	synctest.Test(t, testInBandResize) // Wait tells when the program has started
}

func testInBandResize(t *testing.T) {
	in, feed := io.Pipe()
	out := &syncBuffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := tea.NewProgram(newTestModel(t, 80, 24, colorprofile.TrueColor, false), tea.WithContext(ctx),
		tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(80, 24),
		tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler(),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	type result struct {
		m   tea.Model
		err error
	}
	done := make(chan result, 1)
	go func() { m, err := p.Run(); done <- result{m, err} }()
	// Once every goroutine of the program waits, its own start-up size (sent from a goroutine
	// of its own) has been applied and cannot be the last word.
	synctest.Wait()
	_, _ = feed.Write([]byte("\x1b[48;20;50;400;500t")) // rows, columns, pixel height, width
	_, _ = feed.Write([]byte("q"))
	r := <-done
	_ = feed.Close()
	if r.err != nil {
		t.Fatal(r.err)
	}
	m := r.m.(Model)
	if m.width != 50 || m.height != 20 || len(m.page.lines) == 0 || m.page != m.r.page(m.site, coverIndex, 50, m.look) {
		t.Fatalf("model at %dx%d after an in-band report of 50x20", m.width, m.height)
	}
	if !bytes.Contains(out.bytes(), []byte("\x1b[?2048h")) || !bytes.Contains(out.bytes(), []byte("\x1b[?2048l")) {
		t.Fatal("in-band resize mode not set and reset")
	}
}

func (s *syncBuffer) bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}

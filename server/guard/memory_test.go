package guard

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// screenModel fills its window, as a full-screen UI does.
type screenModel struct{ w, h int }

func (m screenModel) Init() tea.Cmd { return nil }

func (m screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.w, m.h = size.Width, size.Height
	}
	return m, nil
}

func (m screenModel) View() tea.View {
	line := marker + " " + strings.Repeat("x", max(m.w-len(marker)-1, 0))
	v := tea.NewView(strings.TrimRight(strings.Repeat(line+"\n", max(m.h, 1)), "\n"))
	v.AltScreen = true
	return v
}

// teaHandler serves screenModel the way the server does: its own program
// per session, the guard's filter last.
func teaHandler(g *Guard) ssh.Handler {
	mw := bubbletea.MiddlewareWithProgramHandler(func(s ssh.Session) *tea.Program {
		opts := append(bubbletea.MakeOptions(s), tea.WithoutSignalHandler(), tea.WithFilter(g.TeaFilter(nil)))
		return tea.NewProgram(screenModel{}, opts...)
	})
	return mw(func(ssh.Session) {})
}

// heap returns the live heap after a full collection.
func heap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// markerWriter signals each write that completes a "guard-ready" marker
// (every frame of screenModel has them).
type markerWriter struct {
	tail []byte // the last bytes, too short to hold a whole marker
	seen chan struct{}
}

const marker = "guard-ready"

func (w *markerWriter) Write(p []byte) (int, error) {
	b := append(w.tail, p...)
	if strings.Contains(string(b), marker) {
		select {
		case w.seen <- struct{}{}:
		default:
		}
	}
	w.tail = append([]byte(nil), b[max(len(b)-len(marker)+1, 0):]...)
	return len(p), nil
}

// openScreen opens a pty session of the claimed size and waits for the
// first frame.
func openScreen(t *testing.T, c *gossh.Client, w, h int) (*gossh.Session, io.WriteCloser, *markerWriter) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", h, w, nil); err != nil {
		t.Fatal(err)
	}
	out := &markerWriter{seen: make(chan struct{}, 1)}
	s.Stdout = out
	stdin, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-out.seen:
	case <-time.After(10 * time.Second):
		t.Fatalf("no first frame for %dx%d", w, h)
	}
	return s, stdin, out
}

// TestMemoryBoundedWhateverTheClientClaims measures the heap of real
// Bubble Tea sessions: a 65535x65535 pty-req and a typed
// ESC[8;1000;1000t must cost about what a normal session costs. (Without
// the guard, 1000x1000 costs about 109 MB and 65535x65535 cannot be
// allocated at all.)
func TestMemoryBoundedWhateverTheClientClaims(t *testing.T) {
	g := newGuard(t, Config{})
	addr := startServer(t, g, teaHandler(g))

	base := heap()
	normal := dial(t, addr)
	_, stdin, out := openScreen(t, normal, 80, 24)
	afterNormal := heap()

	huge := dial(t, addr)
	openScreen(t, huge, 65535, 65535)
	afterHuge := heap()

	// In-band: the visitor types window size reports. Every one clamps to the same size, so the
	// first redraw after them is at the size they leave.
	select {
	case <-out.seen: // a frame from before them
	default:
	}
	for i := range 50 {
		_, _ = io.WriteString(stdin, "\x1b[8;1000;"+string(rune('0'+i%10))+"000t")
	}
	_, _ = io.WriteString(stdin, "\x1b[8;1000;1000t")
	select {
	case <-out.seen: // it redrew at the clamped size
	case <-time.After(5 * time.Second):
		t.Fatal("no redraw after the in-band resize")
	}
	afterInBand := heap()

	mb := func(n uint64, m uint64) float64 { return (float64(n) - float64(m)) / (1 << 20) }
	normalCost := mb(afterNormal, base)
	hugeCost := mb(afterHuge, afterNormal)
	inBandCost := mb(afterInBand, afterHuge)
	t.Logf("heap: normal 80x24 session %+.2f MB; 65535x65535 pty-req session %+.2f MB; typed ESC[8;1000;1000t %+.2f MB",
		normalCost, hugeCost, inBandCost)
	// The clamped size is 300x100, 15 times 80x24: its screen buffers cost
	// several MB (about 250 bytes a cell), never the gigabytes claimed.
	const bound = 16.0
	if hugeCost > normalCost+bound {
		t.Fatalf("the huge session cost %.1f MB against %.1f MB for a normal one", hugeCost, normalCost)
	}
	if inBandCost > bound {
		t.Fatalf("the in-band resize cost %.1f MB", inBandCost)
	}
}

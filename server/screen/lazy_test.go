package screen

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/vt"

	"portfolio/server/firstframe"
)

// reader is a model shaped like the portfolio's: it asks for the background colour and
// turns a mode on in Init (not again once resumed), paints its accent for the background,
// and counts keys. q quits.
type reader struct {
	w, h    int
	dark    bool
	keys    int
	resumed bool
	queries string // more for Init to ask the terminal
}

func (m reader) Init() tea.Cmd {
	if m.resumed {
		return nil
	}
	return tea.Batch(tea.RequestBackgroundColor, tea.Raw("\x1b[?1007s\x1b[?1007h"+m.queries))
}

func (m reader) Resumed() tea.Model {
	m.resumed = true
	return m
}

func (m reader) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.keys++
	}
	return m, nil
}

func (m reader) View() tea.View {
	ground, accent := "light", lipgloss.Color("#5A3FC0")
	if m.dark {
		ground, accent = "dark", lipgloss.Color("#B8A6FF")
	}
	title := lipgloss.NewStyle().Foreground(accent).Bold(true).Render("Ada Lovelace")
	v := tea.NewView(fmt.Sprintf("%s\n%s background, keys %d, size %dx%d\nq quit", title, ground, m.keys, m.w, m.h))
	v.AltScreen = true
	return v
}

var testEnv = []string{"TERM=xterm-256color"}

// runReader runs a 100x30 reader screen, asleep from the start when frames is set.
func runReader(t *testing.T, frames *firstframe.Cache) *terminal {
	return runReaderOn(t, frames, nil, reader{w: 100, h: 30, dark: true})
}

// runReaderOn runs model on a 100x30 screen whose output also goes to out, when not nil.
func runReaderOn(t *testing.T, frames *firstframe.Cache, out io.Writer, model tea.Model) *terminal {
	t.Helper()
	in, keys := io.Pipe()
	tm := &terminal{keys: keys, result: make(chan Result, 1)}
	var w io.Writer = tm
	if out != nil {
		w = io.MultiWriter(tm, out)
	}
	tm.sc = New(Config{
		In:         in,
		Out:        w,
		Width:      100,
		Height:     30,
		Options:    []tea.ProgramOption{tea.WithEnvironment(testEnv), tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler()},
		SleepAfter: time.Hour, // only the start is under test
		IdleFor:    func(time.Time) time.Duration { return 0 },
		Frames:     frames,
		Profile:    colorprofile.TrueColor,
		Env:        testEnv,
	}, model)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { tm.result <- tm.sc.Run(ctx) }()
	tm.end = sync.OnceFunc(func() {
		cancel()
		_ = keys.Close()
		select {
		case r := <-tm.result:
			tm.result <- r // for wait
		case <-time.After(10 * time.Second):
			t.Error("Run did not return once its context was done")
		}
		tm.sc.Wait()
	})
	t.Cleanup(tm.end)
	return tm
}

// programs is how many programs the screen has started so far.
func (tm *terminal) programs() int {
	tm.sc.mu.Lock()
	defer tm.sc.mu.Unlock()
	return tm.sc.lz.programs
}

// inputLeft is what the screen's queue still holds for a program.
func (tm *terminal) inputLeft() []uv.Event {
	tm.sc.mu.Lock()
	defer tm.sc.mu.Unlock()
	return append([]uv.Event(nil), tm.sc.queue...)
}

func TestScreenThatNeverHearsAKeyNeverStartsAProgram(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runReader(t, firstframe.NewCache(0))
		tm.waitShown(t, 100, 30, "dark background, keys 0, size 100x30")
		out := tm.output()
		for _, want := range []string{"\x1b[?1049h", "\x1b]11;?\a", "\x1b[?1007s\x1b[?1007h"} {
			if !strings.Contains(out, want) {
				t.Errorf("the painted start lacks %q:\n%q", want, out)
			}
		}
		advance(time.Minute) // the fake clock: a minute of nothing typed
		synctest.Wait()
		before := len(tm.output())
		tm.sc.End(false) // the idle timeout, say
		r := tm.wait(t)
		if r.Err != nil || r.Woken != 0 {
			t.Fatalf("ended asleep: err %v, %d programs; want a clean end and none", r.Err, r.Woken)
		}
		if rest := tm.output()[before:]; !strings.Contains(rest, altScreenOff) || !strings.Contains(rest, "\x1b[?25h") {
			t.Errorf("ending asleep did not give the terminal back:\n%q", rest)
		}
		return tm
	})
}

func TestTerminalRepliesDoNotWakeTheScreen(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runReader(t, firstframe.NewCache(0))
		tm.waitShown(t, 100, 30, "keys 0")
		// The answers a terminal gives, cut across writes the way a network may cut them.
		replies := "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\" + "\x1b[?2026;2$y" + "\x1b[?1u" + "\x1b[?62;22c" + "\x1b[48;30;100;600;1000t"
		for _, part := range []string{replies[:3], replies[3:17], replies[17:40], replies[40:]} {
			tm.press(t, part) // returns once the screen's decoder has read it: one read a part
		}
		// The fake clock: past the escape timeout a cut reply would be decided as typed.
		advance(2 * uv.DefaultEscTimeout)
		synctest.Wait()
		if n := tm.programs(); n != 0 {
			t.Fatalf("terminal replies started %d programs", n)
		}
		if left := tm.inputLeft(); len(left) != 0 {
			t.Fatalf("the sleeping screen left %v unread", left)
		}
		tm.press(t, "j")
		tm.waitShown(t, 100, 30, "dark background, keys 1")
		if n := tm.programs(); n != 1 {
			t.Fatalf("the first key started %d programs, want 1", n)
		}
		return tm
	})
}

func TestLightBackgroundRepaintsTheFirstFrameWithoutAProgram(t *testing.T) {
	frames := firstframe.NewCache(0)
	tm := runReader(t, frames)
	tm.waitShown(t, 100, 30, "dark background")
	tm.press(t, "\x1b]11;rgb:ffff/ffff/ffff\a")
	tm.waitShown(t, 100, 30, "light background, keys 0")
	if n := tm.programs(); n != 0 {
		t.Fatalf("the background reply started %d programs", n)
	}
	// The light frame on screen is the one a program would paint for the light model.
	want, _ := firstframe.Paint(firstframe.Screen{Width: 100, Height: 30, Profile: colorprofile.TrueColor, Env: testEnv},
		reader{w: 100, h: 30, dark: false}.View())
	if !strings.Contains(tm.output(), string(want)) {
		t.Errorf("the light repaint is not the light first frame")
	}
}

// liveTerminal is a terminal emulator that answers what it is asked, as a visitor's
// terminal does: the answers go to the screen's input. vt's Close races with a Read in
// progress (its closed flag), so stop closes only the pipe the answers go through, which is
// safe for concurrent use: answer's Read then ends. (Waking answer with one more question
// instead hung on one core: answer could have read its last answer and not yet looked at
// the stop, and then the question's answer had nobody to read it.)
type liveTerminal struct {
	mu      sync.Mutex // one write into the emulator at a time; guards stopped
	e       *vt.Emulator
	stopped bool
	done    chan struct{} // closed when the answering goroutine has returned
}

func newLiveTerminal(bg color.Color) *liveTerminal {
	e := vt.NewEmulator(100, 30)
	e.SetDefaultBackgroundColor(bg)
	return &liveTerminal{e: e, done: make(chan struct{})}
}

func (l *liveTerminal) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return len(p), nil
	}
	_, err := l.e.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n")))
	return len(p), err
}

// answer copies the terminal's answers to in until stop.
func (l *liveTerminal) answer(in io.Writer) {
	defer close(l.done)
	b := make([]byte, 256)
	for {
		n, err := l.e.Read(b)
		if err != nil {
			return
		}
		if _, err := in.Write(b[:n]); err != nil {
			return
		}
	}
}

// stop ends answer, once no write is in the emulator, and drops what is written after.
func (l *liveTerminal) stop() {
	l.mu.Lock()
	l.stopped = true
	_ = l.e.InputPipe().(*io.PipeWriter).CloseWithError(io.EOF)
	l.mu.Unlock()
	<-l.done
}

// A real terminal's answers (background colour, device attributes, mode reports), taken
// from a terminal emulator with a white background, are read by the sleeping screen: the
// palette turns light and no program starts.
func TestATerminalsOwnAnswersDoNotWake(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		live := newLiveTerminal(color.White)
		tm := runReaderOn(t, firstframe.NewCache(0), live,
			reader{w: 100, h: 30, dark: true, queries: "\x1b[c\x1b[>c\x1b[?2026$p\x1b[?2027$p"})
		go live.answer(tm.keys)
		defer live.stop() // before the screen ends: a later write is dropped
		tm.waitShown(t, 100, 30, "light background, keys 0")
		// The fake clock: past the escape timeout a cut answer would be decided as typed.
		advance(2 * uv.DefaultEscTimeout)
		synctest.Wait()
		if n := tm.programs(); n != 0 {
			t.Fatalf("the terminal's answers started %d programs", n)
		}
		tm.press(t, "j")
		tm.waitShown(t, 100, 30, "light background, keys 1")
		return tm
	})
}

func TestKeyRightBehindAReplyIsNotLost(t *testing.T) {
	tm := runReader(t, firstframe.NewCache(0))
	tm.waitShown(t, 100, 30, "keys 0")
	tm.press(t, "\x1b]11;rgb:ffff/ffff/ffff\ax")
	tm.waitShown(t, 100, 30, "light background, keys 1")
}

func TestResizeAndPasteWakeAPaintedScreen(t *testing.T) {
	tm := runReader(t, firstframe.NewCache(0))
	tm.waitShown(t, 100, 30, "keys 0")
	tm.sc.Resize(120, 40)
	tm.waitShown(t, 120, 40, "size 120x40")
	if n := tm.programs(); n != 1 {
		t.Fatalf("a resize started %d programs, want 1", n)
	}

	tm = runReader(t, firstframe.NewCache(0))
	tm.waitShown(t, 100, 30, "keys 0")
	tm.press(t, "\x1b[200~pasted\x1b[201~")
	if !eventually(func() bool { return tm.programs() > 0 }) {
		t.Fatal("a paste did not wake the screen")
	}
}

func TestEscapeAloneWakesAfterTheEscapeTimeout(t *testing.T) {
	tm := runReader(t, firstframe.NewCache(0))
	tm.waitShown(t, 100, 30, "keys 0")
	tm.press(t, "\x1b")
	tm.waitShown(t, 100, 30, "keys 1")
}

// The first key after a painted first frame reaches the model, and what the visitor then
// sees (cells, colours, cursor, alternate screen, modes, keyboard protocol) is what they see
// when a program started at once took the same key.
func TestFirstKeyAfterPaintedFrameMatchesAnAwakeStart(t *testing.T) {
	screens := map[string]string{}
	for _, lazy := range []bool{false, true} {
		inBubble(t, func(t *testing.T) *terminal {
			var frames *firstframe.Cache
			if lazy {
				frames = firstframe.NewCache(0)
			}
			tm := runReader(t, frames)
			tm.waitShown(t, 100, 30, "keys 0")
			tm.press(t, "x")
			tm.waitShown(t, 100, 30, "dark background, keys 1")
			advance(150 * time.Millisecond) // the fake clock: the program's later frames
			synctest.Wait()                 // have been written
			screens[fmt.Sprint(lazy)] = terminalState(tm.output(), 100, 30)
			if n := tm.programs(); n != 1 {
				t.Errorf("lazy %v: %d programs after one key, want 1", lazy, n)
			}
			return tm
		})
	}
	if screens["true"] != screens["false"] {
		t.Fatalf("a painted start then a key differs from an awake start:\n--- awake\n%s\n--- painted\n%s", screens["false"], screens["true"])
	}
}

var (
	decMode  = regexp.MustCompile(`\x1b\[\?([0-9;]+)([hlsr])`)
	kittyOps = regexp.MustCompile(`\x1b\[([<>])[0-9]*u`)
)

// onTerminal is out as the visitor's terminal receives it: an SSH server's PTY turns each
// newline into CR LF (ONLCR), which Bubble Tea's renderer counts on.
func onTerminal(out string) string {
	return strings.ReplaceAll(terminalQueries.ReplaceAllString(out, ""), "\n", "\r\n")
}

// waitShown waits until a w x h terminal emulator fed the output shows s.
func (tm *terminal) waitShown(t *testing.T, w, h int, s string) {
	t.Helper()
	tm.waitOutput(t, fmt.Sprintf("%q", s), func(out string) (string, bool) {
		e := vt.NewEmulator(w, h)
		defer e.Close()
		_, _ = e.WriteString(onTerminal(out))
		shown := e.String()
		return shown, strings.Contains(shown, s)
	})
}

// terminalState is all a visitor could notice of a terminal fed out: the styled cells, the
// cursor (where, when it shows), the alternate screen, the DEC modes, the kitty stack depth.
func terminalState(out string, w, h int) string {
	e := vt.NewEmulator(w, h)
	defer e.Close()
	_, _ = e.WriteString(onTerminal(out))
	modes, saved := map[string]string{}, map[string]string{}
	for _, m := range decMode.FindAllStringSubmatch(out, -1) {
		for _, mode := range strings.Split(m[1], ";") {
			switch m[2] {
			case "h", "l":
				modes[mode] = m[2]
			case "s":
				saved[mode] = modes[mode]
			case "r":
				modes[mode] = saved[mode]
			}
		}
	}
	depth := 0
	for _, m := range kittyOps.FindAllStringSubmatch(out, -1) {
		if m[1] == ">" {
			depth++
		} else {
			depth--
		}
	}
	cursor := "hidden"
	if !e.CursorHidden() {
		cursor = fmt.Sprint(e.CursorPosition())
	}
	return fmt.Sprintf("%s\ncursor %s, alt screen %v, modes %v, kitty depth %d",
		e.Render(), cursor, e.IsAltScreen(), modes, depth)
}

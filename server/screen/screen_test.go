package screen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"
)

// These tests run a Screen on an io.Pipe and a buffer: no SSH server, no network. The
// server's own tests check the same behaviour through a real session.

const altScreenOff = "\x1b[?1049l"

// counter shows its window size and the keys it has seen; q quits, p panics in View.
type counter struct {
	w, h, keys int
	panicking  bool
	ticks      int // with tick on, a new frame every 20ms
	tick       bool
}

type tickMsg struct{}

func nextTick() tea.Cmd {
	return tea.Tick(20*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m counter) Init() tea.Cmd {
	if m.tick {
		return nextTick()
	}
	return nil
}
func (m counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		m.ticks++
		return m, nextTick()
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q":
			return m, tea.Quit
		case "p":
			m.panicking = true
		default:
			m.keys++
		}
	}
	return m, nil
}
func (m counter) View() tea.View {
	if m.panicking {
		panic("view broke")
	}
	v := tea.NewView(fmt.Sprintf("size %dx%d keys %d%s", m.w, m.h, m.keys, strings.Repeat("#", m.ticks%50)))
	v.AltScreen = true
	return v
}

// terminal is the visitor's side of a screen under test.
type terminal struct {
	keys   *io.PipeWriter
	mu     sync.Mutex
	out    bytes.Buffer
	grew   chan struct{} // closed and replaced by every write; nil until asked for
	sc     *Screen
	result chan Result
	end    func() // ends the screen and waits for it; again at the test's cleanup
}

func (tm *terminal) Write(p []byte) (int, error) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.grew != nil {
		close(tm.grew)
		tm.grew = nil
	}
	return tm.out.Write(p)
}

func (tm *terminal) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// outputNow returns the output so far and a channel closed at the next write.
func (tm *terminal) outputNow() (string, <-chan struct{}) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.grew == nil {
		tm.grew = make(chan struct{})
	}
	return tm.out.String(), tm.grew
}

// waitOutput waits, write by write, until shows holds for the output; it fails the test with
// what was shown last after 10s.
func (tm *terminal) waitOutput(t *testing.T, what string, shows func(out string) (string, bool)) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		out, grew := tm.outputNow()
		shown, ok := shows(out)
		if ok {
			return
		}
		select {
		case <-grew:
		case <-deadline:
			t.Fatalf("no %s on screen:\n%s", what, shown)
		}
	}
}

// advance moves the synctest bubble's fake clock on by d: inside the bubble a sleep returns
// once every other goroutine of the bubble is blocked, at the fake time d later, and takes
// no wall time. It is how a test of code that runs on timers lets the timers fire.
func advance(d time.Duration) { time.Sleep(d) }

// inBubble runs f in a synctest bubble, where the screen's sleep timer, Bubble Tea's frame
// ticker and the decoder's escape timeout run on a fake clock: advance there passes no
// real time, and synctest.Wait returns once every goroutine of the test is blocked, which is
// how a test sees that nothing more will happen. The screen f returns is ended inside the
// bubble; the clock then runs on until the commands Bubble Tea leaves running (a tick) return.
func inBubble(t *testing.T, f func(t *testing.T) *terminal) {
	synctest.Test(t, func(t *testing.T) {
		f(t).end()
		advance(time.Minute) // the fake clock
	})
}

// eventually reports whether cond holds within 10s, looking every 5ms. It is for the
// screen's own state (asleep, the programs started, the queue), which nothing announces.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond) // no event to wait on: see above
	}
	return true
}

// runScreen runs a 100x30 screen that sleeps after after, until the test ends.
func runScreen(t *testing.T, after time.Duration) *terminal {
	return runModel(t, after, counter{})
}

func runModel(t *testing.T, after time.Duration, model tea.Model) *terminal {
	t.Helper()
	in, keys := io.Pipe()
	tm := &terminal{keys: keys, result: make(chan Result, 1)}
	var lastKey time.Time // the test's typing is the only input
	var mu sync.Mutex
	tm.sc = New(Config{
		In:         in,
		Out:        tm,
		Width:      100,
		Height:     30,
		SleepAfter: after,
		Options:    []tea.ProgramOption{tea.WithoutSignalHandler()}, // as the server runs them
		IdleFor: func(now time.Time) time.Duration {
			mu.Lock()
			defer mu.Unlock()
			return now.Sub(lastKey)
		},
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

func (tm *terminal) press(t *testing.T, key string) {
	t.Helper()
	if _, err := tm.keys.Write([]byte(key)); err != nil {
		t.Fatal(err)
	}
}

// terminalQueries matches what Bubble Tea asks a terminal, which the emulator would answer
// into a pipe nobody reads.
var terminalQueries = regexp.MustCompile(`\x1b\[\?[0-9;]*\$p|\x1b\]1[01];\?(\a|\x1b\\)|\x1b\[\?u|\x1b\[[>=]?c`)

// waitScreen waits until a w x h terminal emulator fed the output shows s.
func (tm *terminal) waitScreen(t *testing.T, w, h int, s string) {
	t.Helper()
	tm.waitOutput(t, fmt.Sprintf("%q", s), func(out string) (string, bool) {
		e := vt.NewEmulator(w, h)
		defer e.Close()
		_, _ = e.WriteString(terminalQueries.ReplaceAllString(out, ""))
		shown := e.String()
		return shown, strings.Contains(shown, s)
	})
}

// waitAsleep waits until the screen has slept n times in all and is asleep now.
func (tm *terminal) waitAsleep(t *testing.T, n int) {
	t.Helper()
	if !eventually(func() bool {
		tm.sc.mu.Lock()
		defer tm.sc.mu.Unlock()
		return tm.sc.p == nil && tm.sc.sleeps >= n
	}) {
		t.Fatalf("the screen did not go to sleep a %d. time", n)
	}
}

func (tm *terminal) wait(t *testing.T) Result {
	t.Helper()
	select {
	case r := <-tm.result:
		tm.result <- r // for the cleanup
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("Run still running; output:\n%q", tm.output())
		return Result{}
	}
}

func TestKeyWakesSleepingScreenAndReachesTheModel(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 100*time.Millisecond)
		tm.waitScreen(t, 100, 30, "size 100x30 keys 0")
		tm.waitAsleep(t, 1)
		asleep := len(tm.output())
		if strings.Contains(tm.output(), altScreenOff) {
			t.Fatal("going to sleep left the alternate screen")
		}

		tm.press(t, "x")
		tm.waitScreen(t, 100, 30, "size 100x30 keys 1")
		tm.waitAsleep(t, 2)
		if woke := tm.output()[asleep:]; strings.Contains(woke, altScreenOff) {
			t.Errorf("waking left the alternate screen:\n%q", woke)
		}

		tm.press(t, "q")
		r := tm.wait(t)
		if r.Err != nil || r.Panic != nil {
			t.Fatalf("q: err %v, panic %v; want a clean end", r.Err, r.Panic)
		}
		if m, ok := r.Model.(counter); !ok || m.keys != 1 {
			t.Errorf("final model %#v, want the counter with its one key carried across sleeps", r.Model)
		}
		if r.Sleeps < 2 {
			t.Errorf("slept %d times, want at least 2", r.Sleeps)
		}
		if n := strings.Count(tm.output(), altScreenOff); n != 1 {
			t.Errorf("alternate screen left %d times, want once, at the end", n)
		}
		return tm
	})
}

func TestResizeWakesSleepingScreen(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 100*time.Millisecond)
		tm.waitScreen(t, 100, 30, "size 100x30 keys 0")
		tm.waitAsleep(t, 1)
		tm.sc.Resize(120, 40)
		tm.waitScreen(t, 120, 40, "size 120x40 keys 0")
		tm.waitAsleep(t, 2)
		return tm
	})
}

// Ending a sleeping screen wakes a program to give the terminal back.
func TestEndWakesSleepingScreenToRestoreTheTerminal(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 100*time.Millisecond)
		tm.waitAsleep(t, 1)
		asleep := len(tm.output())
		tm.sc.End(false)
		if r := tm.wait(t); r.Err != nil {
			t.Fatalf("End: err %v, want a clean quit", r.Err)
		}
		if !strings.Contains(tm.output()[asleep:], altScreenOff) {
			t.Errorf("the terminal was not restored after End:\n%q", tm.output()[asleep:])
		}
		return tm
	})
}

// When the visitor has gone, nobody is left to see a last frame.
func TestEndWhenGoneKillsTheProgram(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 0)
		tm.waitScreen(t, 100, 30, "keys 0")
		tm.sc.End(true)
		if r := tm.wait(t); !errors.Is(r.Err, tea.ErrProgramKilled) {
			t.Errorf("err %v, want tea.ErrProgramKilled", r.Err)
		}
		return tm
	})
}

func TestInputEndingWhileAsleepEndsTheScreen(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 100*time.Millisecond)
		tm.waitAsleep(t, 1)
		_ = tm.keys.Close()
		if r := tm.wait(t); !errors.Is(r.Err, tea.ErrProgramKilled) {
			t.Errorf("err %v, want tea.ErrProgramKilled (the visitor left)", r.Err)
		}
		done := make(chan struct{})
		go func() {
			tm.sc.Wait()
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the screen's input reading outlived its ended input")
		}
		return tm
	})
}

func TestPanicInViewIsReported(t *testing.T) {
	inBubble(t, func(t *testing.T) *terminal {
		tm := runScreen(t, 0)
		tm.waitScreen(t, 100, 30, "keys 0")
		tm.press(t, "p")
		r := tm.wait(t)
		if r.Panic == nil || r.Panic.Value != "view broke" || !strings.Contains(r.Panic.Stack, "counter.View") {
			t.Fatalf("panic %+v, want the value and a stack through counter.View", r.Panic)
		}
		return tm
	})
}

// A screen that keeps changing is never put to sleep: its model may be animating.
func TestChangingScreenNeverSleeps(t *testing.T) {
	// A frame every 20ms, a sleep delay of 250ms, on the fake clock: four delays pass without
	// a sleep, however slow the machine.
	inBubble(t, func(t *testing.T) *terminal {
		tm := runModel(t, 250*time.Millisecond, counter{tick: true})
		tm.waitScreen(t, 100, 30, "keys 0#####")
		advance(time.Second) // the fake clock
		tm.press(t, "q")
		if r := tm.wait(t); r.Sleeps != 0 {
			t.Errorf("a ticking screen slept %d times", r.Sleeps)
		}
		return tm
	})
}

// Every window size reaches Config.Fit once, the client's window changes and the size
// reports decoded from the input alike, and the program sees only the fitted size.
func TestEverySizeIsFittedOnce(t *testing.T) {
	in, keys := io.Pipe()
	tm := &terminal{keys: keys, result: make(chan Result, 1)}
	var (
		mu     sync.Mutex
		fitted []string
	)
	tm.sc = New(Config{
		In:     in,
		Out:    tm,
		Width:  100,
		Height: 30,
		Env:    []string{"TERM=xterm-256color"},
		Fit: func(w, h int) (int, int, bool) {
			mu.Lock()
			defer mu.Unlock()
			fitted = append(fitted, fmt.Sprintf("%dx%d", w, h))
			return min(w, 110), min(h, 35), true
		},
		IdleFor: func(time.Time) time.Duration { return 0 },
	}, counter{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { tm.result <- tm.sc.Run(ctx) }()
	defer func() {
		cancel()
		_ = keys.Close()
		tm.wait(t)
		tm.sc.Wait()
	}()
	tm.waitScreen(t, 100, 30, "size 100x30")

	tm.sc.Resize(120, 40)
	tm.waitScreen(t, 110, 35, "size 110x35")
	tm.press(t, "\x1b[8;50;200t") // a size report: rows, columns
	tm.waitScreen(t, 110, 35, "size 110x35 keys 0")
	tm.press(t, "\x1b[8;20;90t")
	tm.waitScreen(t, 90, 20, "size 90x20")

	mu.Lock()
	defer mu.Unlock()
	if want := []string{"120x40", "200x50", "90x20"}; !slices.Equal(fitted, want) {
		t.Errorf("sizes fitted %v, want each once: %v", fitted, want)
	}
}

// What waits for a program is bounded: with no program to take them, the screen holds
// queueLimit events (and the decoder one read's worth more) and reads no more: the writer
// waits, as an SSH client waits for its window. Once a program runs it gets every key.
func TestWaitingInputIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, keys := io.Pipe()
		tm := &terminal{keys: keys, result: make(chan Result, 1)}
		tm.sc = New(Config{
			In: in, Out: tm, Width: 100, Height: 30,
			Options: []tea.ProgramOption{tea.WithoutSignalHandler()},
			IdleFor: func(time.Time) time.Duration { return 0 },
		}, counter{})
		const typed = 16 * queueLimit
		written := make(chan error, 1)
		go func() {
			_, err := keys.Write([]byte(strings.Repeat("j", typed)))
			written <- err
		}()
		synctest.Wait() // the screen has read what it may, and the writer is blocked
		if n := len(tm.inputLeft()); n != queueLimit {
			t.Fatalf("the screen holds %d events, want its bound %d", n, queueLimit)
		}
		select {
		case err := <-written:
			t.Fatalf("all %d keys were read with no program to take them (%v)", typed, err)
		default:
		}

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { tm.result <- tm.sc.Run(ctx) }()
		if err := <-written; err != nil {
			t.Fatal(err)
		}
		tm.waitScreen(t, 100, 30, fmt.Sprintf("keys %d", typed))
		tm.press(t, "q")
		if m, ok := tm.wait(t).Model.(counter); !ok || m.keys != typed {
			t.Errorf("final model %#v, want all %d keys", tm.wait(t).Model, typed)
		}
		_ = keys.Close()
		tm.sc.Wait()
	})
}

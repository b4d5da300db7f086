package server

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// screen is one visitor's terminal and the Bubble Tea programs that draw it in turn.
//
// A tea.Program runs a frame ticker at its frame rate for as long as it lives and holds two
// screen-sized cell buffers and a key table: an idle visitor costs the ticker's wake-ups and
// about 0.6 MB at 80x24.
// Neither can be paused, so a screen that has not changed while the visitor typed nothing
// and did not resize for Config.SleepAfter is put to sleep instead: its program is killed
// with its output discarded (the visitor's terminal keeps the last frame, still in the
// alternate screen, with every mode as it was), and the model it ended with waits. The next
// key, resize or ending wakes a new program with that model on the same screen; it redraws
// the frame and handles the key that woke it, which the input relay kept for it.
type screen struct {
	srv        *Server
	v          *visit
	in         *inputRelay
	options    []tea.ProgramOption // shared by every program of this screen
	sleepAfter time.Duration
	wake       chan struct{} // cap 1: something a sleeping screen must look at

	mu    sync.Mutex
	watch *panicWatch
	p     *tea.Program // drawing now; nil between programs
	// kill ends p without a last frame by cancelling its context. Unlike p.Kill it is
	// safe before p.Run has started (Kill then waits on a renderer that is not running).
	kill      context.CancelFunc
	out       *programOutput
	timer     *time.Timer
	width     int
	height    int
	lastEvent time.Time // last resize or program start
	asleep    bool      // p is being, or has been, put to sleep
	resized   bool      // a resize arrived while asleep
	stopping  bool      // the session is ending: quit, do not sleep
	lateInput bool      // the program put to sleep took input as it went
	sleeps    int
}

func newScreen(s *Server, v *visit, watch *panicWatch, options []tea.ProgramOption) *screen {
	pty, _, _ := v.Pty()
	return &screen{
		srv:        s,
		v:          v,
		in:         newInputRelay(v),
		options:    options,
		sleepAfter: s.cfg.SleepAfter,
		wake:       make(chan struct{}, 1),
		watch:      watch,
		width:      pty.Window.Width,
		height:     pty.Window.Height,
	}
}

// start builds the next program for the screen; the caller runs it. The program ends
// without a last frame when ctx does (the visitor has gone).
func (sc *screen) start(ctx context.Context) *tea.Program {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	out := &programOutput{w: sc.v}
	ctx, sc.kill = context.WithCancel(ctx)
	opts := append(sc.options[:len(sc.options):len(sc.options)],
		tea.WithContext(ctx),
		tea.WithInput(sc.in.attach()),
		tea.WithOutput(out),
		tea.WithWindowSize(sc.width, sc.height),
		// Last, so it replaces the filter MakeOptions installs (there is only one); it keeps
		// that one's job of turning ctrl+z's suspend into a resume: there is no shell to
		// suspend to. Built afresh for each program. The guard's part is outermost: it clamps
		// every window size (also those Bubble Tea derives from typed bytes such as
		// ESC[8;1000;1000t) and coalesces resize storms before the server's own filter or
		// the model sees them.
		tea.WithFilter(sc.srv.guard.TeaFilter(sc.srv.filter(sc.v))),
	)
	p := tea.NewProgram(sc.watch, opts...)
	sc.watch.report.setOnPanic(p.Quit)
	sc.p, sc.out = p, out
	sc.asleep, sc.resized, sc.lateInput = false, false, false
	sc.lastEvent = time.Now()
	if sc.stopping {
		go p.Quit() // woken to end: draw once, give the terminal back, leave
	} else if sc.sleepAfter > 0 {
		sc.timer = time.AfterFunc(sc.sleepAfter, func() { sc.maybeSleep(p) })
	}
	return p
}

// ended is called once the program's Run has returned with its final model. It reports
// whether the program was put to sleep (the session goes on) rather than ended.
func (sc *screen) ended(final tea.Model) bool {
	sc.mu.Lock()
	if w, ok := final.(*panicWatch); ok {
		sc.watch = w
	}
	if sc.timer != nil {
		sc.timer.Stop()
	}
	sc.kill()
	asleep := sc.asleep
	// The quit hook holds the dead program, and with it the cell buffers and key table
	// that sleeping is meant to give back.
	sc.watch.report.setOnPanic(nil)
	if asleep {
		if r, ok := sc.watch.Model.(interface{ Resumed() tea.Model }); ok {
			sc.watch.Model = r.Resumed()
		}
	}
	sc.p, sc.timer = nil, nil
	sc.mu.Unlock()
	if asleep {
		// What the killed program's discarded exit would have sent for the keyboard (the
		// next program pushes its own entry); the rest of the terminal stays as it is.
		_, _ = io.WriteString(sc.v, ansi.ResetModifyOtherKeys+ansi.PopKittyKeyboard(1))
	}
	return asleep
}

// maybeSleep puts p to sleep if its screen has been quiet for sleepAfter, or looks again
// when it could first be.
func (sc *screen) maybeSleep(p *tea.Program) {
	sc.mu.Lock()
	if sc.p != p || sc.asleep || sc.stopping {
		sc.mu.Unlock()
		return
	}
	now := time.Now()
	quiet := min(sc.v.idleFor(now), now.Sub(sc.lastEvent), sc.out.quietFor(now))
	if quiet < sc.sleepAfter {
		sc.timer.Reset(sc.sleepAfter - quiet)
		sc.mu.Unlock()
		return
	}
	sc.asleep = true
	sc.sleeps++
	out, kill := sc.out, sc.kill
	taken := sc.in.taken()
	sc.mu.Unlock()

	out.discard.Store(true)
	late := sc.in.detach() != taken
	sc.mu.Lock()
	sc.lateInput = late
	sc.mu.Unlock()
	kill()
}

// sleep waits until the sleeping screen must wake. It reports false when the visitor has
// gone (the session's context is done or their input has ended) and nothing should wake.
func (sc *screen) sleep(done <-chan struct{}) bool {
	for {
		select {
		case <-done:
			return false
		default:
		}
		if sc.in.ended() {
			return false
		}
		input, waiting := sc.in.pending()
		sc.mu.Lock()
		wake := waiting || sc.resized || sc.stopping || sc.lateInput
		sc.mu.Unlock()
		if wake {
			return true
		}
		select {
		case <-input:
		case <-sc.wake:
		case <-done:
			return false
		}
	}
}

// resize hands a window change to the program drawing, or wakes the screen with it.
// A size equal to the current one is dropped: the ssh package reports the pty-req's size
// again as the first window change, and every size Bubble Tea applies repaints the whole
// screen (2 KB for nothing, a frame after the first).
func (sc *screen) resize(width, height int) {
	sc.mu.Lock()
	if width == sc.width && height == sc.height {
		sc.mu.Unlock()
		return
	}
	sc.width, sc.height = width, height
	sc.lastEvent = time.Now()
	p := sc.p
	if p == nil || sc.asleep {
		p = nil
		sc.resized = true
	}
	sc.mu.Unlock()
	if p == nil {
		sc.nudge()
		return
	}
	p.Send(tea.WindowSizeMsg{Width: width, Height: height})
}

// end asks the screen to end: the program drawing quits (restoring the terminal), and a
// sleeping screen wakes a program to do so. When the visitor has gone, the program is killed
// instead: nobody is left to see a last frame.
func (sc *screen) end(gone bool) {
	sc.mu.Lock()
	sc.stopping = true
	p, kill := sc.p, sc.kill
	sc.mu.Unlock()
	switch {
	case p == nil:
	case gone:
		kill()
	default:
		p.Quit()
	}
	sc.nudge()
}

func (sc *screen) nudge() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

// finalWatch is the model the last program ended with, wrapped in its panic watch.
func (sc *screen) finalWatch() *panicWatch {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.watch
}

// sleepCount is how often the screen went to sleep.
func (sc *screen) sleepCount() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.sleeps
}

// programOutput is one program's writer to the visitor. It notes when the program last drew,
// and drops everything once the program is put to sleep: a killed program still writes the
// sequences that leave the alternate screen and reset the terminal, and the visitor must
// keep the screen as it was.
type programOutput struct {
	w         io.Writer
	discard   atomic.Bool
	lastWrite atomic.Int64 // unix nanoseconds
}

func (o *programOutput) Write(p []byte) (int, error) {
	if o.discard.Load() {
		return len(p), nil
	}
	o.lastWrite.Store(time.Now().UnixNano())
	return o.w.Write(p)
}

// quietFor is how long the program has written nothing (forever, if it never has).
func (o *programOutput) quietFor(now time.Time) time.Duration {
	last := o.lastWrite.Load()
	if last == 0 {
		return time.Duration(1<<63 - 1)
	}
	return now.Sub(time.Unix(0, last))
}

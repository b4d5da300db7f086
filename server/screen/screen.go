package screen

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"portfolio/server/firstframe"
)

// Filter is the signature tea.WithFilter takes.
type Filter = func(tea.Model, tea.Msg) tea.Msg

// Config is what a Screen draws on and how.
type Config struct {
	In            io.Reader           // the visitor's input; the screen reads it for its whole life
	Out           io.Writer           // the visitor's terminal
	Width, Height int                 // the size the first program starts at
	Options       []tea.ProgramOption // shared by every program: frame rate, environment, profile
	// NewFilter builds the message filter of one program, afresh for each (a filter may keep
	// per-program state). It is installed last, so it replaces any filter in Options. Nil:
	// no filter.
	NewFilter func() Filter
	// Fit is the size the screen may draw a window of width x height at, or false to ignore
	// that size: it is applied once to every size that reaches the screen, the client's
	// window changes (Resize) and the size reports decoded from the input alike. Nil: every
	// size as it is.
	Fit func(width, height int) (int, int, bool)
	// SleepAfter is how long the screen must stay unchanged, with no input and no resize,
	// before its program is put to sleep; 0: never.
	SleepAfter time.Duration
	// IdleFor says how long the visitor has typed nothing: the session's own input clock.
	IdleFor func(now time.Time) time.Duration
	// Frames, when set, starts the screen asleep: the first frame painted from this cache
	// without a program, which starts when the visitor acts (lazy.go). Nil: the first
	// program starts at once.
	Frames *firstframe.Cache
	// Profile and Env are the colour profile and environment the programs get through
	// Options; the painter needs them to paint what a program would.
	Profile colorprofile.Profile
	Env     []string
}

// Screen is one visitor's terminal and the Bubble Tea programs that draw it in turn.
//
// A tea.Program runs a frame ticker at its frame rate for as long as it lives and holds two
// screen-sized cell buffers and a key table. Neither can be paused, so a screen that has not
// changed while the visitor typed nothing and did not resize for Config.SleepAfter is put to
// sleep instead: its program is killed with its output discarded (the visitor's terminal
// keeps the last frame, still in the alternate screen, with every mode as it was), and the
// model it ended with waits. The next key, resize or ending wakes a new program with that
// model on the same screen; it redraws the frame and handles the key that woke it, which
// waited in the queue for it (input.go).
type Screen struct {
	cfg  Config
	wake chan struct{} // cap 1: something a sleeping screen must look at
	// ready (cap 1) tells the dispatcher that a program takes events, or the queue has room.
	ready       chan struct{}
	stopReading context.CancelFunc
	inputDone   chan struct{} // closed when the dispatcher has returned: the input has ended
	// quits counts the goroutines handing a program its quit message (Program.Quit blocks
	// until the event loop takes it, or the program has ended); Run waits for them.
	quits sync.WaitGroup

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
	lastEvent time.Time // last resize, program start or event a program took
	asleep    bool      // p is being, or has been, put to sleep
	resized   bool      // a resize arrived while asleep
	stopping  bool      // the screen is ending: quit, do not sleep
	sleeps    int
	lz        lazyState
	// The input (input.go): events decoded and not yet handed to a program, in order.
	queue      []uv.Event
	sending    bool // the dispatcher is handing p an event
	inputEnded bool // the input has ended and every event decoded from it is in queue
	over       bool // Run has returned: events are dropped
	// The decoder (input.go): nil while there is none, before the first bytes and while
	// a sleeping screen's input is quiet.
	dec          *decoder
	feeding      bool        // read is handing dec bytes
	fedAt        time.Time   // when read last handed dec bytes
	pasting      bool        // a paste has started and not ended: dec holds its text
	releaseTimer *time.Timer // lets dec go releaseAfter after the last bytes, if asleep
}

// New starts reading cfg.In and returns the screen, ready to Run model.
func New(cfg Config, model tea.Model) *Screen {
	ctx, stop := context.WithCancel(context.Background())
	sc := &Screen{
		cfg:         cfg,
		wake:        make(chan struct{}, 1),
		ready:       make(chan struct{}, 1),
		stopReading: stop,
		inputDone:   make(chan struct{}),
		watch:       newPanicWatch(model),
		width:       cfg.Width,
		height:      cfg.Height,
	}
	events := make(chan uv.Event)
	go sc.read(ctx, cfg.In, uv.Environ(cfg.Env).Getenv("TERM"), events)
	go sc.dispatch(events)
	return sc
}

// Panic is a panic the model raised, recovered by the screen.
type Panic struct {
	Value string // what was passed to panic, formatted
	Stack string // empty when Bubble Tea caught it first and reported it on stderr
}

// Result is how the screen ended.
type Result struct {
	Model  tea.Model // the model the last program ended with
	Err    error     // the last program's Run error; tea.ErrProgramKilled when the visitor left
	Panic  *Panic    // the model panicked; nil otherwise
	Sleeps int       // how often the screen was put to sleep
	Woken  int       // how many programs were started: 0 when the visitor never acted
}

// Run draws the screen, one program after another, until a program ends other than by being
// put to sleep, or the visitor leaves while the screen sleeps. Programs end without a last
// frame when ctx is done (the visitor has gone). Once Run returns no program of this screen
// runs, and nothing reads the input any more.
func (sc *Screen) Run(ctx context.Context) Result {
	var err error
	asleep := sc.paintFirst()
	for {
		if asleep {
			if !sc.sleep(ctx.Done()) {
				err = tea.ErrProgramKilled // the visitor left while their screen slept
				break
			}
			if ended, gone := sc.endAsleep(); ended {
				if gone {
					err = tea.ErrProgramKilled
				}
				break
			}
		}
		p := sc.start(ctx)
		var final tea.Model
		final, err = p.Run()
		p.Kill() // after Run: restores the terminal if Run was cut short
		if asleep = sc.ended(final); !asleep {
			break
		}
	}
	sc.quits.Wait() // every program has ended: their Quit calls return

	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.over, sc.queue = true, nil
	sc.stopReading()
	sc.programAwake() // the dispatcher may be waiting for room
	r := Result{Model: sc.watch.Model, Err: err, Sleeps: sc.sleeps, Woken: sc.lz.programs}
	value, stack, panicked := sc.watch.report.get()
	switch {
	case panicked:
		r.Panic = &Panic{Value: value, Stack: stack}
	case errors.Is(err, tea.ErrProgramPanic):
		r.Panic = &Panic{Value: "unknown: caught by Bubble Tea, reported on the process's stderr"}
	}
	return r
}

// Wait returns once the screen has stopped reading its input: when the input has ended
// (for an SSH channel, once it is closed) or right away if it has already. Call it after Run.
func (sc *Screen) Wait() { <-sc.inputDone }

// start builds the next program for the screen; the caller runs it. The program ends
// without a last frame when ctx does (the visitor has gone).
func (sc *Screen) start(ctx context.Context) *tea.Program {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	out := &programOutput{w: sc.cfg.Out}
	ctx, sc.kill = context.WithCancel(ctx)
	opts := append(sc.cfg.Options[:len(sc.cfg.Options):len(sc.cfg.Options)],
		tea.WithContext(ctx),
		tea.WithInput(noInput{ctx.Done()}), // events come with Send (input.go)
		tea.WithOutput(out),
		tea.WithWindowSize(sc.width, sc.height),
	)
	if sc.cfg.NewFilter != nil {
		// Last, so it replaces any filter in the options (a program has only one).
		opts = append(opts, tea.WithFilter(sc.cfg.NewFilter()))
	}
	p := tea.NewProgram(sc.watch, opts...)
	sc.watch.report.setOnPanic(func() { sc.quit(p) })
	sc.p, sc.out = p, out
	sc.lz.programs++
	sc.asleep, sc.resized = false, false
	sc.lastEvent = time.Now()
	if sc.stopping {
		sc.quit(p) // woken to end: draw once, give the terminal back, leave
	} else if sc.cfg.SleepAfter > 0 {
		sc.timer = time.AfterFunc(sc.cfg.SleepAfter, func() { sc.maybeSleep(p) })
	}
	sc.programAwake()
	return p
}

// quit hands p its quit message without blocking the caller, which may be p's own event
// loop or a program not running yet. Run waits for it, so it is called only while p is the
// program drawing: under mu, or from p's panic hook, which ended removes under mu.
func (sc *Screen) quit(p *tea.Program) {
	sc.quits.Add(1)
	go func() {
		defer sc.quits.Done()
		p.Quit()
	}()
}

// ended is called once the program's Run has returned with its final model. It reports
// whether the program was put to sleep (the screen goes on) rather than ended.
func (sc *Screen) ended(final tea.Model) bool {
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
		_, _ = io.WriteString(sc.cfg.Out, ansi.ResetModifyOtherKeys+ansi.PopKittyKeyboard(1))
	}
	return asleep
}

// Resize fits a window change (Config.Fit) and hands it to the program drawing, or wakes the
// screen with it. A size equal to the current one is dropped: the ssh package reports the
// pty-req's size again as the first window change, a terminal with in-band resize reports
// repeats the size it has, and every size Bubble Tea applies repaints the whole screen
// (2 KB for nothing, a frame after the first).
func (sc *Screen) Resize(width, height int) {
	if sc.cfg.Fit != nil {
		var ok bool
		if width, height, ok = sc.cfg.Fit(width, height); !ok {
			return
		}
	}
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

// End asks the screen to end: the program drawing quits (restoring the terminal), and a
// sleeping screen wakes a program to do so. When the visitor has gone, the program is killed
// instead: nobody is left to see a last frame. It never blocks, and may be called from any
// goroutine, before Run too.
func (sc *Screen) End(gone bool) {
	sc.mu.Lock()
	sc.stopping = true
	sc.lz.gone = sc.lz.gone || gone
	switch {
	case sc.p == nil:
	case gone:
		sc.kill()
	default:
		sc.quit(sc.p) // under mu, so that Run, which waits for it, cannot have passed its wait
	}
	sc.mu.Unlock()
	sc.nudge()
}

func (sc *Screen) nudge() {
	select {
	case sc.wake <- struct{}{}:
	default:
	}
}

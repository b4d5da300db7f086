package screen

import (
	"fmt"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// panicWatch wraps a session's model so that a panic in the UI ends that session cleanly and
// lands in the server's structured log with the session id, value and stack.
//
// Bubble Tea catches panics in Update, View and commands itself, and that stays on as the
// backstop (commands run on goroutines no middleware reaches; without it one bad command
// would end every visitor's session). But it prints its report to the process's stderr, which
// breaks a JSON log and carries no session id. So panicWatch recovers first: it records the
// panic and quits the program normally (the terminal is restored as on q), and the screen's
// Result carries the report for the caller to log. Panics it cannot reach, in commands nested
// inside a tea.Sequence (its message type is unexported), still end in Bubble Tea's
// ErrProgramPanic.
type panicWatch struct {
	tea.Model
	report *panicReport
}

type panicReport struct {
	mu       sync.Mutex
	value    string
	stack    string
	lastView tea.View // the last view drawn without a panic, shown while quitting
	onPanic  func()   // quits the program (without blocking): a panic in View has no command to return
}

// cmdPanicked is what a wrapped command returns instead of panicking.
type cmdPanicked struct{}

func newPanicWatch(m tea.Model) *panicWatch {
	return &panicWatch{Model: m, report: &panicReport{}}
}

func (r *panicReport) record(v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.value != "" {
		return
	}
	r.value, r.stack = fmt.Sprint(v), string(debug.Stack())
	if r.onPanic != nil {
		r.onPanic() // under mu: the screen removes the hook under mu before it stops waiting
	}
}

// setOnPanic sets how to quit the program now drawing the screen.
func (r *panicReport) setOnPanic(quit func()) {
	r.mu.Lock()
	r.onPanic = quit
	r.mu.Unlock()
}

// get returns the first panic recorded, if any.
func (r *panicReport) get() (value, stack string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.value, r.stack, r.value != ""
}

func (w *panicWatch) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			w.report.record(r)
			cmd = tea.Quit
		}
	}()
	return w.wrap(w.Model.Init())
}

func (w *panicWatch) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if _, ok := msg.(cmdPanicked); ok {
		return w, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			w.report.record(r)
			m, cmd = w, tea.Quit // the last good model, leaving
		}
	}()
	next, c := w.Model.Update(msg)
	return &panicWatch{Model: next, report: w.report}, w.wrap(c)
}

func (w *panicWatch) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			w.report.record(r)
			w.report.mu.Lock()
			v = w.report.lastView
			w.report.mu.Unlock()
		}
	}()
	v = w.Model.View()
	w.report.mu.Lock()
	w.report.lastView = v
	w.report.mu.Unlock()
	return v
}

// wrap makes a command report its panic as a message, one level deep and through the
// members of a tea.Batch.
func (w *panicWatch) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				w.report.record(r)
				msg = cmdPanicked{}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			wrapped := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				wrapped[i] = w.wrap(c)
			}
			return wrapped
		}
		return msg
	}
}

package server

import (
	"fmt"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// panicWatch wraps a session's model to get the details of a panic into the server's log.
// Bubble Tea catches panics in Update, View and commands itself (and must: commands run on
// goroutines no middleware reaches), restores the terminal and returns ErrProgramPanic, but
// it prints the value and stack to the process's stderr, outside the structured log and with
// no session id. panicWatch records the value and stack where they happen and re-panics, so
// Bubble Tea's handling is unchanged.
//
// Commands are wrapped one level deep, including the members of a tea.Batch; those nested in
// a tea.Sequence are not reachable (its message type is unexported) and are reported only by
// Bubble Tea's ErrProgramPanic.
type panicWatch struct {
	tea.Model
	report *panicReport
}

type panicReport struct {
	mu    sync.Mutex
	value string
	stack string
}

func newPanicWatch(m tea.Model) *panicWatch {
	return &panicWatch{Model: m, report: &panicReport{}}
}

func (r *panicReport) get() (value, stack string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.value == "" {
		return "unknown (reported by Bubble Tea on the process's stderr)", ""
	}
	return r.value, r.stack
}

// catch must be deferred directly: recover only works in the deferred function itself.
func (w *panicWatch) catch() {
	if r := recover(); r != nil {
		w.report.mu.Lock()
		if w.report.value == "" {
			w.report.value, w.report.stack = fmt.Sprint(r), string(debug.Stack())
		}
		w.report.mu.Unlock()
		panic(r)
	}
}

func (w *panicWatch) Init() tea.Cmd {
	defer w.catch()
	return w.wrap(w.Model.Init())
}

func (w *panicWatch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer w.catch()
	m, cmd := w.Model.Update(msg)
	return &panicWatch{Model: m, report: w.report}, w.wrap(cmd)
}

func (w *panicWatch) View() tea.View {
	defer w.catch()
	return w.Model.View()
}

func (w *panicWatch) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		defer w.catch()
		msg := cmd()
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

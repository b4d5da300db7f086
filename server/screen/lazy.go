package screen

import (
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"

	"portfolio/server/firstframe"
	"portfolio/server/termreply"
)

// Starting asleep.
//
// Most visitors read the first screen and leave, and a program is most of what a visit
// costs. With Config.Frames set, a screen starts asleep: its model's first frame is
// written from the cache exactly as a fresh program would write it, followed by what the
// model's Init asks the terminal (the background colour query, the modes it turns on), and
// the screen is then in the state a program put to sleep leaves it in. The first key, mouse
// event, paste or resize wakes a program as it wakes a sleeping screen: the visitor cannot
// tell, and the key reaches the program.
//
// The terminal answers the queries on the input. A sleeping screen takes those answers
// from its queue of decoded events itself (termreply) instead of waking for them: the background colour goes to the model,
// and when that changes the frame (a light terminal), the frame is painted again, as the
// program would have repainted it on the same message. Bubble Tea paints its first frame
// without waiting for the answer, so does the screen.

// lazyState is what starting asleep adds to a Screen; guarded by Screen.mu unless noted.
type lazyState struct {
	programs int  // programs started: 0 while the visitor has not acted
	gone     bool // End(true): nobody is left to see the terminal restored
}

// paintFirst writes the model's first frame without a program and puts the screen to
// sleep, or reports false (and writes nothing) when the screen must start awake: no cache,
// the screen ending already, a model that cannot resume, a view or Init the painter cannot
// reproduce.
func (sc *Screen) paintFirst() bool {
	if sc.cfg.Frames == nil {
		return false
	}
	sc.mu.Lock()
	if sc.stopping {
		sc.mu.Unlock()
		return false
	}
	resumer, ok := sc.watch.Model.(interface{ Resumed() tea.Model })
	if !ok {
		sc.mu.Unlock()
		return false
	}
	// Init's commands run here, in order, before anything is drawn: one that waits (a
	// tick) delays the first frame by its wait and then starts the screen awake.
	queries, ok := initOutput(sc.watch.Init())
	if !ok {
		sc.mu.Unlock()
		return false
	}
	out, ok := sc.cfg.Frames.Paint(sc.frameScreen(), sc.watch.View(), queries+firstframe.Leave())
	if !ok {
		sc.mu.Unlock()
		return false
	}
	sc.watch.Model = resumer.Resumed() // Init's work is done: the programs must not repeat it
	sc.asleep = true
	sc.mu.Unlock()
	_, _ = sc.cfg.Out.Write(out) // one write, one SSH packet
	return true
}

// frameScreen is what the painter needs besides the view; sc.mu must be held.
func (sc *Screen) frameScreen() firstframe.Screen {
	return firstframe.Screen{Width: sc.width, Height: sc.height, Profile: sc.cfg.Profile, Env: sc.cfg.Env}
}

// Replayable reports whether a screen that starts asleep can replay init, a model's Init
// command, without a program: nil, tea.RequestBackgroundColor, tea.Raw and tea.Batch of
// these. For any other command the screen starts its first program at once.
func Replayable(init tea.Cmd) bool {
	_, ok := initOutput(init)
	return ok
}

// initOutput is what a program writes for the messages cmd (a model's Init) produces: the
// raw sequences (tea.Raw) and the background colour query. It reports false for any other
// message, which only a program can carry out.
func initOutput(cmd tea.Cmd) (string, bool) {
	if cmd == nil {
		return "", true
	}
	switch msg := cmd().(type) {
	case nil:
		return "", true
	case tea.RawMsg:
		return fmt.Sprint(msg.Msg), true
	case tea.BatchMsg:
		var s string
		for _, c := range msg {
			out, ok := initOutput(c)
			if !ok {
				return "", false
			}
			s += out
		}
		return s, true
	default:
		if msg == tea.RequestBackgroundColor() {
			return ansi.RequestBackgroundColor, true
		}
		return "", false
	}
}

// takeReplies removes the terminal replies at the front of the queue of a sleeping screen
// and returns them. Without the painter it takes none: any event wakes, as it always did.
// sc.mu must be held.
func (sc *Screen) takeReplies() []uv.Event {
	if sc.cfg.Frames == nil {
		return nil
	}
	n := 0
	for n < len(sc.queue) && termreply.IsReply(sc.queue[n]) {
		n++
	}
	replies := sc.queue[:n:n]
	sc.queue = sc.queue[n:]
	return replies
}

// applyReplies gives the model what a program would have: the background colour (the only
// reply a model acts on here; the others answer the program's own queries, which the next
// program asks again). When that changes the view, the frame is painted again. It reports
// true when the screen must wake instead: the model panicked, or the frame cannot be painted.
func (sc *Screen) applyReplies(replies []uv.Event) bool {
	for _, ev := range replies {
		bg, ok := ev.(uv.BackgroundColorEvent)
		if !ok {
			continue
		}
		sc.mu.Lock()
		before := sc.watch.View()
		next, _ := sc.watch.Update(tea.BackgroundColorMsg(bg))
		if w, ok := next.(*panicWatch); ok {
			sc.watch = w
		}
		after := sc.watch.View()
		_, _, panicked := sc.watch.report.get()
		scr := sc.frameScreen()
		sc.mu.Unlock()
		if panicked {
			return true
		}
		if after.Content == before.Content {
			continue
		}
		out, ok := sc.cfg.Frames.Paint(scr, after, firstframe.Leave())
		if !ok {
			return true
		}
		_, _ = sc.cfg.Out.Write(out)
	}
	return false
}

// endAsleep ends a sleeping screen that was asked to end without waking a program for it:
// the terminal is given back as the program's exit would give it back (unless the visitor
// has gone). It reports false when the screen is not ending, or starts programs to end.
func (sc *Screen) endAsleep() (ended, gone bool) {
	if sc.cfg.Frames == nil {
		return false, false
	}
	sc.mu.Lock()
	if !sc.stopping {
		sc.mu.Unlock()
		return false, false
	}
	gone = sc.lz.gone
	v := sc.watch.View()
	sc.mu.Unlock()
	if !gone {
		_, _ = io.WriteString(sc.cfg.Out, firstframe.Close(v))
	}
	return true, gone
}

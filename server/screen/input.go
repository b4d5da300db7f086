package screen

import (
	"bytes"
	"context"
	"io"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
)

// The visitor's input.
//
// A screen decodes its input once, for the whole visit, with the decoder Bubble Tea reads
// with (ultraviolet's TerminalReader, for the $TERM the programs get), and hands each event
// to the program drawing with Program.Send, which returns once that program has it or has
// ended. A program is given an input that yields nothing (noInput): it still sends its
// start-up queries, whose answers reach it decoded like any key. So no program owns a
// goroutine that reads the session, and none can take a key with it when it is put to
// sleep: an event that arrives while no program is awake waits in the queue, in order, for
// the next one; that is what wakes a sleeping screen (sleep.go).

// queueLimit bounds the events kept for a program that is not taking them yet (a screen
// that is waking, or asleep and woken by the first key of a burst). Past it the screen stops
// reading the input until a program takes some, and the SSH channel's window holds the rest,
// as it does when an awake program falls behind.
const queueLimit = 1024

// noInput is a program's input: it yields nothing, and ends (io.EOF) once the program's
// context is done, so that Bubble Tea's read loop over it returns with the program.
type noInput struct{ done <-chan struct{} }

func (n noInput) Read([]byte) (int, error) {
	<-n.done
	return 0, io.EOF
}

// decode reads in until it ends and sends every event decoded to events, which it closes
// once it has returned. After ctx is done it still sends what it had decoded (the caller
// drains events to the end) and returns when in's Read does: for an SSH channel, once it
// is closed.
//
// The reader is made when the first bytes arrive: its key table costs about 140 KB and
// 0.3 ms (measured; ultraviolet builds one per reader), which a visitor whose terminal sends
// nothing, who only reads the painted first frame, should not pay.
func decode(ctx context.Context, in io.Reader, term string, events chan<- uv.Event) {
	defer close(events)
	first := make([]byte, 256)
	var n int
	var err error
	for n == 0 && err == nil {
		n, err = in.Read(first)
	}
	if n == 0 {
		return // the input ended before anything was typed
	}
	rest := in
	if err != nil {
		rest = bytes.NewReader(nil) // what was read, then the end
	}
	r := io.MultiReader(bytes.NewReader(first[:n]), rest)
	_ = uv.NewTerminalReader(r, term).StreamEvents(ctx, events) // an input error ends the input like EOF
}

// dispatch hands the decoded events to the program drawing, in order, until events is
// closed; events that find no program awake wait in sc.queue. Once the screen is over it
// only drains events, so that the decoder can return.
func (sc *Screen) dispatch(events <-chan uv.Event) {
	defer close(sc.inputDone)
	for {
		sc.mu.Lock()
		for len(sc.queue) > 0 && sc.awake() {
			ev, p := sc.queue[0], sc.p
			sc.queue = sc.queue[1:]
			sc.sending = true
			sc.mu.Unlock()
			p.Send(ev) // returns once p's event loop has it, or p has ended
			sc.mu.Lock()
			sc.sending = false
			// The sleep delay counts from when the program took the event, not from when
			// it was typed: a program woken on a loaded machine may take it late, and must
			// then still have the time to act on it (a q's quit) before it may sleep.
			sc.lastEvent = time.Now()
		}
		if len(sc.queue) == 0 {
			sc.queue = nil // let a burst's array go
		}
		in := events
		if len(sc.queue) >= queueLimit {
			in = nil // read on once a program or the sleeper has taken some
		}
		sc.mu.Unlock()

		select {
		case ev, ok := <-in:
			sc.mu.Lock()
			if !ok {
				sc.inputEnded = true
				sc.mu.Unlock()
				sc.nudge()
				return
			}
			if sc.over {
				sc.mu.Unlock()
				continue // nobody is left to take it
			}
			if size, ok := ev.(uv.WindowSizeEvent); ok {
				// A size report typed or sent by the terminal: a window change like the
				// client's, fitted the same way (a report of the size the screen has, which
				// is how a terminal answers, changes nothing).
				sc.mu.Unlock()
				sc.Resize(size.Width, size.Height)
				continue
			}
			sc.queue = append(sc.queue, ev)
			asleep := !sc.awake()
			sc.mu.Unlock()
			if asleep {
				sc.nudge() // the sleeper looks at what arrived
			}
		case <-sc.ready:
		}
	}
}

// awake reports whether a program is drawing and takes events; sc.mu must be held.
func (sc *Screen) awake() bool { return sc.p != nil && !sc.asleep }

// programAwake tells the dispatcher that a program takes events now, or that the queue has
// room again.
func (sc *Screen) programAwake() {
	select {
	case sc.ready <- struct{}{}:
	default:
	}
}

package screen

import (
	"context"
	"io"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
)

// The visitor's input.
//
// A screen decodes its input with the decoder Bubble Tea reads with (ultraviolet's
// TerminalReader, for the $TERM the programs get), and hands each event to the program
// drawing with Program.Send, which returns once that program has it or has ended. A program
// is given an input that yields nothing (noInput): it still sends its start-up queries,
// whose answers reach it decoded like any key. So no program owns a goroutine that reads the
// session, and none can take a key with it when it is put to sleep: an event that arrives
// while no program is awake waits in the queue, in order, for the next one; that is what
// wakes a sleeping screen (sleep.go).
//
// The screen's own goroutine (read) reads the input and feeds the bytes to the decoder
// through a pipe. The decoder is made at the first bytes and let go again once the screen
// is asleep and the input has been quiet for releaseAfter (releaseDecoder): ultraviolet
// builds a key table of about 140 KB (0.3 ms, measured) for each TerminalReader, which a
// sleeping screen would otherwise hold for the rest of the visit, a visitor who only reads
// the painted first frame included, once their terminal has answered its queries. Closing
// the pipe ends the decoder's goroutines; the next bytes make a new one, which starts only
// once the old one has sent every event it had, so the events stay in order.

// queueLimit bounds the events kept for a program that is not taking them yet (a screen
// that is waking, or asleep and woken by the first key of a burst). Past it the screen stops
// reading the input until a program takes some, and the SSH channel's window holds the rest,
// as it does when an awake program falls behind.
const queueLimit = 1024

// releaseAfter is how long the input must have been quiet before a sleeping screen lets its
// decoder go. A decoder holds bytes only until its escape timeout (uv.DefaultEscTimeout,
// 50 ms) decides a cut sequence, or for a paste until the paste ends (the screen keeps the
// decoder while one is open); the margin lets a decoder on a loaded machine hand over what it
// decoded (a paste's start among it) before the screen looks. Rebuilding is cheap next to a
// visit's pace: a sleeping screen's input is the terminal's replies, or a key that wakes it.
const releaseAfter = time.Second

// readSize is the read buffer of the input, which a session holds for its whole life: a
// typed key, a terminal's reply or a few of them fit; a paste takes more reads.
const readSize = 512

// noInput is a program's input: it yields nothing, and ends (io.EOF) once the program's
// context is done, so that Bubble Tea's read loop over it returns with the program.
type noInput struct{ done <-chan struct{} }

func (n noInput) Read([]byte) (int, error) {
	<-n.done
	return 0, io.EOF
}

// decoder is one life of the input's decoder: a TerminalReader that reads a pipe, which
// ends when the pipe's writer is closed.
type decoder struct {
	w    *io.PipeWriter
	done chan struct{} // closed once the reader has returned: every event it decoded is sent
}

func newDecoder(term string, events chan<- uv.Event) *decoder {
	r, w := io.Pipe()
	d := &decoder{w: w, done: make(chan struct{})}
	go decode(r, term, events, d.done)
	return d
}

// decode runs a TerminalReader over r until r ends, then closes done. Its context is never
// done: the decoder ends only when its pipe is closed, and then sends what it still holds,
// decided as its escape timeout would decide it, before it returns.
func decode(r io.Reader, term string, events chan<- uv.Event, done chan<- struct{}) {
	defer close(done)
	_ = uv.NewTerminalReader(r, term).StreamEvents(context.Background(), events)
}

// end closes the decoder's pipe and waits until it has sent every event.
func (d *decoder) end() {
	_ = d.w.Close()
	<-d.done
}

// read reads in until it ends, or until its first read after ctx is done (the screen is
// over), and feeds the bytes to the decoder, making one when there is none. It closes events
// once the last decoder has sent every event: for an SSH channel, once the channel is closed.
func (sc *Screen) read(ctx context.Context, in io.Reader, term string, events chan<- uv.Event) {
	var last *decoder // the one made last, let go or not
	defer func() {
		sc.mu.Lock()
		sc.dec = nil
		if sc.releaseTimer != nil {
			sc.releaseTimer.Stop()
		}
		sc.mu.Unlock()
		if last != nil {
			last.end()
		}
		close(events)
	}()
	buf := make([]byte, readSize)
	for {
		n, err := in.Read(buf)
		if ctx.Err() != nil {
			return // nobody is left to take what was read
		}
		if n > 0 {
			sc.mu.Lock()
			d := sc.dec
			sc.feeding = true // the decoder is not let go while it is being fed
			sc.mu.Unlock()
			if d == nil {
				if last != nil {
					<-last.done // its events go out before the new decoder's
				}
				d = newDecoder(term, events)
				last = d
				sc.mu.Lock()
				sc.dec = d
				sc.mu.Unlock()
			}
			// Returns once the decoder has read it all: it cannot fail, as nothing closes the
			// pipe while it is fed.
			_, _ = d.w.Write(buf[:n])
			sc.mu.Lock()
			sc.feeding = false
			sc.fedAt = time.Now()
			if sc.releaseTimer == nil {
				sc.releaseTimer = time.AfterFunc(releaseAfter, sc.releaseIdleDecoder)
			} else {
				sc.releaseTimer.Reset(releaseAfter)
			}
			sc.mu.Unlock()
		}
		if err != nil {
			return // an input error ends the input like EOF
		}
	}
}

// releaseDecoder lets the decoder go when it holds nothing and a sleeping screen does not
// need it: asleep with no event waiting (a screen with one is waking), not being fed, no
// paste open, and the input quiet for releaseAfter. It is called when any of these may have
// become true: as the screen falls asleep (maybeSleep), when the sleeper has taken the
// terminal's replies (sleep), and releaseAfter after the last bytes (releaseIdleDecoder).
// It does not block: the decoder's goroutines return on their own. sc.mu must be held.
func (sc *Screen) releaseDecoder(now time.Time) {
	d := sc.dec
	if d == nil || !sc.asleep || len(sc.queue) > 0 || sc.feeding || sc.pasting || now.Sub(sc.fedAt) < releaseAfter {
		return
	}
	sc.dec = nil
	_ = d.w.Close()
}

func (sc *Screen) releaseIdleDecoder() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.releaseDecoder(time.Now())
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
			switch ev.(type) {
			case uv.PasteStartEvent:
				sc.pasting = true // the decoder holds the paste's text until it ends
			case uv.PasteEndEvent:
				sc.pasting = false
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

// Package termreply tells a terminal's replies to queries apart from what a visitor types.
//
// A Bubble Tea program asks the visitor's terminal things as it starts (its background
// colour, OSC 11; the state of a mode, DECRQM; the kitty keyboard flags) and the terminal
// answers on the input stream, where the program's reader decodes the answers into
// messages. A server that paints the first frame itself and starts a program only when the
// visitor acts (server/firstframe) must not take those answers for the visitor acting.
// Scan reads input with the decoder Bubble Tea reads with (ultraviolet's), so what it
// calls a reply is exactly what a program would have decoded as one, and everything else
// is left untouched for the program.
package termreply

import (
	"strings"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// EscTimeout is how long an incomplete escape sequence may wait for the rest of its bytes
// before it counts as typed: Bubble Tea's reader waits as long (uv.DefaultEscTimeout).
const EscTimeout = uv.DefaultEscTimeout

// Result is what Scan found at the front of the input.
type Result struct {
	// N is how many bytes at the front are replies: the caller drops them.
	N int
	// Replies are the decoded replies in order.
	Replies []uv.Event
	// Input reports that what follows the replies is the visitor's: the caller hands it,
	// unread, to a program.
	Input bool
	// Partial reports that what follows the replies may be the start of one more: wait
	// for more bytes, and after EscTimeout without any, Scan again with expired set.
	Partial bool
}

// Scan reads the replies at the front of buf. width and height are the window size the
// screen has: a terminal with in-band resize reports (mode 2048) reports its size once the
// mode is set, and a report of the size the screen has is a reply; any other size is the
// window changing, which the caller treats like input. expired says that the bytes after
// the last complete sequence have waited EscTimeout: they are then decided as they are.
func Scan(buf []byte, expired bool, width, height int) Result {
	var (
		res Result
		dec uv.EventDecoder
	)
	for res.N < len(buf) {
		rest := buf[res.N:]
		n, ev := dec.Decode(rest)
		if n <= 0 {
			res.Input = true
			return res
		}
		if !expired && mayContinue(rest, n, ev) {
			res.Partial = true
			return res
		}
		if !isReply(ev, width, height) {
			res.Input = true
			return res
		}
		res.Replies = append(res.Replies, ev)
		res.N += n
	}
	return res
}

// mayContinue reports whether the first n bytes of rest, decoded as ev, may be the start of
// a longer sequence whose rest has not arrived: an incomplete sequence, an escape (or
// ESC [, ESC ], ESC P or another introducer, which decode as alt-keys) with nothing after
// it, or a string sequence cut between its ESC and the backslash of its terminator.
func mayContinue(rest []byte, n int, ev uv.Event) bool {
	if _, unknown := ev.(uv.UnknownEvent); unknown {
		return true
	}
	if n != len(rest) || rest[0] != ansi.ESC {
		return false
	}
	switch {
	case n == 1:
		return true
	case n == 2:
		return strings.IndexByte("[]P_^X", rest[1]) >= 0
	}
	return rest[n-1] == ansi.ESC
}

// isReply reports whether ev answers a query (or reports a state the terminal was asked to
// report) rather than being something the visitor did.
func isReply(ev uv.Event, width, height int) bool {
	switch ev := ev.(type) {
	case uv.BackgroundColorEvent, uv.ForegroundColorEvent, uv.CursorColorEvent,
		uv.ModeReportEvent, uv.KeyboardEnhancementsEvent, uv.ModifyOtherKeysEvent,
		uv.PrimaryDeviceAttributesEvent, uv.SecondaryDeviceAttributesEvent,
		uv.TertiaryDeviceAttributesEvent, uv.TerminalVersionEvent, uv.CapabilityEvent,
		uv.PixelSizeEvent, uv.CellSizeEvent:
		return true
	case uv.WindowSizeEvent:
		return ev.Width == width && ev.Height == height
	case uv.MultiEvent: // an in-band resize report: cells and pixels
		for _, e := range ev {
			if !isReply(e, width, height) {
				return false
			}
		}
		return len(ev) > 0
	}
	return false
}

// Waiter keeps Bubble Tea's clock for an incomplete sequence: its reader decides one
// EscTimeout after the last byte arrived.
type Waiter struct {
	since time.Time // when the buffer last grew while incomplete; zero: nothing waits
	n     int       // its length then
}

// Partial notes that the buffer, n bytes long, ends incomplete at now, and returns how
// much longer its rest may take; zero means Scan it again with expired set.
func (w *Waiter) Partial(now time.Time, n int) time.Duration {
	if w.since.IsZero() || n != w.n {
		w.since, w.n = now, n
	}
	return max(EscTimeout-now.Sub(w.since), 0)
}

// Reset forgets an incomplete tail that was completed or handed on.
func (w *Waiter) Reset() { *w = Waiter{} }

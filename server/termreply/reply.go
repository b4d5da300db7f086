// Package termreply tells a terminal's replies to queries apart from what a visitor does.
//
// A Bubble Tea program asks the visitor's terminal things as it starts (its background
// colour, OSC 11; the state of a mode, DECRQM; the kitty keyboard flags) and the terminal
// answers on the input stream. A server that paints the first frame itself and starts a
// program only when the visitor acts (server/firstframe) must not take those answers for
// the visitor acting. The screen decodes the input with the decoder Bubble Tea reads with
// (ultraviolet's TerminalReader), so what IsReply calls a reply is exactly what a program
// would have received as one.
package termreply

import uv "github.com/charmbracelet/ultraviolet"

// IsReply reports whether ev answers a query (or reports a state the terminal was asked to
// report) rather than being something the visitor did. A window size report is neither: the
// screen takes every size as a window change, and drops one of the size it has.
func IsReply(ev uv.Event) bool {
	switch ev := ev.(type) {
	case uv.BackgroundColorEvent, uv.ForegroundColorEvent, uv.CursorColorEvent,
		uv.ModeReportEvent, uv.KeyboardEnhancementsEvent, uv.ModifyOtherKeysEvent,
		uv.PrimaryDeviceAttributesEvent, uv.SecondaryDeviceAttributesEvent,
		uv.TertiaryDeviceAttributesEvent, uv.TerminalVersionEvent, uv.CapabilityEvent,
		uv.PixelSizeEvent, uv.CellSizeEvent:
		return true
	case uv.MultiEvent: // the decoder hands these on one by one; kept for a caller that does not
		for _, e := range ev {
			if !IsReply(e) {
				return false
			}
		}
		return len(ev) > 0
	}
	return false
}

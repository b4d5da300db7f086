package ui

// Mouse wheel without breaking selection.
//
// Bubble Tea v2 offers MouseModeCellMotion (DECSET 1000/1002 + SGR 1006) and
// MouseModeAllMotion (1003). Either one makes the terminal send every click and drag to the
// program, so a visitor can no longer select and copy text with the mouse (most terminals
// let shift+drag bypass capture, but nobody knows that). We therefore leave View.MouseMode at
// MouseModeNone and instead turn on xterm's "alternate scroll mode" (DECSET ?1007): while the
// alternate screen is active, the terminal itself translates wheel turns into cursor up/down
// keys and leaves clicks, drags and selection alone. Those keys arrive as ordinary
// tea.KeyPressMsg "up"/"down" and scroll the body a line at a time. Terminals that already do
// this by default (VTE/GNOME Terminal, iTerm2, Alacritty, kitty, Windows Terminal, foot)
// behave the same; a terminal that knows neither simply scrolls nothing, which is no worse
// than not asking.
//
// XTSAVE (CSI ? 1007 s) before setting and XTRESTORE (CSI ? 1007 r) on the way out give the
// visitor back whatever setting they had; the restore is sent just before quitting.
const (
	alternateScrollOn      = "\x1b[?1007s\x1b[?1007h"
	alternateScrollRestore = "\x1b[?1007r"
)

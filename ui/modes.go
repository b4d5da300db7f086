package ui

// Terminal modes the UI turns on at start and restores on the way out.
//
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
//
// In-band resize (DECSET ?2048): a terminal that supports it (kitty, foot, ghostty, recent
// VTE and others) reports its size on the input stream as soon as the mode is set and after
// every resize. Bubble Tea decodes the report into an ordinary tea.WindowSizeMsg, so a client
// whose SSH window-change requests are missing or late still reflows at once; the server's
// message filter clamps these sizes like every other. Terminals without it ignore the mode.
const (
	terminalModesOn      = "\x1b[?1007s\x1b[?1007h" + "\x1b[?2048h"
	terminalModesRestore = "\x1b[?1007r" + "\x1b[?2048l"
)

// TerminalReset returns the sequence that gives the visitor's terminal back the modes the UI
// turned on. The UI sends it itself when the visitor quits; a caller that ends the program
// another way (a timeout, a shutdown) writes it after the program has exited.
func TerminalReset() string { return terminalModesRestore }

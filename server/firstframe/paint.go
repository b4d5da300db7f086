// Package firstframe provides the bytes a fresh Bubble Tea v2 program writes for its first
// frame, without running one, and a cache of them.
//
// A tea.Program costs a frame ticker, two screen-sized cell buffers, a key table and the
// garbage of its first paint. Most visitors to an SSH portfolio read the first screen and
// leave, so the server paints that screen itself (Paint, through a Cache) and starts a
// program only when the visitor acts. The terminal must then be in the state a program's
// first frame would have left it in: alternate screen, hidden cursor, bracketed paste, the
// keyboard protocols pushed, the same cells. Paint follows Bubble Tea v2.1.1's cursed
// renderer (cursed_renderer.go: newCursedRenderer, resize, the first flush) step for step
// over the same ultraviolet renderer, and paint_test.go holds it to the bytes a real
// program writes.
package firstframe

import (
	"bytes"
	"runtime"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// Screen is what decides a first frame besides the view.
type Screen struct {
	Width, Height int
	Profile       colorprofile.Profile // what the program's renderer downsamples to
	// Env is the program's environment (tea.WithEnvironment): the renderer picks its
	// cursor movements by the $TERM in it. Nothing else in it changes the frame.
	Env []string
}

// term is the $TERM the program's renderer would read from the environment.
func (s Screen) term() string { return uv.Environ(s.Env).Getenv("TERM") }

// Paintable reports whether Paint can reproduce a program's first frame for v. It covers
// the alternate screen without a text cursor, terminal colours, progress bar or program
// status: everything else a program sets on its first frame, it can.
func Paintable(v tea.View) bool {
	return v.AltScreen && v.Cursor == nil && v.ForegroundColor == nil && v.BackgroundColor == nil &&
		v.ProgressBar == nil && v.ProgramStatus == nil
}

// Paint returns what a program started on a terminal of the screen's size writes for its
// first frame of v: the alternate screen entered, the cursor hidden, the modes of v set,
// the keyboard protocols pushed (and the kitty flags queried) and every cell drawn. It
// reports false for a view that is not Paintable.
//
// The program's own start-up queries (synchronized output, Unicode core) and whatever its
// model's Init writes are not part of the frame.
func Paint(scr Screen, v tea.View) ([]byte, bool) {
	if !Paintable(v) || scr.Width < 1 || scr.Height < 1 {
		return nil, false
	}
	var body bytes.Buffer
	r := uv.NewTerminalRenderer(&body, scr.Env)
	// newCursedRenderer's reset, with what Run sets for a program whose input and output
	// are not files (an SSH session): no hard tabs, no backspace moves, newline mapping.
	r.SetColorProfile(scr.Profile)
	r.SetRelativeCursor(true)
	r.SetFullscreen(false)
	r.SetTabStops(-1)
	r.SetBackspace(false)
	r.SetMapNewline(runtime.GOOS != "windows")
	r.SetScrollOptim(runtime.GOOS != "windows")
	// Run's initial resize.
	r.Erase()
	r.Resize(scr.Width, scr.Height)

	cells := uv.NewScreenBuffer(scr.Width, scr.Height)
	cells.Clear()
	uv.NewStyledString(v.Content).Draw(cells, cells.Bounds())

	// The first flush: enter the alternate screen (written below, before the updates).
	r.SaveCursor()
	r.SetFullscreen(true)
	r.SetRelativeCursor(false)
	r.Erase()
	writeModes(r, v)
	r.Render(cells.RenderBuffer)
	if err := r.Flush(); err != nil {
		return nil, false // a bytes.Buffer does not fail
	}

	out := make([]byte, 0, len(ansi.ResetModifyOtherKeys)+len(ansi.SetModeAltScreenSaveCursor)+
		len(ansi.ResetModeTextCursorEnable)+body.Len())
	out = append(out, ansi.ResetModifyOtherKeys...)
	out = append(out, ansi.SetModeAltScreenSaveCursor...)
	out = append(out, ansi.ResetModeTextCursorEnable...)
	out = append(out, body.Bytes()...)
	return out, true
}

// writeModes writes the modes the first flush sets for v, in the renderer's order.
func writeModes(r *uv.TerminalRenderer, v tea.View) {
	if !v.DisableBracketedPasteMode {
		_, _ = r.WriteString(ansi.SetModeBracketedPaste)
	}
	if v.ReportFocus {
		_, _ = r.WriteString(ansi.SetModeFocusEvent)
	}
	switch v.MouseMode {
	case tea.MouseModeCellMotion:
		_, _ = r.WriteString(ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr)
	case tea.MouseModeAllMotion:
		_, _ = r.WriteString(ansi.SetModeMouseAnyEvent + ansi.SetModeMouseExtSgr)
	}
	if v.WindowTitle != "" {
		_, _ = r.WriteString(ansi.SetWindowTitle(v.WindowTitle))
	}
	_, _ = r.WriteString(ansi.SetModifyOtherKeys2)
	_, _ = r.WriteString(ansi.PushKittyKeyboard(kittyFlags(v.KeyboardEnhancements)))
	_, _ = r.WriteString(ansi.RequestKittyKeyboard)
}

// kittyFlags is Bubble Tea's keyboardEnhancementsFlags.
func kittyFlags(ke tea.KeyboardEnhancements) int {
	flags := ansi.KittyDisambiguateEscapeCodes
	if ke.ReportEventTypes {
		flags |= ansi.KittyReportEventTypes
	}
	if ke.ReportAlternateKeys {
		flags |= ansi.KittyReportAlternateKeys
	}
	if ke.ReportAllKeysAsEscapeCodes {
		flags |= ansi.KittyReportAllKeysAsEscapeCodes
	}
	if ke.ReportAssociatedText {
		flags |= ansi.KittyReportAssociatedKeys
	}
	return flags
}

// Leave is what a program put to sleep would have written on its way out for the keyboard:
// modifyOtherKeys reset and the kitty entry its first frame pushed popped. The rest of the
// terminal (the alternate screen, the modes, the cells) stays as the frame left it, which
// is how a program started on a sleeping screen finds it; that program pushes its own.
func Leave() string { return ansi.ResetModifyOtherKeys + ansi.PopKittyKeyboard(1) }

// Close is what a program that had drawn v writes when it ends, once the keyboard is left
// (Leave): out of the alternate screen, the cursor shown, the modes v set reset. The
// terminal is then as it was before the first frame.
func Close(v tea.View) string {
	s := ansi.ResetModeAltScreenSaveCursor
	if v.Cursor == nil {
		s += ansi.SetModeTextCursorEnable
	}
	if !v.DisableBracketedPasteMode {
		s += ansi.ResetModeBracketedPaste
	}
	if v.ReportFocus {
		s += ansi.ResetModeFocusEvent
	}
	if v.MouseMode != tea.MouseModeNone {
		s += ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr
	}
	if v.WindowTitle != "" {
		s += ansi.SetWindowTitle("")
	}
	return s
}

package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Rendered pages (sections and the cover) carry nearly all of a site's text to a terminal
// (the tabs and header show only titles, which Load checks), so they are where the last
// line of defence stands. content.Load refuses control characters and the character
// references that stand for them, and renderPage neutralises both before glamour sees the
// markdown (a Site need not come from Load); keepSafe then passes on only what the page is
// meant to contain: text, SGR styling and OSC 8 hyperlinks, which glamour, endLines and the
// cover write themselves. Everything else a renderer or a future dependency might emit (cursor
// movement, DCS, APC, other OSC, raw C0 and C1 controls, bidi controls) is dropped whole, so
// no payload is left behind as text either.

// keepSafe returns line with every escape sequence other than SGR and OSC 8, and every
// control character but tab, removed.
func keepSafe(line string) string {
	if isPlainText(line) {
		return line
	}
	var b strings.Builder
	b.Grow(len(line))
	var state byte
	for i := 0; i < len(line); {
		seq, _, n, newState := ansi.DecodeSequence(line[i:], state, nil)
		state = newState
		i += n
		switch c := seq[0]; {
		case c == ansi.ESC:
			if isSGR(seq) || strings.HasPrefix(seq, "\x1b]8;") {
				b.WriteString(seq)
			}
		case c == '\t':
			b.WriteByte(c) // text, as it always was
		case c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xc0:
			// A C0 control, or a raw 8-bit C1 introducer and whatever it carried.
		default:
			b.WriteString(strings.Map(func(r rune) rune {
				if unsafeRune(r) {
					return -1
				}
				return r
			}, seq))
		}
	}
	return b.String()
}

// isPlainText reports whether s has nothing keepSafe would change, the common case for
// lines without styling.
func isPlainText(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r >= 0x7f && (unsafeRune(r) || r == utf8.RuneError) {
			return false
		}
	}
	return true
}

// unsafeRune reports whether r is a control character (C0, DEL, C1) or a bidirectional
// embedding, override or isolate control.
func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// isSGR reports whether seq is a Select Graphic Rendition sequence: CSI, then only digits,
// semicolons and colons, then m.
func isSGR(seq string) bool {
	body, ok := strings.CutPrefix(seq, "\x1b[")
	if !ok || !strings.HasSuffix(body, "m") {
		return false
	}
	return strings.Trim(body[:len(body)-1], "0123456789;:") == ""
}

package store

import (
	"strings"
	"unicode/utf8"
)

// tabWidth is how many spaces a tab becomes: a tab's width depends on the terminal's tab
// stops, and text shown in a box must have one width everywhere.
const tabWidth = 4

// Clean makes text from a visitor safe to store and to show on a terminal, and keeps the rest
// of it as it was. It removes:
//
//   - escape sequences whole, in their 7-bit (ESC ...) and 8-bit (U+009B CSI, U+009D OSC,
//     U+0090 DCS, U+0098 SOS, U+009E PM, U+009F APC) forms: an OSC 52 would write the owner's
//     clipboard, an OSC 8 would disguise a link, ESC [2J would clear the screen;
//   - every other C0 and C1 control character and DEL, except newline (kept) and tab (four
//     spaces); a carriage return before a newline goes, a lone one becomes a newline;
//   - bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), which
//     reorder what is shown without changing what is there ("Trojan Source");
//   - bytes that are not UTF-8.
//
// It never decodes character references: "&#x1b;" stays those six characters. Zero-width
// joiners and the like stay: emoji sequences and several scripts need them, and none moves
// the cursor. The work is linear in len(s).
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			i++
		case r == 0x1b || introducesSequence(r):
			i = skipEscape(s, i)
		case r == '\r':
			i += size
			if i >= len(s) || s[i] != '\n' {
				b.WriteByte('\n')
			}
		case r == '\n':
			b.WriteByte('\n')
			i += size
		case r == '\t':
			b.WriteString(strings.Repeat(" ", tabWidth))
			i += size
		case isControl(r) || isBidiControl(r):
			i += size
		default:
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	return b.String()
}

// CleanLine is Clean for a one-line value (a name, a contact, a client version): line breaks
// and tabs become single spaces, and the ends are trimmed.
func CleanLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' {
			return ' '
		}
		return r
	}, Clean(strings.ReplaceAll(s, "\t", " "))))
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// isBidiControl reports whether r is a bidirectional embedding, override, isolate or mark.
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// introducesSequence reports whether r is an 8-bit C1 introducer that starts a sequence with
// parameters (CSI, OSC, DCS, SOS, PM, APC) rather than a lone control character.
func introducesSequence(r rune) bool {
	switch r {
	case 0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return true
	}
	return false
}

// skipEscape returns the index just past the escape sequence that starts at s[i] (an ESC
// byte or an 8-bit introducer). An unterminated string sequence swallows the rest of s:
// showing what follows an unterminated OSC is exactly what a terminal would not do either.
func skipEscape(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	i += size
	var kind rune // '[' CSI, 'P' a string sequence (OSC, DCS, SOS, PM, APC)
	switch r {
	case 0x9b:
		kind = '['
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		kind = 'P'
	default: // ESC
		if i >= len(s) {
			return i
		}
		switch s[i] {
		case '[':
			kind = '['
			i++
		case ']', 'P', 'X', '^', '_':
			kind = 'P'
			i++
		default:
			// ESC, intermediates (0x20..0x2f), one final byte (0x30..0x7e).
			for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
				i++
			}
			if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
				i++
			}
			return i
		}
	}
	if kind == '[' {
		// Parameters 0x30..0x3f, intermediates 0x20..0x2f, final 0x40..0x7e. Anything else
		// aborts the sequence and is examined on its own.
		for i < len(s) {
			c := s[i]
			switch {
			case c >= 0x20 && c <= 0x3f:
				i++
			case c >= 0x40 && c <= 0x7e:
				return i + 1
			default:
				return i
			}
		}
		return i
	}
	// String sequences end at ST (ESC \ or U+009C) and, for OSC, at BEL.
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x07, r == 0x9c:
			return i + size
		case r == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new escape: the caller examines it
		}
		i += size
	}
	return i
}

package guard

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis marks a value that Sanitize shortened.
const Ellipsis = "…"

// Sanitize makes a client-supplied string (user name, TERM, client version,
// command, environment value) safe to log or show: the result is a single
// line of visible text of at most limit runes, ellipsis included.
//
// It removes C0 and C1 control characters (so a "\n" cannot start a forged
// log line and a "\r" cannot overwrite one), whole ANSI escape sequences
// (CSI, OSC, DCS, SOS, PM, APC and two-byte escapes, in their 7-bit and
// 8-bit forms, so a name cannot recolour, retitle or clear an operator's
// terminal), Unicode format characters (bidi overrides and isolates, zero
// width characters, BOM, tag characters: the "Trojan Source" family that
// makes text display differently from what it is), line and paragraph
// separators, and invalid UTF-8. Ordinary text, including a leading
// "DEBUG", is kept as data: the logger quotes it as a value.
//
// limit <= 0 means no length limit. The work done is linear in len(s), and
// the output never exceeds limit runes however long s is.
func Sanitize(s string, limit int) string {
	var b strings.Builder
	n := 0 // runes written
	// Grow for the common case: short, clean input.
	if limit > 0 && len(s) > 4*limit {
		b.Grow(4 * limit)
	} else {
		b.Grow(len(s))
	}
	lastSize := 0 // byte size of the last rune written, to make room for the ellipsis
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			i++ // invalid byte: drop it
			continue
		}
		if r == 0x1b || isC1StringOrCSI(r) {
			i = skipEscape(s, i)
			continue
		}
		i += size
		if !visible(r) {
			continue
		}
		if limit > 0 && n == limit {
			// One more visible rune than fits: replace the last kept rune
			// with the ellipsis so the result is exactly limit runes.
			out := b.String()
			out = out[:len(out)-lastSize]
			if limit == 1 {
				return Ellipsis
			}
			return out + Ellipsis
		}
		b.WriteRune(r)
		lastSize = utf8.RuneLen(r)
		n++
	}
	return b.String()
}

// visible reports whether r may appear in sanitised output.
func visible(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f: // C0 controls, DEL
		return false
	case r >= 0x80 && r <= 0x9f: // C1 controls
		return false
	case r == '\u2028' || r == '\u2029': // line and paragraph separators
		return false
	case unicode.Is(unicode.Cf, r):
		// Format characters: U+200B..U+200F, U+202A..U+202E (bidi
		// embeddings and overrides), U+2066..U+2069 (isolates), U+061C,
		// U+FEFF, U+00AD, tag characters U+E0000.. and the like.
		return false
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation controls
		return false
	}
	return true
}

// isC1StringOrCSI reports whether r is an 8-bit C1 introducer that starts a
// sequence with parameters (CSI, OSC, DCS, SOS, PM, APC) rather than a lone
// control character.
func isC1StringOrCSI(r rune) bool {
	switch r {
	case 0x9b, 0x9d, 0x90, 0x98, 0x9e, 0x9f:
		return true
	}
	return false
}

// skipEscape returns the index just past the escape sequence that starts at
// s[i] (an ESC byte or an 8-bit introducer). An unterminated string
// sequence swallows the rest of s: showing what follows an unterminated OSC
// is exactly what a terminal would not do either.
func skipEscape(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	i += size
	var kind rune // '[' CSI, ']' OSC, 'P' DCS/SOS/PM/APC-like string
	switch r {
	case 0x9b:
		kind = '['
	case 0x9d:
		kind = ']'
	case 0x90, 0x98, 0x9e, 0x9f:
		kind = 'P'
	default: // ESC
		if i >= len(s) {
			return i
		}
		c := s[i]
		switch c {
		case '[':
			kind = '['
			i++
		case ']':
			kind = ']'
			i++
		case 'P', 'X', '^', '_':
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
		// Parameters 0x30..0x3f, intermediates 0x20..0x2f, final 0x40..0x7e.
		// Anything else aborts the sequence and is examined on its own.
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
	// String sequences end at ST (ESC \ or 0x9c) and, for OSC, at BEL.
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x07:
			return i + size
		case r == 0x9c:
			return i + size
		case r == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new escape: let the caller handle it
		}
		i += size
	}
	return i
}

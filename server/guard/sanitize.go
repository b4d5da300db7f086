package guard

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"portfolio/store"
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
// separators, and invalid UTF-8; a tab becomes a space. Ordinary text, including a leading
// "DEBUG", is kept as data: the logger quotes it as a value.
//
// limit <= 0 means no length limit. The work done is linear in len(s), and
// the output never exceeds limit runes however long s is.
func Sanitize(s string, limit int) string {
	// store.Clean removes the escape sequences and the controls (one implementation of
	// that for the whole program); what is left to do here is one line, no invisible
	// characters, and the length.
	s = store.Clean(strings.ReplaceAll(s, "\t", " "))
	var b strings.Builder
	n := 0 // runes written
	// Grow for the common case: short, clean input.
	if limit > 0 && len(s) > 4*limit {
		b.Grow(4 * limit)
	} else {
		b.Grow(len(s))
	}
	lastSize := 0 // byte size of the last rune written, to make room for the ellipsis
	for _, r := range s {
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

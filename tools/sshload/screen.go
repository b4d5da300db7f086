package main

import (
	"bytes"
	"unicode"
)

// textScanner turns a terminal output stream into its visible text with every escape
// sequence and all whitespace removed, incrementally, so a marker can be found in it.
//
// Whitespace is dropped because a cell-based renderer (Bubble Tea v2's) may move the cursor
// over a run of blanks instead of writing them, so "q quit" can arrive as "q\x1b[1Cquit".
// Markers are compared with their whitespace removed as well.
type textScanner struct {
	state int // one of the st* constants
	text  []byte
}

const (
	stText   = iota
	stEsc    // after ESC
	stCSI    // inside ESC [ ... final
	stString // inside OSC/DCS/APC/PM/SOS, until BEL or ESC \
	stStrEsc // ESC seen inside a string: a following '\' ends it
)

func (s *textScanner) Write(p []byte) {
	for _, c := range p {
		switch s.state {
		case stText:
			switch {
			case c == 0x1b:
				s.state = stEsc
			case c <= ' ' || c == 0x7f:
				// control characters and spaces carry no marker text
			default:
				// printable ASCII and every byte of a UTF-8 sequence (8-bit C1 controls
				// are not used by Bubble Tea, and 0x80-0xBF are UTF-8 continuation bytes)
				s.text = append(s.text, c)
			}
		case stEsc:
			switch c {
			case '[':
				s.state = stCSI
			case ']', 'P', '_', '^', 'X':
				s.state = stString
			default:
				// two-byte sequences (ESC 7, ESC =, ...) and charset designations like
				// ESC ( B, whose last byte is printable: one byte lost from the text is
				// harmless for marker search, since the designator is never marker text.
				if c >= 0x20 && c <= 0x2f {
					s.state = stEsc // intermediate byte: keep waiting for the final one
				} else {
					s.state = stText
				}
			}
		case stCSI:
			if c >= 0x40 && c <= 0x7e {
				s.state = stText
			}
		case stString:
			switch c {
			case 0x07:
				s.state = stText
			case 0x1b:
				s.state = stStrEsc
			}
		case stStrEsc:
			if c == '\\' {
				s.state = stText
			} else {
				s.state = stString
			}
		}
	}
}

// Contains reports whether the visible text so far contains marker (whitespace ignored).
func (s *textScanner) Contains(marker []byte) bool { return bytes.Contains(s.text, marker) }

// Reset forgets the text seen so far (the parser state is kept: a sequence may straddle).
func (s *textScanner) Reset() { s.text = s.text[:0] }

// squeeze removes whitespace from a marker so it compares with textScanner's text.
func squeeze(marker string) []byte {
	var b []byte
	for _, r := range marker {
		if !unicode.IsSpace(r) {
			b = append(b, string(r)...)
		}
	}
	return b
}

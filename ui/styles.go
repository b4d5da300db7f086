package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// bodyMargin is glamour's document margin; the header, tabs and footer are inset by the same
// amount so everything lines up with the body text.
const bodyMargin = 2

// inkFor maps the visitor's colour profile to what the body and chrome may use.
func inkFor(p colorprofile.Profile) ink {
	switch p {
	case colorprofile.NoTTY:
		return inkPlain
	case colorprofile.ASCII:
		return inkAttrs
	default: // Unknown included: Bubble Tea downsamples to the real profile anyway
		return inkColour
	}
}

// styles are one visitor's lipgloss styles. They are built per model (never shared through a
// package variable) because each visitor has their own background and colour profile; the
// Renderer shares one immutable set between visitors with the same palette.
type styles struct {
	title, tagline     lipgloss.Style
	tabActive, tabIdle lipgloss.Style
	rule               lipgloss.Style // rules and separators (the faint colour)
	position           lipgloss.Style // the footer's words
	notice             lipgloss.Style
	enlarge            lipgloss.Style
	match, current     lipgloss.Style // search matches, and the one the visitor is on
	prompt             lipgloss.Style
	heading            lipgloss.Style // headings drawn by the UI (cover, help, contact card)
	muted              lipgloss.Style // secondary text
	link               lipgloss.Style
	key                lipgloss.Style // a key's name in the help and the footer
	progress           lipgloss.Style // the read part of the progress rule

	hyperlinks bool   // OSC 8 links are written (colour terminals; without colour, plain text)
	ellipsis   string // what truncation leaves

	// The search highlights taken apart into their opening and closing sequences, so the
	// per-frame highlighting of a visible line needs no lipgloss rendering.
	matchOpen, currentOpen, hlClose string
}

// withSequences fills the precomputed sequences from the styles. A printable placeholder is
// rendered and cut out: lipgloss leaves a control character such as NUL unstyled when the
// style underlines, which once left the current match with no opening sequence at all.
func (s *styles) withSequences() *styles {
	s.matchOpen, s.hlClose, _ = strings.Cut(s.match.Render("x"), "x")
	s.currentOpen, _, _ = strings.Cut(s.current.Render("x"), "x")
	if s.hlClose == "" {
		s.hlClose = "\x1b[m"
	}
	return s
}

// newStyles builds the styles for a palette. Without colour (an empty palette) emphasis is
// bold, underline and reverse: the active tab is bold and underlined (and bracketed by the
// tab code), search matches are reversed, the current one also bold and underlined.
func newStyles(p palette, k ink, ascii bool) *styles {
	plain := lipgloss.NewStyle()
	fg := func(c string) lipgloss.Style {
		if c == "" {
			return plain
		}
		return plain.Foreground(lipgloss.Color(c))
	}
	accent, muted, faint := fg(p.accent), fg(p.muted), fg(p.faint)
	bold := plain.Bold(true)
	st := &styles{
		title:      accent.Bold(true),
		tagline:    muted.Italic(true),
		tabActive:  accent.Bold(true), // underlined by tabs (see underlined)
		tabIdle:    muted,
		rule:       faint,
		position:   muted,
		notice:     accent.Bold(true),
		enlarge:    accent.Bold(true),
		match:      plain.Reverse(true),
		current:    accent.Reverse(true).Bold(true).Underline(true),
		prompt:     accent.Bold(true),
		heading:    accent.Bold(true),
		muted:      muted,
		link:       accent, // underlined where drawn (see underlined)
		key:        accent.Bold(true),
		progress:   accent,
		hyperlinks: k == inkColour,
		ellipsis:   glyphs(ascii).ellipsis,
	}
	if p.accent == "" {
		// No colour: the progress rule's read part is drawn bold, the rest plain.
		st.progress = bold
	}
	if k == inkPlain {
		// Nothing survives but the text; bold is harmless where it is dropped.
		st.tabActive = bold
	}
	return st.withSequences()
}

// underlined underlines an already styled string. lipgloss underlines rune by rune (each
// with its own sequences, several times the bytes), so the UI adds the attribute around
// the whole instead.
func underlined(s string) string { return "\x1b[4m" + s + "\x1b[24m" }

// glyphSet holds the characters that differ between a UTF-8 terminal and an ASCII one.
type glyphSet struct {
	rule                  string // horizontal rules
	dot                   string // separator between header parts
	ellipsis              string
	sections              string // short help label for the section keys
	scroll                string // short help label for the scroll keys
	left, right, up, down string // arrow key names in the full help
	marker                string // in the margin of the line holding the current match
	done                  string // the read part of the progress rule
	bar                   string // beside the message form's text
}

var (
	unicodeGlyphs = glyphSet{rule: "─", dot: " · ", ellipsis: "…", sections: "←/→", scroll: "↑/↓",
		left: "←", right: "→", up: "↑", down: "↓", marker: "▸", done: "━", bar: "│"}
	asciiGlyphs = glyphSet{rule: "-", dot: " - ", ellipsis: "...", sections: "h/l", scroll: "j/k",
		left: "left", right: "right", up: "up", down: "down", marker: ">", done: "=", bar: "|"}
)

func glyphs(ascii bool) glyphSet {
	if ascii {
		return asciiGlyphs
	}
	return unicodeGlyphs
}

package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
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

func accentHex(dark bool) string {
	if dark {
		return "#B79CFF"
	}
	return "#5B2FC9"
}

// styles are one visitor's lipgloss styles. They are built per model (never shared through a
// package variable) because each visitor has their own background and colour profile.
type styles struct {
	title, tagline     lipgloss.Style
	tabActive, tabIdle lipgloss.Style
	rule               lipgloss.Style
	position           lipgloss.Style
	notice             lipgloss.Style
	enlarge            lipgloss.Style
	match, current     lipgloss.Style // search matches, and the one the visitor is on
	prompt             lipgloss.Style
	help               help.Styles

	// The search highlights taken apart into their opening and closing sequences, so the
	// per-frame highlighting of a visible line needs no lipgloss rendering.
	matchOpen, currentOpen, hlClose string
}

// withSequences fills the precomputed sequences from the styles.
func (s *styles) withSequences() *styles {
	s.matchOpen, s.hlClose, _ = strings.Cut(s.match.Render("\x00"), "\x00")
	s.currentOpen, _, _ = strings.Cut(s.current.Render("\x00"), "\x00")
	if s.hlClose == "" && s.matchOpen != "" {
		s.hlClose = "\x1b[m"
	}
	return s
}

// newStyles builds the styles for a background (isDark) and an ink. Without colour the
// active tab is still bold (and bracketed by the tab code), and search matches are reversed.
func newStyles(isDark bool, k ink) *styles {
	if k != inkColour {
		bold := lipgloss.NewStyle().Bold(true)
		plain := lipgloss.NewStyle()
		return (&styles{
			title: bold, tagline: plain, tabActive: bold, tabIdle: plain,
			rule: plain, position: plain, notice: bold, enlarge: bold,
			match: plain.Reverse(true), current: bold.Reverse(true).Underline(true), prompt: bold,
			help: help.Styles{
				ShortKey: bold, ShortDesc: plain, ShortSeparator: plain, Ellipsis: plain,
				FullKey: bold, FullDesc: plain, FullSeparator: plain,
			},
		}).withSequences()
	}
	ld := lipgloss.LightDark(isDark)
	accent := lipgloss.Color(accentHex(isDark))
	muted := ld(lipgloss.Color("#6C6C7A"), lipgloss.Color("#8A8A99"))
	faint := ld(lipgloss.Color("#C8C8D2"), lipgloss.Color("#3A3A46"))
	text := ld(lipgloss.Color("#2A2A33"), lipgloss.Color("#DCDCE4"))
	warm := ld(lipgloss.Color("#A34A00"), lipgloss.Color("#FFB86C"))
	hs := help.DefaultStyles(isDark)
	hs.ShortKey = hs.ShortKey.Foreground(muted).Bold(true)
	hs.ShortDesc = hs.ShortDesc.Foreground(ld(lipgloss.Color("#9A9AA6"), lipgloss.Color("#6E6E7C")))
	hs.ShortSeparator = hs.ShortSeparator.Foreground(faint)
	hs.FullKey = hs.FullKey.Foreground(accent).Bold(true)
	hs.FullDesc = hs.FullDesc.Foreground(text)
	return (&styles{
		title:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		tagline:   lipgloss.NewStyle().Foreground(muted).Italic(true),
		tabActive: lipgloss.NewStyle().Bold(true).Foreground(accent),
		tabIdle:   lipgloss.NewStyle().Foreground(muted),
		rule:      lipgloss.NewStyle().Foreground(faint),
		position:  lipgloss.NewStyle().Foreground(muted),
		notice:    lipgloss.NewStyle().Foreground(warm).Bold(true),
		enlarge:   lipgloss.NewStyle().Foreground(accent).Bold(true),
		match:     lipgloss.NewStyle().Background(ld(lipgloss.Color("#FFE58A"), lipgloss.Color("#5C4A00"))).Foreground(text),
		current:   lipgloss.NewStyle().Background(warm).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#1A1A1A"))).Bold(true),
		prompt:    lipgloss.NewStyle().Foreground(accent).Bold(true),
		help:      hs,
	}).withSequences()
}

// glyphSet holds the characters that differ between a UTF-8 terminal and an ASCII one.
type glyphSet struct {
	rule                  string // horizontal rules
	dot                   string // separator between header parts
	ellipsis              string
	sections              string // short help label for the section keys
	scroll                string // short help label for the scroll keys
	left, right, up, down string // arrow key names in the full help
	marker                string // in the margin of the line holding the current match
}

var (
	unicodeGlyphs = glyphSet{rule: "─", dot: " · ", ellipsis: "…", sections: "←/→", scroll: "↑/↓",
		left: "←", right: "→", up: "↑", down: "↓", marker: "▸"}
	asciiGlyphs = glyphSet{rule: "-", dot: " - ", ellipsis: "...", sections: "h/l", scroll: "j/k",
		left: "left", right: "right", up: "up", down: "down", marker: ">"}
)

func glyphs(ascii bool) glyphSet {
	if ascii {
		return asciiGlyphs
	}
	return unicodeGlyphs
}

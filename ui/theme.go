package ui

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Theme is the visit's look as exported styles and glyphs, for screens this package does not
// draw itself (the owner's console, ui/console): the colours come from the same derivation
// (palette.go) and are used the same way (styles.go), so both sides look alike and keep the
// same contrast rules in every kind of terminal.
type Theme struct {
	Title   lipgloss.Style // the screen's name
	Heading lipgloss.Style // headings, and what is selected
	Muted   lipgloss.Style // secondary text and labels
	Rule    lipgloss.Style // rules and separators: faint
	Key     lipgloss.Style // a key's name in hints
	Notice  lipgloss.Style // a one-line notice
	Bar     lipgloss.Style // the filled part of a bar (the progress rule's)
	Link    lipgloss.Style

	TabActive, TabIdle lipgloss.Style
	// Brackets: the active tab is bracketed too, where colour cannot mark it.
	Brackets bool

	// Glyphs: "─" or "-" for rules, " · " or " - " between parts, "…" or "...", "▸" or ">"
	// in the margin of the selected line, "━" or "=" for the filled part of a bar.
	RuleGlyph, Dot, Ellipsis, Marker, BarGlyph string
	Up, Down, Left, Right                      string // arrow key names
}

// NewTheme builds the theme for an accent ("" or not "#rrggbb": DefaultAccent), a colour
// profile, a background and a locale (ascii: not UTF-8).
func NewTheme(accent string, p colorprofile.Profile, dark, ascii bool) Theme {
	k := inkFor(p)
	st := newStyles(newPalette(accent, dark, tierFor(p)), k, ascii)
	g := glyphs(ascii)
	return Theme{
		Title: st.title, Heading: st.heading, Muted: st.muted, Rule: st.rule, Key: st.key,
		Notice: st.notice, Bar: st.progress, Link: st.link,
		TabActive: st.tabActive, TabIdle: st.tabIdle, Brackets: k != inkColour,
		RuleGlyph: g.rule, Dot: g.dot, Ellipsis: g.ellipsis, Marker: g.marker, BarGlyph: g.done,
		Up: g.up, Down: g.down, Left: g.left, Right: g.right,
	}
}

// Underlined underlines an already styled string as a whole (see underlined).
func (Theme) Underlined(s string) string { return underlined(s) }

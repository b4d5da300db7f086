package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// contactLines are the lines closing every section when the owner has set contact links, so a
// visitor who reads to the end knows where to go next. With colour on each address is an OSC 8
// hyperlink a terminal can open; without, it is the plain address, which is what copies well.
func contactLines(links content.Links, width int, l look) []string {
	list := links.List()
	if len(list) == 0 {
		return nil
	}
	inner := max(1, width-2*bodyMargin)
	var parts []string
	for _, lk := range list {
		text := lk.Label + ": " + lk.Text
		if l.ink == inkColour {
			text = lk.Label + ": " + ansi.SetHyperlink(lk.URL) + lk.Text + ansi.ResetHyperlink()
		}
		parts = append(parts, text)
	}
	sep := "  ·  "
	if l.ascii {
		sep = "  -  "
	}
	rule := strings.Repeat(glyphs(l.ascii).rule, min(inner, 24))
	label := "Get in touch"
	var out []string
	margin := strings.Repeat(" ", bodyMargin)
	if l.ink != inkPlain {
		st := lipgloss.NewStyle().Bold(true)
		if l.ink == inkColour {
			st = st.Foreground(lipgloss.Color(accentHex(l.dark)))
		}
		label = st.Render(label)
	}
	out = append(out, "", margin+rule, margin+label)
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = p
		case ansi.StringWidth(line+sep+p) <= inner:
			line += sep + p
		default:
			out = append(out, margin+line)
			line = p
		}
	}
	return append(out, margin+line)
}

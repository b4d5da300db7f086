package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// endLines close section index, so a section never just stops: a short rule, then what comes
// next ("Next: 2 Why Certification  →") or, after the last section, the contact card when
// links are set and the way back to the cover. They are part of the cached page.
func endLines(site *content.Site, index, width int, l look) []string {
	st := newStyles(l.pal, l.ink, l.ascii)
	g := glyphs(l.ascii)
	inner := max(1, width-2*bodyMargin)
	margin := strings.Repeat(" ", bodyMargin)
	out := []string{"", margin + st.rule.Render(strings.Repeat(g.rule, min(inner, 24)))}
	fit := func(s string) string { return ansi.Truncate(s, inner, g.ellipsis) }
	if l.access {
		// Sentences, no rule and no arrow for a screen reader to read out.
		margin, out = "", []string{""}
		fit = func(s string) string { return s }
	}
	if index+1 < len(site.Sections) {
		next := site.Sections[index+1]
		line := "Next: " + strconv.Itoa(index+2) + " " + next.Title + "  " + g.right
		if l.access {
			line = "Next: section " + strconv.Itoa(index+2) + ", " + next.Title + ". Press the right arrow."
		}
		return append(out, margin+st.heading.Render(fit(line)))
	}
	if l.access {
		for _, lk := range site.Settings.Links.List() {
			out = append(out, lk.Label+": "+lk.Text)
		}
		if l.write {
			out = append(out, "Press m to write to "+site.DisplayName()+".")
		}
		return append(out, "The end. Press 0 for the cover, q to leave.")
	}
	if card := renderContactBlock(st, l, site, inner); card != "" {
		for _, ln := range strings.Split(card, "\n") {
			out = append(out, margin+ln)
		}
		out = append(out, "")
	}
	if l.write {
		out = append(out, margin+fit(writeHint(st, site.DisplayName())), "")
	}
	last := "The end. 0 returns to the cover, q leaves."
	if ansi.StringWidth(last) > inner {
		last = "The end. 0: the cover."
	}
	return append(out, margin+st.muted.Render(fit(last)))
}

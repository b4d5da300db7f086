package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

// coverIndex is the page index of the cover, the first screen: it is cached by the Renderer
// like a section, so drawing it costs what drawing a section costs.
const coverIndex = -1

// coverPage lays out the cover at width columns: whose portfolio it is, every section with
// its number, title, reading time and one-line summary (the owner's first sentence, cut to
// fit), the contact card when links are set, and how to start. The accessible look says
// the same in sentences, summaries wrapped rather than cut.
func coverPage(site *content.Site, width int, l look) *page {
	st := newStyles(l.pal, l.ink, l.ascii)
	g := glyphs(l.ascii)
	text := func(s string) string {
		if l.ascii {
			return asciiText(s)
		}
		return s
	}
	if l.access {
		return finishPage(accessibleCover(site, width, text, l.write), width)
	}
	inner := max(1, width-2*bodyMargin)
	margin := strings.Repeat(" ", bodyMargin)
	fit := func(s string, w int) string { return ansi.Truncate(s, max(1, w), g.ellipsis) }
	set := site.Settings
	name := site.DisplayName()
	minutes := 0
	for _, sec := range site.Sections {
		minutes += sec.Minutes()
	}
	lines := []string{"", margin + st.heading.Render(fit(text(name), inner))}
	if set.Tagline != "" {
		lines = append(lines, margin+st.tagline.Render(fit(text(set.Tagline), inner)))
	}
	lines = append(lines, margin+st.muted.Render(fit(plural(len(site.Sections), "section")+g.dot+strconv.Itoa(minutes)+" min read", inner)), "")
	// number, two spaces, title ... reading time; the summary under the title.
	const indent = 3
	for i, sec := range site.Sections {
		mins := strconv.Itoa(sec.Minutes()) + " min"
		title := fit(text(sec.Title), inner-indent-len(mins)-2)
		gap := max(2, inner-indent-ansi.StringWidth(title)-len(mins))
		lines = append(lines,
			margin+st.key.Render(strconv.Itoa(i+1))+"  "+st.title.UnsetForeground().Render(title)+spaces(gap)+st.muted.Render(mins),
			margin+spaces(indent)+st.muted.Render(fit(text(sec.Summary), inner-indent)),
		)
	}
	if card := renderContactCard(st, site, inner); card != "" {
		lines = append(lines, "")
		for _, ln := range strings.Split(card, "\n") {
			lines = append(lines, margin+ln)
		}
	}
	last := "9"
	if n := len(site.Sections); n < 9 {
		last = strconv.Itoa(n)
	}
	start := st.key.Render("enter") + st.muted.Render(" or ") + st.key.Render(g.right) + st.muted.Render(" to start, ") +
		st.key.Render("1-"+last) + st.muted.Render(" for a section")
	if ansi.StringWidth(start) > inner {
		start = st.key.Render("enter") + st.muted.Render(" or ") + st.key.Render(g.right) + st.muted.Render(" to start")
	}
	lines = append(lines, "", margin+start)
	if l.write {
		lines = append(lines, margin+writeHint(st, name))
	}
	return finishPage(lines, width)
}

// accessibleCover is the cover in sentences, for a screen reader: nothing is cut.
func accessibleCover(site *content.Site, width int, text func(string) string, write bool) []string {
	var lines []string
	add := func(s string) { lines = append(lines, strings.Split(content.Wrap(text(s), width), "\n")...) }
	lines = append(lines, "")
	n := len(site.Sections)
	add("Overview: " + plural(n, "section") + ".")
	for i, sec := range site.Sections {
		lines = append(lines, "")
		add("Section " + strconv.Itoa(i+1) + ": " + sec.Title + ", " + plural(sec.Minutes(), "minute") + ".")
		add(sec.Summary)
	}
	if list := site.Settings.Links.List(); len(list) > 0 {
		lines = append(lines, "")
		add("Contact:")
		for _, lk := range list {
			add(lk.Label + ": " + lk.Text)
		}
	}
	lines = append(lines, "")
	add("Press enter to start reading, or a number from 1 to " + strconv.Itoa(min(n, 9)) + " for that section.")
	if write {
		add("Press m to write to " + site.DisplayName() + ".")
	}
	return lines
}

// finishPage passes on only safe sequences (keepSafe: the cover shows the owner's titles,
// summaries and settings), cuts lines to width and keeps their plain text for search.
func finishPage(lines []string, width int) *page {
	p := &page{lines: lines, plain: make([]string, len(lines))}
	for i, ln := range lines {
		ln = keepSafe(ln)
		if ansi.StringWidth(ln) > width {
			ln = ansi.Truncate(ln, width, "")
		}
		lines[i] = trimPadding(ln)
		p.plain[i] = ansi.Strip(lines[i])
	}
	return p
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// writeHint is the line that says how to open the message form: "m  write to NAME".
func writeHint(st *styles, name string) string {
	return st.key.Render("m") + "  " + st.muted.Render("write to "+name)
}

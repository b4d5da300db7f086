package ui

import (
	"slices"
	"strconv"

	"github.com/charmbracelet/x/ansi"
)

// railMinWidth is the narrowest window that has a rail: the room left of the 80-column
// text is then at least 20 columns.
const railMinWidth = 120

// The rail is the column left of the text in a wide window: every section with how much of
// it the visitor has read, the one on screen marked, and the contact links when set. It is
// drawn beside the body rows of a section (the cover already lists the sections).

// hasRail reports whether the current screen draws the rail.
func (m *Model) hasRail() bool {
	return !m.accessible && m.width >= railMinWidth && m.active != coverIndex && !m.showHelp
}

// railMaxWidth keeps the rail next to the text however wide the window is.
const railMaxWidth = 26

// railLines lays out the rail in the left padding, w columns: each line exactly w columns,
// the rail's text against the body's column with a gap of two.
func (m *Model) railLines(w int) []string {
	railW := min(w, railMaxWidth)
	inner := railW - 4
	if inner < 8 {
		return nil
	}
	lead := spaces(w - railW + 2)
	cell := func(s string) string {
		s = ansi.Truncate(s, inner, m.g.ellipsis)
		return lead + s + spaces(railW-2-ansi.StringWidth(s))
	}
	styled := func(plain, s string) string {
		return lead + s + spaces(railW-2-ansi.StringWidth(plain))
	}
	lines := []string{cell(""), styled("Contents", m.st.muted.Render("Contents"))}
	for i, sec := range m.site.Sections {
		label := strconv.Itoa(i+1) + " " + sec.Short
		mark := ""
		switch r := m.read[i]; {
		case r >= 100:
			mark = "✓"
			if m.ascii {
				mark = "done"
			}
		case r > 0:
			mark = strconv.Itoa(r) + "%"
		}
		room := inner - ansi.StringWidth(mark) - 1
		label = ansi.Truncate(label, max(1, room), m.g.ellipsis)
		text := label + spaces(inner-ansi.StringWidth(label)-ansi.StringWidth(mark)) + mark
		st := m.st.tabIdle
		if i == m.active {
			st = m.st.tabActive
		}
		lines = append(lines, styled(text, st.Render(label)+spaces(inner-ansi.StringWidth(label)-ansi.StringWidth(mark))+m.st.muted.Render(mark)))
	}
	if links := m.site.Settings.Links.List(); len(links) > 0 {
		lines = append(lines, cell(""), styled("Get in touch", m.st.muted.Render("Get in touch")))
		for _, l := range links {
			t := ansi.Truncate(l.Text, inner, m.g.ellipsis)
			lines = append(lines, styled(t, m.st.link.Render(t)))
		}
	}
	return lines
}

// noteRead records how far down the active section the visitor has read (the last line on
// screen), for the rail; it only ever grows.
func (m *Model) noteRead() {
	if m.active == coverIndex || m.page == nil || m.showHelp || m.tooSmall() || len(m.page.lines) == 0 {
		return
	}
	pct := min(100, (m.offset()+m.bodyHeight())*100/len(m.page.lines))
	if pct <= m.read[m.active] {
		return
	}
	m.read = slices.Clone(m.read)
	m.read[m.active] = pct
	if m.hasRail() {
		m.chrome.rail = m.railLines(len(m.chrome.pad))
	}
}

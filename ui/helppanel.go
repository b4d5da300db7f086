package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// helpPanel lays out the `?` panel for textW columns: a title, then the keys in titled
// groups, in two columns when they fit side by side. It replaces the body while open and
// scrolls like it when it does not fit the window (the footer says how to close it).
func (m *Model) helpPanel(textW int) []string {
	groups := m.keys.groups()
	// widths returns a column's key width and the width of its widest row.
	widths := func(gs []helpGroup) (keyW, rowW int) {
		for _, g := range gs {
			for _, b := range g.keys {
				keyW = max(keyW, ansi.StringWidth(b.Help().Key))
			}
		}
		for _, g := range gs {
			for _, b := range g.keys {
				rowW = max(rowW, keyW+2+ansi.StringWidth(b.Help().Desc))
			}
		}
		return keyW, rowW
	}
	column := func(gs []helpGroup, w int) []string {
		keyW, _ := widths(gs)
		var out []string
		for i, g := range gs {
			if i > 0 {
				out = append(out, "")
			}
			out = append(out, m.st.muted.Render(ansi.Truncate(g.title, w, m.g.ellipsis)))
			for _, b := range g.keys {
				h := b.Help()
				row := m.st.key.Render(h.Key) + spaces(keyW-ansi.StringWidth(h.Key)+2) + h.Desc
				if keyW+2 >= w {
					row = m.st.key.Render(h.Key) + " " + h.Desc
				}
				out = append(out, ansi.Truncate(row, w, m.g.ellipsis))
			}
		}
		return out
	}
	lines := []string{"", m.st.heading.Render("Keys"), ""}
	const gutter = 4
	_, leftW := widths(groups[:2])
	_, rightW := widths(groups[2:])
	if leftW+gutter+rightW > textW {
		return append(lines, column(groups, textW)...)
	}
	left, right := column(groups[:2], leftW), column(groups[2:], rightW)
	for i := range max(len(left), len(right)) {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		if r == "" {
			lines = append(lines, l)
			continue
		}
		lines = append(lines, l+spaces(leftW+gutter-ansi.StringWidth(l))+r)
	}
	return lines
}

// shortHelp renders footer hints ("key what · key what") and their width.
func (m *Model) shortHelp(pairs ...[2]string) (string, int) {
	var b strings.Builder
	w := 0
	for i, p := range pairs {
		if i > 0 {
			b.WriteString(m.st.rule.Render(m.g.dot))
			w += ansi.StringWidth(m.g.dot)
		}
		b.WriteString(m.st.key.Render(p[0]) + m.st.muted.Render(" "+p[1]))
		w += ansi.StringWidth(p[0]) + 1 + ansi.StringWidth(p[1])
	}
	return b.String(), w
}

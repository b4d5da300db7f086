package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// titleLine is the owner's name (or the site's title) and the tagline, the tagline dropped
// when it does not fit.
func (m *Model) titleLine(w int) string {
	s := m.site.Settings
	name := s.Name
	if name == "" {
		name = s.Title
	}
	title := ansi.Truncate(name, w, m.g.ellipsis)
	line := m.st.title.Render(title)
	if s.Tagline != "" && ansi.StringWidth(title+m.g.dot+s.Tagline) <= w {
		line += m.st.rule.Render(m.g.dot) + m.st.tagline.Render(s.Tagline)
	}
	return line
}

// tabs lists the sections, numbered. The active one is bold and underlined (and, without
// colour, bracketed, so it stands out in any terminal). When the titles do not fit, the
// short names are used; when those do not fit either, the others share what is left, each
// at least its number.
func (m *Model) tabs(w int) string {
	secs := m.site.Sections
	brackets := m.look.ink != inkColour || m.accessible
	render := func(label func(i int) string) (string, int) {
		var b strings.Builder
		width := 0
		for i := range secs {
			if i > 0 {
				b.WriteString("  ")
				width += 2
			}
			t := label(i)
			if i == m.active {
				if brackets {
					t = "[" + t + "]"
				}
				b.WriteString(underlined(m.st.tabActive.Render(t)))
			} else {
				b.WriteString(m.st.tabIdle.Render(t))
			}
			width += ansi.StringWidth(t)
		}
		return b.String(), width
	}
	num := func(i int) string { return strconv.Itoa(i + 1) }
	full := func(i int) string { return num(i) + " " + secs[i].Title }
	short := func(i int) string { return num(i) + " " + secs[i].Short }
	if s, n := render(full); n <= w {
		return s
	}
	if s, n := render(short); n <= w {
		return s
	}
	// The active section keeps its short name; the others share the rest.
	activeW := 0
	if m.active >= 0 {
		activeW = ansi.StringWidth(short(m.active))
		if brackets {
			activeW += 2
		}
	}
	others := len(secs)
	if m.active >= 0 {
		others--
	}
	share := 1
	if others > 0 {
		share = max(1, (w-activeW-2*(len(secs)-1))/others)
	}
	s, n := render(func(i int) string {
		if i == m.active {
			return short(i)
		}
		if l := short(i); ansi.StringWidth(l) > share {
			if share <= len(num(i))+len(m.g.ellipsis)+1 {
				return num(i)
			}
			return ansi.Truncate(l, share, m.g.ellipsis)
		}
		return short(i)
	})
	if n <= w {
		return s
	}
	if m.active < 0 {
		return ""
	}
	// Still too wide: just the active section, truncated.
	return underlined(m.st.tabActive.Render(ansi.Truncate(short(m.active), w, m.g.ellipsis)))
}

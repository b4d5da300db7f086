package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The smallest window the full layout is drawn in; below it a "please enlarge" screen.
const (
	minWidth  = 40
	minHeight = 12
)

// footerRows is the progress rule and the status line.
const footerRows = 2

// chrome is everything around the body, laid out when the size, section, look or help
// changes (never per frame), so View only slices page lines and joins strings.
type chrome struct {
	pad      string   // left padding that centres the column
	top      []string // title, tabs, rule (or notice), each already padded
	fullHelp []string // the `?` panel, padded, drawn in place of the body
	textW    int      // columns for text inside the column's margins
	colW     int      // the column's width: the rules
	inset    string   // between pad and the header and footer text: the body's margin
	help     string   // hints, the right-aligned part of the status line
	helpW    int
	helpMin  string // the hints that explain the rest, when help does not fit
	helpMinW int
	// posOpen and posClose wrap the position text in the position style; ruleOpen and
	// doneOpen start the rule's unread and read parts (closed by posClose); all taken apart
	// once so the per-frame footer needs no lipgloss rendering.
	posOpen, posClose  string
	ruleOpen, doneOpen string
	rail               []string // beside the body's first rows in a wide window (rail.go)
}

// View draws the screen. It renders no markdown and wraps nothing: the body is a slice of
// the cached page's lines, and the chrome was laid out by Update.
func (m Model) View() tea.View {
	v := tea.NewView(m.content())
	v.AltScreen = true
	// MouseModeNone on purpose: see modes.go for how the wheel still scrolls.
	v.MouseMode = tea.MouseModeNone
	return v
}

// In accessible mode the linear layout reflows down to a much smaller window: a magnifier
// or a very large font leaves few columns.
const (
	minAccessibleWidth  = 20
	minAccessibleHeight = 6
)

func (m *Model) minSize() (w, h int) {
	if m.accessible {
		return minAccessibleWidth, minAccessibleHeight
	}
	return minWidth, minHeight
}

func (m *Model) tooSmall() bool {
	w, h := m.minSize()
	return m.width < w || m.height < h
}

// bodyLines are the lines the body scrolls through: the help panel while it is open, else
// the page.
func (m *Model) bodyLines() []string {
	if m.showHelp {
		return m.chrome.fullHelp
	}
	if m.page == nil {
		return nil
	}
	return m.page.lines
}

// frameHeight is the height of the frame (header, body, footer). The footer follows the
// text: a page shorter than the window gets a shorter frame, centred, so a tall window never
// shows a pager's empty screen between the text and the footer.
func (m *Model) frameHeight() int {
	if m.accessible {
		return m.height // linear: the status sentence stays on the last row
	}
	return min(m.height, len(m.chrome.top)+footerRows+max(1, len(m.bodyLines())))
}

// bodyHeight is the number of body rows at the current size and help state.
func (m *Model) bodyHeight() int {
	return max(1, m.frameHeight()-len(m.chrome.top)-footerRows)
}

func (m *Model) content() string {
	if m.width < 1 || m.height < 1 {
		return ""
	}
	if m.tooSmall() || m.page == nil {
		return m.enlargeScreen()
	}
	c := &m.chrome
	bodyH := m.bodyHeight()
	lines := m.bodyLines()
	off := m.offset()
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	if !m.accessible {
		for range (m.height - m.frameHeight()) / 2 {
			b.WriteByte('\n')
		}
	}
	for _, l := range c.top {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	for i := range bodyH {
		j := off + i
		switch {
		case i < len(c.rail):
			b.WriteString(c.rail[i])
		case j >= len(lines) || lines[j] == "":
			b.WriteByte('\n')
			continue
		default:
			b.WriteString(c.pad)
		}
		switch {
		case j >= len(lines) || lines[j] == "":
		case m.showHelp:
			b.WriteString(c.inset + lines[j])
		default:
			b.WriteString(m.bodyLine(j))
		}
		b.WriteByte('\n')
	}
	b.WriteString(m.progressRule(off, bodyH, len(lines)))
	b.WriteByte('\n')
	b.WriteString(m.statusLine(off, bodyH, len(lines)))
	return b.String()
}

// progressRule is the rule above the footer: in a section, its read part (down to the last
// line on screen) drawn heavier and in the accent.
func (m *Model) progressRule(off, bodyH, total int) string {
	c := &m.chrome
	if m.accessible {
		return ""
	}
	done := 0
	if m.active != coverIndex && !m.showHelp && total > 0 {
		done = c.colW * min(total, off+bodyH) / total
	}
	return c.pad + c.doneOpen + strings.Repeat(m.g.done, done) + c.ruleOpen + strings.Repeat(m.g.rule, c.colW-done) + c.posClose
}

// where says in words where the visitor is, long and short.
func (m *Model) where(off, bodyH, total int) (long, short string) {
	n := len(m.site.Sections)
	switch {
	case m.showHelp:
		long, short = "Keys", "Keys"
	case m.active == coverIndex:
		long, short = "Cover"+m.g.dot+plural(n, "section"), "Cover"
	default:
		long = "Section " + strconv.Itoa(m.active+1) + " of " + strconv.Itoa(n)
		short = strconv.Itoa(m.active+1) + "/" + strconv.Itoa(n)
	}
	if total > bodyH {
		var at string
		switch {
		case off == 0:
			at = "top"
		case off+bodyH >= total:
			at = "end"
		default:
			at = strconv.Itoa((off+bodyH)*100/total) + "%"
		}
		long += m.g.dot + at
		short += m.g.dot + at
	}
	return long, short
}

// statusLine is the footer: where the visitor is, and the hints.
func (m *Model) statusLine(off, bodyH, total int) string {
	c := &m.chrome
	if m.search.typing {
		return m.promptLine()
	}
	if m.accessible {
		return m.statusWords(off, bodyH, total)
	}
	long, short := m.where(off, bodyH, total)
	help, helpW := c.help, c.helpW
	if m.search.active() && !m.showHelp {
		long = m.searchStatus() + m.g.dot + long
		short = m.searchStatus() + m.g.dot + short
		help, helpW = m.shortHelp([2]string{"n N", "next/previous"}, [2]string{"esc", "clear"})
	}
	for _, pos := range []string{long, short} {
		posW := ansi.StringWidth(pos)
		for _, h := range []struct {
			s string
			w int
		}{{help, helpW}, {c.helpMin, c.helpMinW}} {
			if gap := c.textW - posW - h.w; gap >= 2 {
				return c.pad + c.inset + c.posOpen + pos + c.posClose + spaces(gap) + h.s
			}
		}
	}
	return c.pad + c.inset + c.helpMin
}

// searchStatus says where the visitor is among the matches.
func (m *Model) searchStatus() string {
	s := &m.search
	if len(s.matches) == 0 {
		return "no match"
	}
	return "match " + strconv.Itoa(s.cur+1) + "/" + strconv.Itoa(len(s.matches))
}

// spaces returns n spaces, sliced from a constant for the common widths.
func spaces(n int) string {
	const s = "                                                                                "
	if n <= 0 {
		return ""
	}
	if n <= len(s) {
		return s[:n]
	}
	return strings.Repeat(" ", n)
}

// layout recomputes the chrome. Update calls it whenever what it depends on changes.
func (m *Model) layout() {
	if m.tooSmall() {
		m.chrome = chrome{}
		return
	}
	colW := renderWidth(m.width)
	if m.accessible {
		m.layoutAccessible()
		return
	}
	c := chrome{pad: spaces((m.width - colW) / 2), textW: colW - 2*bodyMargin, inset: "  ", colW: colW}
	in := c.pad + c.inset
	c.top = []string{in + m.titleLine(c.textW), in + m.tabs(c.textW)}
	if m.notice != "" {
		c.top = append(c.top, in+m.st.notice.Render(ansi.Truncate(m.notice, c.textW, m.g.ellipsis)))
	} else {
		c.top = append(c.top, c.pad+m.st.rule.Render(strings.Repeat(m.g.rule, colW)))
	}
	if m.active == coverIndex && !m.showHelp && m.notice == "" {
		// The cover is its own header: the name, the tagline and every section.
		c.top = nil
	}
	sections, scroll := [2]string{m.g.sections, "sections"}, [2]string{m.g.scroll, "scroll"}
	switch {
	case m.showHelp:
		c.help, c.helpW = m.shortHelp(scroll, [2]string{"? esc", "close"})
		c.helpMin, c.helpMinW = m.shortHelp([2]string{"esc", "close"})
	case m.active == coverIndex:
		c.help, c.helpW = m.shortHelp([2]string{"enter", "start"}, sections, [2]string{"?", "help"}, [2]string{"q", "quit"})
		c.helpMin, c.helpMinW = m.shortHelp([2]string{"enter", "start"}, [2]string{"?", "help"})
	default:
		c.help, c.helpW = m.shortHelp(sections, scroll, [2]string{"/", "search"}, [2]string{"?", "help"}, [2]string{"q", "quit"})
		c.helpMin, c.helpMinW = m.shortHelp(sections, [2]string{"?", "help"})
	}
	c.posOpen, c.posClose, _ = strings.Cut(m.st.position.Render("x"), "x")
	c.ruleOpen, _, _ = strings.Cut(m.st.rule.Render("x"), "x")
	c.doneOpen, _, _ = strings.Cut(m.st.progress.Render("x"), "x")
	if c.posClose == "" {
		c.posClose = "\x1b[m"
	}
	// Each part resets what the one before set.
	c.ruleOpen = "\x1b[m" + c.ruleOpen
	if m.showHelp {
		c.fullHelp = m.helpPanel(c.textW)
	}
	m.chrome = c
	if m.hasRail() {
		m.chrome.rail = m.railLines(len(c.pad))
	}
}

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

// enlargeScreen asks for a bigger window, centred, never wider or taller than the window:
// the words wrap to the window's width rather than being cut.
func (m *Model) enlargeScreen() string {
	minW, minH := m.minSize()
	text := "Please enlarge your window to at least " + strconv.Itoa(minW) + "x" + strconv.Itoa(minH) +
		". It is " + strconv.Itoa(m.width) + "x" + strconv.Itoa(m.height) + " now. q quits."
	if m.page == nil && !m.tooSmall() {
		text = "Nothing to show yet. q quits."
	}
	var lines []string
	for _, l := range strings.Split(wrapWords(text, m.width), "\n") {
		lines = append(lines, ansi.Truncate(l, m.width, ""))
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	top := (m.height - len(lines)) / 2
	var b strings.Builder
	for range top {
		b.WriteByte('\n')
	}
	for i, l := range lines {
		b.WriteString(spaces((m.width - ansi.StringWidth(l)) / 2))
		b.WriteString(m.st.enlarge.Render(l))
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// wrapWords breaks s at spaces into lines of at most w columns (a longer word keeps a line).
func wrapWords(s string, w int) string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return strings.Join(append(lines, line), "\n")
}

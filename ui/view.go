package ui

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The smallest window the full layout is drawn in; below it a "please enlarge" screen.
const (
	minWidth  = 40
	minHeight = 12
)

// chrome is everything around the body, laid out when the size, section, look or help
// changes (never per frame), so View only slices page lines and joins strings.
type chrome struct {
	pad      string   // left padding that centres the column
	top      []string // title, tabs, rule (or notice), each already padded
	rule     string   // the rule above the footer, padded
	help     string   // short help, right-aligned part of the status line
	fullHelp []string // the `?` panel, padded
	textW    int      // columns for text inside the column's margins
	inset    string   // between pad and the header and footer text: the body's margin
	helpOnly bool     // the full help is drawn in place of the body (narrow windows)
	helpW    int      // width of help
	helpMin  string   // the two keys that explain the rest, when help does not fit
	helpMinW int
	// searchHelp replaces help while a search is active: how to move and how to leave.
	searchHelp  string
	searchHelpW int
	// posOpen and posClose wrap the position text in the position style, taken apart once
	// so the per-frame status line needs no lipgloss rendering.
	posOpen, posClose string
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

func (m *Model) content() string {
	if m.width < 1 || m.height < 1 {
		return ""
	}
	if m.tooSmall() || m.page == nil {
		return m.enlargeScreen()
	}
	c := m.chrome
	bodyH := m.bodyHeight()
	off := m.offset()
	lines := m.page.lines
	size := len(c.rule) + len(c.pad)*bodyH + 2*m.width + bodyH + len(c.top)
	for _, l := range c.top {
		size += len(l)
	}
	for _, l := range c.fullHelp {
		size += len(l) + 1
	}
	for j := off; j < off+bodyH && j < len(lines); j++ {
		size += len(lines[j])
	}
	var b strings.Builder
	b.Grow(size + len(c.help) + len(c.posOpen) + len(c.posClose) + 32)
	for _, l := range c.top {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if c.helpOnly {
		// The help takes the body's rows; the body keeps its scroll position underneath.
		for i := range bodyH {
			if i < len(c.fullHelp) {
				b.WriteString(c.fullHelp[i])
			}
			b.WriteByte('\n')
		}
		b.WriteString(c.rule)
		b.WriteByte('\n')
		b.WriteString(m.statusLine(off, bodyH))
		return b.String()
	}
	for i := range bodyH {
		if j := off + i; j < len(lines) && lines[j] != "" {
			b.WriteString(c.pad)
			b.WriteString(m.bodyLine(j))
		}
		b.WriteByte('\n')
	}
	b.WriteString(c.rule)
	b.WriteByte('\n')
	b.WriteString(m.statusLine(off, bodyH))
	for _, l := range c.fullHelp {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return b.String()
}

// bodyLine is line j of the page as drawn: as cached, or with the search matches on it
// highlighted and, on the current match's line, a marker in the margin (the one sign of
// the current match that survives a terminal without attributes).
func (m *Model) bodyLine(j int) string {
	line := m.page.lines[j]
	s := &m.search
	if !s.active() || len(s.matches) == 0 {
		return line
	}
	first, found := slices.BinarySearchFunc(s.matches, match{sec: m.active, line: j}, func(a, b match) int {
		if a.sec != b.sec {
			return a.sec - b.sec
		}
		return a.line - b.line
	})
	if !found {
		return line
	}
	var ranges [][2]int
	var opens []string
	current := false
	for i := first; i < len(s.matches) && s.matches[i].sec == m.active && s.matches[i].line == j; i++ {
		mt := s.matches[i]
		ranges = append(ranges, [2]int{mt.col, mt.col + mt.width})
		if i == s.cur {
			opens = append(opens, m.st.currentOpen)
			current = true
		} else {
			opens = append(opens, m.st.matchOpen)
		}
	}
	line = highlight(line, ranges, opens, m.st.hlClose)
	if current && strings.HasPrefix(line, " ") {
		line = m.g.marker + line[1:]
	}
	return line
}

// bodyHeight is the number of body rows at the current size and help state.
func (m *Model) bodyHeight() int {
	footer := 2
	if m.showHelp && !m.chrome.helpOnly {
		footer += len(m.chrome.fullHelp)
	}
	return max(1, m.height-len(m.chrome.top)-footer)
}

// statusLine is the footer: where the visitor is in the section, and the short help.
func (m *Model) statusLine(off, bodyH int) string {
	total := len(m.page.lines)
	last := min(total, off+bodyH)
	var where string
	switch {
	case total <= bodyH:
		where = "all"
	case off == 0:
		where = "top"
	case last >= total:
		where = "end"
	default:
		where = strconv.Itoa(off*100/max(1, total-bodyH)) + "%"
	}
	pos := "line " + strconv.Itoa(off+1) + "-" + strconv.Itoa(last) + "/" + strconv.Itoa(total) + m.g.dot + where
	c := &m.chrome
	if m.search.typing {
		return m.promptLine()
	}
	if m.accessible {
		return m.statusWords(off, bodyH, total)
	}
	help, helpW := c.help, c.helpW
	if m.search.active() {
		pos = m.searchStatus() + m.g.dot + pos
		help, helpW = c.searchHelp, c.searchHelpW
	}
	// Digits, letters and the one-column dot: the rune count is the width, and much cheaper
	// than grapheme segmentation on every frame.
	posW := utf8.RuneCountInString(pos)
	pos = c.posOpen + pos + c.posClose
	if gap := c.textW - posW - helpW; gap >= 2 {
		return c.pad + c.inset + pos + spaces(gap) + help
	}
	if gap := c.textW - posW - c.helpMinW; gap >= 2 {
		return c.pad + c.inset + pos + spaces(gap) + c.helpMin
	}
	return c.pad + c.inset + pos
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
	c := chrome{pad: strings.Repeat(" ", (m.width-colW)/2), textW: colW - 2*bodyMargin, inset: "  "}
	in := c.pad + c.inset
	c.top = []string{in + m.titleLine(c.textW), in + m.tabs(c.textW)}
	ruleLine := c.pad + m.st.rule.Render(strings.Repeat(m.g.rule, colW))
	if m.notice != "" {
		c.top = append(c.top, in+m.st.notice.Render(ansi.Truncate(m.notice, c.textW, m.g.ellipsis)))
	} else {
		c.top = append(c.top, ruleLine)
	}
	c.rule = ruleLine
	h := m.helpModel()
	// The short help, and a minimal one for when the status line has no room for it.
	c.help = h.ShortHelpView(m.keys.ShortHelp())
	c.helpMin = h.ShortHelpView([]key.Binding{m.keys.Help, m.keys.Quit})
	c.helpMinW = lipgloss.Width(c.helpMin)
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))
	c.searchHelp = h.ShortHelpView([]key.Binding{m.keys.NextMatch, esc})
	c.searchHelpW = lipgloss.Width(c.searchHelp)
	c.helpW = lipgloss.Width(c.help)
	c.posOpen, c.posClose, _ = strings.Cut(m.st.position.Render("\x00"), "\x00")
	if m.showHelp {
		groups := m.keys.FullHelp()
		full := h.FullHelpView(groups)
		if lipgloss.Width(full) > c.textW {
			// Too narrow for columns: one column, in place of the body (a small window has
			// no room for both, and the help is what the visitor asked for).
			c.helpOnly = true
			full = h.FullHelpView([][]key.Binding{slices.Concat(groups...)})
		}
		for _, l := range strings.Split(full, "\n") {
			c.fullHelp = append(c.fullHelp, in+ansi.Truncate(l, c.textW, m.g.ellipsis))
		}
	}
	m.chrome = c
}

// titleLine is the owner's title and tagline, the tagline dropped when it does not fit.
func (m *Model) titleLine(w int) string {
	s := m.site.Settings
	title := ansi.Truncate(s.Title, w, m.g.ellipsis)
	line := m.st.title.Render(title)
	if s.Tagline != "" && ansi.StringWidth(title+m.g.dot+s.Tagline) <= w {
		line += m.st.tagline.Render(m.g.dot + s.Tagline)
	}
	return line
}

// tabs lists the sections. The active one is bracketed and bold, so it stands out with no
// colour at all; when the titles do not fit, the other sections shrink to their numbers.
func (m *Model) tabs(w int) string {
	secs := m.site.Sections
	label := func(i int) string { return strconv.Itoa(i+1) + " " + secs[i].Title }
	render := func(short bool) (string, int) {
		var b strings.Builder
		width := 0
		for i := range secs {
			if i > 0 {
				b.WriteByte(' ')
				width++
			}
			var t string
			switch {
			case i == m.active:
				t = "[" + label(i) + "]"
				b.WriteString(m.st.tabActive.Render(t))
			case short:
				t = " " + strconv.Itoa(i+1) + " "
				b.WriteString(m.st.tabIdle.Render(t))
			default:
				t = " " + label(i) + " "
				b.WriteString(m.st.tabIdle.Render(t))
			}
			width += ansi.StringWidth(t)
		}
		return b.String(), width
	}
	if s, n := render(false); n <= w {
		return s
	}
	if s, n := render(true); n <= w {
		return s
	}
	// Still too wide: just the active section, truncated.
	t := ansi.Truncate("["+label(m.active), max(1, w-1), m.g.ellipsis) + "]"
	return m.st.tabActive.Render(t)
}

// enlargeScreen asks for a bigger window, centred, never wider or taller than the window.
func (m *Model) enlargeScreen() string {
	minW, minH := m.minSize()
	lines := []string{
		"Please enlarge your window",
		"to at least " + strconv.Itoa(minW) + "x" + strconv.Itoa(minH) + ".",
		"Now " + strconv.Itoa(m.width) + "x" + strconv.Itoa(m.height) + ". q quits.",
	}
	if m.page == nil && !m.tooSmall() {
		lines = []string{"Nothing to show yet.", "q quits."}
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
		l = ansi.Truncate(l, m.width, "")
		left := (m.width - ansi.StringWidth(l)) / 2
		b.WriteString(strings.Repeat(" ", left))
		if i == 0 {
			l = m.st.enlarge.Render(l)
		}
		b.WriteString(l)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

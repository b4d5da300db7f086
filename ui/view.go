package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

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
	helpMid  string // help without the write key, when help does not fit; "": none
	helpMidW int
	helpMin  string // the hints that explain the rest, when neither fits
	helpMinW int
	// posOpen and posClose wrap the position text in the position style; ruleOpen and
	// doneOpen start the rule's unread and read parts (closed by posClose); all taken apart
	// once so the per-frame footer needs no lipgloss rendering.
	posOpen, posClose  string
	ruleOpen, doneOpen string
	// ruleFull and doneFull are the rule's glyph colW times; a frame slices them.
	ruleFull, doneFull string
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
	if m.form != nil {
		return m.formContent()
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
	return c.pad + c.doneOpen + c.doneFull[:done*len(m.g.done)] + c.ruleOpen + c.ruleFull[:(c.colW-done)*len(m.g.rule)] + c.posClose
}

// where says in words where the visitor is, long and short.
func (m *Model) where(off, bodyH, total int) (long, short string) {
	n := len(m.site.Sections)
	switch {
	case m.showHelp:
		long, short = "Keys", "Keys"
	case m.active == coverIndex:
		long, short = "Cover", "Cover" // the cover itself counts the sections
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
		// Letters, digits, '%', '/' and the one-column dot: the rune count is the width,
		// and much cheaper than grapheme segmentation on every frame.
		posW := utf8.RuneCountInString(pos)
		for _, h := range []struct {
			s string
			w int
		}{{help, helpW}, {c.helpMid, c.helpMidW}, {c.helpMin, c.helpMinW}} {
			if h.s == "" {
				continue
			}
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

// withWrite puts the write key's hint before the last two hints when the form is on.
func (m *Model) withWrite(hints ...[2]string) [][2]string {
	if m.mail == nil {
		return hints
	}
	n := len(hints) - 2
	return append(append(hints[:n:n], [2]string{"m", "write"}), hints[n:]...)
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
		hints := [][2]string{{"enter", "start"}, sections, {"?", "help"}, {"q", "quit"}}
		c.help, c.helpW = m.shortHelp(m.withWrite(hints...)...)
		if m.mail != nil {
			c.helpMid, c.helpMidW = m.shortHelp(hints...)
		}
		c.helpMin, c.helpMinW = m.shortHelp([2]string{"enter", "start"}, [2]string{"?", "help"})
	default:
		hints := [][2]string{sections, scroll, {"/", "search"}, {"?", "help"}, {"q", "quit"}}
		c.help, c.helpW = m.shortHelp(m.withWrite(hints...)...)
		if m.mail != nil {
			c.helpMid, c.helpMidW = m.shortHelp(hints...)
		}
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
	c.ruleFull, c.doneFull = strings.Repeat(m.g.rule, colW), strings.Repeat(m.g.done, colW)
	if m.showHelp {
		c.fullHelp = m.helpPanel(c.textW)
	}
	m.chrome = c
	if m.hasRail() {
		m.chrome.rail = m.railLines(len(c.pad))
	}
}

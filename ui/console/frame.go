package console

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The smallest window the console is drawn in (the visit's): below it, a request to
// enlarge the window.
const (
	minWidth  = 40
	minHeight = 12
)

// The largest frame: a bigger window gets it centred both ways (the visit's frame does the
// same), so a large terminal shows a composed screen, not a few lines lost at the top.
// 100 columns hold every column of Now; 32 rows a screenful of messages or sessions.
const (
	maxWidth  = 100
	maxHeight = 32
)

// The rows around the body: tabs and a rule above, the notice and the keys below.
const (
	headerRows = 2
	footerRows = 2
)

// View draws the console.
func (m Model) View() tea.View {
	v := tea.NewView(m.content())
	v.AltScreen = true
	v.WindowTitle = "portfolio console"
	return v
}

func (m *Model) frameWidth() int { return min(m.width, maxWidth) }

func (m *Model) frameHeight() int { return min(m.height, maxHeight) }

func (m *Model) bodyHeight() int { return max(0, m.frameHeight()-headerRows-footerRows) }

// textWidth is the body's width: the frame less a margin of one column each side.
func (m *Model) textWidth() int { return max(1, m.frameWidth()-2) }

func (m *Model) content() string {
	if m.width < minWidth || m.height < minHeight {
		return m.enlarge()
	}
	w := m.frameWidth()
	pad := strings.Repeat(" ", (m.width-w)/2)
	lines := []string{m.tabs(w), m.th.Rule.Render(strings.Repeat(m.th.RuleGlyph, w))}
	body := m.bodyLines()
	h := m.bodyHeight()
	off := max(0, min(m.offsets[m.active], len(body)-h))
	if !m.showHelp && m.active == inboxScreen && (m.inbox.replying || !m.inbox.open) {
		off = 0 // the reply and the list place themselves
	}
	body = body[min(off, len(body)):]
	for i := range h {
		l := ""
		if i < len(body) {
			l = " " + m.cut(body[i], w-2)
		}
		lines = append(lines, l)
	}
	lines = append(lines, " "+m.cut(m.status(), w-2))
	m.help.SetWidth(w - 2)
	lines = append(lines, " "+m.help.ShortHelpView(m.short()))
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Repeat("\n", (m.height-m.frameHeight())/2) + strings.Join(lines, "\n")
}

// tabs is the header: the console's name where it fits, then the screens by number, the
// active one bold and underlined (and bracketed where colour cannot mark it).
func (m *Model) tabs(w int) string {
	var b strings.Builder
	width := 0
	for i, name := range screenNames {
		if i > 0 {
			b.WriteString("  ")
			width += 2
		}
		t := strconv.Itoa(i+1) + " " + name
		if screen(i) == inboxScreen && m.home.counts.Unread > 0 {
			t += " " + strconv.Itoa(m.home.counts.Unread)
		}
		if screen(i) == m.active {
			if m.th.Brackets {
				t = "[" + t + "]"
			}
			b.WriteString(m.th.Underlined(m.th.TabActive.Render(t)))
		} else {
			b.WriteString(m.th.TabIdle.Render(t))
		}
		width += ansi.StringWidth(t)
	}
	const title = "Console"
	if width+len(title)+ansi.StringWidth(m.th.Dot)+1 <= w {
		return " " + m.th.Title.Render(title) + m.th.Rule.Render(m.th.Dot) + b.String()
	}
	return " " + b.String()
}

// bodyLines are the active screen's lines, or the help.
func (m *Model) bodyLines() []string {
	if m.showHelp {
		return m.helpLines()
	}
	switch m.active {
	case nowScreen:
		return m.nowLines()
	case visitsScreen:
		return m.visitsLines()
	case inboxScreen:
		return m.inboxLines()
	}
	return m.homeLines()
}

// helpLines is the `?` panel: every key, its groups side by side where they fit (three
// columns, else two, else one).
func (m *Model) helpLines() []string {
	groups := m.full()
	column := func(gs [][]key.Binding) []string {
		keyW := 0
		for _, g := range gs {
			for _, b := range g {
				keyW = max(keyW, ansi.StringWidth(b.Help().Key))
			}
		}
		var out []string
		for i, g := range gs {
			if i > 0 {
				out = append(out, "")
			}
			for _, b := range g {
				h := b.Help()
				out = append(out, m.th.Key.Render(m.cell(h.Key, keyW))+"  "+m.th.Muted.Render(h.Desc))
			}
		}
		return out
	}
	width := func(lines []string) int {
		w := 0
		for _, l := range lines {
			w = max(w, ansi.StringWidth(l))
		}
		return w
	}
	const gutter = 4
	head := []string{m.th.Heading.Render("Keys"), ""}
	for _, split := range [][][][]key.Binding{
		{groups[:1], groups[1:2], groups[2:]},
		{groups[:2], groups[2:]},
	} {
		var cols [][]string
		total := -gutter
		for _, gs := range split {
			c := column(gs)
			cols = append(cols, c)
			total += width(c) + gutter
		}
		if total > m.textWidth() {
			continue
		}
		rows := 0
		for _, c := range cols {
			rows = max(rows, len(c))
		}
		for r := range rows {
			var b strings.Builder
			for i, c := range cols {
				l := ""
				if r < len(c) {
					l = c[r]
				}
				if i < len(cols)-1 {
					l += strings.Repeat(" ", width(c)-ansi.StringWidth(l)+gutter)
				}
				b.WriteString(l)
			}
			head = append(head, strings.TrimRight(b.String(), " "))
		}
		return head
	}
	return append(head, column(groups)...)
}

// status is the line above the keys: a notice (what an action did, or a question), else
// on the live screens when they were last read. That time also keeps a live screen's
// output changing, so the server does not put it to sleep as still while the owner
// watches (the other screens sleep as a visitor's do).
func (m *Model) status() string {
	switch {
	case m.inbox.confirm:
		if msg, ok := m.inbox.current(); ok {
			return m.th.Notice.Render("Delete the message from " + m.sender(msg) + "?")
		}
	case m.notice != "":
		return m.th.Notice.Render(m.notice)
	case (m.active == homeScreen || m.active == nowScreen) && !m.now.at.IsZero():
		return m.th.Muted.Render("live" + m.th.Dot + "updated " + m.now.at.In(m.clock().Location()).Format("15:04:05"))
	}
	return ""
}

// failed is how a screen shows a database error in place of its data.
func (m *Model) failed(what string, err error) []string {
	lines := []string{m.th.Notice.Render("The database did not answer (" + what + ")."), ""}
	for _, l := range wrap(oneLine(err.Error()), m.textWidth()) {
		lines = append(lines, m.th.Muted.Render(l))
	}
	lines = append(lines, "")
	return append(lines, wrap("The rest of the console works; this screen tries again when you come back to it.", m.textWidth())...)
}

// enlarge asks for a bigger window, wrapped to the one there is.
func (m *Model) enlarge() string {
	text := "Please enlarge your window to at least " + strconv.Itoa(minWidth) + "x" + strconv.Itoa(minHeight) +
		". It is " + strconv.Itoa(m.width) + "x" + strconv.Itoa(m.height) + " now. q quits."
	lines := wrap(text, max(1, m.width))
	if len(lines) > m.height {
		lines = lines[:max(0, m.height)]
	}
	for i, l := range lines {
		lines[i] = m.th.Notice.Render(l)
	}
	return strings.Join(lines, "\n")
}

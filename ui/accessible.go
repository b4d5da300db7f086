package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
)

// Accessible mode is for screen readers, magnifiers and anyone who wants the text and
// nothing else: no colour, no box drawing, no centring, no markers a speech synthesiser
// would read out ("star star", "hash hash"), and the position said in words. The layout is
// linear, top to bottom: title, the section and where it sits among the others, the body,
// then one status sentence.

// accessibleStyle patches a glamour style for accessible mode: emphasis and headings lose
// their spelled-out markers, the body starts at the left edge, bullets are plain hyphens.
func accessibleStyle(s ansi.StyleConfig) ansi.StyleConfig {
	s.Document.Margin = uintPtr(0)
	s.CodeBlock.Margin = uintPtr(0)
	for _, p := range []*ansi.StylePrimitive{&s.Emph, &s.Strong, &s.Strikethrough, &s.Code.StylePrimitive} {
		p.BlockPrefix, p.BlockSuffix, p.Prefix, p.Suffix = "", "", "", ""
	}
	for _, h := range []*ansi.StyleBlock{&s.H1, &s.H2, &s.H3, &s.H4, &s.H5, &s.H6} {
		h.Prefix, h.Suffix = "", ""
	}
	s.Item.BlockPrefix = "- "
	s.BlockQuote.IndentToken = strPtr("> ")
	s.HorizontalRule.Format = "\n\n"
	return s
}

func uintPtr(u uint) *uint { return &u }

// layoutAccessible lays out the linear screen.
func (m *Model) layoutAccessible() {
	colW := renderWidth(m.width)
	c := chrome{textW: colW}
	fit := func(s string) string { return xansi.Truncate(s, colW, "...") }
	st := m.site.Settings
	title := st.Title
	if st.Tagline != "" {
		title += " - " + st.Tagline
	}
	where := "No sections."
	if n := len(m.site.Sections); n > 0 && m.active == coverIndex {
		where = "Cover: what there is to read."
	} else if n > 0 {
		where = "Section " + strconv.Itoa(m.active+1) + " of " + strconv.Itoa(n) + ": " + m.site.Sections[m.active].Title + "."
	}
	if m.notice != "" {
		where = m.notice + " " + where
	}
	// The page's own first line is blank: it separates these two from the body.
	c.top = []string{m.st.title.Render(fit(title)), fit(where)}
	c.help = "Press ? for keys, a for the standard view, q to quit."
	if m.mail != nil {
		c.help = "Press m to write, ? for keys, a for the standard view, q to quit."
	}
	c.helpMin = "? for keys."
	c.helpW, c.helpMinW = len(c.help), len(c.helpMin)
	if m.showHelp {
		// One key per line, in place of the body: a list reads better than columns. The
		// general keys (search, help, this mode, quit) come first, where a small window
		// still shows them.
		c.help = "Press ? or escape to close the keys."
		c.helpMin = "? closes."
		c.helpW, c.helpMinW = len(c.help), len(c.helpMin)
		c.fullHelp = append(c.fullHelp, "Keys:")
		groups := m.keys.groups()
		groups = append(groups[len(groups)-1:], groups[:len(groups)-1]...)
		for _, group := range groups {
			c.fullHelp = append(c.fullHelp, fit(group.title+":"))
			for _, b := range group.keys {
				c.fullHelp = append(c.fullHelp, fit(b.Help().Key+": "+b.Help().Desc))
			}
		}
	}
	m.chrome = c
}

// statusWords is the accessible footer: the position as a sentence, then the key hint if
// it fits.
func (m *Model) statusWords(off, bodyH, total int) string {
	last := min(total, off+bodyH)
	var b strings.Builder
	if m.search.active() {
		if n := len(m.search.matches); n == 0 {
			b.WriteString("No match. ")
		} else {
			b.WriteString("Match " + strconv.Itoa(m.search.cur+1) + " of " + strconv.Itoa(n) + ". ")
		}
	}
	if total == 0 {
		total = 1
	}
	lines := "Lines " + strconv.Itoa(off+1) + " to " + strconv.Itoa(last) + " of " + strconv.Itoa(total)
	var where string
	switch {
	case total <= bodyH:
		where = ", the whole " + m.pageWord() + "."
	case off == 0:
		where = ", top of " + m.pageWord() + "."
	case last >= total:
		where = ", end of " + m.pageWord() + "."
	default:
		where = ", " + strconv.Itoa(off*100/max(1, total-bodyH)) + " percent."
	}
	// Narrow windows drop words, never numbers: the sentence, then without where, then bare.
	switch {
	case b.Len()+len(lines)+len(where) <= m.chrome.textW:
		b.WriteString(lines + where)
	case b.Len()+len(lines)+1 <= m.chrome.textW:
		b.WriteString(lines + ".")
	default:
		b.WriteString(strconv.Itoa(off+1) + "-" + strconv.Itoa(last) + " of " + strconv.Itoa(total))
	}
	c := &m.chrome
	line := b.String()
	switch {
	case len(line)+1+c.helpW <= c.textW:
		return line + " " + c.help
	case len(line)+1+c.helpMinW <= c.textW:
		return line + " " + c.helpMin
	}
	return xansi.Truncate(line, c.textW, "")
}

// pageWord names what the body shows, for the position sentence.
func (m *Model) pageWord() string {
	switch {
	case m.showHelp:
		return "keys"
	case m.active == coverIndex:
		return "cover"
	}
	return "section"
}

// accessibleBinding is the key that switches accessible mode on and off.
func accessibleBinding() key.Binding {
	return key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accessible mode on/off"))
}

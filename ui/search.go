package ui

import (
	"slices"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// maxQuery bounds what a visitor can type into search (runes).
const maxQuery = 64

// search is the state of `/`: the prompt while typing, then the submitted query and its
// matches across every section at the current width and look.
type search struct {
	typing  bool
	input   []rune  // the prompt's text while typing
	query   string  // the submitted query; "" when no search is active
	matches []match // in reading order: section, then line, then column
	cur     int     // index into matches of the match the visitor is on
}

// match is one occurrence of the query on one rendered line, in screen cells.
type match struct {
	sec, line, col, width int
}

func (s search) active() bool { return s.query != "" }

// searchKey handles a key while the prompt is open: text edits the query, Enter runs it,
// esc closes the prompt. Only the number of keys is ever counted, never the text.
func (m *Model) searchKey(msg tea.KeyPressMsg) {
	s := &m.search
	switch msg.String() {
	case "esc":
		s.typing = false
	case "enter":
		s.typing = false
		q := strings.TrimSpace(string(s.input))
		if q == "" {
			return
		}
		m.runSearch(q, true)
	case "backspace", "ctrl+h":
		if len(s.input) > 0 {
			s.input = s.input[:len(s.input)-1]
		}
	case "ctrl+u":
		s.input = nil
	default:
		if t := msg.Text; t != "" && len(s.input) < maxQuery {
			for _, r := range t {
				if unicode.IsPrint(r) && len(s.input) < maxQuery {
					s.input = append(slices.Clip(s.input), r)
				}
			}
		}
	}
	m.layout()
}

// runSearch finds q in every section and, when jump is set, moves to the first match at or
// after the top of the current screen, in reading order, wrapping to the first section.
func (m *Model) runSearch(q string, jump bool) {
	s := &m.search
	s.query = q
	s.matches = nil
	s.cur = 0
	needle := foldRunes(q)
	w := renderWidth(m.width)
	for i := range m.site.Sections {
		p := m.r.page(m.site, i, w, m.look)
		for j, line := range p.plain {
			for _, c := range findAll(line, needle) {
				s.matches = append(s.matches, match{sec: i, line: j, col: c[0], width: c[1]})
			}
		}
	}
	if !jump || len(s.matches) == 0 {
		return
	}
	here := match{sec: m.active, line: m.offset()}
	s.cur = 0
	for i, mt := range s.matches {
		if mt.sec > here.sec || (mt.sec == here.sec && mt.line >= here.line) {
			s.cur = i
			break
		}
	}
	m.goToMatch()
}

// stepMatch moves to the next (d=1) or previous (d=-1) match, across sections, wrapping.
func (m *Model) stepMatch(d int) {
	s := &m.search
	if len(s.matches) == 0 {
		return
	}
	s.cur = ((s.cur+d)%len(s.matches) + len(s.matches)) % len(s.matches)
	m.goToMatch()
}

// goToMatch shows the current match's section and scrolls it into view with a little
// context above, unless it is already on screen.
func (m *Model) goToMatch() {
	mt := m.search.matches[m.search.cur]
	m.show(mt.sec)
	off, h := m.offset(), m.bodyHeight()
	if mt.line < off || mt.line >= off+h {
		m.scrollTo(mt.line - min(2, h/3))
	}
	m.layout()
}

// clearSearch leaves search: no prompt, no highlights.
func (m *Model) clearSearch() {
	m.search = search{}
	m.layout()
}

// researched re-runs an active search after a resize or restyle changed the lines.
func (m *Model) researched() {
	if m.search.active() {
		cur := m.search.cur
		m.runSearch(m.search.query, false)
		m.search.cur = min(cur, max(0, len(m.search.matches)-1))
	}
}

func foldRunes(s string) []rune {
	r := []rune(s)
	for i, c := range r {
		r[i] = unicode.ToLower(c)
	}
	return r
}

// findAll returns the cell column and width of each case-insensitive, non-overlapping
// occurrence of needle in the plain line.
func findAll(line string, needle []rune) [][2]int {
	if len(needle) == 0 || len(line) == 0 {
		return nil
	}
	hay := foldRunes(line)
	var out [][2]int
	col := 0
	for i := 0; i <= len(hay)-len(needle); {
		if slices.Equal(hay[i:i+len(needle)], needle) {
			w := ansi.StringWidth(string(hay[i : i+len(needle)]))
			out = append(out, [2]int{col, w})
			col += w
			i += len(needle)
			continue
		}
		col += ansi.StringWidth(string(hay[i]))
		i++
	}
	return out
}

// highlight wraps the cells [from, to) of a styled line in open/close, restoring the line's
// own style after each highlight. Several ranges may be given, in order.
func highlight(line string, ranges [][2]int, open []string, close string) string {
	if len(ranges) == 0 {
		return line
	}
	var (
		b     strings.Builder
		state byte
		sgr   strings.Builder // the line's own SGR sequences since its last reset
		col   int
		ri    int
		in    bool
	)
	b.Grow(len(line) + 32*len(ranges))
	for i := 0; i < len(line); {
		seq, width, n, newState := ansi.DecodeSequence(line[i:], state, nil)
		state = newState
		i += n
		if width == 0 {
			if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
				if seq == "\x1b[m" || seq == "\x1b[0m" {
					sgr.Reset()
				} else {
					sgr.WriteString(seq)
				}
				if in {
					continue // the highlight's own style holds inside a match
				}
			}
			b.WriteString(seq)
			continue
		}
		if !in && ri < len(ranges) && col >= ranges[ri][0] {
			b.WriteString("\x1b[m")
			b.WriteString(open[ri])
			in = true
		}
		b.WriteString(seq)
		col += width
		if in && col >= ranges[ri][1] {
			b.WriteString(close)
			b.WriteString(sgr.String())
			in = false
			ri++
		}
	}
	if in {
		b.WriteString(close)
	}
	return b.String()
}

// promptLine is the footer while typing a search.
func (m *Model) promptLine() string {
	in := string(m.search.input)
	room := max(1, m.chrome.textW-2)
	if w := ansi.StringWidth(in); w > room {
		in = ansi.TruncateLeft(in, w-room, "")
	}
	return m.chrome.pad + m.chrome.inset + m.st.prompt.Render("/") + in + cursorGlyph(m.ascii)
}

func cursorGlyph(ascii bool) string {
	if ascii {
		return "_"
	}
	return "▏"
}

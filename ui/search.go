package ui

import (
	"slices"
	"strconv"
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
	live    int     // while typing: how many matches the prompt's text has so far
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
		m.visit.searches++
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
	if s.typing {
		s.live = m.countMatches(strings.TrimSpace(string(s.input)))
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

// countMatches counts q's matches in every section, for the prompt's live count. The pages
// are the cached ones; nothing is rendered.
func (m *Model) countMatches(q string) int {
	if q == "" {
		return 0
	}
	needle := foldRunes(q)
	w := renderWidth(m.width)
	n := 0
	for i := range m.site.Sections {
		for _, line := range m.r.page(m.site, i, w, m.look).plain {
			n += len(findAll(line, needle))
		}
	}
	return n
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

// promptLine is the footer while typing a search: the query, and on the right how many
// matches it has so far and how to run or leave it.
func (m *Model) promptLine() string {
	s := &m.search
	in := string(s.input)
	count := ""
	if strings.TrimSpace(in) != "" {
		switch s.live {
		case 0:
			count = "no match"
		case 1:
			count = "1 match"
		default:
			count = strconv.Itoa(s.live) + " matches"
		}
	}
	hint, hintW := m.shortHelp([2]string{"enter", "go"}, [2]string{"esc", "cancel"})
	right, rightW := m.st.muted.Render(count), ansi.StringWidth(count)
	if count != "" && rightW+3+hintW+12 <= m.chrome.textW {
		right, rightW = right+m.st.rule.Render(m.g.dot)+hint, rightW+ansi.StringWidth(m.g.dot)+hintW
	} else if count == "" && hintW+12 <= m.chrome.textW {
		right, rightW = hint, hintW
	}
	room := max(1, m.chrome.textW-2-rightW-2)
	if rightW == 0 || room < 8 {
		right, rightW, room = "", 0, max(1, m.chrome.textW-2)
	}
	if w := ansi.StringWidth(in); w > room {
		in = ansi.TruncateLeft(in, w-room, "")
	}
	left := m.st.prompt.Render("/") + in + cursorGlyph(m.ascii)
	gap := m.chrome.textW - 1 - ansi.StringWidth(in) - 1 - rightW
	return m.chrome.pad + m.chrome.inset + left + spaces(gap) + right
}

func cursorGlyph(ascii bool) string {
	if ascii {
		return "_"
	}
	return "▏"
}

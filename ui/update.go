package ui

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// wheelLines is how far one wheel event scrolls when a terminal reports wheel events itself.
const wheelLines = 3

// Update handles one message and returns the next state.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// Bubble Tea sends the size New already laid out for at start: skip that layout.
		if msg.Width != m.width || msg.Height != m.height {
			m.resize(msg.Width, msg.Height)
			m.noteRead()
		}
	case tea.ColorProfileMsg:
		if msg.Profile != m.profile {
			m.profile = msg.Profile
			m.restyle()
		}
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			m.restyle()
		}
	case tea.MouseWheelMsg:
		// Only reached if a terminal reports wheel events without being asked (see modes.go).
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scrollBy(-wheelLines)
		case tea.MouseWheelDown:
			m.scrollBy(wheelLines)
		}
	case formSentMsg:
		m.sent(msg)
	case formReplyMsg:
		m.replied(msg)
	case tea.PasteMsg:
		if m.form != nil {
			return m, m.formPaste(msg)
		}
	case tea.KeyPressMsg:
		if m.form != nil {
			return m, m.formKey(msg)
		}
		if m.notice != "" {
			m.notice = ""
			m.layout()
		}
		if m.search.typing {
			if msg.String() == "ctrl+c" {
				return m, m.quit()
			}
			m.searchKey(msg)
			return m, nil
		}
		cmd := m.key(msg)
		m.noteRead()
		return m, cmd
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case msg.String() == "esc" && m.search.active():
		m.clearSearch() // esc leaves search first, and quits only after
	case msg.String() == "esc" && m.showHelp:
		m.showHelp = false // likewise closes the help
		m.layout()
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Accessible):
		m.accessible = !m.accessible
		m.restyle()
	case key.Matches(msg, k.Search):
		m.search.typing = true
		m.search.input = nil
		m.layout()
	case key.Matches(msg, k.NextMatch) && m.search.active():
		m.stepMatch(1)
	case key.Matches(msg, k.PrevMatch) && m.search.active():
		m.stepMatch(-1)
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		m.helpOff = 0
		m.layout()
	case key.Matches(msg, k.Copy):
		return m.copyEmail()
	case key.Matches(msg, k.Write):
		m.openForm()
	case key.Matches(msg, k.Start) && m.active == coverIndex:
		m.show(0)
	case key.Matches(msg, k.Cover):
		m.show(coverIndex)
	case key.Matches(msg, k.Next):
		m.show(m.active + 1)
	case key.Matches(msg, k.Prev):
		m.show(m.active - 1)
	case key.Matches(msg, k.Jump):
		if n := int(msg.String()[0] - '1'); n < len(m.site.Sections) {
			m.show(n)
		}
	case m.scrollKey(msg):
	}
	return nil
}

// scrollKey scrolls the body (or the open help panel) for the scrolling keys.
func (m *Model) scrollKey(msg tea.KeyPressMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.scrollBy(-1)
	case key.Matches(msg, k.Down):
		m.scrollBy(1)
	case key.Matches(msg, k.PageUp):
		m.scrollBy(-max(1, m.bodyHeight()-1))
	case key.Matches(msg, k.PageDown):
		m.scrollBy(max(1, m.bodyHeight()-1))
	case key.Matches(msg, k.HalfUp):
		m.scrollBy(-max(1, m.bodyHeight()/2))
	case key.Matches(msg, k.HalfDown):
		m.scrollBy(max(1, m.bodyHeight()/2))
	case key.Matches(msg, k.Top):
		m.scrollTo(0)
	case key.Matches(msg, k.Bottom):
		m.scrollTo(m.maxOffset())
	default:
		return false
	}
	return true
}

// resize reflows to a new window size. The active section keeps the visitor's place: its
// offset moves in proportion to the page's new length, so the text they were reading stays
// near the top instead of jumping when lines rewrap.
func (m *Model) resize(w, h int) {
	old := m.page
	oldOff := m.offset()
	m.width, m.height = w, h
	m.repage()
	if old != nil && m.page != nil && old != m.page && len(old.lines) > 0 && oldOff > 0 && !m.showHelp {
		m.offsets = slices.Clone(m.offsets)
		m.offsets[m.active+1] = oldOff * len(m.page.lines) / len(old.lines)
	}
	m.researched()
	m.layout()
	m.sizeForm()
}

// quit restores the visitor's alternate scroll setting (see modes.go), then ends the program.
func (m *Model) quit() tea.Cmd {
	return tea.Sequence(tea.Raw(terminalModesRestore), tea.Quit)
}

// show makes section i (or the cover, coverIndex) active, keeping every section's own
// scroll offset. Moving on from the last section comes back to the cover, and back from
// the cover goes to the last section. Switching closes the help.
func (m *Model) show(i int) {
	n := len(m.site.Sections)
	if n == 0 {
		return
	}
	i = (((i+1)%(n+1))+n+1)%(n+1) - 1
	m.showHelp = false
	if i == m.active {
		m.layout()
		return
	}
	m.visit = m.visit.switched(m.active, i, m.now())
	m.active = i
	m.repage()
	m.layout()
}

func (m *Model) scrollBy(d int) { m.scrollTo(m.offset() + d) }

// scrollTo sets the active page's offset (or the help panel's). The offsets slice is copied
// on write so an older copy of the Model keeps its own positions.
func (m *Model) scrollTo(off int) {
	off = max(0, min(off, m.maxOffset()))
	if m.showHelp {
		m.helpOff = off
		return
	}
	if off == m.offsets[m.active+1] {
		return
	}
	m.offsets = slices.Clone(m.offsets)
	m.offsets[m.active+1] = off
}

// offset is the active page's scroll offset, clamped to the current page: a resize may
// have made the page shorter since it was stored.
func (m *Model) offset() int {
	if m.showHelp {
		return max(0, min(m.helpOff, m.maxOffset()))
	}
	return max(0, min(m.offsets[m.active+1], m.maxOffset()))
}

func (m *Model) maxOffset() int {
	return max(0, len(m.bodyLines())-m.bodyHeight())
}

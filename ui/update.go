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
	case tea.KeyPressMsg:
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
		return m, m.key(msg)
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
		m.layout()
	case key.Matches(msg, k.Next):
		m.show(m.active + 1)
	case key.Matches(msg, k.Prev):
		m.show(m.active - 1)
	case key.Matches(msg, k.Jump):
		if n := int(msg.String()[0] - '1'); n < len(m.site.Sections) {
			m.show(n)
		}
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
	}
	return nil
}

// resize reflows to a new window size. The active section keeps the visitor's place: its
// offset moves in proportion to the page's new length, so the text they were reading stays
// near the top instead of jumping when lines rewrap.
func (m *Model) resize(w, h int) {
	old := m.page
	oldOff := m.offset()
	m.width, m.height = w, h
	m.repage()
	if old != nil && m.page != nil && old != m.page && len(old.lines) > 0 && oldOff > 0 {
		m.offsets = slices.Clone(m.offsets)
		m.offsets[m.active] = oldOff * len(m.page.lines) / len(old.lines)
	}
	m.researched()
	m.layout()
}

// quit restores the visitor's alternate scroll setting (see modes.go), then ends the program.
func (m *Model) quit() tea.Cmd {
	return tea.Sequence(tea.Raw(terminalModesRestore), tea.Quit)
}

// show makes section i active, wrapping around at both ends, keeping every section's own
// scroll offset.
func (m *Model) show(i int) {
	n := len(m.site.Sections)
	if n == 0 {
		return
	}
	i = ((i % n) + n) % n
	if i == m.active {
		return
	}
	m.visit = m.visit.switched(m.active, i, m.now())
	m.active = i
	m.repage()
	m.layout()
}

func (m *Model) scrollBy(d int) { m.scrollTo(m.offset() + d) }

// scrollTo sets the active section's offset. The offsets slice is copied on write so an
// older copy of the Model keeps its own positions.
func (m *Model) scrollTo(off int) {
	if len(m.offsets) == 0 {
		return
	}
	off = max(0, min(off, m.maxOffset()))
	if off == m.offsets[m.active] {
		return
	}
	m.offsets = slices.Clone(m.offsets)
	m.offsets[m.active] = off
}

// offset is the active section's scroll offset, clamped to the current page: a resize may
// have made the page shorter since it was stored.
func (m *Model) offset() int {
	if len(m.offsets) == 0 {
		return 0
	}
	return max(0, min(m.offsets[m.active], m.maxOffset()))
}

func (m *Model) maxOffset() int {
	if m.page == nil {
		return 0
	}
	return max(0, len(m.page.lines)-m.bodyHeight())
}

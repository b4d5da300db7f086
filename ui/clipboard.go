package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// copyBinding copies the owner's email address to the visitor's clipboard. It is enabled
// only when an address is set (restyle).
func copyBinding() key.Binding {
	return key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy the email address"))
}

// withCopy is a help group's keys with the write and copy keys first, when they are
// enabled: a disabled key is not listed, the panel shows only what works.
func (k keyMap) withCopy(keys ...key.Binding) []key.Binding {
	for _, b := range []key.Binding{k.Copy, k.Write} {
		if b.Enabled() {
			keys = append([]key.Binding{b}, keys...)
		}
	}
	return keys
}

// copyEmail puts the email address on the visitor's clipboard with OSC 52, which their
// terminal carries to their own machine (over SSH the server has no clipboard to speak of),
// and says so on screen. The terminal may ignore it (some ask first, some never allow it),
// and nothing comes back to tell: the notice shows the address too, to copy by hand.
func (m *Model) copyEmail() tea.Cmd {
	email := m.site.Settings.Links.Email
	if email == "" {
		return nil
	}
	m.notice = "Copied to your clipboard: " + email
	m.layout()
	return tea.SetClipboard(email)
}

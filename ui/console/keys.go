package console

import (
	"charm.land/bubbles/v2/key"

	"portfolio/ui"
)

// keyMap is every binding the console answers to; the footer and the `?` help are written
// from the same bindings the model matches on (bubbles/help).
type keyMap struct {
	Screen, Next, Prev                      key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Period                                  key.Binding // visits: today, 7 days, 30 days
	Open, Back, Help, Quit, ForceQuit       key.Binding
	// The inbox.
	Read, Archive, Delete, Approve, Reply, Copy key.Binding
	Send, Cancel, Yes                           key.Binding
}

func newKeyMap(th ui.Theme) keyMap {
	b := func(keys []string, label, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
	}
	return keyMap{
		Screen:    b([]string{"1", "2", "3", "4"}, "1-4", "screens"),
		Next:      b([]string{"tab"}, "tab", "next screen"),
		Prev:      b([]string{"shift+tab"}, "shift+tab", "previous screen"),
		Up:        b([]string{"up", "k"}, th.Up+" k", "up"),
		Down:      b([]string{"down", "j"}, th.Down+" j", "down"),
		PageUp:    b([]string{"pgup", "b"}, "pgup b", "page up"),
		PageDown:  b([]string{"pgdown", "space", "f"}, "pgdn space", "page down"),
		Top:       b([]string{"home", "g"}, "g home", "top"),
		Bottom:    b([]string{"end", "G"}, "G end", "bottom"),
		Period:    b([]string{"left", "right", "h", "l"}, th.Left+th.Right, "period"),
		Open:      b([]string{"enter"}, "enter", "open"),
		Back:      b([]string{"esc"}, "esc", "back"),
		Help:      b([]string{"?"}, "?", "keys"),
		Quit:      b([]string{"q"}, "q", "quit"), // not esc: esc goes back, twice must not leave
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Read:      b([]string{"m"}, "m", "mark read"),
		Archive:   b([]string{"a"}, "a", "archive"),
		Delete:    b([]string{"d", "delete"}, "d", "delete"),
		Approve:   b([]string{"p"}, "p", "approve (guestbook)"),
		Reply:     b([]string{"r"}, "r", "reply"),
		Copy:      b([]string{"c"}, "c", "copy reply-to"),
		Send:      b([]string{"ctrl+s"}, "ctrl+s", "send"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		Yes:       b([]string{"y"}, "y", "yes, delete"),
	}
}

// short is the footer's keys for the state the console is in, most needed first; help
// drops from the end what does not fit.
func (m *Model) short() []key.Binding {
	k := m.keys
	switch {
	case m.inbox.replying:
		return []key.Binding{k.Send, k.Cancel}
	case m.inbox.confirm:
		return []key.Binding{k.Yes, key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "keep"))}
	case m.showHelp:
		return []key.Binding{key.NewBinding(key.WithKeys("?"), key.WithHelp("? esc", "close")), k.Quit}
	}
	nav := []key.Binding{k.Screen, k.Help, k.Quit}
	switch m.active {
	case visitsScreen:
		return append([]key.Binding{k.Period}, nav...)
	case inboxScreen:
		if m.inbox.open {
			// Only what applies to this message, so the rest fits.
			keys := []key.Binding{k.Reply, k.Archive, k.Delete}
			if cur, ok := m.inbox.current(); ok {
				if cur.Guestbook && !cur.Approved {
					keys = append(keys, k.Approve)
				}
				if oneLine(cur.ReplyTo) != "" {
					keys = append(keys, k.Copy)
				}
			}
			return append(keys, k.Back, k.Help)
		}
		if len(m.inbox.msgs) > 0 {
			return []key.Binding{k.Open, k.Reply, k.Read, k.Archive, k.Delete, k.Help, k.Quit}
		}
	}
	return nav
}

// full is the `?` panel: every key, in columns.
func (m *Model) full() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Screen, k.Next, k.Prev, k.Help, k.Quit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Period},
		{k.Open, k.Back, k.Read, k.Archive, k.Delete, k.Approve, k.Reply, k.Copy},
	}
}

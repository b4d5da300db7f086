package ui

import "charm.land/bubbles/v2/key"

// keyMap is every binding the UI answers to; the footer hints and the help panel
// (helppanel.go) are written from the same bindings the model matches on.
type keyMap struct {
	Next, Prev, Jump, Cover, Start key.Binding
	Up, Down, PageUp, PageDown     key.Binding
	HalfUp, HalfDown, Top, Bottom  key.Binding
	Help, Quit                     key.Binding
	Search, NextMatch, PrevMatch   key.Binding
	Accessible                     key.Binding
	Copy                           key.Binding // the email address to the clipboard: clipboard.go
	Write                          key.Binding // the message form: form.go
}

// newKeyMap builds the bindings; the help labels use arrows only where the locale can show
// them.
func newKeyMap(g glyphSet) keyMap {
	return keyMap{
		Next:       key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp(g.right+" l tab", "next section")),
		Prev:       key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp(g.left+" h shift+tab", "previous section")),
		Jump:       key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to that section")),
		Cover:      key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "back to the cover")),
		Start:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start (on the cover)")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp(g.up+" k", "up a line")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp(g.down+" j", "down a line")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup b", "up a page")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn space", "down a page")),
		HalfUp:     key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("u", "up half a page")),
		HalfDown:   key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("d", "down half a page")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g home", "to the top")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G end", "to the end")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "this help")),
		Quit:       key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q esc", "leave")),
		Accessible: accessibleBinding(),
		Copy:       copyBinding(),
		Write:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "write to the owner")),
		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search every section")),
		NextMatch:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
	}
}

// helpGroup is one titled group of keys in the help panel.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// groups are the help panel's contents, most needed first.
func (k keyMap) groups() []helpGroup {
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave the search"))
	wheel := key.NewBinding(key.WithKeys("wheel"), key.WithHelp("wheel", "scroll"))
	return []helpGroup{
		{"Sections", []key.Binding{k.Next, k.Prev, k.Jump, k.Cover, k.Start}},
		{"Reading", []key.Binding{k.Down, k.Up, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp, k.Top, k.Bottom, wheel}},
		{"Search", []key.Binding{k.Search, k.NextMatch, k.PrevMatch, esc}},
		{"Other", k.withCopy(k.Accessible, k.Help, k.Quit)},
	}
}

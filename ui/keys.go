package ui

import "charm.land/bubbles/v2/key"

// keyMap is every binding the UI answers to; it implements help.KeyMap, so the footer and
// the full help are generated from the same bindings the model matches on.
type keyMap struct {
	Next, Prev, Jump              key.Binding
	Up, Down, PageUp, PageDown    key.Binding
	HalfUp, HalfDown, Top, Bottom key.Binding
	Help, Quit                    key.Binding
	Search, NextMatch, PrevMatch  key.Binding
	Accessible                    key.Binding

	short glyphSet // arrow labels for the short help
}

// newKeyMap builds the bindings; the help labels use arrows only where the locale can show
// them.
func newKeyMap(g glyphSet) keyMap {
	return keyMap{
		short:      g,
		Next:       key.NewBinding(key.WithKeys("right", "l", "tab"), key.WithHelp(g.right+"/l/tab", "next section")),
		Prev:       key.NewBinding(key.WithKeys("left", "h", "shift+tab"), key.WithHelp(g.left+"/h/shift+tab", "previous section")),
		Jump:       key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "go to section")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp(g.up+"/k", "scroll up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp(g.down+"/j", "scroll down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "space", "f"), key.WithHelp("pgdn/space", "page down")),
		HalfUp:     key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("u", "half page up")),
		HalfDown:   key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("d", "half page down")),
		Top:        key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:     key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:       key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
		Accessible: accessibleBinding(),
		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n/N", "next/prev")),
		PrevMatch:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
	}
}

// ShortHelp is the footer line: the few keys a first-time visitor needs, labelled tersely.
func (k keyMap) ShortHelp() []key.Binding {
	next, up := k.Next, k.Up
	next.SetHelp(k.short.sections, "sections")
	up.SetHelp(k.short.scroll, "scroll")
	return []key.Binding{next, up, k.Search, k.Help, k.Quit}
}

// FullHelp is the `?` panel, one column per kind of key. Related keys share a row (the
// entries are for display; matching uses the bindings above) so three columns fit in the
// 76 columns of text a full-width column has.
func (k keyMap) FullHelp() [][]key.Binding {
	g := k.short
	// A binding with no keys counts as disabled and is not shown, hence the label as its key.
	row := func(keys, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
	}
	return [][]key.Binding{
		{
			row(g.right+"/l/tab", "next section"),
			row(g.left+"/h/S-tab", "prev section"),
			row("1-9", "go to section"),
		},
		{
			row(g.down+"/j "+g.up+"/k", "scroll a line"),
			row("space/pgdn", "page down"),
			row("b/pgup", "page up"),
			row("d/u", "half page"),
			row("g/G", "top/bottom"),
		},
		{
			row("/", "search"),
			row("n/N", "next/prev match"),
			row("?", "close help"),
			row("a", "accessible"),
			row("q/esc", "quit"),
		},
	}
}

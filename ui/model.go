package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/content"
)

// Options are what the caller knows about the visitor when the session starts.
type Options struct {
	Width, Height  int                  // the initial window size
	Section        string               // slug to open at; unknown: the first section and a Notice
	Notice         string               // a one-line notice for the first screen
	Profile        colorprofile.Profile // the visitor's colour profile (Ascii/NoTTY: no colour)
	DarkBackground bool                 // assumed until tea.BackgroundColorMsg says otherwise
	ASCII          bool                 // the visitor's locale is not UTF-8: no box drawing or Unicode bullets
}

// Renderer renders section markdown at a given width and style, caching the results; one
// Renderer is shared by every session.
type Renderer struct{}

// NewRenderer returns a Renderer whose cache holds at most size rendered sections.
func NewRenderer(size int) *Renderer { return &Renderer{} }

// Model is one visitor's session.
type Model struct {
	site *content.Site
	opts Options
}

// New builds the model for one visitor.
func New(site *content.Site, r *Renderer, opts Options) Model {
	return Model{site: site, opts: opts}
}

func (m Model) Init() tea.Cmd { return nil }

func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "q" || k.String() == "ctrl+c") {
		return m, tea.Quit
	}
	return m, nil
}

func (m Model) View() tea.View {
	v := tea.NewView(m.site.Settings.Title)
	v.AltScreen = true
	return v
}

// Goodbye is the line to print after the program ends and the screen is restored.
func (m Model) Goodbye() string { return "Thanks for reading " + m.site.Settings.Host + ".\n" }

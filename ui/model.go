package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/content"
	"portfolio/ui/letter"
)

// Options are what the caller knows about the visitor when the session starts.
type Options struct {
	Width, Height  int                  // the initial window size
	Section        string               // slug to open at; "": the cover; unknown: the first section and a Notice
	Notice         string               // a one-line notice for the first screen
	Profile        colorprofile.Profile // the visitor's colour profile (Ascii/NoTTY: no colour)
	DarkBackground bool                 // assumed until tea.BackgroundColorMsg says otherwise
	ASCII          bool                 // the visitor's locale is not UTF-8: no box drawing or Unicode bullets
	Now            func() time.Time     // the clock for Stats; nil: time.Now
	// Mail takes what a visitor writes in the message form (`m`); nil: no form.
	Mail letter.Mailbox
	// Write opens the message form at once (`ssh -t HOST message`).
	Write bool
	// Accessible starts in accessible mode (no colour, no box drawing, linear layout,
	// position in words); the visitor toggles it with `a`.
	Accessible bool
}

// Model is one visitor's session. It is a value: Update returns the next state, and nothing
// in it is shared with another visitor except the read-only Site and the Renderer's cache.
type Model struct {
	site *content.Site
	r    *Renderer
	now  func() time.Time

	width, height int
	active        int   // index of the section on screen, coverIndex for the cover
	offsets       []int // scroll offset of the cover, then of each section; copied on write
	helpOff       int   // scroll offset of the help panel
	read          []int // per section, the percentage read so far (rail.go); copied on write
	notice        string

	profile    colorprofile.Profile
	dark       bool
	ascii      bool
	accessible bool // accessible mode (accessible.go)
	look       look
	st         *styles // immutable once built: copies of the Model share it
	g          glyphSet
	keys       *keyMap // immutable once built, like st
	showHelp   bool    // the `?` help panel is open

	resumed bool // a later program drawing the same screen (see Resumed)

	mail letter.Mailbox // nil: no message form
	form *form          // the message form while open (form.go); nil: closed

	search search
	page   *page  // the active section at the current width and look
	chrome chrome // header, tabs and footer laid out for the current state
	visit  visit
}

// New builds the model for one visitor. A nil Renderer gets a private one (tests, tools).
func New(site *content.Site, r *Renderer, opts Options) Model {
	if r == nil {
		r = NewRenderer(0)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := Model{
		site:       site,
		r:          r,
		now:        now,
		width:      opts.Width,
		height:     opts.Height,
		active:     coverIndex,
		offsets:    make([]int, len(site.Sections)+1),
		read:       make([]int, len(site.Sections)),
		notice:     opts.Notice,
		profile:    opts.Profile,
		dark:       opts.DarkBackground,
		ascii:      opts.ASCII,
		accessible: opts.Accessible,
		mail:       opts.Mail,
	}
	if opts.Section != "" {
		if i := site.Index(opts.Section); i >= 0 {
			m.active = i
		} else {
			m.active = 0
			if m.notice == "" {
				m.notice = "No section " + quoteSlug(opts.Section) + "; showing the first."
			}
		}
	}
	m.visit = newVisit(len(site.Sections), m.active, now())
	m.restyle()
	m.noteRead()
	if opts.Write {
		m.openForm()
	}
	return m
}

func quoteSlug(s string) string {
	if len(s) > 32 {
		s = s[:32]
	}
	return `"` + s + `"`
}

// Init asks the visitor's terminal for its background colour (the answer arrives as a
// tea.BackgroundColorMsg and picks light or dark styles) and turns on alternate scroll and
// in-band resize reports (see modes.go).
//
// The contract with the server's lazy start: the server paints the first frame without a
// program (server/firstframe) and replays Init itself, so Init may return only nil,
// tea.RequestBackgroundColor, tea.Raw and a tea.Batch of these (screen.Replayable says
// which). Any other command (a tick, a sequence, a command that loads something) cannot be
// replayed without a program: every visit would then start one at once and cost what the
// painted frame saves. server's TestUIInitIsReplayable holds the model to this.
func (m Model) Init() tea.Cmd {
	if m.resumed {
		return nil
	}
	return tea.Batch(tea.RequestBackgroundColor, tea.Raw(terminalModesOn))
}

// Resumed returns the model for a new program that takes over the screen this model's
// program drew (the server puts idle programs to sleep and wakes new ones). The terminal
// already has the background answered and the modes on: asking again would save the modes'
// "on" state over the visitor's own, which quitting restores.
func (m Model) Resumed() tea.Model {
	m.resumed = true
	return m
}

// restyle rebuilds everything that depends on the colour profile, background or locale.
func (m *Model) restyle() {
	k := inkFor(m.profile)
	pal := m.r.paletteFor(m.site.Settings.Accent, m.dark, tierFor(m.profile))
	m.look = look{ink: k, dark: m.dark, ascii: m.ascii, pal: pal, write: m.mail != nil}.normalised()
	m.g = glyphs(m.ascii)
	if m.accessible {
		// No colour and no box drawing whatever the terminal can do.
		k = inkPlain
		m.look = look{ink: inkPlain, ascii: m.ascii, access: true, write: m.mail != nil}
		m.g = asciiGlyphs
	}
	m.st = m.r.stylesFor(m.look.pal, k, m.ascii)
	keys := newKeyMap(m.g)
	keys.Copy.SetEnabled(m.site.Settings.Links.Email != "")
	keys.Write.SetEnabled(m.mail != nil)
	m.keys = &keys
	m.repage()
	m.researched()
	m.layout()
	m.restyleForm()
}

// repage fetches the active section's rendered page for the current width and look. This is
// the only place the body is (re)rendered, and then only when the cache has no such page.
func (m *Model) repage() {
	if len(m.site.Sections) == 0 || m.width < 1 {
		m.page = nil
		return
	}
	m.page = m.r.page(m.site, m.active, renderWidth(m.width), m.look)
}

package console

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/store"
	"portfolio/ui"
)

// Options are what the server knows about the owner's session when it starts.
type Options struct {
	Width, Height  int                  // the initial window size
	Profile        colorprofile.Profile // the terminal's colour profile (Ascii, NoTTY: no colour)
	DarkBackground bool                 // assumed until tea.BackgroundColorMsg says otherwise
	ASCII          bool                 // the locale is not UTF-8: no box drawing
	Accent         string               // the site's accent ("": ui.DefaultAccent)
	// Session is the owner's own session id: its presence row, if the server writes one,
	// is left out of Now and of the count of readers.
	Session string
	// EmailReplies: SMTP is set, so a reply to a message whose reply-to is an email address
	// is emailed too (store.Reply's emailChannel).
	EmailReplies bool
	Now          func() time.Time // the clock; nil: time.Now
}

// screen is one of the console's screens, in tab order.
type screen int

const (
	homeScreen screen = iota
	nowScreen
	visitsScreen
	inboxScreen
	screenCount
)

var screenNames = [screenCount]string{"Home", "Now", "Visits", "Inbox"}

// Model is the owner's console. It is a value: Update returns the next state.
type Model struct {
	st    *store.Store
	opts  Options
	clock func() time.Time

	width, height int
	profile       colorprofile.Profile
	dark, ascii   bool
	th            ui.Theme
	keys          keyMap
	help          help.Model

	active   screen
	offsets  [screenCount]int // scroll offset of each screen's body
	showHelp bool
	resumed  bool
	// after schedules the next refresh: tea.Tick (tests see the tick without waiting).
	after func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// gen is the live refresh chain's number: a tick or a load of an older chain (another
	// screen, a previous program) is dropped, so at most one chain runs.
	gen    int
	notice string

	home   homeData
	now    nowData
	visits visitsData
	inbox  inboxData
}

// New builds the console for one owner session. A nil store shows the database as
// unavailable on every screen.
func New(st *store.Store, opts Options) Model {
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	m := Model{
		st:      st,
		opts:    opts,
		clock:   clock,
		width:   opts.Width,
		height:  opts.Height,
		profile: opts.Profile,
		dark:    opts.DarkBackground,
		ascii:   opts.ASCII,
		help:    help.New(),
		after:   tea.Tick,
	}
	m.inbox.reply = textarea.New()
	m.restyle()
	return m
}

// Init asks the terminal for its background (light or dark styles) and loads the first
// screen, starting its refresh.
func (m Model) Init() tea.Cmd {
	load := m.enter(m.active)
	if m.resumed {
		return load
	}
	return tea.Batch(tea.RequestBackgroundColor, load)
}

// Resumed returns the model for a new program taking over the screen this one drew (the
// server's sleeping screens): the background is known, only the data is reloaded.
func (m Model) Resumed() tea.Model {
	m.resumed = true
	return m
}

// restyle rebuilds what depends on the colour profile, the background or the locale.
func (m *Model) restyle() {
	m.th = ui.NewTheme(m.opts.Accent, m.profile, m.dark, m.ascii)
	m.keys = newKeyMap(m.th)
	m.help.Styles = help.Styles{
		Ellipsis: m.th.Rule, ShortKey: m.th.Key, ShortDesc: m.th.Muted, ShortSeparator: m.th.Rule,
		FullKey: m.th.Key, FullDesc: m.th.Muted, FullSeparator: m.th.Rule,
	}
	m.help.ShortSeparator = m.th.Dot
	m.help.Ellipsis = m.th.Ellipsis
	m.styleReply()
}

// Update moves the console on one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.sizeReply()
		return m, nil
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark {
			m.dark = dark
			m.restyle()
		}
		return m, nil
	case tickMsg:
		if msg.gen != m.gen || (m.active != homeScreen && m.active != nowScreen) {
			return m, nil
		}
		return m, m.refresh()
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		if m.inbox.replying {
			var cmd tea.Cmd
			m.inbox.reply, cmd = m.inbox.reply.Update(msg)
			return m, cmd
		}
		return m, nil
	}
	return m.loaded(msg)
}

// key handles a key press: the reply and the delete question take every key first, then
// the keys of every screen, then the active screen's.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.inbox.replying {
		return m.replyKey(msg)
	}
	if m.inbox.confirm {
		return m.confirmKey(msg)
	}
	m.notice = ""
	k := m.keys
	switch {
	case key.Matches(msg, k.ForceQuit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		m.offsets[m.active] = 0
		return m, nil
	case key.Matches(msg, k.Back) && m.showHelp:
		m.showHelp = false
		m.offsets[m.active] = 0
		return m, nil
	case key.Matches(msg, k.Back) && m.active == inboxScreen && m.inbox.open:
		m.inbox.open = false
		return m, nil
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Screen):
		return m.switchTo(screen(msg.Code - '1'))
	case key.Matches(msg, k.Next):
		return m.switchTo((m.active + 1) % screenCount)
	case key.Matches(msg, k.Prev):
		return m.switchTo((m.active + screenCount - 1) % screenCount)
	}
	if m.showHelp {
		m.scroll(msg) // the help scrolls where it does not fit
		return m, nil
	}
	switch m.active {
	case inboxScreen:
		return m.inboxKey(msg)
	case visitsScreen:
		if key.Matches(msg, k.Period) {
			step := 1
			if s := msg.String(); s == "left" || s == "h" {
				step = len(periods) - 1
			}
			m.visits.period = (m.visits.period + step) % len(periods)
			return m, nil
		}
	}
	m.scroll(msg)
	return m, nil
}

// switchTo makes s the active screen and loads it.
func (m Model) switchTo(s screen) (tea.Model, tea.Cmd) {
	if m.showHelp {
		m.showHelp = false
		m.offsets[m.active] = 0
	}
	if s == m.active {
		return m, nil
	}
	m.active = s
	m.gen++ // the chain of the screen left ends with its next tick
	return m, m.enter(s)
}

// scroll moves the active screen's body.
func (m *Model) scroll(msg tea.KeyPressMsg) {
	k, off := m.keys, &m.offsets[m.active]
	page := max(1, m.bodyHeight()-1)
	switch {
	case key.Matches(msg, k.Up):
		*off--
	case key.Matches(msg, k.Down):
		*off++
	case key.Matches(msg, k.PageUp):
		*off -= page
	case key.Matches(msg, k.PageDown):
		*off += page
	case key.Matches(msg, k.Top):
		*off = 0
	case key.Matches(msg, k.Bottom):
		*off = 1 << 30
	}
	*off = max(0, min(*off, len(m.bodyLines())-m.bodyHeight()))
}

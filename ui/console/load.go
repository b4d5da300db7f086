package console

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"portfolio/stats"
	"portfolio/store"
)

// loadTimeout bounds every database call the console makes: past it the screen says the
// database did not answer and the owner can go on (a later refresh or key tries again).
const loadTimeout = 3 * time.Second

// refreshEvery is how often the first screen and Now are reloaded while a program draws.
const refreshEvery = time.Second

// presentFor is how recently a session's presence row must have been refreshed to count
// as open: a machine that dies stops refreshing its rows and its visitors drop out of Now
// within this (the 30 s).
const presentFor = 30 * time.Second

var errNoStore = errors.New("no database")

// The messages the loads send back. Each carries what was asked for or the error.
type (
	tickMsg    struct{ gen int }
	presentMsg struct {
		gen  int
		rows []store.Presence
		at   time.Time
		err  error
	}
	countsMsg struct {
		counts store.Counts
		err    error
	}
	todayMsg struct {
		rep *stats.Report
		err error
	}
	visitsMsg struct {
		reps    [len(periods)]*stats.Report
		refused [len(periods)]map[string]int // refused sessions by the limit that refused them
		err     error
	}
	inboxMsg struct {
		msgs []store.Message
		err  error
	}
)

// query runs fn against the store off the program's goroutine, with the deadline.
func (m *Model) query(fn func(ctx context.Context, st *store.Store) tea.Msg) tea.Cmd {
	st := m.st
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), loadTimeout)
		defer cancel()
		return fn(ctx, st)
	}
}

// enter loads screen s, starting its refresh chain (numbered m.gen).
func (m *Model) enter(s screen) tea.Cmd {
	switch s {
	case visitsScreen:
		return m.loadVisits()
	case inboxScreen:
		return tea.Batch(m.loadInbox(), m.loadCounts())
	}
	return m.refresh()
}

// refresh reloads the first screen or Now; the present rows' answer schedules the next
// tick, so a slow database never has two refreshes waiting on it.
func (m *Model) refresh() tea.Cmd {
	if m.active == homeScreen {
		return tea.Batch(m.loadPresent(), m.loadCounts(), m.loadToday())
	}
	return m.loadPresent()
}

func (m *Model) loadPresent() tea.Cmd {
	gen, now, self := m.gen, m.clock, m.opts.Session
	since := now().Add(-presentFor)
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return presentMsg{gen: gen, err: errNoStore}
		}
		rows, err := st.Present(ctx, since)
		// The owner's own session is not a reader.
		kept := rows[:0]
		for _, r := range rows {
			if self == "" || r.Session != self {
				kept = append(kept, r)
			}
		}
		return presentMsg{gen: gen, rows: kept, at: now(), err: err}
	})
}

func (m *Model) loadCounts() tea.Cmd {
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return countsMsg{err: errNoStore}
		}
		c, err := st.Counts(ctx)
		return countsMsg{counts: c, err: err}
	})
}

// midnight is the start of t's day in t's location: "today" is the owner's clock's day.
func midnight(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, t.Location())
}

func (m *Model) loadToday() tea.Cmd {
	since := midnight(m.clock())
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return todayMsg{err: errNoStore}
		}
		vs, err := st.Visits(ctx, since)
		if err != nil {
			return todayMsg{err: err}
		}
		return todayMsg{rep: stats.FromVisits(vs, stats.Options{Location: since.Location()})}
	})
}

// periods are the Visits screen's columns: what each starts from, given now.
var periods = [...]struct {
	name  string
	start func(now time.Time) time.Time
}{
	{"today", midnight},
	{"7 days", func(now time.Time) time.Time { return now.Add(-7 * 24 * time.Hour) }},
	{"30 days", func(now time.Time) time.Time { return now.Add(-30 * 24 * time.Hour) }},
}

// loadVisits reads 30 days of visits once and summarises each period from them.
func (m *Model) loadVisits() tea.Cmd {
	now := m.clock()
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return visitsMsg{err: errNoStore}
		}
		var msg visitsMsg
		vs, err := st.Visits(ctx, periods[len(periods)-1].start(now))
		if err != nil {
			msg.err = err
			return msg
		}
		opts := stats.Options{Location: now.Location()}
		for i, p := range periods {
			from := p.start(now)
			var in []store.Visit
			msg.refused[i] = map[string]int{}
			for _, v := range vs {
				if v.Start.Before(from) {
					continue
				}
				in = append(in, v)
				if v.Kind == "rejected" {
					msg.refused[i][v.Reason]++
				}
			}
			msg.reps[i] = stats.FromVisits(in, opts)
		}
		return msg
	})
}

func (m *Model) loadInbox() tea.Cmd {
	return m.query(func(ctx context.Context, st *store.Store) tea.Msg {
		if st == nil {
			return inboxMsg{err: errNoStore}
		}
		msgs, err := st.Messages(ctx, store.Filter{Limit: inboxLimit})
		return inboxMsg{msgs: msgs, err: err}
	})
}

// loaded takes a load's answer into the model.
func (m Model) loaded(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case presentMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.now.rows, m.now.err, m.now.loaded = msg.rows, msg.err, true
		if msg.err == nil {
			m.now.at = msg.at
		}
		if m.active != homeScreen && m.active != nowScreen {
			return m, nil
		}
		gen := m.gen
		return m, m.after(refreshEvery, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
	case countsMsg:
		m.home.counts, m.home.countsErr, m.home.countsLoaded = msg.counts, msg.err, true
	case todayMsg:
		m.home.today, m.home.todayErr = msg.rep, msg.err
	case visitsMsg:
		m.visits.reps, m.visits.refused, m.visits.err, m.visits.loaded = msg.reps, msg.refused, msg.err, true
	case inboxMsg:
		m.inbox.err, m.inbox.loaded = msg.err, true
		switch {
		case msg.err == nil:
			m.inbox.msgs = msg.msgs
			m.inbox.clampCursor()
		case len(m.inbox.msgs) > 0 && m.notice == "":
			// A failed reload keeps the list it had, and says so (unless the failed
			// action that asked for it already did).
			m.notice = "The database did not answer: " + oneLine(msg.err.Error())
		}
	case doneMsg:
		return m.done(msg)
	}
	return m, nil
}

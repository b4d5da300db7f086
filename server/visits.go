package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"portfolio/server/fleet"
	"portfolio/server/guard"
	"portfolio/server/owner"
	"portfolio/server/session"
	"portfolio/store"
)

// This file hands the fleet writer (server/fleet) what it records: every visit's summary as
// "session end" logged it, and the sessions open now. Every call only notes the fact; the
// fleet writes off the visitor's path.

// startFleet starts the fleet writer; stopFleet ends it, writing what is left. It writes
// through whenOpen: until the database has opened, records wait as for a database that is
// down.
func (s *Server) startFleet() {
	s.fleet = fleet.New(whenOpen{s.db}, fleet.MachineID(), s.cfg.VisitRetention, s.logger)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.fleet.Run(ctx)
	}()
	s.stopFleet = sync.OnceFunc(func() {
		cancel()
		<-done
	})
	s.log.OnEnd(s.recordVisit)
}

// errNotOpen is what the store's users get while the database has not opened yet.
var errNotOpen = fmt.Errorf("the database is not open yet: %w", store.ErrUnavailable)

// whenOpen is the server's store once it has opened (database.go opens it in the
// background), and store.ErrUnavailable before.
type whenOpen struct{ db *database }

func (w whenOpen) AddVisits(ctx context.Context, vs []store.Visit) error {
	if st := w.db.store(); st != nil {
		return st.AddVisits(ctx, vs)
	}
	return errNotOpen
}

func (w whenOpen) PruneVisits(ctx context.Context, before time.Time) (int64, error) {
	if st := w.db.store(); st != nil {
		return st.PruneVisits(ctx, before)
	}
	return 0, errNotOpen
}

func (w whenOpen) PutPresence(ctx context.Context, ps []store.Presence) error {
	if st := w.db.store(); st != nil {
		return st.PutPresence(ctx, ps)
	}
	return errNotOpen
}

func (w whenOpen) TouchPresence(ctx context.Context, machine string, now time.Time) (int64, error) {
	if st := w.db.store(); st != nil {
		return st.TouchPresence(ctx, machine, now)
	}
	return 0, errNotOpen
}

func (w whenOpen) PrunePresence(ctx context.Context, seenBefore time.Time) (int64, error) {
	if st := w.db.store(); st != nil {
		return st.PrunePresence(ctx, seenBefore)
	}
	return 0, errNotOpen
}

func (w whenOpen) DropPresence(ctx context.Context, machine string, sessions []string) error {
	if st := w.db.store(); st != nil {
		return st.DropPresence(ctx, machine, sessions)
	}
	return errNotOpen
}

func (w whenOpen) Reading(ctx context.Context, seenSince time.Time) (int, error) {
	if st := w.db.store(); st != nil {
		return st.Reading(ctx, seenSince)
	}
	return 0, errNotOpen
}

func (w whenOpen) ReplyFor(ctx context.Context, code string) (string, bool, error) {
	if st := w.db.store(); st != nil {
		return st.ReplyFor(ctx, code)
	}
	return "", false, errNotOpen
}

// recordVisit queues an ended session's record. The owner's sessions are not visits, not
// even one a cap turned away (logged as kind rejected).
func (s *Server) recordVisit(v *session.Visit, sum session.Summary) {
	if sum.Kind == session.Owner || owner.Is(v.Context()) {
		return
	}
	_, _, isPty := v.Pty()
	rec := store.Visit{
		Session: v.ID(),
		Start:   v.Started(),
		// Whole milliseconds, as the log's duration_ms: the same visit says the same in both.
		Duration: sum.Duration.Truncate(time.Millisecond),
		Kind:     string(sum.Kind),
		Reason:   string(sum.Reason),
		Client:   guard.Sanitize(v.Context().ClientVersion(), 128),
		Command:  guard.Sanitize(v.RawCommand(), 128),
		PTY:      isPty,
		Keys:     sum.Keys,
	}
	for _, sec := range sum.Sections {
		rec.Sections = append(rec.Sections, store.SectionTime{Slug: sec.Slug, Time: time.Duration(sec.MS) * time.Millisecond})
	}
	s.fleet.Ended(rec)
}

// present keeps an admitted visitor's session in the fleet's "now" while it lasts. The
// owner's own sessions are left out: "now" is who is reading.
func (s *Server) present(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if owner.Is(sess.Context()) {
			next(sess)
			return
		}
		v := session.Of(sess)
		pty, _, _ := v.Pty()
		s.fleet.Opened(store.Presence{
			Session: v.ID(),
			Addr:    s.log.Addr(v.RemoteAddr()),
			Client:  guard.Sanitize(v.Context().ClientVersion(), 128),
			Term:    guard.Sanitize(pty.Term, 64),
			Width:   pty.Window.Width,
			Height:  pty.Window.Height,
			Started: v.Started(),
		})
		defer s.fleet.Closed(v.ID())
		next(sess)
	}
}

// readingNotice is the cover's small sign of life: how many people are reading now on all
// machines, this visitor included, when that is more than one; "" otherwise (and while the
// database is away). No names, no places. The count is the fleet's last (a few seconds old), which
// does not have this visitor yet.
func (s *Server) readingNotice() string {
	if n := s.fleet.ReadingNow() + 1; n > 1 {
		return fmt.Sprintf("%d people are reading this right now.", n)
	}
	return ""
}

// sectionWatch tells the fleet the section on screen and the window size of a visitor's
// model after every update that changes either. It keeps what it last told, so that a key
// that changes neither (most of them: scrolling) costs a comparison, not the fleet's lock,
// which every session shares. It forwards what the server and the screen ask of the model
// (Resumed, and through Unwrap, Stats and Goodbye).
type sectionWatch struct {
	tea.Model
	seen    func(section string, width, height int)
	section string
	w, h    int
}

func (m sectionWatch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.Model.Update(msg)
	m.Model = next
	resized := false
	if ws, ok := msg.(tea.WindowSizeMsg); ok && (ws.Width != m.w || ws.Height != m.h) {
		m.w, m.h, resized = ws.Width, ws.Height, true
	}
	if sec, ok := next.(interface{ Section() string }); ok && (resized || sec.Section() != m.section) {
		m.section = sec.Section()
		m.seen(m.section, m.w, m.h)
	}
	return m, cmd
}

func (m sectionWatch) Resumed() tea.Model {
	if r, ok := m.Model.(interface{ Resumed() tea.Model }); ok {
		m.Model = r.Resumed()
	}
	return m
}

// unwrap returns the model inside a sectionWatch, or model itself.
func unwrap(model tea.Model) tea.Model {
	if w, ok := model.(sectionWatch); ok {
		return w.Model
	}
	return model
}

// coverSection is what "now" shows for a visitor on the cover: in parentheses, so that no
// section's slug can read the same.
const coverSection = "(cover)"

// watchSection wraps a visitor's model to tell the fleet what is on screen.
func (s *Server) watchSection(v *session.Visit, model tea.Model, width, height int) tea.Model {
	id := v.ID()
	seen := func(section string, w, h int) {
		if section == "" {
			section = coverSection // ui.Model's Section is "" on the cover
		}
		s.fleet.Changed(id, section, w, h)
	}
	watch := sectionWatch{Model: model, w: width, h: height, seen: seen}
	if sec, ok := model.(interface{ Section() string }); ok {
		watch.section = sec.Section()
		seen(watch.section, width, height) // a screen may start asleep: no update yet
	}
	return watch
}

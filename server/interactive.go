package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"portfolio/ui"
)

// What a visitor reads when the server, not they, ended the session.
const (
	msgRestarting = "The server is restarting; please reconnect in a moment."
	msgIdle       = "Closed after %s without a key press. Come back any time."
	msgMaxTime    = "This session reached its time limit of %s. Come back any time."
)

// interactive runs one visitor's own Bubble Tea program over their PTY (one after another
// when their screen sleeps and wakes: sleep.go), then prints the goodbye line (or why the
// server ended the session) on the restored terminal.
func (s *Server) interactive(v *visit, args []string) {
	v.setKind(kindInteractive)
	opts := s.uiOptions(v, args)
	var fits bool
	if opts.Width, opts.Height, fits = s.budget.admit(v, opts.Width, opts.Height); !fits {
		s.refuseForMemory(v)
		return
	}
	defer s.budget.release(v)
	watch := newPanicWatch(s.newModel(opts))

	ctx, cancel := context.WithCancel(v.Context())
	defer cancel()
	// Bubble Tea's own panic catching stays on: a panic in a command runs on a goroutine
	// no middleware can recover, and would otherwise end the whole process. panicWatch
	// catches what it can first, to log it properly (see teapanic.go).
	sc := newScreen(s, v, watch, append(bubbletea.MakeOptions(v),
		// The process's signals belong to main, which shuts every session down politely.
		tea.WithoutSignalHandler(),
		tea.WithFPS(s.cfg.FrameRate),
		// Each program adds its own context, input, output, size and filter (screen.start).
	))
	sc.width, sc.height = opts.Width, opts.Height // the size the memory budget allows

	stop := func(reason, message string) {
		if v.end(reason, message) {
			sc.end(false)
		}
	}
	if !v.tracked { // a handler run without the logging middleware (tests)
		s.live.add(v)
		defer s.live.remove(v)
	}
	if !s.live.setStop(v, stop) {
		stop("shutdown", msgRestarting) // arrived after shutdown began
	}
	defer s.live.setStop(v, nil) // the program is over: nothing left to stop

	idle := s.watchIdle(v, stop)
	defer idle.Stop()
	maxTimer := time.AfterFunc(s.cfg.MaxSessionDuration, func() {
		stop("max_duration", fmt.Sprintf(msgMaxTime, s.cfg.MaxSessionDuration))
	})
	defer maxTimer.Stop()

	_, windowChanges, _ := v.Pty()
	go func() {
		for {
			select {
			case <-ctx.Done():
				// The connection closed (the client went away), or the session is over.
				if v.Context().Err() != nil {
					// Nobody is left to see a last frame: kill rather than quit, which
					// would render one whole screen into a closed channel.
					v.end("disconnect", "")
					sc.end(true)
					return
				}
				sc.end(false)
				return
			case w, ok := <-windowChanges:
				if !ok {
					// The ssh package closes it when the client has closed the session
					// channel (its connection may stay open): nobody is left to draw for,
					// and Bubble Tea would keep running. An ended input alone is not this:
					// a client may send EOF and still watch.
					v.end("disconnect", "")
					sc.end(true)
					return
				}
				sc.resize(s.budget.fit(v, w.Width, w.Height))
			}
		}
	}()

	var err error
	for {
		p := sc.start(ctx)
		var final tea.Model
		final, err = p.Run()
		p.Kill() // after Run: restores the terminal if Run was cut short
		if !sc.ended(final) {
			break
		}
		if !sc.sleep(ctx.Done()) {
			err = tea.ErrProgramKilled // the visitor left while their screen slept
			break
		}
	}
	cancel()
	sc.in.close()
	v.sleeps.Store(int64(sc.sleepCount()))

	watch = sc.finalWatch()
	if st, ok := watch.Model.(interface{ Stats() ui.Stats }); ok {
		v.mu.Lock()
		v.sections = sectionTimes(st.Stats().Sections)
		v.mu.Unlock()
	}

	value, stack, panicked := watch.report.get()
	if panicked || errors.Is(err, tea.ErrProgramPanic) {
		v.end("panic", "")
		if !panicked {
			value = "unknown: caught by Bubble Tea, reported on the process's stderr"
		}
		s.log.Error("ui panic",
			"session", v.id,
			"addr", v.RemoteAddr().String(),
			"panic", clean(value, 1024),
			"stack", stack,
		)
		writeLine(v, apology)
		_ = v.Exit(1)
		return
	}
	switch {
	case err == nil:
		v.end("quit", "") // unless a timeout or shutdown asked the program to quit
	case errors.Is(err, tea.ErrProgramKilled):
		v.end("disconnect", "") // input ended: the client closed the session
	default:
		v.end("error", "")
		s.log.Warn("ui ended with an error", "session", v.id, "err", err)
	}
	reason, message := v.ending()
	switch {
	case message != "":
		// The server, not the visitor's q, ended the program: the UI had no chance to
		// give back the terminal modes it set.
		_, _ = fmt.Fprint(v, ui.TerminalReset())
		writeLine(v, message)
	case reason == "quit":
		if g, ok := watch.Model.(interface{ Goodbye() string }); ok {
			writeLine(v, g.Goodbye())
		}
	}
	_ = v.Exit(0)
}

// uiOptions fills ui.Options from what the visitor's client told us: window size, TERM
// (through the colour profile), locale, and the command word as the section to open.
func (s *Server) uiOptions(v *visit, args []string) ui.Options {
	pty, _, _ := v.Pty()
	opts := ui.Options{
		Width:          pty.Window.Width,
		Height:         pty.Window.Height,
		Profile:        visitorProfile(v),
		DarkBackground: true, // until the terminal answers the background colour query
		ASCII:          ASCIILocale(v.Environ()),
		Accessible:     wantsAccessible(pty.Term, v.Environ()),
	}
	switch {
	case len(args) == 1 && args[0] == cmdPlain:
		opts.Accessible = true
	case len(args) == 1 && s.site.Index(args[0]) >= 0:
		opts.Section = args[0]
	case len(args) > 0:
		opts.Notice = fmt.Sprintf("There is no section %q; showing %s.", clean(strings.Join(args, " "), 40), s.site.Sections[0].Title)
	}
	return opts
}

// filter sees every message before the model does: it counts key presses for the session
// log and refuses to suspend. The filters added with WithTeaFilter run first, each built
// afresh for this program.
func (s *Server) filter(v *visit) func(tea.Model, tea.Msg) tea.Msg {
	filters := make([]func(tea.Model, tea.Msg) tea.Msg, len(s.filters))
	for i, newFilter := range s.filters {
		filters[i] = newFilter()
	}
	return func(m tea.Model, msg tea.Msg) tea.Msg {
		for _, f := range filters {
			if msg = f(m, msg); msg == nil {
				return nil
			}
		}
		switch m := msg.(type) {
		case tea.WindowSizeMsg: // also those Bubble Tea derives from typed size reports
			w, h := s.budget.fit(v, m.Width, m.Height)
			return tea.WindowSizeMsg{Width: w, Height: h}
		case tea.KeyPressMsg:
			v.keys.Add(1)
		case tea.SuspendMsg:
			return tea.ResumeMsg{}
		}
		return msg
	}
}

// watchIdle ends the session once the visitor has typed nothing for the idle timeout. It
// re-arms itself for the time remaining instead of ticking, so an active visitor costs one
// timer wake-up per timeout period.
func (s *Server) watchIdle(v *visit, stop func(reason, message string)) *idleTimer {
	it := &idleTimer{}
	limit := s.cfg.IdleTimeout
	it.mu.Lock()
	defer it.mu.Unlock()
	it.t = time.AfterFunc(limit, func() {
		if idle := v.idleFor(time.Now()); idle < limit {
			it.mu.Lock()
			if !it.stopped {
				it.t.Reset(limit - idle)
			}
			it.mu.Unlock()
			return
		}
		stop("idle", fmt.Sprintf(msgIdle, limit))
	})
	return it
}

// idleTimer is a re-arming timer that can be stopped for good from another goroutine.
type idleTimer struct {
	mu      sync.Mutex
	t       *time.Timer
	stopped bool
}

func (it *idleTimer) Stop() {
	it.mu.Lock()
	defer it.mu.Unlock()
	it.stopped = true
	it.t.Stop()
}

// writeLine prints one line after the program has restored the terminal.
func writeLine(s ssh.Session, line string) {
	line = strings.TrimRight(line, "\r\n")
	_, _ = fmt.Fprint(s, line+"\r\n")
}

// sectionTimes converts the UI's reading times into the "sections" value of "session end":
// the sections in the order first viewed with the milliseconds each was on screen.
func sectionTimes(stats []ui.SectionStat) sectionViews {
	out := make(sectionViews, len(stats))
	for i, st := range stats {
		out[i] = sectionView{Slug: st.Slug, MS: st.Time.Milliseconds()}
	}
	return out
}

// wantsAccessible reports whether the visitor's terminal asks for the accessible view before
// they press a key: TERM=dumb (no cursor movement to speak of) or NO_COLOR set to anything
// (https://no-color.org), which OpenSSH forwards with -o SetEnv=NO_COLOR=1.
func wantsAccessible(term string, environ []string) bool {
	if term == "dumb" {
		return true
	}
	for _, kv := range environ {
		if k, v, _ := strings.Cut(kv, "="); k == "NO_COLOR" && v != "" {
			return true
		}
	}
	return false
}

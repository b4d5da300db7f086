package server

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"portfolio/server/answer"
	"portfolio/server/firstframe"
	"portfolio/server/guard"
	"portfolio/server/screen"
	"portfolio/server/session"
	"portfolio/ui"
	"portfolio/ui/terminal"
)

// What a visitor reads when the server, not they, ended the session.
const (
	msgRestarting = "The server is restarting; please reconnect in a moment."
	msgIdle       = "Closed after %s without a key press. Come back any time."
	msgMaxTime    = "This session reached its time limit of %s. Come back any time."
)

// interactive runs one visitor's own Bubble Tea program over their PTY (one after another
// when their screen sleeps and wakes: server/screen), then prints the goodbye line (or why
// the server ended the session) on the restored terminal.
func (s *Server) interactive(v *session.Visit, args []string) {
	v.SetKind(session.Interactive)
	if pty, _, _ := v.Pty(); pty.Term == "dumb" {
		s.lineReader(v, args) // no escape sequences, and no cell buffers to budget: linear.go
		return
	}
	opts := s.uiOptions(v, args)
	if opts.Section == "" && opts.Notice == "" {
		opts.Notice = s.readingNotice()
	}
	s.runScreen(v, opts, true, func(o ui.Options) tea.Model {
		return s.watchSection(v, s.newModel(o), o.Width, o.Height)
	})
}

// runScreen runs the model newModel makes over the session's PTY (the visitor's ui.Model, or
// the owner's console), with the screen's sleep, the limits and the goodbye. A visitor's
// screen starts asleep (startAsleep); the console does not: its Init reads the database,
// which painting a first frame without a program would do once for nothing.
func (s *Server) runScreen(v *session.Visit, opts ui.Options, startAsleep bool, newModel func(ui.Options) tea.Model) {
	pty, windowChanges, _ := v.Pty()
	// A program's cell buffers follow its window: the memory budget admits the session at
	// a size that fits, or not at all (budget.go). A screen that starts asleep holds none
	// yet, but the visitor's first key wakes a program that needs them at once.
	var fits bool
	if opts.Width, opts.Height, fits = s.budget.admit(v, opts.Width, opts.Height); !fits {
		s.refuseForMemory(v)
		return
	}
	defer s.budget.release(v)
	environ := v.Environ()
	env := append(environ[:len(environ):len(environ)], "TERM="+pty.Term) // what MakeOptions gives every program
	var frames *firstframe.Cache
	if startAsleep && s.sleepAfter > 0 && v.EmulatedPty() {
		// Start asleep: the first frame is painted without a program (server/screen). Only
		// for the emulated PTY, whose programs render with the profile and environment
		// below; and not when screens never sleep.
		frames = s.frames
	}
	// Bubble Tea's own panic catching stays on: a panic in a command runs on a goroutine
	// no middleware can recover, and would otherwise end the whole process. The screen's
	// panic watch catches what it can first, to log it properly.
	sc := screen.New(screen.Config{
		In:     v,
		Out:    v,
		Width:  opts.Width, // the size the memory budget allows
		Height: opts.Height,
		Options: append(bubbletea.MakeOptions(v),
			// The process's signals belong to main, which shuts every session down politely.
			tea.WithoutSignalHandler(),
			tea.WithFPS(frameRate),
		),
		// Built afresh for each program. The guard's part is outermost: it clamps every
		// window size (also those Bubble Tea derives from typed bytes such as
		// ESC[8;1000;1000t), coalesces resize storms and turns ctrl+z's suspend into a
		// resume (there is no shell to suspend to) before the budget, the key count or the
		// model sees a message. It replaces the filter MakeOptions installs.
		NewFilter: func() screen.Filter { return s.guard.TeaFilter(s.sessionFilter(v)) },
		// Every window size the screen takes, the client's window changes and the size
		// reports typed into the input alike, is clamped and fitted to the memory budget
		// here, once: the programs are only ever given sizes that fit.
		Fit: func(w, h int) (int, int, bool) {
			w, h, ok := s.guard.ClampSize(w, h)
			if !ok {
				return 0, 0, false
			}
			w, h = s.budget.fit(v, w, h)
			return w, h, true
		},
		SleepAfter: s.sleepAfter,
		IdleFor:    v.IdleFor,
		Frames:     frames,
		Profile:    opts.Profile, // what MakeOptions gives the programs for an emulated PTY
		Env:        env,
	}, newModel(opts))
	// The screen reads the channel until it closes: exit closes it, then waits.
	exit := func(code int) {
		_ = v.Exit(code)
		sc.Wait()
	}

	stop := func(reason session.Reason, message string) {
		if v.End(reason, message) {
			sc.End(false)
		}
	}
	defer s.watchLimits(v, stop)()

	ctx, cancel := context.WithCancel(v.Context())
	var watcher sync.WaitGroup
	watcher.Add(1)
	go func() {
		defer watcher.Done()
		s.watchWindow(ctx, v, sc, windowChanges)
	}()
	res := sc.Run(ctx)
	cancel()
	watcher.Wait()
	v.SetSleeps(res.Sleeps)
	v.SetWoken(res.Woken)
	res.Model = unwrap(res.Model)
	if st, ok := res.Model.(interface{ Stats() ui.Stats }); ok {
		v.SetSections(sectionTimes(st.Stats().Sections))
	}

	if res.Panic != nil {
		v.End(session.Panic, "")
		s.logger.Error("ui panic",
			"session", v.ID(),
			"addr", s.log.Addr(v.RemoteAddr()),
			"panic", guard.Sanitize(res.Panic.Value, 1024),
			"stack", res.Panic.Stack,
		)
		writeLine(v, apology)
		exit(1)
		return
	}
	switch err := res.Err; {
	case err == nil:
		v.End(session.Quit, "") // unless a timeout or shutdown asked the program to quit
	case errors.Is(err, tea.ErrProgramKilled):
		v.End(session.Disconnect, "") // input ended: the client closed the session
	default:
		v.End(session.Error, "")
		s.logger.Warn("ui ended with an error", "session", v.ID(), "err", err)
	}
	reason, message := v.Ending()
	switch {
	case message != "":
		// The server, not the visitor's q, ended the program: the UI had no chance to
		// give back the terminal modes it set.
		_, _ = fmt.Fprint(v, ui.TerminalReset())
		writeLine(v, message)
	case reason == session.Quit:
		if g, ok := res.Model.(interface{ Goodbye() string }); ok {
			writeLine(v, g.Goodbye())
		}
	}
	exit(0)
}

// watchLimits hands stop to whoever may end the visit before the visitor does: a shutdown
// (stop at once if one has begun), the idle timeout and the session's time limit. The
// returned func lets go of all three, when the screen is over.
func (s *Server) watchLimits(v *session.Visit, stop func(session.Reason, string)) (release func()) {
	if !s.live.setStop(v, stop) {
		stop(session.Shutdown, msgRestarting) // arrived after shutdown began
	}
	idle := v.WatchIdle(s.cfg.IdleTimeout, func() {
		stop(session.Idle, fmt.Sprintf(msgIdle, s.cfg.IdleTimeout))
	})
	maxTimer := time.AfterFunc(s.cfg.MaxSessionDuration, func() {
		stop(session.MaxTime, fmt.Sprintf(msgMaxTime, s.cfg.MaxSessionDuration))
	})
	return func() {
		maxTimer.Stop()
		idle.Stop()
		s.live.setStop(v, nil) // nothing left to stop
	}
}

// watchWindow hands the visitor's window changes to the screen until ctx is done, and ends
// the screen when the visitor has gone. A panic here ends only this session's screen: it is
// logged, and the session ends as an error.
func (s *Server) watchWindow(ctx context.Context, v *session.Visit, sc *screen.Screen, windowChanges <-chan ssh.Window) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("window watcher panic", "session", v.ID(), "panic", guard.Sanitize(fmt.Sprint(r), 1024), "stack", string(debug.Stack()))
			v.End(session.Panic, "")
			sc.End(true)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			// The connection closed (the client went away), or the screen has ended.
			if v.Context().Err() != nil {
				// Nobody is left to see a last frame: kill rather than quit, which
				// would render one whole screen into a closed channel.
				v.End(session.Disconnect, "")
				sc.End(true)
			}
			return
		case w, ok := <-windowChanges:
			if !ok {
				// The ssh package closes it when the client has closed the session
				// channel (its connection may stay open): nobody is left to draw for,
				// and Bubble Tea would keep running. An ended input alone is not this:
				// a client may send EOF and still watch.
				v.End(session.Disconnect, "")
				sc.End(true)
				return
			}
			sc.Resize(w.Width, w.Height) // fitted by the screen (Config.Fit)
		}
	}
}

// uiOptions fills ui.Options from what the visitor's client told us: window size, TERM
// (through the colour profile), locale, and the command word as the section to open.
func (s *Server) uiOptions(v *session.Visit, args []string) ui.Options {
	pty, _, _ := v.Pty()
	opts := ui.Options{
		Width:          pty.Window.Width,
		Height:         pty.Window.Height,
		Profile:        terminal.Profile(pty.Term, v.Environ()),
		DarkBackground: true, // until the terminal answers the background colour query
		ASCII:          terminal.ASCIILocale(v.Environ()),
		Mail:           s.mailbox(v),
	}
	switch {
	case len(args) == 1 && args[0] == answer.Plain:
		opts.Accessible = true
	case len(args) == 1 && args[0] == answer.Message:
		opts.Write = true
	case len(args) == 1 && s.db.siteNow().Index(args[0]) >= 0:
		opts.Section = args[0]
	case len(args) > 0:
		opts.Section = strings.Join(args, " ") // no such section: the UI opens the first
		opts.Notice = fmt.Sprintf("There is no section %q; showing %s.", guard.Sanitize(strings.Join(args, " "), 40), s.site.Sections[0].Title)
	}
	return opts
}

// sessionFilter runs after the guard's filter on every message the model sees: it counts the
// visitor's key presses for the session log; nothing they type is kept. (Window sizes were
// fitted to the memory budget before they reached the program: Config.Fit above.)
func (s *Server) sessionFilter(v *session.Visit) screen.Filter {
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		if _, ok := msg.(tea.KeyPressMsg); ok {
			v.KeyPressed()
		}
		return msg
	}
}

// writeLine prints one line after the program has restored the terminal.
func writeLine(s ssh.Session, line string) {
	line = strings.TrimRight(line, "\r\n")
	_, _ = fmt.Fprint(s, line+"\r\n")
}

// sectionTimes converts the UI's reading times into the "sections" value of "session end":
// the sections in the order first viewed with the milliseconds each was on screen.
func sectionTimes(stats []ui.SectionStat) session.SectionViews {
	out := make(session.SectionViews, len(stats))
	for i, st := range stats {
		out[i] = session.SectionView{Slug: st.Slug, MS: st.Time.Milliseconds()}
	}
	return out
}

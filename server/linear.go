package server

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"portfolio/ui/linear"
)

// lineReader serves a terminal that can only print lines (TERM=dumb) with the linear reader
// instead of a Bubble Tea program, which would send mode queries, the alternate screen and
// cursor moves that such a terminal prints as junk. The session keeps the same limits as
// the full UI: the idle and total timeouts, and a polite end at shutdown.
func (s *Server) lineReader(v *visit, args []string) {
	ctx, cancel := context.WithCancel(v.Context())
	defer cancel()
	stop := func(reason, message string) {
		if v.end(reason, message) {
			cancel()
		}
	}
	if !v.tracked { // a handler run without the logging middleware (tests)
		s.live.add(v)
		defer s.live.remove(v)
	}
	if !s.live.setStop(v, stop) {
		stop("shutdown", msgRestarting)
	}
	defer s.live.setStop(v, nil)
	idle := s.watchIdle(v, stop)
	defer idle.Stop()
	maxTimer := time.AfterFunc(s.cfg.MaxSessionDuration, func() {
		stop("max_duration", fmt.Sprintf(msgMaxTime, s.cfg.MaxSessionDuration))
	})
	defer maxTimer.Stop()

	pty, windowChanges, _ := v.Pty()
	sizes := make(chan linear.Size, 1)
	var mu sync.Mutex // guards width, the latest, for the goodbye
	width := pty.Window.Width
	go func() {
		// Read every change, to its end: the ssh package blocks the session's requests on
		// one nobody takes. Only the latest size matters, so a newer one replaces an older.
		for w := range windowChanges {
			select {
			case <-sizes:
			default:
			}
			sizes <- linear.Size{Width: w.Width, Height: w.Height}
			mu.Lock()
			width = w.Width
			mu.Unlock()
		}
		// Closed: the client closed the session channel, and nobody is left to read to.
		stop("disconnect", "")
	}()
	times := &readingTimes{}
	opts := linear.Options{Width: pty.Window.Width, Height: pty.Window.Height, Opened: times.opened, Resize: sizes}
	if len(args) == 1 {
		opts.Section = args[0] // an unknown word opens the overview, which lists the sections
	}
	err := linear.Run(ctx, v, v, s.site, opts)
	times.opened("") // the last page is over
	v.mu.Lock()
	v.sections = times.views
	v.mu.Unlock()
	switch {
	case err == nil:
		v.end("quit", "")
	case errors.Is(err, linear.ErrInputEnded), v.Context().Err() != nil:
		v.end("disconnect", "")
	default:
		v.end("error", "") // a timeout or shutdown has already given its reason
	}
	reason, message := v.ending()
	switch {
	case message != "":
		writeLine(v, "\r\n"+message)
	case reason == "quit":
		mu.Lock()
		w := width
		mu.Unlock()
		writeLine(v, linear.Goodbye(s.site, w))
	}
	_ = v.Exit(0)
}

// readingTimes adds up how long each section was on screen, for the "sections" of "session
// end" as the full UI reports them: in the order first opened, time on the overview left out.
type readingTimes struct {
	views sectionViews
	slug  string
	since time.Time
}

func (rt *readingTimes) opened(slug string) {
	now := time.Now()
	if rt.slug != "" {
		ms := now.Sub(rt.since).Milliseconds()
		i := slices.IndexFunc(rt.views, func(v sectionView) bool { return v.Slug == rt.slug })
		if i < 0 {
			rt.views = append(rt.views, sectionView{Slug: rt.slug})
			i = len(rt.views) - 1
		}
		rt.views[i].MS += ms
	}
	rt.slug, rt.since = slug, now
}

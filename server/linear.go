package server

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"portfolio/server/session"
	"portfolio/ui/linear"
)

// lineReader serves a terminal that can only print lines (TERM=dumb) with the linear reader
// instead of a Bubble Tea program, which would send mode queries, the alternate screen and
// cursor moves that such a terminal prints as junk. The session keeps the same limits as
// the full UI: the idle and total timeouts, and a polite end at shutdown. It reserves
// nothing in the memory budget (budget.go): with no Bubble Tea program there are no cell
// buffers, which are what makes a session's cost follow its window; it holds the text it
// prints, the same at any size.
func (s *Server) lineReader(v *session.Visit, args []string) {
	ctx, cancel := context.WithCancel(v.Context())
	defer cancel()
	stop := func(reason session.Reason, message string) {
		if v.End(reason, message) {
			cancel()
		}
	}
	defer s.watchLimits(v, stop)()

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
		stop(session.Disconnect, "")
	}()
	times := &readingTimes{}
	opts := linear.Options{Width: pty.Window.Width, Height: pty.Window.Height, Opened: times.opened, Resize: sizes, Mail: s.mailbox(v)}
	if len(args) == 1 {
		opts.Section = args[0] // an unknown word opens the overview, which lists the sections
	}
	err := linear.Run(ctx, v, v, s.db.siteNow(), opts)
	times.opened("") // the last page is over
	v.SetSections(times.views)
	switch {
	case err == nil:
		v.End(session.Quit, "")
	case errors.Is(err, linear.ErrInputEnded), v.Context().Err() != nil:
		v.End(session.Disconnect, "")
	default:
		v.End(session.Error, "") // a timeout or shutdown has already given its reason
	}
	reason, message := v.Ending()
	switch {
	case message != "":
		writeLine(v, "\r\n"+message)
	case reason == session.Quit:
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
	views session.SectionViews
	slug  string
	since time.Time
}

func (rt *readingTimes) opened(slug string) {
	now := time.Now()
	if rt.slug != "" {
		ms := now.Sub(rt.since).Milliseconds()
		i := slices.IndexFunc(rt.views, func(v session.SectionView) bool { return v.Slug == rt.slug })
		if i < 0 {
			rt.views = append(rt.views, session.SectionView{Slug: rt.slug})
			i = len(rt.views) - 1
		}
		rt.views[i].MS += ms
	}
	rt.slug, rt.since = slug, now
}

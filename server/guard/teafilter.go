package guard

import (
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TeaFilter is the signature tea.WithFilter takes.
type TeaFilter = func(tea.Model, tea.Msg) tea.Msg

// flushResize asks the filter to apply the size it held back.
type flushResize struct{}

// NewTeaFilter returns a filter for tea.WithFilter that defends a Bubble Tea
// program served over SSH:
//
//   - every tea.WindowSizeMsg is clamped to limits, whatever its origin: the
//     pty-req, a window-change, or one Bubble Tea derives from the visitor's
//     input bytes (a typed "ESC[8;1000;1000t" or a mode 2048 report), which
//     no SSH-level check can see. A zero size is dropped.
//   - resize storms are coalesced: a size arriving within interval of the
//     last applied one is held back, and the latest held-back size is
//     applied when the interval has passed, so the final size always wins
//     and the renderer reallocates at most once per interval.
//   - tea.SuspendMsg becomes tea.ResumeMsg: suspending sends SIGTSTP to the
//     server's own process group (this is what wish's MakeOptions filter does,
//     which this filter replaces, since a program has only one filter).
//
// next, if not nil, runs after these steps on every message that survives.
// The filter holds per-program state: build one per tea.Program, and pass
// it as the LAST tea.WithFilter option (the last one wins). The guard's
// own are MaxWidth x MaxHeight and ResizeInterval (Guard.TeaFilter).
func NewTeaFilter(limits SizeLimits, interval time.Duration, next TeaFilter) TeaFilter {
	c := &resizeCoalescer{limits: limits, interval: interval, now: time.Now}
	return func(m tea.Model, msg tea.Msg) tea.Msg {
		msg = c.filter(msg)
		if msg == nil || next == nil {
			return msg
		}
		return next(m, msg)
	}
}

// resizeCoalescer holds the filter's state. Bubble Tea calls the filter
// from its event loop only, but the mutex keeps that an implementation
// detail we do not depend on.
type resizeCoalescer struct {
	limits   SizeLimits
	interval time.Duration
	now      func() time.Time

	mu        sync.Mutex
	last      time.Time          // when a size was last applied
	pending   *tea.WindowSizeMsg // latest size held back
	scheduled bool               // a flushResize is on its way
}

func (c *resizeCoalescer) filter(msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case flushResize:
		c.mu.Lock()
		defer c.mu.Unlock()
		c.scheduled = false
		if c.pending == nil {
			return nil
		}
		size := *c.pending
		c.pending = nil
		c.last = c.now()
		return size
	case tea.WindowSizeMsg:
		w, h, ok := c.limits.Clamp(m.Width, m.Height)
		if !ok {
			return nil
		}
		size := tea.WindowSizeMsg{Width: w, Height: h}
		c.mu.Lock()
		defer c.mu.Unlock()
		now := c.now()
		since := now.Sub(c.last)
		if !c.scheduled && (c.last.IsZero() || since >= c.interval) {
			c.last = now
			return size
		}
		c.pending = &size
		if c.scheduled {
			return nil
		}
		c.scheduled = true
		delay := c.interval - since
		// A BatchMsg is run by Bubble Tea on its own goroutine: the timer
		// lives inside the program, needs no reference to it, and its
		// message comes back through this filter.
		return tea.BatchMsg{func() tea.Msg {
			time.Sleep(delay)
			return flushResize{}
		}}
	}
	return msg
}

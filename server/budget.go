package server

import (
	"sync"

	"portfolio/server/session"
)

// The memory budget (PORTFOLIO_MEMORY_BUDGET) keeps the sum of what interactive sessions may
// hold under a fixed size, so a crowd of large windows cannot push the process past its VM.
//
// What a session costs was measured through the real server with the real UI
// (BenchmarkSessionMemory, TestSessionMemoryWithinEstimate; docs/performance.md): awake, about
// 360 KB plus 290 bytes per cell of its window (0.92 MB at 80x24, 2.3 MB at 160x50, 8.8 MB at
// 300x100); asleep, 130-190 KB (more for a bigger painted first frame). About 140 KB of the
// awake part is the key table of the session's input decoder (server/screen/input.go), which
// ultraviolet builds for each reader: an awake session holds it from the first byte its
// terminal sends, and a program pays it again for its own reader, which reads nothing; a
// sleeping screen lets its decoder go once its input is quiet. Nearly all of the per-cell
// part is two full-window cell buffers of 112-byte cells: Bubble Tea's frame buffer and
// ultraviolet's copy of what the terminal shows, which it diffs against. Both follow the size Bubble Tea is told,
// not the frame drawn into it (at 300x100 the centred frame fills a tenth of the cells), and
// telling Bubble Tea a smaller size would draw the frame in the top left corner instead of
// centring it; so the estimate follows the window.
//
// A session reserves its awake cost for as long as it lasts, asleep too: a sleeping screen
// wakes on the next key and needs its buffers back at once. A visitor whose window would not
// fit is served at a smaller size that does (height first, down to 24 rows, then width, down
// to 80 columns); one for whom even that does not fit is told so in one line and the session
// ends with exit status 1. Resizes and typed size reports grow the reservation while there is
// room and are clamped to what fits when there is not.
const (
	sessionFixedCost = 400 << 10 // bytes per awake session besides its cells (measured 340-380 KB)
	sessionCellCost  = 300       // bytes per cell of an awake session's window (measured ~280)
	minBudgetWidth   = 80        // a window is not shrunk below this many columns to fit
	minBudgetHeight  = 24        // nor below this many rows
)

// msgBusy is what a visitor reads when their session does not fit in the memory budget.
const msgBusy = "The server is full right now; please try again in a few minutes."

// MinMemoryBudget is the smallest memory budget other than none: room for one session at
// the smallest size a window is shrunk to (80x24). The settings table (package config)
// refuses a smaller one.
const MinMemoryBudget = sessionFixedCost + sessionCellCost*minBudgetWidth*minBudgetHeight

// SessionMemory is the memory an awake interactive session with a window of w x h is
// estimated to hold, in bytes: what the memory budget reserves for it.
func SessionMemory(w, h int) int64 { return sessionCost(w, h) }

// sessionCost is the memory an awake session of w x h is estimated to hold.
func sessionCost(w, h int) int64 {
	return sessionFixedCost + sessionCellCost*int64(w)*int64(h)
}

// memoryBudget tracks the reservations of open interactive sessions. The zero limit means no
// budget: every size is served. It is safe for concurrent use.
type memoryBudget struct {
	limit int64

	mu       sync.Mutex
	used     int64
	sessions map[*session.Visit]size // the size each session's reservation is for
}

type size struct{ w, h int }

func (s size) cost() int64 { return sessionCost(s.w, s.h) }

func newMemoryBudget(limit ByteSize) *memoryBudget {
	return &memoryBudget{limit: int64(limit), sessions: map[*session.Visit]size{}}
}

// admit reserves memory for v's session at w x h, or at the largest smaller size that fits.
// ok is false when not even the smallest size fits.
func (b *memoryBudget) admit(v *session.Visit, w, h int) (fw, fh int, ok bool) {
	if b.limit <= 0 {
		return w, h, true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fw, fh, ok = fitSize(w, h, b.limit-b.used)
	if ok {
		b.sessions[v] = size{fw, fh}
		b.used += sessionCost(fw, fh)
	}
	return fw, fh, ok
}

// fit resizes v's reservation for a window of w x h and returns the size v may draw at: w x h
// when it fits in what v holds plus what is free, otherwise the largest smaller size that
// does. A session without a reservation (no budget, or not admitted) gets w x h.
func (b *memoryBudget) fit(v *session.Visit, w, h int) (int, int) {
	if b.limit <= 0 || w <= 0 || h <= 0 {
		return w, h
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.sessions[v]
	if !ok {
		return w, h
	}
	held := s.cost()
	fw, fh, ok := fitSize(w, h, held+b.limit-b.used)
	if !ok {
		// Smaller than the minimum: what v holds always fits a window it is given, since it
		// was admitted at least that large; keep the shape the visitor asked for.
		fw, fh = w, h
		for sessionCost(fw, fh) > held && fh > 1 {
			fh--
		}
		for sessionCost(fw, fh) > held && fw > 1 {
			fw--
		}
	}
	b.used += sessionCost(fw, fh) - held
	b.sessions[v] = size{fw, fh}
	return fw, fh
}

// release gives back v's reservation when its session ends.
func (b *memoryBudget) release(v *session.Visit) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if s, ok := b.sessions[v]; ok {
		b.used -= s.cost()
		delete(b.sessions, v)
	}
}

// reserved returns the bytes reserved by open sessions.
func (b *memoryBudget) reserved() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// fitSize returns w x h if a session of that size costs at most free bytes, or else the
// largest size within it that still costs at most free: fewer rows first (down to
// minBudgetHeight, or h if smaller), then fewer columns (down to minBudgetWidth, or w).
func fitSize(w, h int, free int64) (int, int, bool) {
	if sessionCost(w, h) <= free {
		return w, h, true
	}
	cells := (free - sessionFixedCost) / sessionCellCost
	if cells <= 0 {
		return 0, 0, false
	}
	fh := max(min(h, minBudgetHeight), int(min(int64(h), cells/int64(w))))
	fw := int(min(int64(w), cells/int64(fh)))
	if fw < min(w, minBudgetWidth) {
		return 0, 0, false
	}
	return fw, fh, true
}

// refuseForMemory ends a session that does not fit in the memory budget: one line, exit 1.
func (s *Server) refuseForMemory(v *session.Visit) {
	v.SetKind(session.Rejected)
	v.End(session.MemoryBudget, "")
	s.logger.Info("session refused", "session", v.ID(), "reason", "memory budget",
		"reserved", ByteSize(s.budget.reserved()).String(), "budget", s.cfg.MemoryBudget.String())
	writeLine(v, msgBusy)
	_ = v.Exit(1)
}

package fleet

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"

	"portfolio/store"
)

// Timings and bounds. None is a setting: they follow from the promises made to the owner
// ("now" within 2 s, a dead machine gone within 30 s) and from what a visit record costs.
const (
	// FlushEvery is how often changes are written: a new visitor is in every machine's
	// "now" within about this, plus the reader's own refresh.
	FlushEvery = time.Second
	// RefreshEvery re-stamps every open session's row (one statement a machine);
	// PresentWithin is how old a stamp may be for "now". Three refreshes may be missed
	// (a slow database) before a living session flickers out; a dead machine is gone
	// within PresentWithin.
	RefreshEvery  = 10 * time.Second
	PresentWithin = 30 * time.Second
	// MaxQueued visit records wait for a database that is down: a few hundred bytes each,
	// a few MB in all, hours of a busy day's visits.
	MaxQueued = 10000
	// batchSize bounds one write, so that a long outage drains in steps and no single
	// statement grows without limit.
	batchSize = 500
	// writeTimeout bounds one write: a hung database costs the writer a turn, never a visit.
	writeTimeout = 5 * time.Second
	// pruneEvery is how often records older than the retention, and presence rows older
	// than staleAfter, are deleted.
	pruneEvery = time.Hour
	// staleAfter is how long a presence row may go unstamped before any machine deletes it:
	// the row of a machine that died without a word, long out of "now". Far above
	// PresentWithin, so that a living machine cut off from the database for a while finds
	// its rows again; one that was cut off for longer writes them again (touch).
	staleAfter = time.Hour
	// countEvery is how often the number of people reading now (the cover's sign of life)
	// is read from the database.
	countEvery = 5 * time.Second
)

// DB is what the fleet writes to and reads from: a *store.Store.
type DB interface {
	AddVisits(ctx context.Context, vs []store.Visit) error
	PruneVisits(ctx context.Context, before time.Time) (int64, error)
	PutPresence(ctx context.Context, ps []store.Presence) error
	TouchPresence(ctx context.Context, machine string, now time.Time) (int64, error)
	PrunePresence(ctx context.Context, seenBefore time.Time) (int64, error)
	DropPresence(ctx context.Context, machine string, sessions []string) error
	Reading(ctx context.Context, seenSince time.Time) (int, error)
}

// Fleet is one machine's writer. Build it with New and start Run; every other method is
// safe to call from any goroutine at any time, Run or not.
type Fleet struct {
	db        DB
	machine   string
	retention time.Duration
	logger    *log.Logger

	mu      sync.Mutex
	queue   []store.Visit              // ended visits not yet written, oldest first
	open    map[string]*store.Presence // sessions open on this machine
	dirty   map[string]bool            // open sessions whose row must be written
	written map[string]bool            // sessions with a row in the database
	gone    []string                   // ended sessions whose row must be dropped
	failing bool                       // the last write failed: log once per outage

	dropped atomic.Int64 // visit records dropped from a full queue
	reading atomic.Int64 // people reading now, all machines, as last read
	wake    chan struct{}
}

// New returns the fleet writer of machine (MachineID) on db; records older than retention
// are pruned (0: never).
func New(db DB, machine string, retention time.Duration, logger *log.Logger) *Fleet {
	if logger == nil {
		logger = log.Default()
	}
	return &Fleet{
		db: db, machine: machine, retention: retention, logger: logger,
		open: map[string]*store.Presence{}, dirty: map[string]bool{}, written: map[string]bool{},
		wake: make(chan struct{}, 1),
	}
}

// MachineID is this machine's name in the database: FLY_MACHINE_ID on Fly.io, else a random
// id for this process (a restarted process is a new machine; its old rows age out).
func MachineID() string {
	if id := os.Getenv("FLY_MACHINE_ID"); id != "" {
		return id
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "local-" + hex.EncodeToString(b[:])
}

// Ended queues the record of a visit that ended. It never blocks.
func (f *Fleet) Ended(v store.Visit) {
	v.Machine = f.machine
	f.mu.Lock()
	if len(f.queue) >= MaxQueued {
		f.queue = f.queue[1:]
		f.dropped.Add(1)
	}
	f.queue = append(f.queue, v)
	f.mu.Unlock()
}

// Opened notes a session that opened on this machine.
func (f *Fleet) Opened(p store.Presence) {
	p.Machine = f.machine
	f.mu.Lock()
	f.open[p.Session] = &p
	f.dirty[p.Session] = true
	f.mu.Unlock()
}

// Changed notes the section on screen and the window size of an open session; the row is
// written only when one of them differs.
func (f *Fleet) Changed(session, section string, width, height int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.open[session]
	if p == nil || (p.Section == section && p.Width == width && p.Height == height) {
		return
	}
	p.Section, p.Width, p.Height = section, width, height
	f.dirty[session] = true
}

// Closed notes a session that ended; its row is dropped with the next write.
func (f *Fleet) Closed(session string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.open[session]; !ok {
		return
	}
	delete(f.open, session)
	delete(f.dirty, session)
	if f.written[session] {
		f.gone = append(f.gone, session)
	}
}

// ReadingNow is how many sessions were open on all machines at the last count.
func (f *Fleet) ReadingNow() int { return int(f.reading.Load()) }

// Dropped is how many visit records a full queue has dropped.
func (f *Fleet) Dropped() int64 { return f.dropped.Load() }

// Queued is how many visit records wait for the database.
func (f *Fleet) Queued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}

// Flush asks Run to write now rather than at its next tick (tests: a shutdown writes in
// Run's goodbye).
func (f *Fleet) Flush() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

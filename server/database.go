package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"

	"portfolio/content"
	"portfolio/store"
	"portfolio/ui/letter"
)

// The database holds visitors' messages; the portfolio never waits for it. It is opened in
// the background at start and, when that fails (a SQLite file that cannot be created, a
// broken URL), tried again until it opens: reading goes on meanwhile, and the form says a
// message can't be taken right now. Once open, the store itself comes back from outages
// (store's doc: Failure).
const (
	openRetryFirst = time.Second      // the first retry after a failed open
	openRetryMax   = 30 * time.Second // the longest wait between tries: an operator fixing a volume sees it taken within this
	// guestbookEvery is how often the Guestbook page is read again: an entry the owner
	// approves appears to visitors who arrive after that, and no visitor's arrival waits
	// for the database.
	guestbookEvery = 30 * time.Second
	// healthTimeout bounds the database ping of a /healthz request.
	healthTimeout = 2 * time.Second
)

// database is the server's store and what it keeps from it: the site with its guestbook.
type database struct {
	dsn    string
	logger *log.Logger
	site   *content.Site

	st        atomic.Pointer[store.Store]
	openErr   atomic.Pointer[string]       // why the last open failed, until one succeeds
	guest     atomic.Pointer[content.Site] // the site with its Guestbook page, as last read
	entries   atomic.Pointer[[]content.GuestEntry]
	onOpen    func(context.Context, *store.Store) // starts what needs the store (the outbox)
	cancel    context.CancelFunc
	done      sync.WaitGroup
	closeOnce sync.Once
}

// startDatabase opens dsn in the background (store.Open: "" is SQLite at data/portfolio.db)
// and keeps the guestbook fresh until stop. onOpen runs once the store is open.
func startDatabase(dsn string, site *content.Site, logger *log.Logger, onOpen func(context.Context, *store.Store)) *database {
	ctx, cancel := context.WithCancel(context.Background())
	d := &database{dsn: dsn, logger: logger, site: site, onOpen: onOpen, cancel: cancel}
	d.guest.Store(site)
	d.done.Add(1)
	go func() {
		defer d.done.Done()
		d.run(ctx)
	}()
	return d
}

func (d *database) run(ctx context.Context) {
	wait := openRetryFirst
	for {
		st, err := store.Open(ctx, d.dsn)
		if err == nil {
			d.st.Store(st)
			d.openErr.Store(nil)
			d.logger.Info("database open", "engine", st.Engine())
			break
		}
		if ctx.Err() != nil {
			return
		}
		msg := err.Error()
		d.openErr.Store(&msg)
		d.logger.Error("database unavailable; serving without messages, trying again", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, openRetryMax)
	}
	if d.onOpen != nil {
		d.onOpen(ctx, d.st.Load())
	}
	tick := time.NewTicker(guestbookEvery)
	defer tick.Stop()
	for {
		d.readGuestbook(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// readGuestbook reads the approved entries; on an error the last good page stays.
func (d *database) readGuestbook(ctx context.Context) {
	entries, err := d.st.Load().Guestbook(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.logger.Warn("guestbook not read", "err", err)
		}
		return
	}
	out := make([]content.GuestEntry, len(entries))
	for i, e := range entries {
		out[i] = content.GuestEntry{Time: e.Time, Name: store.CleanLine(e.Name), Text: store.Clean(e.Text)}
	}
	d.entries.Store(&out)
	d.guest.Store(d.site.WithGuestbook(out))
}

// store is the open store, or nil while it could not be opened.
func (d *database) store() *store.Store { return d.st.Load() }

// siteNow is the site a new visitor reads: with the Guestbook page when it has entries.
func (d *database) siteNow() *content.Site { return d.guest.Load() }

// freshGuestbook reads the entries now, for `ssh HOST guestbook`, which asks for nothing
// else (and refreshes the page for the visitors after it); when the database does not
// answer within letter.Deadline, the entries as last read.
func (d *database) freshGuestbook(ctx context.Context) []content.GuestEntry {
	if d.st.Load() != nil {
		ctx, cancel := context.WithTimeout(ctx, letter.Deadline)
		defer cancel()
		d.readGuestbook(ctx)
	}
	return d.guestbook()
}

// guestbook is the entries as last read (nil before the first read).
func (d *database) guestbook() []content.GuestEntry {
	if p := d.entries.Load(); p != nil {
		return *p
	}
	return nil
}

// health is the database's state for /healthz: "ok" or the error.
func (d *database) health() string {
	st := d.st.Load()
	if st == nil {
		if p := d.openErr.Load(); p != nil {
			return *p
		}
		return "opening"
	}
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	if err := st.Ping(ctx); err != nil {
		return err.Error()
	}
	return "ok"
}

// stop ends the background work and closes the store.
func (d *database) stop() error {
	var err error
	d.closeOnce.Do(func() {
		d.cancel()
		d.done.Wait()
		if st := d.st.Load(); st != nil {
			err = st.Close()
		}
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// startOutbox starts the worker that delivers the notifications of stored messages, when
// any channel is configured. It runs until ctx (the database's) is done.
func (s *Server) startOutbox(ctx context.Context, st *store.Store) {
	_, _ = ctx, st // the outbox worker (package outbox) is started here once it lands
}

package server

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/log/v2"

	"portfolio/content"
	"portfolio/outbox"
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

	st      atomic.Pointer[store.Store]
	opened  chan struct{}                // closed once st is set
	openErr atomic.Pointer[string]       // why the last open failed, until one succeeds
	guest   atomic.Pointer[content.Site] // the site with its Guestbook page, as last read
	entries atomic.Pointer[[]content.GuestEntry]
	// reading is held (a send into it) through a read of the guestbook and its storing: the
	// 30 s refresh and `ssh HOST guestbook` both read it, and an older read that ended last
	// would put back a page without an entry just approved. A channel, so that waiting for
	// it ends with the reader's deadline.
	reading   chan struct{}
	onOpen    func(context.Context, *store.Store) // starts what needs the store (the outbox)
	cancel    context.CancelFunc
	done      sync.WaitGroup
	closeOnce sync.Once
}

// startDatabase opens dsn in the background (store.Open: "" is SQLite at data/portfolio.db)
// and keeps the guestbook fresh until stop. onOpen runs once the store is open.
func startDatabase(dsn string, site *content.Site, logger *log.Logger, onOpen func(context.Context, *store.Store)) *database {
	ctx, cancel := context.WithCancel(context.Background())
	d := &database{dsn: dsn, logger: logger, site: site, onOpen: onOpen, cancel: cancel, opened: make(chan struct{}), reading: make(chan struct{}, 1)}
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
			close(d.opened)
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
	select {
	case d.reading <- struct{}{}:
		defer func() { <-d.reading }()
	case <-ctx.Done():
		return // the entries as last read
	}
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
	if old := d.entries.Load(); old != nil && slices.EqualFunc(*old, out, sameEntry) {
		return // the same page: a new site would make every visitor's pages render afresh
	}
	d.entries.Store(&out)
	d.guest.Store(d.site.WithGuestbook(out))
}

func sameEntry(a, b content.GuestEntry) bool {
	return a.Time.Equal(b.Time) && a.Name == b.Name && a.Text == b.Text
}

// store is the open store, or nil while it could not be opened.
func (d *database) store() *store.Store { return d.st.Load() }

// waitStore is the store, waiting for it while it is being opened until ctx is done: a
// visitor who writes in the first instants after a start is not refused for that.
func (d *database) waitStore(ctx context.Context) *store.Store {
	select {
	case <-d.opened:
	case <-ctx.Done():
	}
	return d.st.Load()
}

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

// notifyConfig is what the outbox worker delivers to, from the notify settings.
func (s *Server) notifyConfig() outbox.Config {
	return outbox.Config{
		Webhook:  s.cfg.NotifyWebhook,
		Secret:   s.cfg.NotifySecret,
		Email:    s.cfg.NotifyEmail,
		SMTPURL:  s.cfg.SMTPURL,
		SiteName: writeTo(s.site),
	}
}

// startOutbox starts the worker that delivers the notifications of stored messages, when
// a channel is configured; it runs until ctx (the database's) is done, and stop waits for
// it. Pending notifications left by an earlier run go out on its first pass.
func (s *Server) startOutbox(ctx context.Context, st *store.Store) {
	cfg := s.notifyConfig()
	if len(outbox.Channels(cfg)) == 0 {
		return
	}
	w, err := outbox.New(st, cfg, slog.New(s.logger), s.metrics.Notified)
	if err != nil {
		s.logger.Error("notifications off", "err", err) // New checked the settings already
		return
	}
	s.outbox.Store(w)
	s.db.done.Add(1)
	go func() {
		defer s.db.done.Done()
		w.Run(ctx)
	}()
}

// writeTo is how the site is named to a visitor writing to it: its name, else its title.
func writeTo(site *content.Site) string {
	if site.Settings.Name != "" {
		return site.Settings.Name
	}
	return site.Settings.Title
}

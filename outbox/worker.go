package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"portfolio/store"
)

// The channels a delivery can go through (store.Delivery.Channel).
const (
	ChannelWebhook    = "webhook"        // PORTFOLIO_NOTIFY_WEBHOOK, for each new message
	ChannelEmail      = "email"          // PORTFOLIO_NOTIFY_EMAIL, for each new message
	ChannelReplyEmail = store.ReplyEmail // the owner's reply, to the writer's email address
)

// The results the metrics hook is called with.
const (
	ResultSent   = "sent"   // delivered; never sent again
	ResultRetry  = "retry"  // this attempt failed; another is scheduled
	ResultFailed = "failed" // given up: the last attempt failed and the day is over, or it cannot succeed
)

// The schedule. None of these is a setting: they follow from what a notification is for.
const (
	firstRetry  = 5 * time.Second  // a receiver that blinked (a restart, a deploy) is usually back by then
	maxRetry    = 5 * time.Minute  // the owner hears within minutes of a long outage ending
	giveUpAfter = 24 * time.Hour   // after a day the inbox itself is the better news
	pollEvery   = 10 * time.Second // rows queued by another machine wait at most this
	// Rows claimed and tried at once. DueDeliveries keeps a row from other workers for
	// store.DeliveryLease only, so a pass claims no more than it tries at once.
	parallel = 4
	// One attempt, from the claim to its record: within the lease, with time to record it.
	// A receiver slower than this is counted as down.
	attempt = store.DeliveryLease - 2*time.Second
)

// Config is what the worker delivers to, from the notify settings (server.Config).
type Config struct {
	Webhook  string // PORTFOLIO_NOTIFY_WEBHOOK: an http(s) URL
	Secret   string // PORTFOLIO_NOTIFY_SECRET: signs the webhook's body
	Email    string // PORTFOLIO_NOTIFY_EMAIL: the owner's address, To and From of every email
	SMTPURL  string // PORTFOLIO_SMTP_URL: smtps://user:pass@host:465 or smtp://user:pass@host:587
	SiteName string // how the notifications name the site
}

// Channels lists the channels cfg configures, for store.Draft.Channels: "webhook" when a
// webhook is set, "email" when both an address and an SMTP server are.
func Channels(cfg Config) []string {
	var chs []string
	if cfg.Webhook != "" {
		chs = append(chs, ChannelWebhook)
	}
	if cfg.Email != "" && cfg.SMTPURL != "" {
		chs = append(chs, ChannelEmail)
	}
	return chs
}

// Worker delivers the store's pending notifications. Build it with New, run it with Run;
// Kick after taking a message, so its notifications leave at once.
type Worker struct {
	st      *store.Store
	log     *slog.Logger
	count   func(channel, result string)
	webhook *webhook // nil when no webhook is set
	mail    *mailer  // nil when no email is set
	kick    chan struct{}

	mu      sync.Mutex
	retries map[int64]time.Time // retries scheduled by this worker, so it wakes for them
}

// New checks cfg and builds a worker on st. logger may be nil (nothing is logged); count,
// when not nil, is called once per attempt with the channel and one of the Result values.
func New(st *store.Store, cfg Config, logger *slog.Logger, count func(channel, result string)) (*Worker, error) {
	hook, mail, err := cfg.senders()
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if count == nil {
		count = func(string, string) {}
	}
	return &Worker{
		st: st, log: logger, count: count, webhook: hook, mail: mail,
		kick: make(chan struct{}, 1), retries: map[int64]time.Time{},
	}, nil
}

// Check reports what New would refuse in cfg, without a store: a server checks its
// settings at start, before its database is open.
func (cfg Config) Check() error {
	_, _, err := cfg.senders()
	return err
}

// senders builds what delivers on each channel cfg sets; nil for a channel it does not.
func (cfg Config) senders() (*webhook, *mailer, error) {
	var hook *webhook
	var mail *mailer
	var err error
	if cfg.Webhook != "" {
		if hook, err = newWebhook(cfg); err != nil {
			return nil, nil, err
		}
	}
	switch {
	case cfg.Email != "" && cfg.SMTPURL != "":
		if mail, err = newMailer(cfg); err != nil {
			return nil, nil, err
		}
	case cfg.Email != "":
		return nil, nil, errors.New("PORTFOLIO_NOTIFY_EMAIL is set but PORTFOLIO_SMTP_URL is not: set both to be told by email")
	case cfg.SMTPURL != "":
		return nil, nil, errors.New("PORTFOLIO_SMTP_URL is set but PORTFOLIO_NOTIFY_EMAIL is not: set both to be told by email")
	}
	return hook, mail, nil
}

// Kick asks the worker to look for due rows now rather than at its next poll. It never
// blocks; kicks while the worker is busy count as one. A nil Worker (no channel
// configured) ignores it.
func (w *Worker) Kick() {
	if w == nil {
		return
	}
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then returns once the attempts under way have stopped:
// they are cancelled with ctx and stay pending. A row whose worker died mid-attempt is due
// again when the store's lease on it ends (store.DeliveryLease, 10 s), on this machine or
// another; a row waiting out its backoff keeps its time.
func (w *Worker) Run(ctx context.Context) {
	var dbErr error // the last error reading the outbox, logged once per outage
	for {
		full, err := w.pass(ctx)
		if ctx.Err() != nil {
			return
		}
		switch {
		case err != nil && (dbErr == nil || dbErr.Error() != err.Error()):
			w.log.Warn("outbox: cannot read the pending notifications", "err", err)
		case err == nil && dbErr != nil:
			w.log.Info("outbox: reading the pending notifications again")
		}
		dbErr = err
		if full {
			continue
		}
		timer := time.NewTimer(w.untilNext(time.Now()))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-w.kick:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// pass claims the rows due now, a few, and tries them at once. It reports whether it read
// a full batch and recorded every attempt: then more rows may be due already.
func (w *Worker) pass(ctx context.Context) (full bool, err error) {
	now := time.Now()
	ds, err := w.st.DueDeliveries(ctx, now, parallel)
	if err != nil {
		return false, err
	}
	w.forgetDue(now)
	actx, cancel := context.WithTimeout(ctx, attempt)
	defer cancel()
	var wg sync.WaitGroup
	var recorded atomic.Int64
	for _, d := range ds {
		wg.Go(func() {
			if w.deliver(ctx, actx, d) {
				recorded.Add(1)
			}
		})
	}
	wg.Wait()
	return len(ds) == parallel && recorded.Load() == parallel, nil
}

// deliver makes one attempt at d, within actx, and records its outcome; false when it could
// not (the database is away, or the worker is stopping): the row then stays as it was.
func (w *Worker) deliver(ctx, actx context.Context, d store.Delivery) bool {
	w.forget(d.ID)
	log := w.log.With("delivery", d.ID, "message", d.MessageID, "channel", d.Channel, "attempt", d.Attempts+1)
	m, err := w.st.Message(actx, d.MessageID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false // read again at the next poll
	}
	if err == nil {
		err = w.send(actx, d, m)
	} else {
		err = permanent(errors.New("the message was deleted"))
	}
	if ctx.Err() != nil {
		return false // not the receiver's fault; tried again within pollEvery of the next start
	}
	now := time.Now()
	if err == nil {
		w.count(d.Channel, ResultSent)
		if rerr := w.st.DeliverySent(ctx, d.ID, now); rerr != nil {
			log.Error("outbox: sent, but could not record it; it will be sent again", "err", rerr)
			return false
		}
		log.Info("outbox: sent")
		return true
	}
	next := retryAt(d, m, now, err)
	if next.IsZero() {
		w.count(d.Channel, ResultFailed)
		log.Error("outbox: gave up", "err", err)
	} else {
		w.count(d.Channel, ResultRetry)
		log.Warn("outbox: attempt failed", "err", err, "next", next)
		w.remember(d.ID, next)
	}
	if rerr := w.st.DeliveryFailed(ctx, d.ID, err.Error(), next); rerr != nil {
		log.Error("outbox: could not record a failed attempt", "err", rerr)
		return false
	}
	return true
}

// send makes the attempt itself.
func (w *Worker) send(ctx context.Context, d store.Delivery, m store.Message) error {
	switch d.Channel {
	case ChannelWebhook:
		if w.webhook == nil {
			return permanent(errors.New("PORTFOLIO_NOTIFY_WEBHOOK is not set"))
		}
		return w.webhook.post(ctx, m)
	case ChannelEmail, ChannelReplyEmail:
		if w.mail == nil {
			return permanent(errors.New("PORTFOLIO_NOTIFY_EMAIL and PORTFOLIO_SMTP_URL are not set"))
		}
		if d.Channel == ChannelEmail {
			return w.mail.notify(ctx, d.ID, m)
		}
		return w.mail.reply(ctx, d.ID, m)
	}
	return permanent(fmt.Errorf("unknown channel %q", d.Channel))
}

// retryAt is when to try d again after an attempt failed at now, or zero to give up: the
// delay doubles from firstRetry to maxRetry, until a day has passed since what is notified
// (the message, or the reply) was written.
func retryAt(d store.Delivery, m store.Message, now time.Time, err error) time.Time {
	var p permanentError
	if errors.As(err, &p) {
		return time.Time{}
	}
	delay := maxRetry
	if d.Attempts < 10 { // 5 s << 6 is already past maxRetry
		delay = min(firstRetry<<d.Attempts, maxRetry)
	}
	since := m.Time
	if d.Channel == ChannelReplyEmail && !m.RepliedAt.IsZero() {
		since = m.RepliedAt
	}
	next := now.Add(delay)
	if next.After(since.Add(giveUpAfter)) {
		return time.Time{}
	}
	return next
}

// permanentError is an attempt that cannot succeed however often it is made.
type permanentError struct{ error }

func permanent(err error) error { return permanentError{err} }

func (w *Worker) remember(id int64, next time.Time) {
	w.mu.Lock()
	w.retries[id] = next
	w.mu.Unlock()
}

func (w *Worker) forget(id int64) {
	w.mu.Lock()
	delete(w.retries, id)
	w.mu.Unlock()
}

// forgetDue forgets the retries due by now, once the rows due by now have been claimed: a
// row this pass did not claim was deleted with its message, or claimed by another machine,
// and waiting for it would wake the loop at once, again and again.
func (w *Worker) forgetDue(now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for id, t := range w.retries {
		if !t.After(now) {
			delete(w.retries, id)
		}
	}
}

// untilNext is how long the loop may sleep: until the soonest retry scheduled here, and at
// most pollEvery (rows queued by another machine).
func (w *Worker) untilNext(now time.Time) time.Duration {
	wait := pollEvery
	w.mu.Lock()
	for _, t := range w.retries {
		wait = min(wait, t.Sub(now))
	}
	w.mu.Unlock()
	return max(wait, 0)
}

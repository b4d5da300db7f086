// Package replies gives a message's writer the owner's reply for the code their
// confirmation showed them (`ssh HOST reply CODE`, and "read a reply" in the form), behind a
// per-source limit on wrong codes.
//
// A code has at least 50 random bits, so guessing one is hopeless; the limit is there so
// that nobody can spend the database's time trying. Each source (guard.SourceKey: an IPv4
// address or an IPv6 /64) may give WrongBurst wrong codes, earned back one per WrongEvery;
// a source with none left is refused before the database is asked, right codes included,
// until one is earned back. Right codes cost nothing. Nothing about who asked is kept but
// that count, in memory, for the MaxSources most recent sources.
package replies

import (
	"context"
	"errors"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// The limits are not settings: they only need to be far above a person's typos and far
// below anything that could search a code space of 2^50.
const (
	WrongBurst = 20              // wrong codes a source may give in a row
	WrongEvery = 3 * time.Minute // one more earned back this often (20 an hour)
	MaxSources = 65536           // sources remembered; the least recent is forgotten
)

// ErrTooManyWrong refuses a source that has given too many wrong codes.
var ErrTooManyWrong = errors.New("too many wrong codes from your address; try again in a few minutes")

// Lookup is the database's side: store.Store.ReplyFor.
type Lookup func(ctx context.Context, code string) (reply string, known bool, err error)

// Replies answers codes. Safe for concurrent use.
type Replies struct {
	lookup Lookup
	now    func() time.Time
	mu     sync.Mutex
	wrong  *lru.Cache[string, *rate.Limiter]
}

// New returns Replies over lookup; now is the clock (nil: time.Now).
func New(lookup Lookup, now func() time.Time) *Replies {
	if now == nil {
		now = time.Now
	}
	c, _ := lru.New[string, *rate.Limiter](MaxSources) // only fails for a size <= 0
	return &Replies{lookup: lookup, now: now, wrong: c}
}

// Read returns the reply for code, asked from source: known is false for a code no message
// has, reply is "" while the owner has not replied. A source over its wrong codes gets
// ErrTooManyWrong; an unavailable database its error.
func (r *Replies) Read(ctx context.Context, source, code string) (reply string, known bool, err error) {
	now := r.now()
	r.mu.Lock()
	lim, ok := r.wrong.Get(source)
	if ok && lim.TokensAt(now) < 1 {
		r.mu.Unlock()
		return "", false, ErrTooManyWrong
	}
	r.mu.Unlock()
	reply, known, err = r.lookup(ctx, code)
	if err != nil || known {
		return reply, known, err
	}
	r.mu.Lock()
	if lim, ok = r.wrong.Get(source); !ok {
		lim = rate.NewLimiter(rate.Every(WrongEvery), WrongBurst)
		r.wrong.Add(source, lim)
	}
	lim.AllowN(now, 1)
	r.mu.Unlock()
	return "", false, nil
}

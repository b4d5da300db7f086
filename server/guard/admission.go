package guard

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// Sentinel errors for connections refused at accept time.
var (
	// ErrRateLimited: the source has spent its budget of connections that
	// did not become visits (RateBurst, earned back at RateLimit).
	ErrRateLimited = errors.New("guard: connection rate limit exceeded")
	// ErrTooManyStartups: the server is contended (StartupsContended
	// unauthenticated connections in total) and the source already holds
	// its share of them (MaxStartupsPerSource).
	ErrTooManyStartups = errors.New("guard: too many unauthenticated connections from this source")
	// ErrStartupsFull: MaxStartups unauthenticated connections in total.
	ErrStartupsFull = errors.New("guard: too many unauthenticated connections")
)

// SourceKey returns the key connections are limited by: the IPv4 address,
// or the /64 prefix of an IPv6 address (one customer's allocation, which a
// single host can hop around in at will). Addresses that are not IP (unix
// sockets, pipes in tests) share one key.
func SourceKey(addr net.Addr) string {
	var ip netip.Addr
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip, _ = netip.AddrFromSlice(a.IP)
	default:
		if addr == nil {
			return "unknown"
		}
		ap, err := netip.ParseAddrPort(addr.String())
		if err != nil {
			return "unknown"
		}
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	if !ip.IsValid() {
		return "unknown"
	}
	if ip.Is4() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return "unknown"
	}
	return p.String()
}

// source is what admission remembers about one source.
type source struct {
	bucket
	logged   time.Time // when a refusal of this source was last logged
	unlogged int       // refusals since then
}

// bucket is a token bucket that can be paid back and can go into debt,
// which golang.org/x/time/rate's Limiter cannot do exactly: a token is
// taken for every connection and given back when it becomes a visit.
type bucket struct {
	tokens float64
	last   time.Time
}

// refill brings the bucket up to date at now.
func (b *bucket) refill(now time.Time, limit rate.Limit, burst int) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(float64(burst), b.tokens+el*float64(limit))
	}
	b.last = now
}

// admission decides, per source, whether a new connection may start (see
// the package documentation, "Admission").
type admission struct {
	limit     rate.Limit
	burst     int
	penalty   int
	share     int           // MaxStartupsPerSource
	contended int           // StartupsContended
	full      int           // MaxStartups
	logEvery  time.Duration // RefusalLogInterval

	mu       sync.Mutex
	sources  *lru.Cache[string, *source]
	pending  map[string]int // unauthenticated connections per source
	inFlight int            // unauthenticated connections in total
}

func newAdmission(limit rate.Limit, c Limits) *admission {
	// lru.New only fails for a non-positive size: MaxSources is a positive constant.
	cache, err := lru.New[string, *source](c.MaxSources)
	if err != nil {
		panic(err)
	}
	return &admission{
		limit:     limit,
		burst:     c.RateBurst,
		penalty:   c.PenaltyTokens,
		share:     c.MaxStartupsPerSource,
		contended: c.StartupsContended,
		full:      c.MaxStartups,
		logEvery:  c.RefusalLogInterval,
		sources:   cache,
		pending:   map[string]int{},
	}
}

// sourceAt returns key's entry, refilled to now. Callers hold a.mu.
func (a *admission) sourceAt(key string, now time.Time) *source {
	s, ok := a.sources.Get(key)
	if !ok {
		s = &source{bucket: bucket{tokens: float64(a.burst), last: now}}
		a.sources.Add(key, s)
	}
	s.refill(now, a.limit, a.burst)
	return s
}

// admit takes a token and a startup slot for key, or says why not. It
// never blocks: refusing must stay cheaper than the flood.
func (a *admission) admit(key string, now time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.inFlight >= a.full {
		return ErrStartupsFull
	}
	if a.pending[key] >= a.share && a.inFlight >= a.contended {
		return ErrTooManyStartups
	}
	s := a.sourceAt(key, now)
	if s.tokens < 1 {
		return ErrRateLimited
	}
	s.tokens--
	a.pending[key]++
	a.inFlight++
	return nil
}

// authenticated gives back the startup slot of a connection that has
// logged in: it is no longer one of the cheap half-open kind.
func (a *admission) authenticated(key string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.release(key)
}

// release frees a startup slot. Callers hold a.mu.
func (a *admission) release(key string) {
	if n := a.pending[key]; n <= 1 {
		delete(a.pending, key)
	} else {
		a.pending[key] = n - 1
	}
	a.inFlight--
}

// visited gives the source back the token its connection took: the
// connection became a visit (a session the server admitted), which is what
// connections are for. Called at most once per connection.
func (a *admission) visited(key string, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sourceAt(key, now)
	s.tokens = min(float64(a.burst), s.tokens+1)
}

// ended settles a connection that closes: one that never logged in gives
// back its startup slot, and one that was cut off by the handshake
// timeout or the login grace (it held a slot for as long as it could) is
// charged PenaltyTokens more. The token of a connection that never became
// a visit stays spent.
func (a *admission) ended(key string, authenticated, timedOut bool, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !authenticated {
		a.release(key)
	}
	if timedOut && a.penalty > 0 {
		s := a.sourceAt(key, now)
		s.tokens = max(-float64(a.burst), s.tokens-float64(a.penalty))
	}
}

// startups is the number of unauthenticated connections now.
func (a *admission) startups() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.inFlight
}

// logRefusal reports whether a refusal of key at now should be logged, and
// how many refusals of key went unlogged before it: a source's refusals are
// logged at info level at most once per RefusalLogInterval, and those in
// between are counted in the next line (and always in Stats).
func (a *admission) logRefusal(key string, now time.Time) (unlogged int, log bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sourceAt(key, now)
	if !s.logged.IsZero() && now.Sub(s.logged) < a.logEvery {
		s.unlogged++
		return 0, false
	}
	unlogged, s.unlogged, s.logged = s.unlogged, 0, now
	return unlogged, true
}

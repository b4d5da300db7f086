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

// Sentinel errors for refused connections.
var (
	// ErrRateLimited: the source opened connections faster than RateLimit.
	ErrRateLimited = errors.New("guard: connection rate limit exceeded")
	// ErrTooManyStartups: too many unauthenticated connections, from this
	// source or in total.
	ErrTooManyStartups = errors.New("guard: too many unauthenticated connections")
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

// admission decides, per source, whether a new connection may start.
type admission struct {
	limit   rate.Limit
	burst   int
	penalty int
	perSrc  int
	total   int

	mu       sync.Mutex
	limiters *lru.Cache[string, *rate.Limiter]
	pending  map[string]int // unauthenticated connections per source
	inFlight int            // unauthenticated connections in total
}

func newAdmission(c Config) *admission {
	// lru.New only fails for a non-positive size, which withDefaults rules out.
	cache, err := lru.New[string, *rate.Limiter](c.MaxSources)
	if err != nil {
		panic(err)
	}
	return &admission{
		limit:    c.RateLimit,
		burst:    c.RateBurst,
		penalty:  c.PenaltyTokens,
		perSrc:   c.MaxStartupsPerSource,
		total:    c.MaxStartups,
		limiters: cache,
		pending:  map[string]int{},
	}
}

// admit takes a rate token and a startup slot for key, or says why not.
// It never blocks: refusing must stay cheaper than the flood.
func (a *admission) admit(key string, now time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pending[key] >= a.perSrc || a.inFlight >= a.total {
		return ErrTooManyStartups
	}
	lim, ok := a.limiters.Get(key)
	if !ok {
		lim = rate.NewLimiter(a.limit, a.burst)
		a.limiters.Add(key, lim)
	}
	if !lim.AllowN(now, 1) {
		return ErrRateLimited
	}
	a.pending[key]++
	a.inFlight++
	return nil
}

// done gives back the startup slot of an admitted connection: once when it
// authenticates, or when it closes without having authenticated, in which
// case the source is charged the penalty.
func (a *admission) done(key string, authenticated bool, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n := a.pending[key]; n <= 1 {
		delete(a.pending, key)
	} else {
		a.pending[key] = n - 1
	}
	a.inFlight--
	if authenticated || a.penalty <= 0 {
		return
	}
	if lim, ok := a.limiters.Get(key); ok {
		// A reservation that is never cancelled puts the bucket into debt;
		// ReserveN fails (harmlessly) only for n above the burst.
		lim.ReserveN(now, min(a.penalty, a.burst))
	}
}

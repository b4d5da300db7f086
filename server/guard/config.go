package guard

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// Config holds the limits an operator sets (portfolio's PORTFOLIO_RATE_LIMIT,
// PORTFOLIO_MAX_SESSIONS and friends) and where the guard reports. Every other limit is
// fixed (limits.go). A zero field means its default below, so a test can say Config{};
// Validate catches negative values before starting.
type Config struct {
	// RateLimit is how fast each source's budget of connections that do not become visits
	// (an IPv4 address or an IPv6 /64; see the package documentation, "Admission") is
	// refilled. Every accepted connection takes a token, checked before any SSH work; a
	// connection gives it back when one of its sessions is admitted (AdmitSession), so
	// completed visits cost nothing, while scans, abandoned or failed handshakes and
	// connections without a session keep theirs spent. A source whose bucket (RateBurst) is
	// empty is refused at accept until RateLimit has refilled it.
	RateLimit rate.Limit

	// MaxOpenSessions caps the sessions open at once (AdmitSession). From
	// OpenSessionsContended on, each source is held to OpenSessionsPerSource; below it a
	// source may open more, so a crowd behind one address (a NAT, a classroom) is served
	// while the server has room.
	MaxOpenSessions       int
	OpenSessionsContended int
	OpenSessionsPerSource int

	// MaxSessionDuration is the limit on a session's length. The server should end sessions
	// politely at this point; Apply sets ssh.Server.MaxTimeout MaxSessionGrace later as a
	// hard backstop that cuts the connection.
	MaxSessionDuration time.Duration

	// OnRefused, if set, is called for every connection refused at accept time, with its
	// source key and ErrRateLimited, ErrTooManyStartups or ErrStartupsFull (for metrics).
	OnRefused func(source string, err error)

	// Logger receives one line per connection the guard drops after accepting it
	// (handshake, login grace, keepalive, write or no-session timeouts). Refusals at accept
	// time are counted (Stats) and logged at info level at most once per RefusalLogInterval
	// per source, with the number of refusals since the last line, so a flood cannot flood
	// the log. Nil means slog.Default().
	Logger *slog.Logger

	// Tune, when set, changes the fixed limits for this guard: tests use it to see a
	// 30-second timeout fire in milliseconds. Nothing an operator sets reaches it.
	Tune func(*Limits)
}

// The operator's limits when a Config leaves them zero (portfolio's defaults).
const (
	DefaultRateLimit          = rate.Limit(2)
	DefaultMaxOpenSessions    = 200
	DefaultOpenSessionsShare  = 10
	DefaultMaxSessionDuration = time.Hour
)

// withDefaults fills zero fields with the defaults. The contended threshold defaults to
// three quarters of the total: the last quarter is kept for sources under their share.
func (c Config) withDefaults() Config {
	setDefault(&c.RateLimit, DefaultRateLimit)
	setDefault(&c.MaxOpenSessions, DefaultMaxOpenSessions)
	setDefault(&c.OpenSessionsPerSource, min(DefaultOpenSessionsShare, c.MaxOpenSessions))
	setDefault(&c.OpenSessionsContended, max(c.MaxOpenSessions*3/4, c.OpenSessionsPerSource))
	setDefault(&c.MaxSessionDuration, DefaultMaxSessionDuration)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

func setDefault[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}

// Validate reports the first nonsensical setting, naming it and its value.
// Zero values are fine: they mean the default.
func (c Config) Validate() error {
	var errs []error
	neg := func(name string, bad bool, v any) {
		if bad {
			errs = append(errs, fmt.Errorf("guard: %s must not be negative, got %v", name, v))
		}
	}
	neg("RateLimit", c.RateLimit < 0, c.RateLimit)
	neg("MaxOpenSessions", c.MaxOpenSessions < 0, c.MaxOpenSessions)
	neg("OpenSessionsContended", c.OpenSessionsContended < 0, c.OpenSessionsContended)
	neg("OpenSessionsPerSource", c.OpenSessionsPerSource < 0, c.OpenSessionsPerSource)
	neg("MaxSessionDuration", c.MaxSessionDuration < 0, c.MaxSessionDuration)
	d := c.withDefaults()
	order := func(lo, hi string, a, b int) {
		if a > b {
			errs = append(errs, fmt.Errorf("guard: %s (%d) must not be above %s (%d)", lo, a, hi, b))
		}
	}
	order("OpenSessionsPerSource", "OpenSessionsContended", d.OpenSessionsPerSource, d.OpenSessionsContended)
	order("OpenSessionsContended", "MaxOpenSessions", d.OpenSessionsContended, d.MaxOpenSessions)
	return errors.Join(errs...)
}

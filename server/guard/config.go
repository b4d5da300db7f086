package guard

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// Config holds every limit the guard enforces. The zero value of a field
// means "use the default" (see DefaultConfig); use Validate to catch
// nonsense such as negative durations before starting.
type Config struct {
	// RateLimit is how many new connections per second one source (an
	// IPv4 address or an IPv6 /64) may open, checked when the TCP
	// connection is accepted, before any SSH work. RateBurst is how many it
	// may open at once.
	RateLimit rate.Limit
	RateBurst int
	// MaxSources bounds the memory spent remembering sources: the least
	// recently seen source's limiter is forgotten first.
	MaxSources int
	// MaxStartupsPerSource and MaxStartups cap connections that have not
	// yet authenticated, per source and in total (OpenSSH's
	// PerSourceMaxStartups and MaxStartups): half-open handshakes are the
	// cheapest way to hold server resources.
	MaxStartupsPerSource int
	MaxStartups          int
	// PenaltyTokens is charged to a source's rate limiter, in connections,
	// when one of its connections ends without authenticating (scanners,
	// silent clients, failed key exchanges), in the spirit of OpenSSH's
	// PerSourcePenalties. Zero means DefaultPenaltyTokens; negative means
	// no penalty.
	PenaltyTokens int

	// HandshakeTimeout bounds the time from accept to the end of the SSH
	// handshake (ssh.Server.HandshakeTimeout).
	HandshakeTimeout time.Duration
	// NoSessionTimeout closes a connection that has no session channel
	// open for this long: after the handshake, and after its last session
	// ends.
	NoSessionTimeout time.Duration
	// MaxSessionDuration is the limit on a session's length. The server
	// should end sessions politely at this point; Apply sets
	// ssh.Server.MaxTimeout one minute later as a hard backstop that cuts
	// the connection.
	MaxSessionDuration time.Duration
	// WriteTimeout drops a connection when one write, to the TCP socket or
	// to a session channel whose window the client stopped opening, has
	// been blocked this long.
	WriteTimeout time.Duration
	// ReadRate and ReadBurst limit, in bytes per second, how fast one
	// connection's bytes are read, so a client streaming input cannot
	// spend the server's CPU on decryption and parsing.
	ReadRate  int
	ReadBurst int

	// KeepaliveInterval is how often a keepalive@openssh.com request is
	// sent; after KeepaliveMaxMissed unanswered ones the peer is dropped.
	KeepaliveInterval  time.Duration
	KeepaliveMaxMissed int

	// MaxSessions is how many session channels one connection may have
	// open at once; MaxSessionsTotal how many it may open in its life.
	MaxSessions      int
	MaxSessionsTotal int
	// MaxEnv is how many env requests one session may make; MaxEnvBytes
	// how long one name plus value may be. Requests beyond are refused.
	MaxEnv      int
	MaxEnvBytes int
	// MaxTermBytes is the longest TERM a pty-req may carry.
	MaxTermBytes int

	// Size bounds the window sizes a client may claim; ResizeInterval is
	// the coalescing interval for resize storms.
	Size           SizeLimits
	ResizeInterval time.Duration

	// OnRefused, if set, is called for every connection refused at accept
	// time, with its source key and ErrRateLimited or ErrTooManyStartups
	// (for metrics: refusals are not logged above debug level).
	OnRefused func(source string, err error)

	// Logger receives one line per connection the guard drops after
	// accepting it (keepalive, write or no-session timeouts). Refusals at
	// accept time are counted (Stats) and logged at debug level only, so
	// a flood cannot flood the log. Nil means slog.Default().
	Logger *slog.Logger
}

// Defaults. The connection rate allows a visitor a few reconnects in a row
// and one a second after that; a scanner hammering the port is refused
// before it costs a handshake.
const (
	DefaultRateLimit            = rate.Limit(1)
	DefaultRateBurst            = 10
	DefaultMaxSources           = 65536
	DefaultMaxStartupsPerSource = 4
	DefaultMaxStartups          = 256
	DefaultPenaltyTokens        = 2
	DefaultHandshakeTimeout     = 15 * time.Second
	DefaultNoSessionTimeout     = time.Minute
	DefaultMaxSessionDuration   = time.Hour
	DefaultWriteTimeout         = 30 * time.Second
	DefaultReadRate             = 64 << 10
	DefaultReadBurst            = 64 << 10
	DefaultKeepaliveInterval    = 30 * time.Second
	DefaultKeepaliveMaxMissed   = 3
	DefaultMaxSessions          = 2
	DefaultMaxSessionsTotal     = 16
	DefaultMaxEnv               = 16
	DefaultMaxEnvBytes          = 1024
	DefaultMaxTermBytes         = 64
)

// DefaultConfig returns a Config with every limit at its default.
func DefaultConfig() Config {
	return Config{}.withDefaults()
}

// withDefaults fills zero fields with the defaults.
func (c Config) withDefaults() Config {
	setDefault(&c.RateLimit, DefaultRateLimit)
	setDefault(&c.RateBurst, DefaultRateBurst)
	setDefault(&c.MaxSources, DefaultMaxSources)
	setDefault(&c.MaxStartupsPerSource, DefaultMaxStartupsPerSource)
	setDefault(&c.MaxStartups, DefaultMaxStartups)
	setDefault(&c.PenaltyTokens, DefaultPenaltyTokens)
	setDefault(&c.HandshakeTimeout, DefaultHandshakeTimeout)
	setDefault(&c.NoSessionTimeout, DefaultNoSessionTimeout)
	setDefault(&c.MaxSessionDuration, DefaultMaxSessionDuration)
	setDefault(&c.WriteTimeout, DefaultWriteTimeout)
	setDefault(&c.ReadRate, DefaultReadRate)
	setDefault(&c.ReadBurst, DefaultReadBurst)
	setDefault(&c.KeepaliveInterval, DefaultKeepaliveInterval)
	setDefault(&c.KeepaliveMaxMissed, DefaultKeepaliveMaxMissed)
	setDefault(&c.MaxSessions, DefaultMaxSessions)
	setDefault(&c.MaxSessionsTotal, DefaultMaxSessionsTotal)
	setDefault(&c.MaxEnv, DefaultMaxEnv)
	setDefault(&c.MaxEnvBytes, DefaultMaxEnvBytes)
	setDefault(&c.MaxTermBytes, DefaultMaxTermBytes)
	setDefault(&c.Size.MaxWidth, DefaultMaxWidth)
	setDefault(&c.Size.MaxHeight, DefaultMaxHeight)
	setDefault(&c.ResizeInterval, DefaultResizeInterval)
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
	neg("RateBurst", c.RateBurst < 0, c.RateBurst)
	neg("MaxSources", c.MaxSources < 0, c.MaxSources)
	neg("MaxStartupsPerSource", c.MaxStartupsPerSource < 0, c.MaxStartupsPerSource)
	neg("MaxStartups", c.MaxStartups < 0, c.MaxStartups)
	neg("HandshakeTimeout", c.HandshakeTimeout < 0, c.HandshakeTimeout)
	neg("NoSessionTimeout", c.NoSessionTimeout < 0, c.NoSessionTimeout)
	neg("MaxSessionDuration", c.MaxSessionDuration < 0, c.MaxSessionDuration)
	neg("WriteTimeout", c.WriteTimeout < 0, c.WriteTimeout)
	neg("ReadRate", c.ReadRate < 0, c.ReadRate)
	neg("ReadBurst", c.ReadBurst < 0, c.ReadBurst)
	neg("KeepaliveInterval", c.KeepaliveInterval < 0, c.KeepaliveInterval)
	neg("KeepaliveMaxMissed", c.KeepaliveMaxMissed < 0, c.KeepaliveMaxMissed)
	neg("MaxSessions", c.MaxSessions < 0, c.MaxSessions)
	neg("MaxSessionsTotal", c.MaxSessionsTotal < 0, c.MaxSessionsTotal)
	neg("MaxEnv", c.MaxEnv < 0, c.MaxEnv)
	neg("MaxEnvBytes", c.MaxEnvBytes < 0, c.MaxEnvBytes)
	neg("MaxTermBytes", c.MaxTermBytes < 0, c.MaxTermBytes)
	neg("Size.MaxWidth", c.Size.MaxWidth < 0, c.Size.MaxWidth)
	neg("Size.MaxHeight", c.Size.MaxHeight < 0, c.Size.MaxHeight)
	neg("ResizeInterval", c.ResizeInterval < 0, c.ResizeInterval)
	d := c.withDefaults()
	if d.ReadBurst < 4096 {
		errs = append(errs, fmt.Errorf("guard: ReadBurst must be at least 4096 bytes (one SSH packet read), got %d", c.ReadBurst))
	}
	if d.MaxSessionsTotal < d.MaxSessions {
		errs = append(errs, fmt.Errorf("guard: MaxSessionsTotal (%d) must not be below MaxSessions (%d)", d.MaxSessionsTotal, d.MaxSessions))
	}
	return errors.Join(errs...)
}

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
	// RateLimit and RateBurst are each source's budget of connections
	// that do not become visits (an IPv4 address or an IPv6 /64; see the
	// package documentation, "Admission"). Every accepted connection takes
	// a token, checked before any SSH work; a connection gives it back when
	// one of its sessions is admitted (AdmitSession), so completed visits
	// cost nothing, while scans, abandoned or failed handshakes and
	// connections without a session keep theirs spent. A source whose
	// bucket is empty is refused at accept until RateLimit has refilled it.
	RateLimit rate.Limit
	RateBurst int
	// MaxSources bounds the memory spent remembering sources: the least
	// recently seen source is forgotten first.
	MaxSources int
	// MaxStartups caps connections that have not yet logged in, in total
	// (OpenSSH's MaxStartups "full"). From StartupsContended on (its
	// "start") the server counts as contended and each source is held to
	// MaxStartupsPerSource of them; below it a source may have more, so a
	// room behind one address reading the host-key prompt fits.
	MaxStartups          int
	StartupsContended    int
	MaxStartupsPerSource int
	// PenaltyTokens is charged to a source's budget, in connections, when
	// one of its connections is cut off by HandshakeTimeout or LoginGrace,
	// in the spirit of OpenSSH's PerSourcePenalties (grace-exceeded): it
	// held a startup slot as long as it could. Zero means
	// DefaultPenaltyTokens; negative means no penalty.
	PenaltyTokens int

	// MaxOpenSessions caps the sessions open at once (AdmitSession). From
	// OpenSessionsContended on, each source is held to
	// OpenSessionsPerSource; below it a source may open more, so a crowd
	// behind one address (a NAT, a classroom) is served while the server
	// has room.
	MaxOpenSessions       int
	OpenSessionsContended int
	OpenSessionsPerSource int

	// HandshakeTimeout bounds the time from accept to the client's
	// KEXINIT: a client that sends nothing, or something that is not SSH,
	// is dropped quickly.
	HandshakeTimeout time.Duration
	// LoginGrace bounds the time from accept to the end of the login, once
	// the key exchange has started (OpenSSH's LoginGraceTime): long enough
	// for a person to read and answer the host-key prompt
	// (ssh.Server.HandshakeTimeout).
	LoginGrace time.Duration
	// NoSessionTimeout closes a connection that has no session channel
	// open for this long: after the handshake, and after its last session
	// ends.
	NoSessionTimeout time.Duration
	// MaxSessionDuration is the limit on a session's length. The server
	// should end sessions politely at this point; Apply sets
	// ssh.Server.MaxTimeout MaxSessionGrace later as a hard backstop that
	// cuts the connection.
	MaxSessionDuration time.Duration
	MaxSessionGrace    time.Duration
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
	// MaxCommandBytes is the longest command an exec request may carry:
	// the portfolio's commands are section names, not scripts.
	MaxCommandBytes int
	// MaxAuthTries is how many failed login attempts one connection may
	// make before it is disconnected (gossh.ServerConfig.MaxAuthTries),
	// unless the wrapped ServerConfigCallback sets its own.
	MaxAuthTries int

	// Size bounds the window sizes a client may claim; ResizeInterval is
	// the coalescing interval for resize storms.
	Size           SizeLimits
	ResizeInterval time.Duration

	// OnRefused, if set, is called for every connection refused at accept
	// time, with its source key and ErrRateLimited, ErrTooManyStartups or
	// ErrStartupsFull (for metrics).
	OnRefused func(source string, err error)

	// Logger receives one line per connection the guard drops after
	// accepting it (handshake, login grace, keepalive, write or no-session
	// timeouts). Refusals at accept time are counted (Stats) and logged at
	// info level at most once per RefusalLogInterval per source, with the
	// number of refusals since the last line, so a flood cannot flood the
	// log. Nil means slog.Default().
	Logger             *slog.Logger
	RefusalLogInterval time.Duration
}

// Defaults (the package documentation gives the reasons). The budget lets
// a source have 64 connections that are not visits (yet): a room of 40
// reading the host-key prompt at once, or two ssh-keyscans (ten), and two
// a second after that; completed visits never touch it.
const (
	DefaultRateLimit             = rate.Limit(2)
	DefaultRateBurst             = 64
	DefaultMaxSources            = 65536
	DefaultMaxStartups           = 256
	DefaultStartupsContended     = 64
	DefaultMaxStartupsPerSource  = 8
	DefaultPenaltyTokens         = 2
	DefaultMaxOpenSessions       = 200
	DefaultOpenSessionsContended = 150
	DefaultOpenSessionsPerSource = 10
	DefaultHandshakeTimeout      = 15 * time.Second
	DefaultLoginGrace            = 120 * time.Second
	DefaultNoSessionTimeout      = time.Minute
	DefaultMaxSessionDuration    = time.Hour
	DefaultMaxSessionGrace       = time.Minute
	DefaultWriteTimeout          = 30 * time.Second
	DefaultReadRate              = 64 << 10
	DefaultReadBurst             = 64 << 10
	DefaultKeepaliveInterval     = 30 * time.Second
	DefaultKeepaliveMaxMissed    = 3
	DefaultMaxSessions           = 2
	DefaultMaxSessionsTotal      = 16
	DefaultMaxEnv                = 16
	DefaultMaxEnvBytes           = 1024
	DefaultMaxTermBytes          = 64
	DefaultMaxCommandBytes       = 1024
	DefaultMaxAuthTries          = 3
	DefaultRefusalLogInterval    = time.Minute
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
	setDefault(&c.MaxStartups, DefaultMaxStartups)
	setDefault(&c.StartupsContended, min(DefaultStartupsContended, c.MaxStartups))
	setDefault(&c.MaxStartupsPerSource, min(DefaultMaxStartupsPerSource, c.StartupsContended))
	setDefault(&c.PenaltyTokens, DefaultPenaltyTokens)
	setDefault(&c.MaxOpenSessions, DefaultMaxOpenSessions)
	setDefault(&c.OpenSessionsContended, min(DefaultOpenSessionsContended, c.MaxOpenSessions))
	setDefault(&c.OpenSessionsPerSource, min(DefaultOpenSessionsPerSource, c.OpenSessionsContended))
	setDefault(&c.HandshakeTimeout, DefaultHandshakeTimeout)
	setDefault(&c.LoginGrace, max(DefaultLoginGrace, c.HandshakeTimeout))
	setDefault(&c.NoSessionTimeout, DefaultNoSessionTimeout)
	setDefault(&c.MaxSessionDuration, DefaultMaxSessionDuration)
	setDefault(&c.MaxSessionGrace, DefaultMaxSessionGrace)
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
	setDefault(&c.MaxCommandBytes, DefaultMaxCommandBytes)
	setDefault(&c.MaxAuthTries, DefaultMaxAuthTries)
	setDefault(&c.RefusalLogInterval, DefaultRefusalLogInterval)
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
	neg("StartupsContended", c.StartupsContended < 0, c.StartupsContended)
	neg("MaxOpenSessions", c.MaxOpenSessions < 0, c.MaxOpenSessions)
	neg("OpenSessionsContended", c.OpenSessionsContended < 0, c.OpenSessionsContended)
	neg("OpenSessionsPerSource", c.OpenSessionsPerSource < 0, c.OpenSessionsPerSource)
	neg("HandshakeTimeout", c.HandshakeTimeout < 0, c.HandshakeTimeout)
	neg("LoginGrace", c.LoginGrace < 0, c.LoginGrace)
	neg("NoSessionTimeout", c.NoSessionTimeout < 0, c.NoSessionTimeout)
	neg("MaxSessionDuration", c.MaxSessionDuration < 0, c.MaxSessionDuration)
	neg("MaxSessionGrace", c.MaxSessionGrace < 0, c.MaxSessionGrace)
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
	neg("MaxCommandBytes", c.MaxCommandBytes < 0, c.MaxCommandBytes)
	neg("MaxAuthTries", c.MaxAuthTries < 0, c.MaxAuthTries)
	neg("RefusalLogInterval", c.RefusalLogInterval < 0, c.RefusalLogInterval)
	neg("Size.MaxWidth", c.Size.MaxWidth < 0, c.Size.MaxWidth)
	neg("Size.MaxHeight", c.Size.MaxHeight < 0, c.Size.MaxHeight)
	neg("ResizeInterval", c.ResizeInterval < 0, c.ResizeInterval)
	d := c.withDefaults()
	if d.ReadBurst < 4096 {
		errs = append(errs, fmt.Errorf("guard: ReadBurst must be at least 4096 bytes (one SSH packet read), got %d", c.ReadBurst))
	}
	order := func(lo, hi string, a, b int) {
		if a > b {
			errs = append(errs, fmt.Errorf("guard: %s (%d) must not be above %s (%d)", lo, a, hi, b))
		}
	}
	order("MaxStartupsPerSource", "StartupsContended", d.MaxStartupsPerSource, d.StartupsContended)
	order("StartupsContended", "MaxStartups", d.StartupsContended, d.MaxStartups)
	order("OpenSessionsPerSource", "OpenSessionsContended", d.OpenSessionsPerSource, d.OpenSessionsContended)
	order("OpenSessionsContended", "MaxOpenSessions", d.OpenSessionsContended, d.MaxOpenSessions)
	if d.LoginGrace < d.HandshakeTimeout {
		errs = append(errs, fmt.Errorf("guard: LoginGrace (%s) must not be shorter than HandshakeTimeout (%s)", d.LoginGrace, d.HandshakeTimeout))
	}
	if d.MaxSessionsTotal < d.MaxSessions {
		errs = append(errs, fmt.Errorf("guard: MaxSessionsTotal (%d) must not be below MaxSessions (%d)", d.MaxSessionsTotal, d.MaxSessions))
	}
	return errors.Join(errs...)
}

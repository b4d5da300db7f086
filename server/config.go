package server

import (
	"net/netip"
	"time"

	"portfolio/server/frontproxy"
	"portfolio/server/guard"
)

// DefaultShutdownTimeout is Config.ShutdownTimeout's default: how long a shutdown waits for
// visitors to leave after they have been told the server is restarting. Deployments size
// their kill timeout from the setting (fly.toml's kill_timeout must be longer, or the
// platform kills the process mid-goodbye; deploy/ checks this).
const DefaultShutdownTimeout = 20 * time.Second

// DefaultFrameRate is Bubble Tea's frame rate for every visitor. A key press reaches the
// screen on the next frame and the first frame waits for the first tick, so the rate sets
// latency; every awake program also wakes at this rate. 120 keeps keystroke-to-screen near
// 10 ms and the first frame within a frame of a bare server's; it costs about 0.5 ms of CPU
// per second only while a visitor is active, since idle screens sleep (DefaultSleepAfter).
const DefaultFrameRate = 120

// DefaultSleepAfter is how long a visitor's screen must stay unchanged, with no key pressed
// and no resize, before its Bubble Tea program is put to sleep (sleep.go): the program's
// frame ticker and cell buffers are what an idle visitor costs, and a sleeping session costs
// neither. The next key wakes a new program on the same screen within a frame.
const DefaultSleepAfter = 5 * time.Second

// Config is everything the server can be told at start-up. Defaults returns the values used
// when nothing is set. Operators set it through package config, whose settings table holds
// each field's flag, environment variable and sane range and validates a Config; New
// assumes a validated Config (tests may use values outside those ranges, such as
// millisecond timeouts).
type Config struct {
	Addr            string // TCP listen address
	HostKeyPath     string // Ed25519 private key file, generated once when missing
	HostKeyPEM      string // the private key's PEM text; wins over HostKeyPath
	HostKeyGenerate bool   // whether a missing HostKeyPath may be generated
	ContentDir      string // markdown and site.toml to serve instead of the embedded content
	LogFormat       string // text, json or logfmt
	LogLevel        string // debug, info, warn or error

	IdleTimeout        time.Duration // ends a session after this long without visitor input
	MaxSessionDuration time.Duration // ends any session after this long
	MaxSessionGrace    time.Duration // a connection still open this long after MaxSessionDuration is cut
	MaxSessions        int           // concurrent sessions in total
	MaxSessionsPerIP   int           // a source's share of sessions while the server is contended
	ContendedSessions  int           // open sessions from which each source is held to its share; 0: 3/4 of MaxSessions
	RateLimit          Rate          // per source: connections that did not become visits, earned back at this rate
	RateBurst          int           // per source: connections that may fail to become visits before RateLimit applies
	ShutdownTimeout    time.Duration // how long a shutdown waits for visitors to leave
	FrameRate          int           // frames per second each visitor's program may draw (README: Performance)
	SleepAfter         time.Duration // an unchanged screen with no input sleeps after this long; 0: never
	MemoryBudget       ByteSize      // the most interactive sessions may hold together, estimated from their sizes (budget.go); 0: no limit

	HTTPAddr      string         // /healthz and /metrics; empty: no HTTP listener
	ProxyProtocol string         // PROXY protocol header required first: off, v1, v2 or any
	ProxyTrusted  []netip.Prefix // the only sources allowed to connect when ProxyProtocol is on; empty: any
	LogMaskAddr   bool           // log client addresses as their IPv4 /24 or IPv6 /48

	// Hardening (see harden.go and server/guard).
	MaxWindow           WindowSize    // larger terminal sizes a client claims are clamped to this
	HandshakeTimeout    time.Duration // from accept to the client's KEXINIT
	LoginGrace          time.Duration // from accept to the end of the login, once the key exchange has begun
	NoSessionTimeout    time.Duration // a connection with no session open is closed after this long
	WriteTimeout        time.Duration // a connection whose write is blocked this long is dropped
	KeepaliveInterval   time.Duration // keepalive request interval; KeepaliveMissed unanswered in a row drop the peer
	ReadRate            ByteRate      // bytes per second read from one connection
	MaxStartups         int           // connections not yet logged in, in total
	ContendedStartups   int           // startups from which each source is held to MaxStartupsPerIP; 0: 1/4 of MaxStartups
	MaxStartupsPerIP    int           // a source's share of startups while the server is contended
	TimeoutPenalty      int           // budget tokens a source pays for a connection cut off by a handshake timeout
	MaxSources          int           // sources (addresses) whose budget is remembered; the least recent is forgotten
	KeepaliveMissed     int           // unanswered keepalives in a row that drop the peer
	ChannelsPerConn     int           // session channels one connection may have open at once
	ChannelsPerConnLife int           // session channels one connection may open in its life
	EnvPerSession       int           // env requests one session may make
	MaxEnvLength        ByteSize      // longest env request (name plus value)
	MaxTermLength       ByteSize      // longest TERM a pty-req may carry; longer ones are shortened
	MaxCommandLength    ByteSize      // longest exec request's command
	ReadBurst           ByteSize      // bytes one connection may read at once before ReadRate paces it
	ResizeInterval      time.Duration // resize storms are coalesced to one size per interval
	MaxAuthTries        int           // failed login attempts one connection may make
	RefusalLogInterval  time.Duration // a source's refusals at accept are logged at most once per interval

	Database       string        // empty: SQLite at data/portfolio.db; a postgres:// URL: PostgreSQL
	SMTPURL        string        // the owner's outgoing mail: replies to an email address are emailed too
	OwnerKeys      string        // authorized_keys lines, or a file of them: who logs in as "owner"; empty: nobody
	VisitRetention time.Duration // visit records older than this are deleted from the database
}

// Defaults returns the configuration used when no flag or environment variable is set.
func Defaults() Config {
	return Config{
		Addr:                ":23234",
		HostKeyPath:         ".ssh/portfolio_ed25519",
		HostKeyGenerate:     true,
		LogFormat:           "text",
		LogLevel:            "info",
		IdleTimeout:         10 * time.Minute,
		MaxSessionDuration:  time.Hour,
		MaxSessions:         200,
		MaxSessionsPerIP:    10,
		RateLimit:           Rate{Events: 2, Per: time.Second},
		RateBurst:           guard.DefaultRateBurst,
		ShutdownTimeout:     DefaultShutdownTimeout,
		FrameRate:           DefaultFrameRate,
		SleepAfter:          DefaultSleepAfter,
		ProxyProtocol:       "off",
		MaxWindow:           WindowSize{Width: guard.DefaultMaxWidth, Height: guard.DefaultMaxHeight},
		HandshakeTimeout:    DefaultHandshakeTimeout,
		LoginGrace:          guard.DefaultLoginGrace,
		NoSessionTimeout:    guard.DefaultNoSessionTimeout,
		WriteTimeout:        guard.DefaultWriteTimeout,
		KeepaliveInterval:   DefaultKeepaliveInterval,
		ReadRate:            DefaultReadRate,
		MaxStartups:         guard.DefaultMaxStartups,
		MaxStartupsPerIP:    guard.DefaultMaxStartupsPerSource,
		TimeoutPenalty:      guard.DefaultPenaltyTokens,
		MaxSources:          guard.DefaultMaxSources,
		KeepaliveMissed:     guard.DefaultKeepaliveMaxMissed,
		ChannelsPerConn:     guard.DefaultMaxSessions,
		ChannelsPerConnLife: guard.DefaultMaxSessionsTotal,
		MaxSessionGrace:     guard.DefaultMaxSessionGrace,
		EnvPerSession:       guard.DefaultMaxEnv,
		MaxEnvLength:        guard.DefaultMaxEnvBytes,
		MaxTermLength:       guard.DefaultMaxTermBytes,
		MaxCommandLength:    guard.DefaultMaxCommandBytes,
		ReadBurst:           guard.DefaultReadBurst,
		ResizeInterval:      guard.DefaultResizeInterval,
		MaxAuthTries:        guard.DefaultMaxAuthTries,
		RefusalLogInterval:  guard.DefaultRefusalLogInterval,
	}
}

// ProxyMode is the parsed ProxyProtocol setting.
func (c Config) ProxyMode() (frontproxy.Mode, error) {
	return frontproxy.ParseMode(c.ProxyProtocol)
}

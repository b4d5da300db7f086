package server

import (
	"net/netip"
	"time"

	"portfolio/server/frontproxy"
)

// DefaultShutdownTimeout is Config.ShutdownTimeout's default: how long a shutdown waits for
// visitors to leave after they have been told the server is restarting. Deployments size
// their kill timeout from the setting (fly.toml's kill_timeout must be longer, or the
// platform kills the process mid-goodbye; tools/deploy checks this).
const DefaultShutdownTimeout = 20 * time.Second

// frameRate is Bubble Tea's frame rate for every visitor. A key press reaches the screen on
// the next frame and the first frame waits for the first tick, so the rate sets latency;
// every awake program also wakes at this rate. 120 keeps keystroke-to-screen near 10 ms and
// the first frame within a frame of a bare server's; it costs about 0.5 ms of CPU per second
// only while a visitor is active, since idle screens sleep (sleepAfter).
const frameRate = 120

// sleepAfter is how long a visitor's screen must stay unchanged, with no key pressed and no
// resize, before its Bubble Tea program is put to sleep (server/screen): the program's frame
// ticker and cell buffers are what an idle visitor costs, and a sleeping session costs
// neither. The next key wakes a new program on the same screen within a frame, so no visitor
// can tell; 5 s is longer than any pause mid-animation.
const sleepAfter = 5 * time.Second

// Config is what an operator can set: one field per row of package config's settings table.
// Defaults returns the values used when nothing is set. A limit no operator would change is
// a constant in the package that enforces it (server/guard's limits.go, frameRate and
// sleepAfter above). Package config validates a Config against each setting's range; New
// assumes a validated Config (tests may use values outside those ranges, such as
// millisecond timeouts). Zero means what the field's comment says, nothing else.
type Config struct {
	Addr            string // TCP listen address
	HostKeyPath     string // Ed25519 private key file, generated once when missing
	HostKeyPEM      string // the private key's PEM text; wins over HostKeyPath
	HostKeyGenerate bool   // whether a missing HostKeyPath may be generated
	ContentDir      string // markdown and site.toml to serve instead of the embedded content; empty: the embedded content
	LogFormat       string // text, json or logfmt
	LogLevel        string // debug, info, warn or error
	LogMaskAddr     bool   // log client addresses as their IPv4 /24 or IPv6 /48

	IdleTimeout        time.Duration // ends a session after this long without visitor input
	MaxSessionDuration time.Duration // ends any session after this long
	MaxSessions        int           // concurrent sessions in total
	MaxSessionsPerIP   int           // a source's share of sessions while the server is contended
	ContendedSessions  int           // open sessions from which each source is held to its share; 0: 3/4 of MaxSessions
	RateLimit          Rate          // per source: connections that did not become visits, earned back at this rate
	MemoryBudget       ByteSize      // the most interactive sessions may hold together, estimated from their sizes (budget.go); 0: no limit
	ShutdownTimeout    time.Duration // how long a shutdown waits for visitors to leave

	HTTPAddr      string         // /healthz and /metrics; empty: no HTTP listener
	ProxyProtocol string         // PROXY protocol header required first: off, v1, v2 or any
	ProxyTrusted  []netip.Prefix // the only sources allowed to connect when ProxyProtocol is on; empty: any

	// Messages and the owner's console.
	Database       string        // empty: SQLite at data/portfolio.db; a path: SQLite there; a postgres:// or postgresql:// URL: PostgreSQL
	NotifyWebhook  string        // http(s) URL each new message is posted to; empty: none
	NotifySecret   string        // signs the webhook's body; empty: unsigned
	NotifyEmail    string        // address each new message is mailed to (through SMTPURL); empty: none
	SMTPURL        string        // smtp:// or smtps://user:password@host:port the mail goes through; empty: no mail
	OwnerKeys      string        // the owner's public keys: authorized_keys lines, or the path of such a file; empty: no owner
	VisitRetention time.Duration // visit records older than this are deleted
}

// Defaults returns the configuration used when no flag or environment variable is set.
func Defaults() Config {
	return Config{
		Addr:               ":23234",
		HostKeyPath:        ".ssh/portfolio_ed25519",
		HostKeyGenerate:    true,
		LogFormat:          "text",
		LogLevel:           "info",
		IdleTimeout:        10 * time.Minute,
		MaxSessionDuration: time.Hour,
		MaxSessions:        200,
		MaxSessionsPerIP:   10,
		RateLimit:          Rate{Events: 2, Per: time.Second},
		ShutdownTimeout:    DefaultShutdownTimeout,
		ProxyProtocol:      "off",
		VisitRetention:     90 * 24 * time.Hour,
	}
}

// ProxyMode is the parsed ProxyProtocol setting.
func (c Config) ProxyMode() (frontproxy.Mode, error) {
	return frontproxy.ParseMode(c.ProxyProtocol)
}

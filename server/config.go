package server

import (
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
	MaxSessions        int           // concurrent sessions in total
	MaxSessionsPerIP   int           // concurrent sessions per source address
	RateLimit          Rate          // new sessions per source address
	RateBurst          int           // sessions a source may open at once before RateLimit applies
	ShutdownTimeout    time.Duration // how long a shutdown waits for visitors to leave
	FrameRate          int           // frames per second each visitor's program may draw (README: Performance)
	SleepAfter         time.Duration // an unchanged screen with no input sleeps after this long; 0: never

	HTTPAddr      string // /healthz and /metrics; empty: no HTTP listener
	ProxyProtocol string // PROXY protocol header required first: off, v1, v2 or any
	ProxyTrusted  string // CIDRs or addresses allowed to connect when ProxyProtocol is on
	LogMaskAddr   bool   // log client addresses as their IPv4 /24 or IPv6 /48

	// Hardening (see harden.go and server/guard).
	MaxWindow         WindowSize    // larger terminal sizes a client claims are clamped to this
	HandshakeTimeout  time.Duration // from accept to the end of the SSH handshake
	KeepaliveInterval time.Duration // keepalive request interval; 3 unanswered drop the peer
	ReadRate          ByteRate      // bytes per second read from one connection
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
		RateBurst:          6,
		ShutdownTimeout:    DefaultShutdownTimeout,
		FrameRate:          DefaultFrameRate,
		SleepAfter:         DefaultSleepAfter,
		ProxyProtocol:      "off",
		MaxWindow:          WindowSize{Width: guard.DefaultMaxWidth, Height: guard.DefaultMaxHeight},
		HandshakeTimeout:   DefaultHandshakeTimeout,
		KeepaliveInterval:  DefaultKeepaliveInterval,
		ReadRate:           DefaultReadRate,
	}
}

// ProxyMode is the parsed ProxyProtocol setting.
func (c Config) ProxyMode() (frontproxy.Mode, error) {
	return frontproxy.ParseMode(c.ProxyProtocol)
}

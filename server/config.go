package server

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

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
// when nothing is set; Validate reports the first bad value by its setting name.
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
	MemoryBudget       ByteSize      // the most interactive sessions may hold together, estimated from their sizes (budget.go); 0: no limit

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

// LogFormats and LogLevels are the accepted spellings of LogFormat and LogLevel.
var (
	LogFormats = []string{"text", "json", "logfmt"}
	LogLevels  = []string{"debug", "info", "warn", "error"}
)

// Validate reports the first setting with a value the server cannot run with. The message
// names the environment variable (the flags carry the same name in lower case) and the value.
func (c Config) Validate() error {
	switch {
	case strings.TrimSpace(c.Addr) == "":
		return errors.New("PORTFOLIO_ADDR is empty: give a listen address such as :23234")
	case c.HostKeyPEM == "" && strings.TrimSpace(c.HostKeyPath) == "":
		return errors.New("PORTFOLIO_HOST_KEY_PATH is empty and PORTFOLIO_HOST_KEY is not set: the server needs a host key")
	case !contains(LogFormats, c.LogFormat):
		return fmt.Errorf("PORTFOLIO_LOG_FORMAT %q is not one of %s", c.LogFormat, strings.Join(LogFormats, ", "))
	case !contains(LogLevels, c.LogLevel):
		return fmt.Errorf("PORTFOLIO_LOG_LEVEL %q is not one of %s", c.LogLevel, strings.Join(LogLevels, ", "))
	case c.IdleTimeout <= 0:
		return fmt.Errorf("PORTFOLIO_IDLE_TIMEOUT %s must be positive", c.IdleTimeout)
	case c.MaxSessionDuration <= 0:
		return fmt.Errorf("PORTFOLIO_MAX_SESSION_DURATION %s must be positive", c.MaxSessionDuration)
	case c.MaxSessions < 1:
		return fmt.Errorf("PORTFOLIO_MAX_SESSIONS %d must be at least 1", c.MaxSessions)
	case c.MaxSessionsPerIP < 1:
		return fmt.Errorf("PORTFOLIO_MAX_SESSIONS_PER_IP %d must be at least 1", c.MaxSessionsPerIP)
	case c.MaxSessionsPerIP > c.MaxSessions:
		return fmt.Errorf("PORTFOLIO_MAX_SESSIONS_PER_IP %d is more than PORTFOLIO_MAX_SESSIONS %d", c.MaxSessionsPerIP, c.MaxSessions)
	case c.RateLimit.Events < 1 || c.RateLimit.Per <= 0:
		return fmt.Errorf("PORTFOLIO_RATE_LIMIT %q must be a positive count per a positive period, like 2/s", c.RateLimit.String())
	case c.RateBurst < 1:
		return fmt.Errorf("PORTFOLIO_RATE_BURST %d must be at least 1", c.RateBurst)
	case c.ShutdownTimeout <= 0:
		return fmt.Errorf("PORTFOLIO_SHUTDOWN_TIMEOUT %s must be positive", c.ShutdownTimeout)
	case c.FrameRate < 10 || c.FrameRate > 120:
		return fmt.Errorf("PORTFOLIO_FRAME_RATE %d must be from 10 to 120 frames per second", c.FrameRate)
	case c.SleepAfter < 0 || (c.SleepAfter > 0 && c.SleepAfter < 100*time.Millisecond):
		return fmt.Errorf("PORTFOLIO_SLEEP_AFTER %s must be 0 (never) or at least 100ms", c.SleepAfter)
	}
	if err := c.validateHardening(); err != nil {
		return err
	}
	if err := c.validateBudget(); err != nil {
		return err
	}
	return c.validateObservability()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Rate is a number of events per period, written like "2/s", "30/m" or "5/10s".
type Rate struct {
	Events int
	Per    time.Duration
}

// ParseRate reads a Rate written as COUNT/PERIOD, where PERIOD is s, m, h or a Go duration.
func ParseRate(s string) (Rate, error) {
	count, period, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want COUNT/PERIOD, like 2/s", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 {
		return Rate{}, fmt.Errorf("rate %q: count must be a whole number of at least 1", s)
	}
	var per time.Duration
	switch p := strings.TrimSpace(period); p {
	case "s", "sec", "second":
		per = time.Second
	case "m", "min", "minute":
		per = time.Minute
	case "h", "hour":
		per = time.Hour
	default:
		per, err = time.ParseDuration(p)
		if err != nil || per <= 0 {
			return Rate{}, fmt.Errorf("rate %q: period must be s, m, h or a positive duration like 10s", s)
		}
	}
	return Rate{Events: n, Per: per}, nil
}

// String writes the rate the way ParseRate reads it.
func (r Rate) String() string {
	switch r.Per {
	case time.Second:
		return strconv.Itoa(r.Events) + "/s"
	case time.Minute:
		return strconv.Itoa(r.Events) + "/m"
	case time.Hour:
		return strconv.Itoa(r.Events) + "/h"
	}
	return strconv.Itoa(r.Events) + "/" + r.Per.String()
}

// Set makes *Rate a flag.Value.
func (r *Rate) Set(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Limit converts the rate to the events-per-second form golang.org/x/time/rate uses.
func (r Rate) Limit() rate.Limit {
	if r.Per <= 0 {
		return rate.Inf
	}
	return rate.Limit(float64(r.Events) / r.Per.Seconds())
}

package config

import (
	"time"

	"portfolio/server"
	"portfolio/server/frontproxy"
)

// Setting is one row of the settings table: everything about one server.Config field that an
// operator can set. The flag, the --help entry, the README row, the default's text and the
// validation message are all derived from it.
type Setting struct {
	// Env is the environment variable: PORTFOLIO_ and the name in capitals. The flag is the
	// name in lower case with dashes: PORTFOLIO_MAX_SESSIONS_PER_IP is --max-sessions-per-ip.
	Env string
	// Usage says what the setting does, for --help and the README's table (`backticks` mark
	// literal text; --help drops them). The range is added from Value.
	Usage string
	// Value binds the row to its field; the field's value in server.Defaults() is the default.
	Value func(c *server.Config) Value
	// Unset is how an empty default reads ("off", "built-in content"); empty: the value itself.
	Unset string
	// Secret settings are environment-only (a flag would show the value in `ps`) and their
	// value is never printed.
	Secret bool
}

// Settings is the table, in the order --help and the README list it. To add a setting, add a
// field to server.Config with its default in server.Defaults, then one row here; run
// `go test ./config -update` to rewrite the README's table.
func Settings() []Setting {
	return []Setting{
		{Env: "PORTFOLIO_ADDR", Usage: "TCP address to listen on; the default listens on every interface (`127.0.0.1:23234`: this machine only)",
			Value: func(c *server.Config) Value { return ListenAddr(&c.Addr, false) }},
		{Env: "PORTFOLIO_HOST_KEY_PATH", Usage: "Ed25519 host key file; created once (mode 0600) when missing, never overwritten; a missing directory is made 0700, an existing one (the repository's `.ssh/`) keeps its mode",
			Value: func(c *server.Config) Value { return Text(&c.HostKeyPath, nil, "") }},
		{Env: "PORTFOLIO_HOST_KEY", Secret: true, Unset: "unset",
			Usage: "the host key's PEM text; wins over the path. How several machines share one key. Environment only, so the key never shows in `ps`",
			Value: func(c *server.Config) Value { return Text(&c.HostKeyPEM, nil, "") }},
		{Env: "PORTFOLIO_HOST_KEY_GENERATE", Usage: "create the key file when it is missing; `false` makes a missing key an error (the container image sets this)",
			Value: func(c *server.Config) Value { return Bool(&c.HostKeyGenerate) }},
		{Env: "PORTFOLIO_CONTENT_DIR", Unset: "built-in content", Usage: "directory with `site.toml` and `*.md` to serve instead of the built-in content",
			Value: func(c *server.Config) Value { return Text(&c.ContentDir, nil, "") }},
		{Env: "PORTFOLIO_LOG_FORMAT", Usage: "log format; `json` is one object per line",
			Value: func(c *server.Config) Value { return OneOf(&c.LogFormat, "text", "json", "logfmt") }},
		{Env: "PORTFOLIO_LOG_LEVEL", Usage: "lowest level logged",
			Value: func(c *server.Config) Value { return OneOf(&c.LogLevel, "debug", "info", "warn", "error") }},
		{Env: "PORTFOLIO_IDLE_TIMEOUT", Usage: "end a session after this long without visitor input (the UI's own output does not count)",
			Value: func(c *server.Config) Value { return Duration(&c.IdleTimeout, 10*time.Second, 24*time.Hour) }},
		{Env: "PORTFOLIO_MAX_SESSION_DURATION", Usage: "end any session after this long",
			Value: func(c *server.Config) Value { return Duration(&c.MaxSessionDuration, time.Minute, 24*time.Hour) }},
		{Env: "PORTFOLIO_MAX_SESSION_GRACE", Usage: "cut a connection still open this long after `PORTFOLIO_MAX_SESSION_DURATION` ended its session with a goodbye: a backstop",
			Value: func(c *server.Config) Value { return Duration(&c.MaxSessionGrace, time.Second, time.Hour) }},
		{Env: "PORTFOLIO_MAX_SESSIONS", Usage: "concurrent sessions in total (fly.toml sets 500 for a 1 GB VM)",
			Value: func(c *server.Config) Value { return Int(&c.MaxSessions, 1, 100_000) }},
		{Env: "PORTFOLIO_MAX_SESSIONS_PER_IP", Usage: "a source address's (IPv4 address or IPv6 /64) share of sessions once the server is contended (`PORTFOLIO_CONTENDED_SESSIONS`); below that a source may open more (see Hardening); at most `PORTFOLIO_MAX_SESSIONS`",
			Value: func(c *server.Config) Value { return Int(&c.MaxSessionsPerIP, 1, 100_000) }},
		{Env: "PORTFOLIO_CONTENDED_SESSIONS", Usage: "open sessions from which each source is held to its share; from `PORTFOLIO_MAX_SESSIONS_PER_IP` to `PORTFOLIO_MAX_SESSIONS`",
			Value: func(c *server.Config) Value {
				return IntOrAuto(&c.ContendedSessions, "three quarters of PORTFOLIO_MAX_SESSIONS", 1, 100_000)
			}},
		{Env: "PORTFOLIO_RATE_LIMIT", Usage: "per source, how fast connections that did not become visits (scans, abandoned or failed handshakes, no session) are forgiven, checked when the TCP connection is accepted, before the SSH handshake; visits cost nothing: `COUNT/PERIOD`, period `s`, `m`, `h` or a duration (`5/10s`)",
			Value: func(c *server.Config) Value {
				return Rate(&c.RateLimit, server.Rate{Events: 1, Per: time.Hour}, server.Rate{Events: 100_000, Per: time.Second})
			}},
		{Env: "PORTFOLIO_RATE_BURST", Usage: "connections a source may open that do not become visits before the rate applies",
			Value: func(c *server.Config) Value { return Int(&c.RateBurst, 1, 100_000) }},
		{Env: "PORTFOLIO_MAX_STARTUPS", Usage: "connections not yet logged in, in total (OpenSSH's MaxStartups \"full\")",
			Value: func(c *server.Config) Value { return Int(&c.MaxStartups, 1, 1<<16) }},
		{Env: "PORTFOLIO_CONTENDED_STARTUPS", Usage: "connections not yet logged in from which each source is held to `PORTFOLIO_MAX_STARTUPS_PER_IP` (MaxStartups \"start\"); from `PORTFOLIO_MAX_STARTUPS_PER_IP` to `PORTFOLIO_MAX_STARTUPS`",
			Value: func(c *server.Config) Value {
				return IntOrAuto(&c.ContendedStartups, "a quarter of PORTFOLIO_MAX_STARTUPS", 1, 1<<16)
			}},
		{Env: "PORTFOLIO_MAX_STARTUPS_PER_IP", Usage: "a source's share of connections not yet logged in once the server is contended; at most `PORTFOLIO_MAX_STARTUPS`",
			Value: func(c *server.Config) Value { return Int(&c.MaxStartupsPerIP, 1, 1<<16) }},
		{Env: "PORTFOLIO_TIMEOUT_PENALTY", Usage: "extra connections charged to a source's budget for one cut off by the handshake timeout or the login grace (`0`: none; a source's debt is capped at one burst, so any value fits any `PORTFOLIO_RATE_BURST`)",
			Value: func(c *server.Config) Value { return Int(&c.TimeoutPenalty, 0, 100) }},
		// An entry is ~200 bytes: 1<<20 sources are ~200 MB.
		{Env: "PORTFOLIO_MAX_SOURCES", Usage: "source addresses remembered (budget, refusal log), least recently seen forgotten first",
			Value: func(c *server.Config) Value { return Int(&c.MaxSources, 1<<10, 1<<20) }},
		{Env: "PORTFOLIO_MAX_WINDOW", Usage: "largest terminal size served, `COLUMNSxROWS`; bigger claims are clamped, which bounds each session's memory",
			Value: func(c *server.Config) Value {
				return Window(&c.MaxWindow, server.WindowSize{Width: 40, Height: 10}, server.WindowSize{Width: 1000, Height: 1000})
			}},
		{Env: "PORTFOLIO_HANDSHAKE_TIMEOUT", Usage: "close a connection that has not begun the key exchange (sent its KEXINIT) by then",
			Value: func(c *server.Config) Value { return Duration(&c.HandshakeTimeout, time.Second, 10*time.Minute) }},
		{Env: "PORTFOLIO_LOGIN_GRACE", Usage: "close a connection that has begun the key exchange but not logged in by then: time to read the host-key prompt (OpenSSH's LoginGraceTime); at least `PORTFOLIO_HANDSHAKE_TIMEOUT`",
			Value: func(c *server.Config) Value { return Duration(&c.LoginGrace, time.Second, 10*time.Minute) }},
		{Env: "PORTFOLIO_NO_SESSION_TIMEOUT", Usage: "close a connection with no session open for this long",
			Value: func(c *server.Config) Value { return Duration(&c.NoSessionTimeout, time.Second, time.Hour) }},
		{Env: "PORTFOLIO_WRITE_TIMEOUT", Usage: "drop a connection when one write to it has been blocked this long: a client that stopped reading",
			Value: func(c *server.Config) Value { return Duration(&c.WriteTimeout, time.Second, 10*time.Minute) }},
		{Env: "PORTFOLIO_KEEPALIVE_INTERVAL", Usage: "send `keepalive@openssh.com` this often; a client that misses `PORTFOLIO_KEEPALIVE_MAX_MISSED` in a row is dropped",
			Value: func(c *server.Config) Value { return Duration(&c.KeepaliveInterval, time.Second, time.Hour) }},
		{Env: "PORTFOLIO_KEEPALIVE_MAX_MISSED", Usage: "unanswered keepalives in a row that drop a client",
			Value: func(c *server.Config) Value { return Int(&c.KeepaliveMissed, 1, 10) }},
		{Env: "PORTFOLIO_SESSIONS_PER_CONNECTION", Usage: "session channels one connection may have open at once",
			Value: func(c *server.Config) Value { return Int(&c.ChannelsPerConn, 1, 10) }},
		{Env: "PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL", Usage: "session channels one connection may open in its life; at least `PORTFOLIO_SESSIONS_PER_CONNECTION`",
			Value: func(c *server.Config) Value { return Int(&c.ChannelsPerConnLife, 1, 1000) }},
		{Env: "PORTFOLIO_MAX_AUTH_TRIES", Usage: "failed login attempts (a password, a bad signature) one connection may make before it is cut (OpenSSH's MaxAuthTries); the anonymous logins succeed at the first try",
			Value: func(c *server.Config) Value { return Int(&c.MaxAuthTries, 1, 20) }},
		{Env: "PORTFOLIO_ENV_PER_SESSION", Usage: "env requests one session may make; later ones are refused",
			Value: func(c *server.Config) Value { return Int(&c.EnvPerSession, 1, 256) }},
		{Env: "PORTFOLIO_MAX_ENV_LENGTH", Usage: "longest env request, name plus value; longer ones are refused",
			Value: func(c *server.Config) Value { return Bytes(&c.MaxEnvLength, 64, 64<<10) }},
		{Env: "PORTFOLIO_MAX_TERM_LENGTH", Usage: "longest `TERM` a pty-req may carry; a longer one is shortened",
			Value: func(c *server.Config) Value { return Bytes(&c.MaxTermLength, 16, 1<<10) }},
		{Env: "PORTFOLIO_MAX_COMMAND_LENGTH", Usage: "longest command an exec request (`ssh host projects`) may carry; a longer one is refused",
			Value: func(c *server.Config) Value { return Bytes(&c.MaxCommandLength, 64, 64<<10) }},
		{Env: "PORTFOLIO_READ_RATE", Usage: "bytes per second read from one connection (`65536`, `64KiB`, `1MiB`)",
			Value: func(c *server.Config) Value { return ByteRate(&c.ReadRate, 4<<10, 1<<30) }},
		{Env: "PORTFOLIO_READ_BURST", Usage: "bytes one connection may read at once before `PORTFOLIO_READ_RATE` paces it: one read's buffer",
			Value: func(c *server.Config) Value { return Bytes(&c.ReadBurst, 4<<10, 16<<20) }},
		{Env: "PORTFOLIO_RESIZE_INTERVAL", Usage: "window sizes a visitor's terminal sends faster than this are coalesced: one size per interval, the last one always applied",
			Value: func(c *server.Config) Value { return Duration(&c.ResizeInterval, time.Millisecond, time.Second) }},
		{Env: "PORTFOLIO_FRAME_RATE", Usage: "frames per second each visitor's screen may be redrawn: a key shows on the next frame, and an awake program wakes at this rate until its screen sleeps (see Performance)",
			Value: func(c *server.Config) Value { return Int(&c.FrameRate, 10, 120) }},
		{Env: "PORTFOLIO_SLEEP_AFTER", Usage: "put a visitor's program to sleep once their screen has not changed and they have not typed or resized for this long: no frame ticker, no screen buffers, the screen stays as it was; the next key wakes a new program within a frame (see Performance)",
			Value: func(c *server.Config) Value {
				return DurationOrOff(&c.SleepAfter, "never", 100*time.Millisecond, 24*time.Hour)
			}},
		{Env: "PORTFOLIO_MEMORY_BUDGET", Usage: "the most memory interactive sessions may hold together (`640MiB`), each estimated from its window's size: a visitor who would exceed it is served at a smaller size that fits, or told the server is full; at least one 80x24 session (see Hardening)",
			Value: func(c *server.Config) Value {
				return BytesOrOff(&c.MemoryBudget, "no limit", server.MinMemoryBudget, 1<<40)
			}},
		{Env: "PORTFOLIO_SHUTDOWN_TIMEOUT", Usage: "on SIGTERM, how long to wait for visitors to leave after telling them; the platform's kill timeout must be longer (fly.toml: 30s)",
			Value: func(c *server.Config) Value { return Duration(&c.ShutdownTimeout, time.Second, time.Hour) }},
		{Env: "PORTFOLIO_HTTP_ADDR", Unset: "off", Usage: "address for `/healthz` and `/metrics` (Prometheus), like `:9091`; keep it private",
			Value: func(c *server.Config) Value { return ListenAddr(&c.HTTPAddr, true) }},
		{Env: "PORTFOLIO_PROXY_PROTOCOL", Usage: "require a PROXY protocol header from a front proxy (see PROXY protocol)",
			Value: func(c *server.Config) Value {
				return Text(&c.ProxyProtocol, func(s string) error { _, err := frontproxy.ParseMode(s); return err }, "`off`, `v1`, `v2` or `any`")
			}},
		{Env: "PORTFOLIO_PROXY_TRUSTED", Unset: "any source", Usage: "with the PROXY protocol on, the only source CIDRs or addresses allowed to connect, comma-separated",
			Value: func(c *server.Config) Value { return Prefixes(&c.ProxyTrusted, frontproxy.ParseTrusted) }},
		{Env: "PORTFOLIO_REFUSAL_LOG_INTERVAL", Usage: "log a source's connections refused at accept at most once per interval, with the count of those not logged since",
			Value: func(c *server.Config) Value { return Duration(&c.RefusalLogInterval, time.Second, 24*time.Hour) }},
		{Env: "PORTFOLIO_LOG_MASK_ADDR", Usage: "log client addresses as their IPv4 /24 or IPv6 /48 network (limits still use the full address)",
			Value: func(c *server.Config) Value { return Bool(&c.LogMaskAddr) }},
	}
}

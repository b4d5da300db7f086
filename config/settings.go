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

// Settings is the table, in the order --help and the README list it. Adding a setting touches
// two places: a field of server.Config (with its default in server.Defaults) and one row
// here; `go test ./config -update` then rewrites the README's table. A limit no operator
// would change is not a setting: it is a constant, with its reason, in the package that
// enforces it.
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
		{Env: "PORTFOLIO_LOG_MASK_ADDR", Usage: "log client addresses as their IPv4 /24 or IPv6 /48 network (limits still use the full address)",
			Value: func(c *server.Config) Value { return Bool(&c.LogMaskAddr) }},
		{Env: "PORTFOLIO_IDLE_TIMEOUT", Usage: "end a session after this long without visitor input (the UI's own output does not count)",
			Value: func(c *server.Config) Value { return Duration(&c.IdleTimeout, 10*time.Second, 24*time.Hour) }},
		{Env: "PORTFOLIO_MAX_SESSION_DURATION", Usage: "end any session after this long",
			Value: func(c *server.Config) Value { return Duration(&c.MaxSessionDuration, time.Minute, 24*time.Hour) }},
		{Env: "PORTFOLIO_MAX_SESSIONS", Usage: "concurrent sessions in total (fly.toml sets 500 for a 1 GB VM)",
			Value: func(c *server.Config) Value { return Int(&c.MaxSessions, 1, 100_000) }},
		{Env: "PORTFOLIO_MAX_SESSIONS_PER_IP", Usage: "a source address's (IPv4 address or IPv6 /64) share of sessions once the server is contended (`PORTFOLIO_CONTENDED_SESSIONS`); below that a source may open more (see Hardening); at most `PORTFOLIO_MAX_SESSIONS`",
			Value: func(c *server.Config) Value { return Int(&c.MaxSessionsPerIP, 1, 100_000) }},
		{Env: "PORTFOLIO_CONTENDED_SESSIONS", Usage: "open sessions from which each source is held to its share; from `PORTFOLIO_MAX_SESSIONS_PER_IP` to `PORTFOLIO_MAX_SESSIONS`",
			Value: func(c *server.Config) Value {
				return IntOrAuto(&c.ContendedSessions, "three quarters of PORTFOLIO_MAX_SESSIONS", 1, 100_000)
			}},
		{Env: "PORTFOLIO_RATE_LIMIT", Usage: "per source, how fast connections that did not become visits (scans, abandoned or failed handshakes, no session) are forgiven, checked when the TCP connection is accepted, before the SSH handshake; visits cost nothing: `COUNT/PERIOD`, period `s`, `m`, `h` or a duration (`5/10s`); a source may first spend 64 (see Hardening)",
			Value: func(c *server.Config) Value {
				return Rate(&c.RateLimit, server.Rate{Events: 1, Per: time.Hour}, server.Rate{Events: 100_000, Per: time.Second})
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
		{Env: "PORTFOLIO_DATABASE", Unset: "SQLite at `data/portfolio.db`",
			Usage: "where messages, replies and visits are kept: a file path (SQLite there), or a `postgres://` or `postgresql://` URL (PostgreSQL; several machines share it)",
			Value: func(c *server.Config) Value { return Text(&c.Database, checkDatabase, "") }},
		{Env: "PORTFOLIO_NOTIFY_WEBHOOK", Unset: "none", Usage: "an `http://` or `https://` URL each new message is posted to",
			Value: func(c *server.Config) Value { return Text(&c.NotifyWebhook, checkWebhook, "") }},
		{Env: "PORTFOLIO_NOTIFY_SECRET", Secret: true, Unset: "unsigned",
			Usage: "signs each webhook post, so the receiver can tell it came from this server. Environment only",
			Value: func(c *server.Config) Value { return Text(&c.NotifySecret, nil, "") }},
		{Env: "PORTFOLIO_NOTIFY_EMAIL", Unset: "none", Usage: "an address each new message is mailed to, through `PORTFOLIO_SMTP_URL`",
			Value: func(c *server.Config) Value { return Text(&c.NotifyEmail, checkEmail, "") }},
		{Env: "PORTFOLIO_SMTP_URL", Secret: true, Unset: "no mail",
			Usage: "the mail server, `smtps://USER:PASSWORD@HOST:465` or `smtp://USER:PASSWORD@HOST:587` (STARTTLS). Environment only: it holds a password",
			Value: func(c *server.Config) Value { return Text(&c.SMTPURL, checkSMTP, "") }},
		{Env: "PORTFOLIO_OWNER_KEYS", Unset: "no owner",
			Usage: "the owner's public keys, as `authorized_keys` lines or the path of such a file: a login with one of them opens the owner's console instead of the portfolio",
			Value: func(c *server.Config) Value { return Text(&c.OwnerKeys, nil, "") }},
		{Env: "PORTFOLIO_VISIT_RETENTION", Usage: "how long a visit's record (when, how long, what was read) is kept",
			Value: func(c *server.Config) Value { return Duration(&c.VisitRetention, time.Hour, 10*365*24*time.Hour) }},
	}
}

package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"portfolio/server"
)

// setting ties a flag to its environment variable. Every setting has both, except the host
// key's PEM text, which is environment-only: a flag would show the private key in `ps`.
type setting struct {
	flag, env, usage string
}

var settings = []setting{
	{"addr", "PORTFOLIO_ADDR", "TCP address to listen on"},
	{"host-key-path", "PORTFOLIO_HOST_KEY_PATH", "Ed25519 host key file, created once (0600) when missing"},
	{"", "PORTFOLIO_HOST_KEY", "the host key's PEM text; wins over the path (environment only: keeps the key out of `ps`)"},
	{"host-key-generate", "PORTFOLIO_HOST_KEY_GENERATE", "create the host key file when it is missing (false: a missing key is an error)"},
	{"content-dir", "PORTFOLIO_CONTENT_DIR", "directory with site.toml and *.md to serve instead of the built-in content"},
	{"log-format", "PORTFOLIO_LOG_FORMAT", "log format: " + strings.Join(server.LogFormats, ", ")},
	{"log-level", "PORTFOLIO_LOG_LEVEL", "log level: " + strings.Join(server.LogLevels, ", ")},
	{"idle-timeout", "PORTFOLIO_IDLE_TIMEOUT", "end a session after this long without a key press"},
	{"max-session-duration", "PORTFOLIO_MAX_SESSION_DURATION", "end any session after this long"},
	{"max-sessions", "PORTFOLIO_MAX_SESSIONS", "concurrent sessions in total"},
	{"max-sessions-per-ip", "PORTFOLIO_MAX_SESSIONS_PER_IP", "a source address's share of sessions while the server is contended (see --contended-sessions); below that a source may open more"},
	{"contended-sessions", "PORTFOLIO_CONTENDED_SESSIONS", "open sessions from which each source is held to its share; 0: three quarters of --max-sessions"},
	{"rate-limit", "PORTFOLIO_RATE_LIMIT", "per source (IPv4 address or IPv6 /64), how fast connections that did not become visits (scans, abandoned or failed handshakes, no session) are forgiven, like 1/s or 30/m; checked when a connection is accepted, before the SSH handshake; visits cost nothing"},
	{"rate-burst", "PORTFOLIO_RATE_BURST", "connections a source may open that do not become visits before the rate limit applies"},
	{"max-startups", "PORTFOLIO_MAX_STARTUPS", "connections not yet logged in, in total (OpenSSH's MaxStartups)"},
	{"contended-startups", "PORTFOLIO_CONTENDED_STARTUPS", "connections not yet logged in from which each source is held to --max-startups-per-ip; 0: a quarter of --max-startups"},
	{"max-startups-per-ip", "PORTFOLIO_MAX_STARTUPS_PER_IP", "a source's share of connections not yet logged in while the server is contended"},
	{"max-sources", "PORTFOLIO_MAX_SOURCES", "source addresses whose budget and refusal log are remembered; the least recently seen is forgotten first"},
	{"timeout-penalty", "PORTFOLIO_TIMEOUT_PENALTY", "extra connections charged to a source's budget when one of its connections is cut off by the handshake timeout or the login grace (0: none)"},
	{"max-window", "PORTFOLIO_MAX_WINDOW", "largest terminal size served, COLUMNSxROWS; bigger claims are clamped (bounds each session's memory)"},
	{"handshake-timeout", "PORTFOLIO_HANDSHAKE_TIMEOUT", "close a connection that has not begun the SSH key exchange after this long"},
	{"login-grace", "PORTFOLIO_LOGIN_GRACE", "close a connection that has not logged in after this long once its key exchange has begun (time to read the host-key prompt; OpenSSH's LoginGraceTime)"},
	{"no-session-timeout", "PORTFOLIO_NO_SESSION_TIMEOUT", "close a connection that has no session open for this long"},
	{"write-timeout", "PORTFOLIO_WRITE_TIMEOUT", "drop a connection when one write to it has been blocked this long (a client that stopped reading)"},
	{"keepalive-interval", "PORTFOLIO_KEEPALIVE_INTERVAL", "send a keepalive this often; a client that misses --keepalive-max-missed in a row is dropped"},
	{"keepalive-max-missed", "PORTFOLIO_KEEPALIVE_MAX_MISSED", "unanswered keepalives in a row that drop a client (1-10)"},
	{"sessions-per-connection", "PORTFOLIO_SESSIONS_PER_CONNECTION", "session channels one connection may have open at once (1-10)"},
	{"read-rate", "PORTFOLIO_READ_RATE", "bytes per second read from one connection, like 64KiB"},
	{"frame-rate", "PORTFOLIO_FRAME_RATE", "frames per second each visitor's screen may be redrawn (10-120): higher answers keys sooner, lower costs less CPU per idle visitor"},
	{"sleep-after", "PORTFOLIO_SLEEP_AFTER", "put a visitor's program to sleep after this long with an unchanged screen and no key pressed (no frame ticker, no screen buffers; the next key wakes it); 0: never"},
	{"shutdown-timeout", "PORTFOLIO_SHUTDOWN_TIMEOUT", "on SIGTERM, how long to wait for visitors to leave after telling them (keep the platform's kill timeout longer)"},
	{"http-addr", "PORTFOLIO_HTTP_ADDR", "address for /healthz and /metrics (Prometheus), like :9091; empty: off"},
	{"proxy-protocol", "PORTFOLIO_PROXY_PROTOCOL", "require a PROXY protocol header from a front proxy: off, v1, v2 or any"},
	{"proxy-trusted", "PORTFOLIO_PROXY_TRUSTED", "with the PROXY protocol on, the only source CIDRs or addresses allowed to connect (comma-separated; empty: any)"},
	{"log-mask-addr", "PORTFOLIO_LOG_MASK_ADDR", "log client addresses masked to their IPv4 /24 or IPv6 /48"},
}

// newFlagSet binds cfg's fields to flags whose defaults are cfg's current values.
func newFlagSet(cfg *server.Config, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("portfolio", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "")
	fs.StringVar(&cfg.HostKeyPath, "host-key-path", cfg.HostKeyPath, "")
	fs.BoolVar(&cfg.HostKeyGenerate, "host-key-generate", cfg.HostKeyGenerate, "")
	fs.StringVar(&cfg.ContentDir, "content-dir", cfg.ContentDir, "")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", cfg.IdleTimeout, "")
	fs.DurationVar(&cfg.MaxSessionDuration, "max-session-duration", cfg.MaxSessionDuration, "")
	fs.IntVar(&cfg.MaxSessions, "max-sessions", cfg.MaxSessions, "")
	fs.IntVar(&cfg.MaxSessionsPerIP, "max-sessions-per-ip", cfg.MaxSessionsPerIP, "")
	fs.IntVar(&cfg.ContendedSessions, "contended-sessions", cfg.ContendedSessions, "")
	fs.Var(&cfg.RateLimit, "rate-limit", "")
	fs.IntVar(&cfg.RateBurst, "rate-burst", cfg.RateBurst, "")
	fs.IntVar(&cfg.MaxStartups, "max-startups", cfg.MaxStartups, "")
	fs.IntVar(&cfg.ContendedStartups, "contended-startups", cfg.ContendedStartups, "")
	fs.IntVar(&cfg.MaxStartupsPerIP, "max-startups-per-ip", cfg.MaxStartupsPerIP, "")
	fs.IntVar(&cfg.MaxSources, "max-sources", cfg.MaxSources, "")
	fs.IntVar(&cfg.TimeoutPenalty, "timeout-penalty", cfg.TimeoutPenalty, "")
	fs.Var(&cfg.MaxWindow, "max-window", "")
	fs.DurationVar(&cfg.HandshakeTimeout, "handshake-timeout", cfg.HandshakeTimeout, "")
	fs.DurationVar(&cfg.LoginGrace, "login-grace", cfg.LoginGrace, "")
	fs.DurationVar(&cfg.NoSessionTimeout, "no-session-timeout", cfg.NoSessionTimeout, "")
	fs.DurationVar(&cfg.WriteTimeout, "write-timeout", cfg.WriteTimeout, "")
	fs.DurationVar(&cfg.KeepaliveInterval, "keepalive-interval", cfg.KeepaliveInterval, "")
	fs.IntVar(&cfg.KeepaliveMissed, "keepalive-max-missed", cfg.KeepaliveMissed, "")
	fs.IntVar(&cfg.ChannelsPerConn, "sessions-per-connection", cfg.ChannelsPerConn, "")
	fs.Var(&cfg.ReadRate, "read-rate", "")
	fs.IntVar(&cfg.FrameRate, "frame-rate", cfg.FrameRate, "")
	fs.DurationVar(&cfg.SleepAfter, "sleep-after", cfg.SleepAfter, "")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", cfg.ShutdownTimeout, "")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", cfg.HTTPAddr, "")
	fs.StringVar(&cfg.ProxyProtocol, "proxy-protocol", cfg.ProxyProtocol, "")
	fs.StringVar(&cfg.ProxyTrusted, "proxy-trusted", cfg.ProxyTrusted, "")
	fs.BoolVar(&cfg.LogMaskAddr, "log-mask-addr", cfg.LogMaskAddr, "")
	fs.Usage = func() { usage(out, fs) }
	return fs
}

// parseConfig reads the configuration: a flag beats its environment variable, which beats
// the default. Errors name the flag or variable and the bad value; Validate then checks
// values that parse but make no sense.
func parseConfig(args []string, getenv func(string) (string, bool), out io.Writer) (server.Config, []string, error) {
	cfg := server.Defaults()
	fs := newFlagSet(&cfg, out)
	if err := fs.Parse(args); err != nil {
		return cfg, nil, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, st := range settings {
		val, ok := getenv(st.env)
		if !ok || st.flag == "" || given[st.flag] {
			continue
		}
		if err := fs.Set(st.flag, val); err != nil {
			return cfg, nil, fmt.Errorf("%s=%q: %w", st.env, val, err)
		}
	}
	if pem, ok := getenv("PORTFOLIO_HOST_KEY"); ok {
		cfg.HostKeyPEM = pem
	}
	return cfg, fs.Args(), cfg.Validate()
}

// usage prints every setting with its flag, variable and default.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `portfolio serves a personal portfolio over SSH.

Usage:
  portfolio [flags]                   serve (visitors run: ssh -p PORT HOST)
  portfolio preview [flags] [SECTION]  show the portfolio in this terminal, no SSH
  portfolio stats [FILE]               summarise a JSON visitor log (stdin when no FILE;
                                       also what `+"`fly logs --json`"+` prints)

Every flag can also be set with its environment variable; a flag beats the variable,
which beats the default.

`)
	for _, st := range settings {
		name := "(no flag)"
		def := ""
		if st.flag != "" {
			name = "--" + st.flag
			if f := fs.Lookup(st.flag); f != nil && f.DefValue != "" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		fmt.Fprintf(w, "  %-24s %s\n      %s%s\n", name, st.env, st.usage, def)
	}
}

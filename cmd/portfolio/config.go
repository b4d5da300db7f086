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
	{"max-sessions-per-ip", "PORTFOLIO_MAX_SESSIONS_PER_IP", "concurrent sessions per source address"},
	{"rate-limit", "PORTFOLIO_RATE_LIMIT", "new connections per source (IPv4 address or IPv6 /64), like 2/s or 30/m; checked when the connection is accepted, before the SSH handshake"},
	{"rate-burst", "PORTFOLIO_RATE_BURST", "connections a source may open at once before the rate limit applies"},
	{"max-window", "PORTFOLIO_MAX_WINDOW", "largest terminal size served, COLUMNSxROWS; bigger claims are clamped (bounds each session's memory)"},
	{"handshake-timeout", "PORTFOLIO_HANDSHAKE_TIMEOUT", "close a connection that has not finished the SSH handshake after this long"},
	{"keepalive-interval", "PORTFOLIO_KEEPALIVE_INTERVAL", "send a keepalive this often; a client that misses 3 in a row is dropped"},
	{"read-rate", "PORTFOLIO_READ_RATE", "bytes per second read from one connection, like 64KiB"},
	{"memory-budget", "PORTFOLIO_MEMORY_BUDGET", "the most memory interactive sessions may hold together, like 640MiB, estimated from each window's size; a visitor who would exceed it is served smaller or told the server is full; 0: no limit"},
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
	fs.Var(&cfg.RateLimit, "rate-limit", "")
	fs.IntVar(&cfg.RateBurst, "rate-burst", cfg.RateBurst, "")
	fs.Var(&cfg.MaxWindow, "max-window", "")
	fs.DurationVar(&cfg.HandshakeTimeout, "handshake-timeout", cfg.HandshakeTimeout, "")
	fs.DurationVar(&cfg.KeepaliveInterval, "keepalive-interval", cfg.KeepaliveInterval, "")
	fs.Var(&cfg.ReadRate, "read-rate", "")
	fs.Var(&cfg.MemoryBudget, "memory-budget", "")
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

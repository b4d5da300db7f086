package config

import (
	"net/netip"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"portfolio/server"
)

func environ(vars map[string]string) []string {
	var out []string
	for k, v := range vars {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestLoad is the one table of the settings' parsing and validation: each case is flags and
// environment variables, and either the message they must produce (whole, so that it names
// the flag or variable the value came from, the value and the range) or a check of the
// Config they must produce.
func TestLoad(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		err  string                   // the whole message; empty: no error
		ok   func(server.Config) bool // checked when err is empty
	}{
		// Precedence: flag, then variable, then default.
		{name: "defaults", ok: func(c server.Config) bool { return reflect.DeepEqual(c, server.Defaults()) }},
		{name: "env beats default", env: map[string]string{"PORTFOLIO_ADDR": ":2222", "PORTFOLIO_IDLE_TIMEOUT": "90s"},
			ok: func(c server.Config) bool { return c.Addr == ":2222" && c.IdleTimeout == 90*time.Second }},
		{name: "flag beats env", args: []string{"--addr", ":3333", "-rate-limit=5/m"},
			env: map[string]string{"PORTFOLIO_ADDR": ":2222", "PORTFOLIO_RATE_LIMIT": "1/s"},
			ok: func(c server.Config) bool {
				return c.Addr == ":3333" && c.RateLimit == server.Rate{Events: 5, Per: time.Minute}
			}},
		// The edges of the admission ranges that are allowed.
		{name: "every variable", env: map[string]string{
			"PORTFOLIO_HOST_KEY_PATH": "/k", "PORTFOLIO_HOST_KEY_GENERATE": "false", "PORTFOLIO_CONTENT_DIR": "/c",
			"PORTFOLIO_LOG_FORMAT": "json", "PORTFOLIO_LOG_LEVEL": "debug", "PORTFOLIO_MAX_SESSION_DURATION": "2h",
			"PORTFOLIO_MAX_SESSIONS": "50", "PORTFOLIO_MAX_SESSIONS_PER_IP": "3", "PORTFOLIO_CONTENDED_SESSIONS": "40",
			"PORTFOLIO_HOST_KEY": "pem", "PORTFOLIO_SHUTDOWN_TIMEOUT": "45s", "PORTFOLIO_HTTP_ADDR": ":9091",
			"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_PROXY_TRUSTED": "10.0.0.0/8, fdaa::/16 172.16.0.1", "PORTFOLIO_LOG_MASK_ADDR": "true",
			"PORTFOLIO_MEMORY_BUDGET": "640MiB", "PORTFOLIO_DATABASE": "postgres://u:p@db/portfolio",
			"PORTFOLIO_NOTIFY_WEBHOOK": "https://hooks.example.org/x", "PORTFOLIO_NOTIFY_SECRET": "s3",
			"PORTFOLIO_NOTIFY_EMAIL": "me@example.org", "PORTFOLIO_SMTP_URL": "smtps://me:pw@mail.example.org:465",
			"PORTFOLIO_OWNER_KEYS": "/keys", "PORTFOLIO_VISIT_RETENTION": "720h",
		}, ok: func(c server.Config) bool {
			return c.HostKeyPath == "/k" && !c.HostKeyGenerate && c.ContentDir == "/c" && c.LogFormat == "json" &&
				c.LogLevel == "debug" && c.MaxSessionDuration == 2*time.Hour && c.MaxSessions == 50 &&
				c.MaxSessionsPerIP == 3 && c.ContendedSessions == 40 && c.HostKeyPEM == "pem" &&
				c.ShutdownTimeout == 45*time.Second && c.HTTPAddr == ":9091" && c.ProxyProtocol == "v2" &&
				slices.Equal(c.ProxyTrusted, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fdaa::/16"),
					netip.MustParsePrefix("172.16.0.1/32")}) && c.LogMaskAddr && c.MemoryBudget == 640<<20 &&
				c.Database == "postgres://u:p@db/portfolio" && c.NotifyWebhook == "https://hooks.example.org/x" &&
				c.NotifySecret == "s3" && c.NotifyEmail == "me@example.org" && c.SMTPURL == "smtps://me:pw@mail.example.org:465" &&
				c.OwnerKeys == "/keys" && c.VisitRetention == 720*time.Hour
		}},
		{name: "flags of every kind", args: []string{"--proxy-protocol", "v1", "--http-addr", "127.0.0.1:9100", "--shutdown-timeout", "5s",
			"--log-mask-addr", "--database", "data/other.db", "--visit-retention", "24h"},
			env: map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_HTTP_ADDR": ":9091", "PORTFOLIO_LOG_MASK_ADDR": "false"},
			ok: func(c server.Config) bool {
				return c.ProxyProtocol == "v1" && c.HTTPAddr == "127.0.0.1:9100" && c.ShutdownTimeout == 5*time.Second &&
					c.LogMaskAddr && c.Database == "data/other.db" && c.VisitRetention == 24*time.Hour
			}},
		{name: "what the load tool and e2e set", env: map[string]string{"PORTFOLIO_RATE_LIMIT": "100000/s",
			"PORTFOLIO_MAX_SESSIONS": "1100", "PORTFOLIO_MAX_SESSIONS_PER_IP": "1100"},
			ok: func(c server.Config) bool { return c.MaxSessions == 1100 && c.RateLimit.Events == 100000 }},
		{name: "contended at the share and at the cap", env: map[string]string{"PORTFOLIO_CONTENDED_SESSIONS": "200"},
			ok: func(c server.Config) bool { return c.ContendedSessions == 200 }},
		{name: "this round's settings are off by default", ok: func(c server.Config) bool {
			return c.Database == "" && c.NotifyWebhook == "" && c.NotifySecret == "" && c.NotifyEmail == "" &&
				c.SMTPURL == "" && c.OwnerKeys == "" && c.VisitRetention == 90*24*time.Hour
		}},
		{name: "database: a path, sqlite or postgresql", env: map[string]string{"PORTFOLIO_DATABASE": "postgresql://db.internal/p?sslmode=disable"},
			ok: func(c server.Config) bool { return c.Database == "postgresql://db.internal/p?sslmode=disable" }},
		{name: "smtp without TLS on connect", env: map[string]string{"PORTFOLIO_SMTP_URL": "smtp://mail.example.org:587", "PORTFOLIO_NOTIFY_EMAIL": "me@example.org"},
			ok: func(c server.Config) bool { return c.SMTPURL == "smtp://mail.example.org:587" }},
		{name: "visit retention edges", env: map[string]string{"PORTFOLIO_VISIT_RETENTION": "1h"}, args: []string{"--visit-retention", "87600h"},
			ok: func(c server.Config) bool { return c.VisitRetention == 87600*time.Hour }},
		{name: "trusted addresses and ranges, parsed once", args: []string{"--proxy-protocol", "v2", "--proxy-trusted", "fdaa::3, 10.1.2.3/8"},
			ok: func(c server.Config) bool {
				return slices.Equal(c.ProxyTrusted, []netip.Prefix{netip.MustParsePrefix("fdaa::3/128"), netip.MustParsePrefix("10.0.0.0/8")})
			}},
		{name: "memory budget off by default", ok: func(c server.Config) bool { return c.MemoryBudget == 0 }},
		{name: "memory budget edges", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "985600"}, args: []string{"--memory-budget", "1TiB"},
			ok: func(c server.Config) bool { return c.MemoryBudget == 1<<40 }},
		{name: "memory budget at one 80x24 session", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "985600"},
			ok: func(c server.Config) bool { return c.MemoryBudget == server.MinMemoryBudget }},
		{name: "memory budget 0 is no limit", args: []string{"--memory-budget", "0"}, env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "640MiB"},
			ok: func(c server.Config) bool { return c.MemoryBudget == 0 }},
		{name: "both HTTP and SSH on port 0", args: []string{"--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"},
			ok: func(c server.Config) bool { return c.HTTPAddr == c.Addr }},
		{name: "PEM without a path", args: []string{"--host-key-path", ""}, env: map[string]string{"PORTFOLIO_HOST_KEY": "pem"},
			ok: func(c server.Config) bool { return c.HostKeyPEM == "pem" }},

		// Values that do not parse: the flag or variable as given, the value, what is wanted.
		{name: "env duration", env: map[string]string{"PORTFOLIO_IDLE_TIMEOUT": "soon"},
			err: "PORTFOLIO_IDLE_TIMEOUT=soon: want a duration like 90s, 10m or 1h30m (10s to 24h)"},
		{name: "flag duration", args: []string{"--max-session-duration", "forever"},
			err: "--max-session-duration forever: want a duration like 90s, 10m or 1h30m (1m to 24h)"},
		{name: "env number", env: map[string]string{"PORTFOLIO_MAX_SESSIONS": "many"},
			err: "PORTFOLIO_MAX_SESSIONS=many: want a whole number (1 to 100000)"},
		{name: "env bool", env: map[string]string{"PORTFOLIO_HOST_KEY_GENERATE": "perhaps"},
			err: "PORTFOLIO_HOST_KEY_GENERATE=perhaps: want true or false"},
		{name: "flag bool", args: []string{"--log-mask-addr=maybe"},
			err: "--log-mask-addr maybe: want true or false"},
		{name: "env rate", env: map[string]string{"PORTFOLIO_RATE_LIMIT": "lots"},
			err: "PORTFOLIO_RATE_LIMIT=lots: want COUNT/PERIOD with a period of s, m, h or a duration, like 2/s or 5/10s (1/h to 100000/s)"},
		{name: "value with a space is quoted", env: map[string]string{"PORTFOLIO_MAX_SESSIONS": "6 0"},
			err: `PORTFOLIO_MAX_SESSIONS="6 0": want a whole number (1 to 100000)`},
		{name: "unknown flag", args: []string{"--max-sesions", "60"}, err: "unknown flag --max-sesions (did you mean --max-sessions?)"},
		{name: "a removed setting's flag is unknown", args: []string{"--rate-burst", "5"}, err: "unknown flag --rate-burst (did you mean --rate-limit?)"},
		{name: "flag without its value", args: []string{"--addr"}, err: "--addr needs a value"},

		// Values out of range: the flag when a flag gave it, else the variable.
		{name: "idle 1ms", env: map[string]string{"PORTFOLIO_IDLE_TIMEOUT": "1ms"},
			err: "PORTFOLIO_IDLE_TIMEOUT=1ms: must be from 10s to 24h"},
		{name: "idle a week", args: []string{"--idle-timeout", "168h"}, err: "--idle-timeout 168h: must be from 10s to 24h"},
		{name: "max session 5s", env: map[string]string{"PORTFOLIO_MAX_SESSION_DURATION": "5s"},
			err: "PORTFOLIO_MAX_SESSION_DURATION=5s: must be from 1m to 24h"},
		{name: "shutdown negative", env: map[string]string{"PORTFOLIO_SHUTDOWN_TIMEOUT": "-3s"},
			err: "PORTFOLIO_SHUTDOWN_TIMEOUT=-3s: must be from 1s to 1h"},
		{name: "no sessions", env: map[string]string{"PORTFOLIO_MAX_SESSIONS": "0"},
			err: "PORTFOLIO_MAX_SESSIONS=0: must be from 1 to 100000"},
		{name: "per ip negative", args: []string{"--max-sessions-per-ip", "-2"}, err: "--max-sessions-per-ip -2: must be from 1 to 100000"},
		{name: "rate too slow, as written", env: map[string]string{"PORTFOLIO_RATE_LIMIT": "1/120m"},
			err: "PORTFOLIO_RATE_LIMIT=1/120m: must be from 1/h to 100000/s"},
		{name: "memory budget below one 80x24 session", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "985599"},
			err: "PORTFOLIO_MEMORY_BUDGET=985599: must be 0 (no limit) or from 985600 to 1TiB"},
		{name: "memory budget absurd", args: []string{"--memory-budget", "2TiB"}, err: "--memory-budget 2TiB: must be 0 (no limit) or from 985600 to 1TiB"},
		{name: "memory budget unparsable", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "lots"},
			err: "PORTFOLIO_MEMORY_BUDGET=lots: want a number of bytes with an optional unit, like 65536, 64KiB or 700MiB (0 (no limit) or 985600 to 1TiB)"},
		{name: "contended sessions negative", args: []string{"--contended-sessions", "-5"},
			err: "--contended-sessions -5: must be 0 (three quarters of PORTFOLIO_MAX_SESSIONS) or from 1 to 100000"},
		{name: "database of another kind", env: map[string]string{"PORTFOLIO_DATABASE": "mysql://db/p"},
			err: "PORTFOLIO_DATABASE=mysql://db/p: want a file path (SQLite) or a postgres:// or postgresql:// URL"},
		{name: "webhook not http", env: map[string]string{"PORTFOLIO_NOTIFY_WEBHOOK": "ftp://example.org/x"},
			err: "PORTFOLIO_NOTIFY_WEBHOOK=ftp://example.org/x: want an http:// or https:// URL"},
		{name: "webhook without a host", args: []string{"--notify-webhook", "https://"},
			err: "--notify-webhook https://: want an http:// or https:// URL"},
		{name: "smtp of another scheme, its password hidden", env: map[string]string{"PORTFOLIO_SMTP_URL": "imap://me:pw@mail.example.org"},
			err: "PORTFOLIO_SMTP_URL=(hidden): want smtp://USER:PASSWORD@HOST:587 or smtps://USER:PASSWORD@HOST:465"},
		{name: "smtp without a host", env: map[string]string{"PORTFOLIO_SMTP_URL": "smtps://me:pw@:465"},
			err: "PORTFOLIO_SMTP_URL=(hidden): want smtp://USER:PASSWORD@HOST:587 or smtps://USER:PASSWORD@HOST:465"},
		{name: "email not an address", env: map[string]string{"PORTFOLIO_NOTIFY_EMAIL": "Me <me@example.org>", "PORTFOLIO_SMTP_URL": "smtp://m"},
			err: `PORTFOLIO_NOTIFY_EMAIL="Me <me@example.org>": want one address, like you@example.org`},
		{name: "email without a mail server", env: map[string]string{"PORTFOLIO_NOTIFY_EMAIL": "me@example.org"},
			err: "PORTFOLIO_NOTIFY_EMAIL=me@example.org: mail needs a mail server (PORTFOLIO_SMTP_URL)"},
		{name: "visit retention 0", env: map[string]string{"PORTFOLIO_VISIT_RETENTION": "0s"},
			err: "PORTFOLIO_VISIT_RETENTION=0s: must be from 1h to 87600h"},
		{name: "log format", env: map[string]string{"PORTFOLIO_LOG_FORMAT": "xml"},
			err: "PORTFOLIO_LOG_FORMAT=xml: must be text, json or logfmt"},
		{name: "log level", args: []string{"--log-level", "loud"}, err: "--log-level loud: must be debug, info, warn or error"},
		{name: "empty addr", env: map[string]string{"PORTFOLIO_ADDR": ""},
			err: `PORTFOLIO_ADDR="": must be a listen address such as :23234 or 127.0.0.1:9091`},
		{name: "http addr", args: []string{"--http-addr", "healthz"},
			err: "--http-addr healthz: must be a listen address such as :23234 or 127.0.0.1:9091"},
		{name: "proxy mode", env: map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "v9"},
			err: `PORTFOLIO_PROXY_PROTOCOL=v9: proxy protocol "v9": want off, v1, v2 or any`},
		{name: "trusted range", env: map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "any", "PORTFOLIO_PROXY_TRUSTED": "10.0.0.0/99"},
			err: `PORTFOLIO_PROXY_TRUSTED=10.0.0.0/99: proxy trusted range "10.0.0.0/99": netip.ParsePrefix("10.0.0.0/99"): prefix length out of range`},

		// Rules between settings name both sides.
		{name: "no key at all", args: []string{"--host-key-path", " "},
			err: `--host-key-path " ": empty, and PORTFOLIO_HOST_KEY is not set: the server needs a host key`},
		{name: "per ip over total", args: []string{"--max-sessions-per-ip", "6"}, env: map[string]string{"PORTFOLIO_MAX_SESSIONS": "5"},
			err: "--max-sessions-per-ip 6: more than PORTFOLIO_MAX_SESSIONS=5"},
		{name: "trusted address by flag", args: []string{"--proxy-protocol", "v2", "--proxy-trusted", "nowhere"},
			err: `--proxy-trusted nowhere: proxy trusted address "nowhere": ParseAddr("nowhere"): unable to parse IP`},
		{name: "contended sessions over the cap", env: map[string]string{"PORTFOLIO_CONTENDED_SESSIONS": "201"},
			err: "PORTFOLIO_CONTENDED_SESSIONS=201: more than PORTFOLIO_MAX_SESSIONS 200"},
		{name: "contended sessions under the share", args: []string{"--contended-sessions", "5"},
			err: "--contended-sessions 5: less than PORTFOLIO_MAX_SESSIONS_PER_IP 10"},
		{name: "HTTP on the SSH address", env: map[string]string{"PORTFOLIO_HTTP_ADDR": ":23234"},
			err: "PORTFOLIO_HTTP_ADDR=:23234: the same address as PORTFOLIO_ADDR :23234"},
		{name: "trusted with the protocol off", args: []string{"--proxy-trusted", "10.0.0.0/8"},
			err: "--proxy-trusted 10.0.0.0/8: trusted ranges need the PROXY protocol on (PORTFOLIO_PROXY_PROTOCOL off)"},
		{name: "a secret is never shown", env: map[string]string{"PORTFOLIO_HOST_KEY": "-----BEGIN", "PORTFOLIO_HOST_KEY_PATH": "", "PORTFOLIO_ADDR": "nowhere"},
			err: `PORTFOLIO_ADDR=nowhere: must be a listen address such as :23234 or 127.0.0.1:9091`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.args, environ(tt.env))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error\n got: %v\nwant: %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.ok(got.Config) {
				t.Fatalf("config %+v", got.Config)
			}
		})
	}
}

// TestUnknownVariables: a PORTFOLIO_* variable that names no setting is reported with the
// nearest name, and does not stop the others from loading. The settings that became
// constants are reported the same way, so an old deployment that sets them still starts.
func TestUnknownVariables(t *testing.T) {
	got, err := Load(nil, []string{"PORTFOLIO_MAX_SESSION=5", "PORTFOLIO_IDLE_TIMOUT=1m", "PORTFOLIO_RATE_BURST=5",
		"PORTFOLIO_HOSTKEY=x", "HOME=/root", "PORTFOLIOADDR=:1", "PORTFOLIO_MAX_SESSIONS_PER_IP=4"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unknown{
		{"PORTFOLIO_MAX_SESSION", "PORTFOLIO_MAX_SESSIONS"},
		{"PORTFOLIO_IDLE_TIMOUT", "PORTFOLIO_IDLE_TIMEOUT"},
		{"PORTFOLIO_RATE_BURST", "PORTFOLIO_RATE_LIMIT"},
		{"PORTFOLIO_HOSTKEY", "PORTFOLIO_HOST_KEY"},
	}
	if len(got.Unknown) != len(want) {
		t.Fatalf("unknown %v, want %v", got.Unknown, want)
	}
	for i := range want {
		if got.Unknown[i] != want[i] {
			t.Errorf("unknown %v, want %v", got.Unknown[i], want[i])
		}
	}
	if s := got.Unknown[0].String(); s != "PORTFOLIO_MAX_SESSION is not a setting and is ignored; did you mean PORTFOLIO_MAX_SESSIONS?" {
		t.Errorf("warning %q", s)
	}
	if got.Config.MaxSessionsPerIP != 4 || got.Config.MaxSessions != server.Defaults().MaxSessions {
		t.Errorf("the known variables were not applied as they are: %+v", got.Config)
	}
	// Reported with an error too, so that a typo behind the error is seen.
	got, err = Load(nil, []string{"PORTFOLIO_MAX_SESSION=5", "PORTFOLIO_MAX_SESSIONS=0"})
	if err == nil || len(got.Unknown) != 1 {
		t.Errorf("with an error: %v, unknown %v", err, got.Unknown)
	}
}

// TestRemovedSettingsAreUnknown: every setting that became a constant is no setting now;
// each of them set at once still loads, with one warning each.
func TestRemovedSettingsAreUnknown(t *testing.T) {
	removed := []string{"MAX_SESSION_GRACE", "RATE_BURST", "MAX_STARTUPS", "CONTENDED_STARTUPS", "MAX_STARTUPS_PER_IP",
		"TIMEOUT_PENALTY", "MAX_SOURCES", "MAX_WINDOW", "HANDSHAKE_TIMEOUT", "LOGIN_GRACE", "NO_SESSION_TIMEOUT",
		"WRITE_TIMEOUT", "KEEPALIVE_INTERVAL", "KEEPALIVE_MAX_MISSED", "SESSIONS_PER_CONNECTION",
		"SESSIONS_PER_CONNECTION_TOTAL", "MAX_AUTH_TRIES", "ENV_PER_SESSION", "MAX_ENV_LENGTH", "MAX_TERM_LENGTH",
		"MAX_COMMAND_LENGTH", "READ_RATE", "READ_BURST", "RESIZE_INTERVAL", "FRAME_RATE", "SLEEP_AFTER",
		"REFUSAL_LOG_INTERVAL"}
	var env []string
	for _, name := range removed {
		env = append(env, "PORTFOLIO_"+name+"=1")
	}
	got, err := Load(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Unknown) != len(removed) {
		t.Errorf("%d warnings for %d removed settings: %v", len(got.Unknown), len(removed), got.Unknown)
	}
	if !reflect.DeepEqual(got.Config, server.Defaults()) {
		t.Errorf("a removed setting changed the config: %+v", got.Config)
	}
	if n := len(Settings()); n != 26 {
		t.Errorf("%d settings: the 19 operators keep and this round's 7 are 26", n)
	}
}

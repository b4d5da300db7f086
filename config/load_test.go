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
		{name: "every variable", env: map[string]string{
			"PORTFOLIO_HOST_KEY_PATH": "/k", "PORTFOLIO_HOST_KEY_GENERATE": "false", "PORTFOLIO_CONTENT_DIR": "/c",
			"PORTFOLIO_LOG_FORMAT": "json", "PORTFOLIO_LOG_LEVEL": "debug", "PORTFOLIO_MAX_SESSION_DURATION": "2h",
			"PORTFOLIO_MAX_SESSIONS": "50", "PORTFOLIO_MAX_SESSIONS_PER_IP": "3", "PORTFOLIO_RATE_BURST": "9",
			"PORTFOLIO_HOST_KEY": "pem", "PORTFOLIO_SHUTDOWN_TIMEOUT": "45s", "PORTFOLIO_HTTP_ADDR": ":9091",
			"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_PROXY_TRUSTED": "10.0.0.0/8, fdaa::/16 172.16.0.1", "PORTFOLIO_LOG_MASK_ADDR": "true",
			"PORTFOLIO_MAX_WINDOW": "200x60", "PORTFOLIO_HANDSHAKE_TIMEOUT": "10s", "PORTFOLIO_KEEPALIVE_INTERVAL": "15s",
			"PORTFOLIO_READ_RATE": "1MiB", "PORTFOLIO_FRAME_RATE": "60", "PORTFOLIO_SLEEP_AFTER": "0",
			"PORTFOLIO_MEMORY_BUDGET": "640MiB",
		}, ok: func(c server.Config) bool {
			return c.HostKeyPath == "/k" && !c.HostKeyGenerate && c.ContentDir == "/c" && c.LogFormat == "json" &&
				c.LogLevel == "debug" && c.MaxSessionDuration == 2*time.Hour && c.MaxSessions == 50 &&
				c.MaxSessionsPerIP == 3 && c.RateBurst == 9 && c.HostKeyPEM == "pem" &&
				c.ShutdownTimeout == 45*time.Second && c.HTTPAddr == ":9091" && c.ProxyProtocol == "v2" &&
				slices.Equal(c.ProxyTrusted, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fdaa::/16"),
					netip.MustParsePrefix("172.16.0.1/32")}) && c.LogMaskAddr &&
				c.MaxWindow == server.WindowSize{Width: 200, Height: 60} && c.HandshakeTimeout == 10*time.Second &&
				c.KeepaliveInterval == 15*time.Second && c.ReadRate == 1<<20 && c.FrameRate == 60 && c.SleepAfter == 0 &&
				c.MemoryBudget == 640<<20
		}},
		{name: "flags of every kind", args: []string{"--proxy-protocol", "v1", "--http-addr", "127.0.0.1:9100", "--shutdown-timeout", "5s",
			"--log-mask-addr", "--read-rate", "32KiB", "--max-window", "120X40", "--sleep-after", "300ms"},
			env: map[string]string{"PORTFOLIO_PROXY_PROTOCOL": "v2", "PORTFOLIO_HTTP_ADDR": ":9091", "PORTFOLIO_LOG_MASK_ADDR": "false", "PORTFOLIO_READ_RATE": "1MiB"},
			ok: func(c server.Config) bool {
				return c.ProxyProtocol == "v1" && c.HTTPAddr == "127.0.0.1:9100" && c.ShutdownTimeout == 5*time.Second &&
					c.LogMaskAddr && c.ReadRate == 32<<10 && c.MaxWindow == server.WindowSize{Width: 120, Height: 40} &&
					c.SleepAfter == 300*time.Millisecond
			}},
		{name: "what the load tool and e2e set", env: map[string]string{"PORTFOLIO_RATE_LIMIT": "100000/s", "PORTFOLIO_RATE_BURST": "100000",
			"PORTFOLIO_MAX_SESSIONS": "1100", "PORTFOLIO_MAX_SESSIONS_PER_IP": "1100"},
			ok: func(c server.Config) bool { return c.RateBurst == 100000 && c.MaxSessions == 1100 }},
		{name: "every admission variable", env: map[string]string{
			"PORTFOLIO_CONTENDED_SESSIONS": "150", "PORTFOLIO_MAX_STARTUPS": "100", "PORTFOLIO_CONTENDED_STARTUPS": "20",
			"PORTFOLIO_MAX_STARTUPS_PER_IP": "5", "PORTFOLIO_TIMEOUT_PENALTY": "0", "PORTFOLIO_MAX_SOURCES": "4096",
			"PORTFOLIO_LOGIN_GRACE": "90s", "PORTFOLIO_NO_SESSION_TIMEOUT": "2m", "PORTFOLIO_WRITE_TIMEOUT": "20s",
			"PORTFOLIO_KEEPALIVE_MAX_MISSED": "5", "PORTFOLIO_SESSIONS_PER_CONNECTION": "3",
		}, ok: func(c server.Config) bool {
			return c.ContendedSessions == 150 && c.MaxStartups == 100 && c.ContendedStartups == 20 && c.MaxStartupsPerIP == 5 &&
				c.TimeoutPenalty == 0 && c.MaxSources == 4096 && c.LoginGrace == 90*time.Second &&
				c.NoSessionTimeout == 2*time.Minute && c.WriteTimeout == 20*time.Second && c.KeepaliveMissed == 5 && c.ChannelsPerConn == 3
		}},
		{name: "admission defaults", ok: func(c server.Config) bool {
			return c.RateBurst == 64 && c.LoginGrace == 120*time.Second && c.MaxStartups == 256 && c.ContendedStartups == 0 &&
				c.MaxStartupsPerIP == 8 && c.ContendedSessions == 0 && c.TimeoutPenalty == 2 && c.MaxSources == 65536 &&
				c.NoSessionTimeout == time.Minute && c.WriteTimeout == 30*time.Second && c.KeepaliveMissed == 3 && c.ChannelsPerConn == 2
		}},
		// The edges of the admission ranges that are allowed.
		{name: "login grace equal to the handshake timeout", args: []string{"--login-grace", "20s", "--handshake-timeout", "20s"},
			ok: func(c server.Config) bool { return c.LoginGrace == 20*time.Second }},
		{name: "contended at the share and at the cap", env: map[string]string{"PORTFOLIO_CONTENDED_STARTUPS": "8", "PORTFOLIO_CONTENDED_SESSIONS": "200"},
			ok: func(c server.Config) bool { return c.ContendedStartups == 8 && c.ContendedSessions == 200 }},
		{name: "admission upper edges", env: map[string]string{"PORTFOLIO_MAX_STARTUPS": "65536", "PORTFOLIO_MAX_STARTUPS_PER_IP": "65536",
			"PORTFOLIO_CONTENDED_STARTUPS": "65536", "PORTFOLIO_MAX_SOURCES": "1048576", "PORTFOLIO_KEEPALIVE_MAX_MISSED": "10",
			"PORTFOLIO_SESSIONS_PER_CONNECTION": "10", "PORTFOLIO_LOGIN_GRACE": "10m", "PORTFOLIO_NO_SESSION_TIMEOUT": "1h",
			"PORTFOLIO_WRITE_TIMEOUT": "10m"},
			ok: func(c server.Config) bool {
				return c.MaxStartups == 65536 && c.MaxSources == 1<<20 && c.LoginGrace == 10*time.Minute && c.WriteTimeout == 10*time.Minute
			}},
		{name: "session and request defaults", ok: func(c server.Config) bool {
			return c.ChannelsPerConnLife == 16 && c.MaxAuthTries == 3 && c.EnvPerSession == 16 && c.MaxEnvLength == 1<<10 &&
				c.MaxTermLength == 64 && c.MaxCommandLength == 1<<10 && c.ReadBurst == 64<<10 &&
				c.ResizeInterval == 25*time.Millisecond && c.RefusalLogInterval == time.Minute && c.MaxSessionGrace == time.Minute
		}},
		{name: "session and request lower edges", env: map[string]string{"PORTFOLIO_SESSIONS_PER_CONNECTION": "1",
			"PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL": "1", "PORTFOLIO_MAX_AUTH_TRIES": "1", "PORTFOLIO_ENV_PER_SESSION": "1",
			"PORTFOLIO_MAX_ENV_LENGTH": "64", "PORTFOLIO_MAX_TERM_LENGTH": "16", "PORTFOLIO_MAX_COMMAND_LENGTH": "64",
			"PORTFOLIO_READ_BURST": "4KiB", "PORTFOLIO_RESIZE_INTERVAL": "1ms", "PORTFOLIO_REFUSAL_LOG_INTERVAL": "1s",
			"PORTFOLIO_MAX_SESSION_GRACE": "1s"},
			ok: func(c server.Config) bool {
				return c.ChannelsPerConnLife == 1 && c.MaxAuthTries == 1 && c.EnvPerSession == 1 && c.MaxEnvLength == 64 &&
					c.MaxTermLength == 16 && c.MaxCommandLength == 64 && c.ReadBurst == 4096 &&
					c.ResizeInterval == time.Millisecond && c.RefusalLogInterval == time.Second && c.MaxSessionGrace == time.Second
			}},
		{name: "session and request upper edges", args: []string{"--sessions-per-connection-total", "1000", "--max-auth-tries", "20",
			"--env-per-session", "256", "--max-env-length", "64KiB", "--max-term-length", "1024", "--max-command-length", "65536",
			"--read-burst", "16MiB", "--resize-interval", "1s", "--refusal-log-interval", "24h", "--max-session-grace", "1h"},
			ok: func(c server.Config) bool {
				return c.ChannelsPerConnLife == 1000 && c.MaxAuthTries == 20 && c.EnvPerSession == 256 && c.MaxEnvLength == 64<<10 &&
					c.MaxTermLength == 1<<10 && c.MaxCommandLength == 64<<10 && c.ReadBurst == 16<<20 &&
					c.ResizeInterval == time.Second && c.RefusalLogInterval == 24*time.Hour && c.MaxSessionGrace == time.Hour
			}},
		{name: "trusted addresses and ranges, parsed once", args: []string{"--proxy-protocol", "v2", "--proxy-trusted", "fdaa::3, 10.1.2.3/8"},
			ok: func(c server.Config) bool {
				return slices.Equal(c.ProxyTrusted, []netip.Prefix{netip.MustParsePrefix("fdaa::3/128"), netip.MustParsePrefix("10.0.0.0/8")})
			}},
		{name: "a penalty over the burst (a debt is capped at one burst)", env: map[string]string{"PORTFOLIO_TIMEOUT_PENALTY": "100", "PORTFOLIO_RATE_BURST": "1"},
			ok: func(c server.Config) bool { return c.TimeoutPenalty == 100 && c.RateBurst == 1 }},
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
		{name: "env window", env: map[string]string{"PORTFOLIO_MAX_WINDOW": "huge"},
			err: "PORTFOLIO_MAX_WINDOW=huge: want COLUMNSxROWS, like 300x100 (40x10 to 1000x1000)"},
		{name: "env byte rate", env: map[string]string{"PORTFOLIO_READ_RATE": "lots"},
			err: "PORTFOLIO_READ_RATE=lots: want bytes per second with an optional unit, like 65536 or 64KiB (4KiB to 1GiB)"},
		{name: "value with a space is quoted", env: map[string]string{"PORTFOLIO_FRAME_RATE": "6 0"},
			err: `PORTFOLIO_FRAME_RATE="6 0": want a whole number (10 to 120)`},
		{name: "unknown flag", args: []string{"--frame-rat", "60"}, err: "unknown flag --frame-rat (did you mean --frame-rate?)"},
		{name: "flag without its value", args: []string{"--addr"}, err: "--addr needs a value"},

		// Values out of range: the flag when a flag gave it, else the variable.
		{name: "frame rate by flag", args: []string{"--frame-rate", "200"}, env: map[string]string{"PORTFOLIO_FRAME_RATE": "60"},
			err: "--frame-rate 200: must be from 10 to 120"},
		{name: "frame rate by env", env: map[string]string{"PORTFOLIO_FRAME_RATE": "500"},
			err: "PORTFOLIO_FRAME_RATE=500: must be from 10 to 120"},
		{name: "keepalive 1ns", env: map[string]string{"PORTFOLIO_KEEPALIVE_INTERVAL": "1ns"},
			err: "PORTFOLIO_KEEPALIVE_INTERVAL=1ns: must be from 1s to 1h"},
		{name: "handshake 1ms", env: map[string]string{"PORTFOLIO_HANDSHAKE_TIMEOUT": "1ms"},
			err: "PORTFOLIO_HANDSHAKE_TIMEOUT=1ms: must be from 1s to 10m"},
		{name: "handshake 0", args: []string{"--handshake-timeout=0s"}, err: "--handshake-timeout 0s: must be from 1s to 10m"},
		{name: "idle 1ms", env: map[string]string{"PORTFOLIO_IDLE_TIMEOUT": "1ms"},
			err: "PORTFOLIO_IDLE_TIMEOUT=1ms: must be from 10s to 24h"},
		{name: "idle a week", args: []string{"--idle-timeout", "168h"}, err: "--idle-timeout 168h: must be from 10s to 24h"},
		{name: "max session 5s", env: map[string]string{"PORTFOLIO_MAX_SESSION_DURATION": "5s"},
			err: "PORTFOLIO_MAX_SESSION_DURATION=5s: must be from 1m to 24h"},
		{name: "shutdown negative", env: map[string]string{"PORTFOLIO_SHUTDOWN_TIMEOUT": "-3s"},
			err: "PORTFOLIO_SHUTDOWN_TIMEOUT=-3s: must be from 1s to 1h"},
		{name: "sleep too soon", env: map[string]string{"PORTFOLIO_SLEEP_AFTER": "10ms"},
			err: "PORTFOLIO_SLEEP_AFTER=10ms: must be 0 (never) or from 100ms to 24h"},
		{name: "no sessions", env: map[string]string{"PORTFOLIO_MAX_SESSIONS": "0"},
			err: "PORTFOLIO_MAX_SESSIONS=0: must be from 1 to 100000"},
		{name: "per ip negative", args: []string{"--max-sessions-per-ip", "-2"}, err: "--max-sessions-per-ip -2: must be from 1 to 100000"},
		{name: "burst 0", env: map[string]string{"PORTFOLIO_RATE_BURST": "0"}, err: "PORTFOLIO_RATE_BURST=0: must be from 1 to 100000"},
		{name: "rate too slow, as written", env: map[string]string{"PORTFOLIO_RATE_LIMIT": "1/120m"},
			err: "PORTFOLIO_RATE_LIMIT=1/120m: must be from 1/h to 100000/s"},
		{name: "window too small", env: map[string]string{"PORTFOLIO_MAX_WINDOW": "10x5"},
			err: "PORTFOLIO_MAX_WINDOW=10x5: must be from 40x10 to 1000x1000 (columns x rows)"},
		{name: "window absurd", env: map[string]string{"PORTFOLIO_MAX_WINDOW": "5000x5000"},
			err: "PORTFOLIO_MAX_WINDOW=5000x5000: must be from 40x10 to 1000x1000 (columns x rows)"},
		{name: "memory budget below one 80x24 session", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "985599"},
			err: "PORTFOLIO_MEMORY_BUDGET=985599: must be 0 (no limit) or from 985600 to 1TiB"},
		{name: "memory budget absurd", args: []string{"--memory-budget", "2TiB"}, err: "--memory-budget 2TiB: must be 0 (no limit) or from 985600 to 1TiB"},
		{name: "memory budget unparsable", env: map[string]string{"PORTFOLIO_MEMORY_BUDGET": "lots"},
			err: "PORTFOLIO_MEMORY_BUDGET=lots: want a number of bytes with an optional unit, like 65536, 64KiB or 700MiB (0 (no limit) or 985600 to 1TiB)"},
		{name: "read rate too slow", args: []string{"--read-rate", "100"}, err: "--read-rate 100: must be from 4KiB to 1GiB"},
		{name: "login grace absurd", env: map[string]string{"PORTFOLIO_LOGIN_GRACE": "1h"},
			err: "PORTFOLIO_LOGIN_GRACE=1h: must be from 1s to 10m"},
		{name: "no session 1ms", env: map[string]string{"PORTFOLIO_NO_SESSION_TIMEOUT": "1ms"},
			err: "PORTFOLIO_NO_SESSION_TIMEOUT=1ms: must be from 1s to 1h"},
		{name: "no session a day", args: []string{"--no-session-timeout", "24h"}, err: "--no-session-timeout 24h: must be from 1s to 1h"},
		{name: "write timeout 0", env: map[string]string{"PORTFOLIO_WRITE_TIMEOUT": "0s"},
			err: "PORTFOLIO_WRITE_TIMEOUT=0s: must be from 1s to 10m"},
		{name: "write timeout 11m", args: []string{"--write-timeout", "11m"}, err: "--write-timeout 11m: must be from 1s to 10m"},
		{name: "no startups", env: map[string]string{"PORTFOLIO_MAX_STARTUPS": "0"}, err: "PORTFOLIO_MAX_STARTUPS=0: must be from 1 to 65536"},
		{name: "startups absurd", args: []string{"--max-startups", "65537"}, err: "--max-startups 65537: must be from 1 to 65536"},
		{name: "startups per ip 0", env: map[string]string{"PORTFOLIO_MAX_STARTUPS_PER_IP": "0"},
			err: "PORTFOLIO_MAX_STARTUPS_PER_IP=0: must be from 1 to 65536"},
		{name: "contended startups negative", env: map[string]string{"PORTFOLIO_CONTENDED_STARTUPS": "-1"},
			err: "PORTFOLIO_CONTENDED_STARTUPS=-1: must be 0 (a quarter of PORTFOLIO_MAX_STARTUPS) or from 1 to 65536"},
		{name: "contended sessions negative", args: []string{"--contended-sessions", "-5"},
			err: "--contended-sessions -5: must be 0 (three quarters of PORTFOLIO_MAX_SESSIONS) or from 1 to 100000"},
		{name: "penalty negative", env: map[string]string{"PORTFOLIO_TIMEOUT_PENALTY": "-1"},
			err: "PORTFOLIO_TIMEOUT_PENALTY=-1: must be from 0 to 100"},
		{name: "penalty absurd", args: []string{"--timeout-penalty", "101"}, err: "--timeout-penalty 101: must be from 0 to 100"},
		{name: "sources too few", env: map[string]string{"PORTFOLIO_MAX_SOURCES": "10"}, err: "PORTFOLIO_MAX_SOURCES=10: must be from 1024 to 1048576"},
		{name: "sources too many", args: []string{"--max-sources", "1048577"}, err: "--max-sources 1048577: must be from 1024 to 1048576"},
		{name: "keepalive missed 0", env: map[string]string{"PORTFOLIO_KEEPALIVE_MAX_MISSED": "0"},
			err: "PORTFOLIO_KEEPALIVE_MAX_MISSED=0: must be from 1 to 10"},
		{name: "keepalive missed 11", args: []string{"--keepalive-max-missed", "11"}, err: "--keepalive-max-missed 11: must be from 1 to 10"},
		{name: "sessions per connection 0", env: map[string]string{"PORTFOLIO_SESSIONS_PER_CONNECTION": "0"},
			err: "PORTFOLIO_SESSIONS_PER_CONNECTION=0: must be from 1 to 10"},
		{name: "sessions per connection 11", args: []string{"--sessions-per-connection", "11"},
			err: "--sessions-per-connection 11: must be from 1 to 10"},
		{name: "sessions in a connection's life 0", env: map[string]string{"PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL": "0"},
			err: "PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL=0: must be from 1 to 1000"},
		{name: "sessions in a connection's life 1001", args: []string{"--sessions-per-connection-total", "1001"},
			err: "--sessions-per-connection-total 1001: must be from 1 to 1000"},
		{name: "auth tries 0", env: map[string]string{"PORTFOLIO_MAX_AUTH_TRIES": "0"}, err: "PORTFOLIO_MAX_AUTH_TRIES=0: must be from 1 to 20"},
		{name: "auth tries 21", args: []string{"--max-auth-tries", "21"}, err: "--max-auth-tries 21: must be from 1 to 20"},
		{name: "env per session 0", env: map[string]string{"PORTFOLIO_ENV_PER_SESSION": "0"}, err: "PORTFOLIO_ENV_PER_SESSION=0: must be from 1 to 256"},
		{name: "env per session 257", args: []string{"--env-per-session", "257"}, err: "--env-per-session 257: must be from 1 to 256"},
		{name: "env length 63", env: map[string]string{"PORTFOLIO_MAX_ENV_LENGTH": "63"}, err: "PORTFOLIO_MAX_ENV_LENGTH=63: must be from 64 to 64KiB"},
		{name: "env length 65KiB", args: []string{"--max-env-length", "65KiB"}, err: "--max-env-length 65KiB: must be from 64 to 64KiB"},
		{name: "TERM length 15", env: map[string]string{"PORTFOLIO_MAX_TERM_LENGTH": "15"}, err: "PORTFOLIO_MAX_TERM_LENGTH=15: must be from 16 to 1KiB"},
		{name: "TERM length 1025", args: []string{"--max-term-length", "1025"}, err: "--max-term-length 1025: must be from 16 to 1KiB"},
		{name: "command length 63", env: map[string]string{"PORTFOLIO_MAX_COMMAND_LENGTH": "63"},
			err: "PORTFOLIO_MAX_COMMAND_LENGTH=63: must be from 64 to 64KiB"},
		{name: "command length 65537", args: []string{"--max-command-length", "65537"},
			err: "--max-command-length 65537: must be from 64 to 64KiB"},
		{name: "command length unparsable", env: map[string]string{"PORTFOLIO_MAX_COMMAND_LENGTH": "long"},
			err: "PORTFOLIO_MAX_COMMAND_LENGTH=long: want a number of bytes with an optional unit, like 65536, 64KiB or 700MiB (64 to 64KiB)"},
		{name: "read burst 4095", env: map[string]string{"PORTFOLIO_READ_BURST": "4095"}, err: "PORTFOLIO_READ_BURST=4095: must be from 4KiB to 16MiB"},
		{name: "read burst 17MiB", args: []string{"--read-burst", "17MiB"}, err: "--read-burst 17MiB: must be from 4KiB to 16MiB"},
		{name: "resize interval 0", env: map[string]string{"PORTFOLIO_RESIZE_INTERVAL": "0s"}, err: "PORTFOLIO_RESIZE_INTERVAL=0s: must be from 1ms to 1s"},
		{name: "resize interval 2s", args: []string{"--resize-interval", "2s"}, err: "--resize-interval 2s: must be from 1ms to 1s"},
		{name: "refusal log 500ms", env: map[string]string{"PORTFOLIO_REFUSAL_LOG_INTERVAL": "500ms"},
			err: "PORTFOLIO_REFUSAL_LOG_INTERVAL=500ms: must be from 1s to 24h"},
		{name: "session grace 500ms", env: map[string]string{"PORTFOLIO_MAX_SESSION_GRACE": "500ms"},
			err: "PORTFOLIO_MAX_SESSION_GRACE=500ms: must be from 1s to 1h"},
		{name: "session grace 2h", args: []string{"--max-session-grace", "2h"}, err: "--max-session-grace 2h: must be from 1s to 1h"},
		{name: "refusal log 25h", args: []string{"--refusal-log-interval", "25h"}, err: "--refusal-log-interval 25h: must be from 1s to 24h"},
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
		{name: "sessions at once over those in a connection's life", env: map[string]string{"PORTFOLIO_SESSIONS_PER_CONNECTION": "5", "PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL": "4"},
			err: "PORTFOLIO_SESSIONS_PER_CONNECTION=5: more than PORTFOLIO_SESSIONS_PER_CONNECTION_TOTAL=4"},
		{name: "trusted address by flag", args: []string{"--proxy-protocol", "v2", "--proxy-trusted", "nowhere"},
			err: `--proxy-trusted nowhere: proxy trusted address "nowhere": ParseAddr("nowhere"): unable to parse IP`},
		{name: "login grace under the handshake timeout", env: map[string]string{"PORTFOLIO_LOGIN_GRACE": "10s"},
			err: "PORTFOLIO_LOGIN_GRACE=10s: less than PORTFOLIO_HANDSHAKE_TIMEOUT 15s"},
		{name: "handshake timeout over the login grace", args: []string{"--handshake-timeout", "3m"},
			err: "PORTFOLIO_LOGIN_GRACE 2m: less than --handshake-timeout 3m"},
		{name: "startups per ip over total", args: []string{"--max-startups-per-ip", "300"},
			err: "--max-startups-per-ip 300: more than PORTFOLIO_MAX_STARTUPS 256"},
		{name: "contended startups under the share", env: map[string]string{"PORTFOLIO_CONTENDED_STARTUPS": "4"},
			err: "PORTFOLIO_CONTENDED_STARTUPS=4: less than PORTFOLIO_MAX_STARTUPS_PER_IP 8"},
		{name: "contended startups over the cap", env: map[string]string{"PORTFOLIO_CONTENDED_STARTUPS": "300"},
			err: "PORTFOLIO_CONTENDED_STARTUPS=300: more than PORTFOLIO_MAX_STARTUPS 256"},
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
// nearest name, and does not stop the others from loading.
func TestUnknownVariables(t *testing.T) {
	got, err := Load(nil, []string{"PORTFOLIO_MAX_SESSION=5", "PORTFOLIO_IDLE_TIMOUT=1m", "PORTFOLIO_FRAME_RATE=60",
		"PORTFOLIO_HOSTKEY=x", "HOME=/root", "PORTFOLIOADDR=:1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Unknown{
		{"PORTFOLIO_MAX_SESSION", "PORTFOLIO_MAX_SESSIONS"},
		{"PORTFOLIO_IDLE_TIMOUT", "PORTFOLIO_IDLE_TIMEOUT"},
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
	if got.Config.FrameRate != 60 || got.Config.MaxSessions != server.Defaults().MaxSessions {
		t.Errorf("the known variables were not applied as they are: %+v", got.Config)
	}
	// Reported with an error too, so that a typo behind the error is seen.
	got, err = Load(nil, []string{"PORTFOLIO_MAX_SESSION=5", "PORTFOLIO_FRAME_RATE=1"})
	if err == nil || len(got.Unknown) != 1 {
		t.Errorf("with an error: %v, unknown %v", err, got.Unknown)
	}
}

package server

import (
	"strings"
	"testing"
	"time"
)

func TestHardeningSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   []string
	}{
		{"window too small", func(c *Config) { c.MaxWindow = WindowSize{Width: 10, Height: 5} }, []string{"PORTFOLIO_MAX_WINDOW", `"10x5"`}},
		{"window absurd", func(c *Config) { c.MaxWindow = WindowSize{Width: 65535, Height: 65535} }, []string{"PORTFOLIO_MAX_WINDOW", `"65535x65535"`}},
		{"handshake", func(c *Config) { c.HandshakeTimeout = 0 }, []string{"PORTFOLIO_HANDSHAKE_TIMEOUT", "0s"}},
		{"keepalive", func(c *Config) { c.KeepaliveInterval = -time.Second }, []string{"PORTFOLIO_KEEPALIVE_INTERVAL", "-1s"}},
		{"read rate", func(c *Config) { c.ReadRate = 100 }, []string{"PORTFOLIO_READ_RATE", "100", "4KiB"}},
		{"login grace under handshake", func(c *Config) { c.LoginGrace = 10 * time.Second }, []string{"PORTFOLIO_LOGIN_GRACE", "10s", "15s"}},
		{"login grace absurd", func(c *Config) { c.LoginGrace = time.Hour }, []string{"PORTFOLIO_LOGIN_GRACE", "1h0m0s", "10m0s"}},
		{"no session", func(c *Config) { c.NoSessionTimeout = time.Millisecond }, []string{"PORTFOLIO_NO_SESSION_TIMEOUT", "1ms", "1s"}},
		{"write timeout", func(c *Config) { c.WriteTimeout = 0 }, []string{"PORTFOLIO_WRITE_TIMEOUT", "0s"}},
		{"max startups", func(c *Config) { c.MaxStartups = 0 }, []string{"PORTFOLIO_MAX_STARTUPS", "0"}},
		{"startups per ip", func(c *Config) { c.MaxStartupsPerIP = 300 }, []string{"PORTFOLIO_MAX_STARTUPS_PER_IP", "300", "256"}},
		{"contended startups", func(c *Config) { c.ContendedStartups = 4 }, []string{"PORTFOLIO_CONTENDED_STARTUPS", "4", "8"}},
		{"contended sessions", func(c *Config) { c.ContendedSessions = 201 }, []string{"PORTFOLIO_CONTENDED_SESSIONS", "201", "200"}},
		{"penalty", func(c *Config) { c.TimeoutPenalty = -1 }, []string{"PORTFOLIO_TIMEOUT_PENALTY", "-1"}},
		{"sources", func(c *Config) { c.MaxSources = 10 }, []string{"PORTFOLIO_MAX_SOURCES", "10", "1024"}},
		{"keepalive missed", func(c *Config) { c.KeepaliveMissed = 0 }, []string{"PORTFOLIO_KEEPALIVE_MAX_MISSED", "0"}},
		{"channels", func(c *Config) { c.ChannelsPerConn = 11 }, []string{"PORTFOLIO_SESSIONS_PER_CONNECTION", "11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults()
			tt.mutate(&cfg)
			err := cfg.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not mention %s", err, w)
				}
			}
		})
	}
}

func TestParseWindowSizeAndByteRate(t *testing.T) {
	for in, want := range map[string]WindowSize{"300x100": {300, 100}, " 120X40 ": {120, 40}} {
		if got, err := ParseWindowSize(in); err != nil || got != want {
			t.Errorf("ParseWindowSize(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "300", "x100", "300x", "0x10", "-3x10", "axb"} {
		if _, err := ParseWindowSize(bad); err == nil {
			t.Errorf("ParseWindowSize(%q) accepted", bad)
		}
	}
	for in, want := range map[string]ByteRate{"65536": 65536, "64KiB": 64 << 10, "64k": 64 << 10, "1MiB/s": 1 << 20, "2 MB": 2 << 20, "512B": 512} {
		if got, err := ParseByteRate(in); err != nil || got != want {
			t.Errorf("ParseByteRate(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "fast", "64GiB", "-1", "1.5KiB", "KiB"} {
		if _, err := ParseByteRate(bad); err == nil {
			t.Errorf("ParseByteRate(%q) accepted", bad)
		}
	}
	for _, r := range []ByteRate{DefaultReadRate, 1 << 20, 5000} {
		if back, err := ParseByteRate(r.String()); err != nil || back != r {
			t.Errorf("%d -> %q -> %d, %v", r, r.String(), back, err)
		}
	}
}

// TestAdmissionSettingsReachTheGuard: every admission setting is the guard's limit, and the
// contended thresholds default to fractions of their caps.
func TestAdmissionSettingsReachTheGuard(t *testing.T) {
	cfg := Defaults()
	cfg.MaxSessions, cfg.MaxSessionsPerIP = 40, 4
	cfg.MaxStartups, cfg.MaxStartupsPerIP = 100, 5
	cfg.LoginGrace, cfg.NoSessionTimeout, cfg.WriteTimeout = 90*time.Second, 2*time.Minute, 20*time.Second
	cfg.MaxSources, cfg.KeepaliveMissed, cfg.ChannelsPerConn, cfg.TimeoutPenalty = 4096, 5, 3, 0
	g, err := newGuard(cfg, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	gc := g.Config()
	got := []any{gc.MaxOpenSessions, gc.OpenSessionsContended, gc.OpenSessionsPerSource,
		gc.MaxStartups, gc.StartupsContended, gc.MaxStartupsPerSource,
		gc.LoginGrace, gc.NoSessionTimeout, gc.WriteTimeout,
		gc.MaxSources, gc.KeepaliveMaxMissed, gc.MaxSessions, gc.PenaltyTokens}
	want := []any{40, 30, 4, 100, 25, 5, 90 * time.Second, 2 * time.Minute, 20 * time.Second, 4096, 5, 3, -1}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("guard config field %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
}

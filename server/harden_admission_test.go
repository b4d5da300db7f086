package server

import (
	"testing"
	"time"

	"portfolio/server/guard"
)

// TestAdmissionSettingsReachTheGuard: every admission, session and request setting is the
// guard's limit, and the contended thresholds default to fractions of their caps.
func TestAdmissionSettingsReachTheGuard(t *testing.T) {
	cfg := Defaults()
	cfg.MaxSessions, cfg.MaxSessionsPerIP = 40, 4
	cfg.MaxStartups, cfg.MaxStartupsPerIP = 100, 5
	cfg.LoginGrace, cfg.NoSessionTimeout, cfg.WriteTimeout = 90*time.Second, 2*time.Minute, 20*time.Second
	cfg.MaxSources, cfg.KeepaliveMissed, cfg.ChannelsPerConn, cfg.TimeoutPenalty = 4096, 5, 3, 0
	cfg.ChannelsPerConnLife, cfg.EnvPerSession, cfg.MaxAuthTries = 7, 9, 5
	cfg.MaxEnvLength, cfg.MaxTermLength, cfg.MaxCommandLength, cfg.ReadBurst = 2<<10, 100, 300, 8<<10
	cfg.ResizeInterval, cfg.RefusalLogInterval, cfg.MaxSessionGrace = 40*time.Millisecond, 10*time.Second, 5*time.Second
	g, err := newGuard(cfg, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	gc := g.Config()
	got := []any{gc.MaxOpenSessions, gc.OpenSessionsContended, gc.OpenSessionsPerSource,
		gc.MaxStartups, gc.StartupsContended, gc.MaxStartupsPerSource,
		gc.LoginGrace, gc.NoSessionTimeout, gc.WriteTimeout,
		gc.MaxSources, gc.KeepaliveMaxMissed, gc.MaxSessions, gc.PenaltyTokens,
		gc.MaxSessionsTotal, gc.MaxEnv, gc.MaxAuthTries,
		gc.MaxEnvBytes, gc.MaxTermBytes, gc.MaxCommandBytes, gc.ReadBurst,
		gc.ResizeInterval, gc.RefusalLogInterval, gc.MaxSessionGrace}
	want := []any{40, 30, 4, 100, 25, 5, 90 * time.Second, 2 * time.Minute, 20 * time.Second, 4096, 5, 3, -1,
		7, 9, 5, 2 << 10, 100, 300, 8 << 10, 40 * time.Millisecond, 10 * time.Second, 5 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("guard config field %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
}

// TestGuardDefaultsAreTheSettingsDefaults: the defaults the settings show (--help, README) are
// the guard's own, given to it as values, not zeros the guard would read as its defaults.
func TestGuardDefaultsAreTheSettingsDefaults(t *testing.T) {
	var got guard.Config
	if _, err := newGuard(Defaults(), nil, nil, func(gc *guard.Config) { got = *gc }); err != nil {
		t.Fatal(err)
	}
	want := guard.DefaultConfig()
	pairs := []struct {
		name      string
		got, want any
	}{
		{"MaxSessionsTotal", got.MaxSessionsTotal, want.MaxSessionsTotal},
		{"MaxEnv", got.MaxEnv, want.MaxEnv},
		{"MaxEnvBytes", got.MaxEnvBytes, want.MaxEnvBytes},
		{"MaxTermBytes", got.MaxTermBytes, want.MaxTermBytes},
		{"MaxCommandBytes", got.MaxCommandBytes, want.MaxCommandBytes},
		{"ReadBurst", got.ReadBurst, want.ReadBurst},
		{"ResizeInterval", got.ResizeInterval, want.ResizeInterval},
		{"MaxAuthTries", got.MaxAuthTries, want.MaxAuthTries},
		{"RefusalLogInterval", got.RefusalLogInterval, want.RefusalLogInterval},
		{"MaxSessionGrace", got.MaxSessionGrace, want.MaxSessionGrace},
	}
	for _, p := range pairs {
		if p.got != p.want {
			t.Errorf("%s = %v by default, the guard's default is %v", p.name, p.got, p.want)
		}
	}
}

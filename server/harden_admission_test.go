package server

import (
	"testing"
	"time"
)

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

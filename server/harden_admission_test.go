package server

import (
	"testing"
	"time"

	"portfolio/server/guard"
)

// TestAdmissionSettingsReachTheGuard: the operator's session and rate settings are the
// guard's limits, the contended threshold defaults to three quarters of the cap, and the
// guard's fixed limits are its constants.
func TestAdmissionSettingsReachTheGuard(t *testing.T) {
	cfg := Defaults()
	cfg.MaxSessions, cfg.MaxSessionsPerIP = 40, 4
	cfg.MaxSessionDuration = 20 * time.Minute
	cfg.RateLimit = Rate{Events: 5, Per: 10 * time.Second}
	g, err := newGuard(cfg, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	gc := g.Config()
	got := []any{gc.MaxOpenSessions, gc.OpenSessionsContended, gc.OpenSessionsPerSource, gc.MaxSessionDuration, float64(gc.RateLimit)}
	want := []any{40, 30, 4, 20 * time.Minute, 0.5}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("guard config field %d = %v, want %v (all: %v)", i, got[i], want[i], got)
		}
	}
	cfg.ContendedSessions = 12
	if g, err = newGuard(cfg, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if n := g.Config().OpenSessionsContended; n != 12 {
		t.Errorf("contended from %d sessions, PORTFOLIO_CONTENDED_SESSIONS says 12", n)
	}
	if l := g.Limits(); l.HandshakeTimeout != guard.HandshakeTimeout || l.RateBurst != guard.RateBurst || l.Size.MaxWidth != guard.MaxWidth {
		t.Errorf("fixed limits %+v, want the guard's constants", l)
	}
}

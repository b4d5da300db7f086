package server

import (
	"fmt"
	"log/slog"

	"portfolio/server/guard"
)

// The hardening layer is server/guard: per-source admission at accept time, timeouts,
// per-connection channel and request limits, window size clamps, the algorithm set, read
// pacing and write deadlines. Its fixed limits are its own constants (guard/limits.go); this
// file gives it the operator's.

// newGuard builds the hardening layer from the validated config. tune, when set (tests),
// changes the guard's fixed limits.
func newGuard(cfg Config, logger *slog.Logger, onRefused func(string, error), tune func(*guard.Limits)) (*guard.Guard, error) {
	g, err := guard.New(guard.Config{
		RateLimit:             cfg.RateLimit.Limit(),
		MaxOpenSessions:       cfg.MaxSessions,
		OpenSessionsContended: cfg.contendedSessions(),
		OpenSessionsPerSource: cfg.MaxSessionsPerIP,
		MaxSessionDuration:    cfg.MaxSessionDuration,
		Logger:                logger,
		OnRefused:             onRefused,
		Tune:                  tune,
	})
	if err != nil {
		return nil, fmt.Errorf("hardening: %w", err)
	}
	return g, nil
}

// contendedSessions is PORTFOLIO_CONTENDED_SESSIONS, or three quarters of the total: the last
// quarter of the server is kept for sources still under their share.
func (c Config) contendedSessions() int {
	if c.ContendedSessions != 0 {
		return c.ContendedSessions
	}
	return max(c.MaxSessions*3/4, c.MaxSessionsPerIP)
}

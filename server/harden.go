package server

import (
	"cmp"
	"fmt"
	"log/slog"

	"portfolio/server/guard"
)

// The hardening layer is server/guard: per-source admission at accept time, timeouts,
// per-connection channel and request limits, window size clamps, the algorithm set, read
// pacing and write deadlines. This file turns the server's Config into the guard's (the
// settings' ranges are package config's).

// Hardening defaults: the guard's own, restated so that --help and the README show them as the
// server's settings.
const (
	DefaultHandshakeTimeout  = guard.DefaultHandshakeTimeout
	DefaultKeepaliveInterval = guard.DefaultKeepaliveInterval
	DefaultReadRate          = ByteRate(guard.DefaultReadRate)
)

// newGuard builds the hardening layer from the validated config. tune, when set (tests), may
// set the guard's limits outside the settings' ranges.
func newGuard(cfg Config, logger *slog.Logger, onRefused func(string, error), tune func(*guard.Config)) (*guard.Guard, error) {
	gc := guard.Config{
		// One per-source budget, at accept time: PORTFOLIO_RATE_LIMIT and _BURST.
		RateLimit:             cfg.RateLimit.Limit(),
		RateBurst:             cfg.RateBurst,
		MaxStartups:           cfg.MaxStartups,
		StartupsContended:     cfg.contendedStartups(),
		MaxStartupsPerSource:  cfg.MaxStartupsPerIP,
		PenaltyTokens:         cmp.Or(cfg.TimeoutPenalty, -1), // the guard reads 0 as its default
		MaxOpenSessions:       cfg.MaxSessions,
		OpenSessionsContended: cfg.contendedSessions(),
		OpenSessionsPerSource: cfg.MaxSessionsPerIP,
		LoginGrace:            cfg.LoginGrace,
		NoSessionTimeout:      cfg.NoSessionTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		MaxSources:            cfg.MaxSources,
		KeepaliveMaxMissed:    cfg.KeepaliveMissed,
		MaxSessions:           cfg.ChannelsPerConn,
		MaxSessionsTotal:      cfg.ChannelsPerConnLife,
		MaxEnv:                cfg.EnvPerSession,
		MaxEnvBytes:           int(cfg.MaxEnvLength),
		MaxTermBytes:          int(cfg.MaxTermLength),
		MaxCommandBytes:       int(cfg.MaxCommandLength),
		ReadBurst:             int(cfg.ReadBurst),
		ResizeInterval:        cfg.ResizeInterval,
		MaxAuthTries:          cfg.MaxAuthTries,
		RefusalLogInterval:    cfg.RefusalLogInterval,
		HandshakeTimeout:      cfg.HandshakeTimeout,
		MaxSessionDuration:    cfg.MaxSessionDuration,
		MaxSessionGrace:       cfg.MaxSessionGrace,
		ReadRate:              int(cfg.ReadRate),
		KeepaliveInterval:     cfg.KeepaliveInterval,
		Size:                  guard.SizeLimits{MaxWidth: cfg.MaxWindow.Width, MaxHeight: cfg.MaxWindow.Height},
		Logger:                logger,
		OnRefused:             onRefused,
	}
	if tune != nil {
		tune(&gc)
	}
	g, err := guard.New(gc)
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

// contendedStartups is PORTFOLIO_CONTENDED_STARTUPS, or a quarter of PORTFOLIO_MAX_STARTUPS
// (OpenSSH's MaxStartups starts dropping at 10 of 100).
func (c Config) contendedStartups() int {
	if c.ContendedStartups != 0 {
		return c.ContendedStartups
	}
	return max(c.MaxStartups/4, c.MaxStartupsPerIP)
}

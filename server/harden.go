package server

import (
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
// shorten the limits that are not settings.
func newGuard(cfg Config, logger *slog.Logger, onRefused func(string, error), tune func(*guard.Config)) (*guard.Guard, error) {
	gc := guard.Config{
		// One per-source limiter, at accept time: PORTFOLIO_RATE_LIMIT and _BURST.
		RateLimit:          cfg.RateLimit.Limit(),
		RateBurst:          cfg.RateBurst,
		HandshakeTimeout:   cfg.HandshakeTimeout,
		MaxSessionDuration: cfg.MaxSessionDuration,
		ReadRate:           int(cfg.ReadRate),
		KeepaliveInterval:  cfg.KeepaliveInterval,
		Size:               guard.SizeLimits{MaxWidth: cfg.MaxWindow.Width, MaxHeight: cfg.MaxWindow.Height},
		Logger:             logger,
		OnRefused:          onRefused,
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

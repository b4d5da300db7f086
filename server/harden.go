package server

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"portfolio/server/guard"
	"portfolio/server/metrics"
)

// The hardening layer is server/guard: per-source admission at accept time, timeouts,
// per-connection channel and request limits, window size clamps, the algorithm set, read
// pacing and write deadlines. This file turns the server's Config into the guard's, and holds
// the settings only the guard uses.

// Hardening defaults: the guard's own, restated so that --help and the README show them as the
// server's settings.
const (
	DefaultHandshakeTimeout  = guard.DefaultHandshakeTimeout
	DefaultKeepaliveInterval = guard.DefaultKeepaliveInterval
	DefaultReadRate          = ByteRate(guard.DefaultReadRate)
)

// Bounds on the hardening settings: an operator may tune them, not switch the protection off.
const (
	minWindowWidth, maxWindowWidth   = 40, 1000
	minWindowHeight, maxWindowHeight = 10, 1000
	minReadRate                      = 4 << 10 // one SSH packet a second
	maxLoginGrace                    = 10 * time.Minute
	maxStartups                      = 1 << 16
	maxTimeoutPenalty                = 100
	minSources, maxSources           = 1 << 10, 1 << 20 // an entry is ~200 bytes: 1<<20 is ~200 MB
)

// newGuard builds the hardening layer from the validated config. tune, when set (tests), may
// shorten the limits that are not settings.
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
		HandshakeTimeout:      cfg.HandshakeTimeout,
		MaxSessionDuration:    cfg.MaxSessionDuration,
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

// refusedAtAccept counts a connection the guard refused before the handshake: over the
// source's rate, or too many unauthenticated connections (a cap).
func (s *Server) refusedAtAccept(_ string, err error) {
	reason := metrics.ReasonCap
	if errors.Is(err, guard.ErrRateLimited) {
		reason = metrics.ReasonRateLimit
	}
	s.metrics.Rejected(reason)
}

// validateHardening checks the guard's settings, naming the variable and the value.
func (c Config) validateHardening() error {
	switch w := c.MaxWindow; {
	case w.Width < minWindowWidth || w.Width > maxWindowWidth || w.Height < minWindowHeight || w.Height > maxWindowHeight:
		return fmt.Errorf("PORTFOLIO_MAX_WINDOW %q must be between %dx%d and %dx%d (columns x rows)",
			w.String(), minWindowWidth, minWindowHeight, maxWindowWidth, maxWindowHeight)
	case c.HandshakeTimeout <= 0:
		return fmt.Errorf("PORTFOLIO_HANDSHAKE_TIMEOUT %s must be positive", c.HandshakeTimeout)
	case c.LoginGrace < c.HandshakeTimeout || c.LoginGrace > maxLoginGrace:
		return fmt.Errorf("PORTFOLIO_LOGIN_GRACE %s must be from PORTFOLIO_HANDSHAKE_TIMEOUT (%s) to %s", c.LoginGrace, c.HandshakeTimeout, maxLoginGrace)
	case c.NoSessionTimeout < time.Second || c.NoSessionTimeout > time.Hour:
		return fmt.Errorf("PORTFOLIO_NO_SESSION_TIMEOUT %s must be from 1s to 1h", c.NoSessionTimeout)
	case c.WriteTimeout < time.Second || c.WriteTimeout > 10*time.Minute:
		return fmt.Errorf("PORTFOLIO_WRITE_TIMEOUT %s must be from 1s to 10m", c.WriteTimeout)
	case c.MaxStartups < 1 || c.MaxStartups > maxStartups:
		return fmt.Errorf("PORTFOLIO_MAX_STARTUPS %d must be from 1 to %d", c.MaxStartups, maxStartups)
	case c.MaxStartupsPerIP < 1 || c.MaxStartupsPerIP > c.MaxStartups:
		return fmt.Errorf("PORTFOLIO_MAX_STARTUPS_PER_IP %d must be from 1 to PORTFOLIO_MAX_STARTUPS (%d)", c.MaxStartupsPerIP, c.MaxStartups)
	case c.ContendedStartups != 0 && (c.ContendedStartups < c.MaxStartupsPerIP || c.ContendedStartups > c.MaxStartups):
		return fmt.Errorf("PORTFOLIO_CONTENDED_STARTUPS %d must be 0 (a quarter of PORTFOLIO_MAX_STARTUPS) or from PORTFOLIO_MAX_STARTUPS_PER_IP (%d) to PORTFOLIO_MAX_STARTUPS (%d)",
			c.ContendedStartups, c.MaxStartupsPerIP, c.MaxStartups)
	case c.MaxSources < minSources || c.MaxSources > maxSources:
		return fmt.Errorf("PORTFOLIO_MAX_SOURCES %d must be from %d to %d", c.MaxSources, minSources, maxSources)
	case c.KeepaliveMissed < 1 || c.KeepaliveMissed > 10:
		return fmt.Errorf("PORTFOLIO_KEEPALIVE_MAX_MISSED %d must be from 1 to 10", c.KeepaliveMissed)
	case c.ChannelsPerConn < 1 || c.ChannelsPerConn > 10:
		return fmt.Errorf("PORTFOLIO_SESSIONS_PER_CONNECTION %d must be from 1 to 10", c.ChannelsPerConn)
	case c.TimeoutPenalty < 0 || c.TimeoutPenalty > maxTimeoutPenalty:
		// A source's debt is capped at one burst whatever the penalty.
		return fmt.Errorf("PORTFOLIO_TIMEOUT_PENALTY %d must be from 0 to %d", c.TimeoutPenalty, maxTimeoutPenalty)
	case c.KeepaliveInterval <= 0:
		return fmt.Errorf("PORTFOLIO_KEEPALIVE_INTERVAL %s must be positive", c.KeepaliveInterval)
	case c.ReadRate < minReadRate:
		return fmt.Errorf("PORTFOLIO_READ_RATE %s must be at least %s", c.ReadRate, ByteRate(minReadRate))
	}
	return nil
}

// WindowSize is a terminal size written COLUMNSxROWS, like 300x100.
type WindowSize struct {
	Width, Height int
}

// ParseWindowSize reads a WindowSize written COLUMNSxROWS.
func ParseWindowSize(s string) (WindowSize, error) {
	w, h, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	if !ok {
		return WindowSize{}, fmt.Errorf("window size %q: want COLUMNSxROWS, like 300x100", s)
	}
	width, err1 := strconv.Atoi(strings.TrimSpace(w))
	height, err2 := strconv.Atoi(strings.TrimSpace(h))
	if err1 != nil || err2 != nil || width < 1 || height < 1 {
		return WindowSize{}, fmt.Errorf("window size %q: columns and rows must be whole numbers of at least 1", s)
	}
	return WindowSize{Width: width, Height: height}, nil
}

func (w WindowSize) String() string { return fmt.Sprintf("%dx%d", w.Width, w.Height) }

// Set makes *WindowSize a flag.Value.
func (w *WindowSize) Set(s string) error {
	v, err := ParseWindowSize(s)
	if err != nil {
		return err
	}
	*w = v
	return nil
}

// ByteRate is a number of bytes per second, written as a count with an optional unit: 65536,
// 64KiB, 1MiB (K and KB are taken as KiB, M and MB as MiB), optionally followed by /s.
type ByteRate int

// ParseByteRate reads a ByteRate.
func ParseByteRate(s string) (ByteRate, error) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "/s")
	num := strings.TrimRight(t, "KkMmGgiIbB")
	unit := strings.ToLower(strings.TrimSpace(t[len(num):]))
	mult := 1
	switch unit {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	default:
		return 0, fmt.Errorf("byte rate %q: unit must be B, KiB or MiB", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("byte rate %q: want a whole number of bytes per second, like 65536 or 64KiB", s)
	}
	return ByteRate(n * mult), nil
}

func (r ByteRate) String() string {
	switch {
	case r > 0 && r%(1<<20) == 0:
		return strconv.Itoa(int(r)>>20) + "MiB"
	case r > 0 && r%(1<<10) == 0:
		return strconv.Itoa(int(r)>>10) + "KiB"
	}
	return strconv.Itoa(int(r))
}

// Set makes *ByteRate a flag.Value.
func (r *ByteRate) Set(s string) error {
	v, err := ParseByteRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

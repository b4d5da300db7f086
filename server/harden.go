package server

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"portfolio/server/guard"
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

// validateHardening checks the guard's settings, naming the variable and the value.
func (c Config) validateHardening() error {
	switch w := c.MaxWindow; {
	case w.Width < minWindowWidth || w.Width > maxWindowWidth || w.Height < minWindowHeight || w.Height > maxWindowHeight:
		return fmt.Errorf("PORTFOLIO_MAX_WINDOW %q must be between %dx%d and %dx%d (columns x rows)",
			w.String(), minWindowWidth, minWindowHeight, maxWindowWidth, maxWindowHeight)
	case c.HandshakeTimeout <= 0:
		return fmt.Errorf("PORTFOLIO_HANDSHAKE_TIMEOUT %s must be positive", c.HandshakeTimeout)
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

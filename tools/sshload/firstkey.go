package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// runFirstKeys measures the first key of fresh sessions: for each of cfg.Keys sessions, one
// at a time, it waits for the first full frame and for the output to go quiet, sends one
// one-line scroll and times it to the first byte back. The portfolio paints its first frame
// without a Bubble Tea program and starts one on the first key, so this is what a visitor
// waits for that start; later keys (runKeys) go to a running program.
func runFirstKeys(ctx context.Context, cfg *config, d *dialer, marker []byte) (KeyResult, error) {
	res := KeyResult{OpenSessions: 0}
	var lat, sizes []float64
	deadline := time.Now().Add(cfg.KeyTime)
	for len(lat) < cfg.Keys && ctx.Err() == nil && time.Now().Before(deadline) {
		l, n, err := firstKey(ctx, cfg, d, marker)
		if err != nil {
			res.NoOutput++
			if res.NoOutput > cfg.Keys/10 {
				return res, fmt.Errorf("first keys: %w", err)
			}
			continue
		}
		lat = append(lat, l)
		sizes = append(sizes, float64(n))
	}
	res.LatencyMS = summarize(lat)
	res.Bytes = summarize(sizes)
	if len(lat) < cfg.Keys {
		return res, fmt.Errorf("%w: %d of %d first keys answered within --key-time %s", errPartial, len(lat), cfg.Keys, cfg.KeyTime)
	}
	return res, nil
}

// firstKey opens one session and returns its first key's latency in ms and the bytes of its
// answer.
func firstKey(ctx context.Context, cfg *config, d *dialer, marker []byte) (float64, int, error) {
	s, err := d.open(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer s.Close()
	if _, _, err := s.waitFor(marker, cfg.Timeout); err != nil {
		return 0, 0, err
	}
	if _, err := drainQuiet(s, 100*time.Millisecond, cfg.Timeout); err != nil {
		return 0, 0, err
	}
	if cfg.KeyJitter > 0 {
		time.Sleep(rand.N(cfg.KeyJitter))
	}
	t0 := time.Now()
	if _, err := s.stdin.Write([]byte(cfg.ScrollDown)); err != nil {
		return 0, 0, fmt.Errorf("send key: %w", err)
	}
	t := time.NewTimer(cfg.KeyWait)
	c, err := s.next(t)
	t.Stop()
	if errors.Is(err, errTimeout) {
		return 0, 0, fmt.Errorf("no answer to %q within %s", cfg.ScrollDown, cfg.KeyWait)
	}
	if err != nil {
		return 0, 0, err
	}
	more, err := drainQuiet(s, cfg.KeyQuiet, cfg.Timeout)
	if err != nil {
		return 0, 0, err
	}
	return ms(c.at.Sub(t0)), len(c.b) + more, nil
}

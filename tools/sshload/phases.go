package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// connectPhases runs the connect phases on a fresh process of every target, all started and
// warmed first; each worker count is then taken by every target in turn (inTurn), so that
// what the machine's neighbours do falls on all targets alike.
func connectPhases(ctx context.Context, cfg *config, work string, specs []targetSpec, results []*TargetResult) error {
	if len(cfg.Workers) == 0 {
		return nil
	}
	srvs := make([]*child, len(specs))
	dialers := make([]*dialer, len(specs))
	defer stopAll(srvs)
	for i, spec := range specs {
		srv, err := startSpec(ctx, work, spec, 1)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.name, err)
		}
		srvs[i], dialers[i] = srv, newDialer(cfg, srv.addr)
		if err := warm(ctx, cfg, dialers[i], squeeze(spec.marker)); err != nil {
			return fmt.Errorf("%s: warm-up (is --frame-marker %q on the first screen?): %w", spec.name, spec.marker, err)
		}
	}
	for k, w := range cfg.Workers {
		for _, i := range inTurn(len(specs), k) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			name := specs[i].name
			r := runConnect(ctx, cfg, dialers[i], srvs[i], squeeze(specs[i].marker), w, cfg.Conns, cfg.PhaseTime)
			logf("%s connect workers=%d: %d ok %d errors, %.0f/s, frame p50 %.1f ms p99 %.1f ms, cpu %.2f ms/conn",
				name, w, r.OK, r.Errors, r.PerSecond, r.FrameMS.P50, r.FrameMS.P99, r.CPUPerConn)
			if r.FirstError != "" {
				logf("%s first error: %s", name, r.FirstError)
			}
			results[i].Connect = append(results[i].Connect, r)
		}
	}
	for i, spec := range specs {
		if cfg.ProfileDir != "" && spec.name == cfg.ProfileTarget {
			// A separate, unmeasured phase: the profiler's own cost stays out of the numbers.
			results[i].Notes = append(results[i].Notes, profileConnect(ctx, cfg, dialers[i], srvs[i], squeeze(spec.marker))...)
		}
	}
	return nil
}

// sessionPhases measures keystrokes and idle sessions on another fresh process of every
// target, so the connect phases' garbage and peak heap don't count as per-session memory.
// The keystroke phases go in turn like the connect phases; the idle levels, which hold up to
// thousands of sessions open, go one target after the other, each target's process stopped
// once its levels are done.
func sessionPhases(ctx context.Context, cfg *config, work string, specs []targetSpec, results []*TargetResult) error {
	levels := slices.Clone(cfg.Idle)
	if cfg.KeyLoad > 0 && cfg.Keys > 0 {
		levels = append(levels, cfg.KeyLoad)
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	if len(levels) == 0 && cfg.Keys == 0 {
		return nil
	}
	srvs := make([]*child, len(specs))
	dialers := make([]*dialer, len(specs))
	defer stopAll(srvs)
	for i, spec := range specs {
		srv, err := startSpec(ctx, work, spec, 2)
		if err != nil {
			return fmt.Errorf("%s: %w", spec.name, err)
		}
		srvs[i], dialers[i] = srv, newDialer(cfg, srv.addr)
		if err := warm(ctx, cfg, dialers[i], squeeze(spec.marker)); err != nil {
			return fmt.Errorf("%s: %w", spec.name, err)
		}
	}
	time.Sleep(cfg.Settle)
	baseRSS := make([]int64, len(specs))
	for i, srv := range srvs {
		st, _ := readStatus(srv.pid())
		baseRSS[i] = st.RSSKiB
		results[i].BaseRSSMiB = float64(st.RSSKiB) / 1024
	}
	if cfg.Keys > 0 {
		for _, i := range inTurn(len(specs), 0) {
			res, name := results[i], specs[i].name
			kr, err := runKeys(ctx, cfg, dialers[i], squeeze(specs[i].marker), 0)
			if err != nil {
				res.Notes = append(res.Notes, "keys idle: "+err.Error())
			}
			if err == nil || errors.Is(err, errPartial) {
				logf("%s keys idle: p50 %.1f ms p99 %.1f ms, bytes p50 %.0f p95 %.0f", name, kr.LatencyMS.P50, kr.LatencyMS.P99, kr.Bytes.P50, kr.Bytes.P95)
				res.Keys = append(res.Keys, kr)
			}
		}
		for _, i := range inTurn(len(specs), 1) {
			res, name := results[i], specs[i].name
			fk, err := runFirstKeys(ctx, cfg, dialers[i], squeeze(specs[i].marker))
			if err != nil {
				res.Notes = append(res.Notes, "first keys: "+err.Error())
			}
			if err == nil || errors.Is(err, errPartial) {
				logf("%s first key of a fresh session: p50 %.1f ms p99 %.1f ms", name, fk.LatencyMS.P50, fk.LatencyMS.P99)
				res.FirstKey = &fk
			}
		}
	}
	for i, spec := range specs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		holdSessions(ctx, cfg, spec, srvs[i], dialers[i], levels, baseRSS[i], results[i])
		srvs[i].stop()
	}
	return ctx.Err()
}

// holdSessions opens sessions on one target up to each level in turn, measuring the idle
// levels (--idle) and the keystrokes under load (--key-load). A level that cannot be opened
// ends the target's levels with a note.
func holdSessions(ctx context.Context, cfg *config, spec targetSpec, srv *child, d *dialer, levels []int, baseRSS int64, res *TargetResult) {
	marker := squeeze(spec.marker)
	var open []*session
	defer func() { closeAll(open) }()
	for _, k := range levels {
		if ctx.Err() != nil {
			return
		}
		t0 := time.Now()
		var err error
		open, err = openMany(ctx, cfg, d, marker, open, k)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("opening %d sessions: %v", k, err))
			return
		}
		took := time.Since(t0)
		if slices.Contains(cfg.Idle, k) {
			ir := measureIdle(cfg, srv, open, baseRSS, took)
			if cfg.ProfileDir != "" && spec.name == cfg.ProfileTarget && k == levels[len(levels)-1] {
				res.Notes = append(res.Notes, profileIdle(cfg, srv, k)...)
			}
			logf("%s idle %d: rss %.1f MiB (%.0f KiB/session), goroutines %d, cpu %.1f%% of a core",
				spec.name, k, ir.RSSMiB, ir.RSSPerSessionKB, ir.Goroutines, ir.CPUPercent)
			res.Idle = append(res.Idle, ir)
		}
		if k == cfg.KeyLoad && cfg.Keys > 0 {
			kr, err := runKeys(ctx, cfg, d, marker, len(open))
			if err != nil {
				res.Notes = append(res.Notes, fmt.Sprintf("keys with %d open: %v", k, err))
			}
			if err == nil || errors.Is(err, errPartial) {
				logf("%s keys with %d open: p50 %.1f ms p99 %.1f ms", spec.name, k, kr.LatencyMS.P50, kr.LatencyMS.P99)
				res.Keys = append(res.Keys, kr)
			}
		}
	}
	if g := srv.goroutines(); g < 0 {
		res.Notes = append(res.Notes, "goroutines: the server exposes no /debug/pprof (run without --portfolio-bin to build it with the probe)")
	}
}

// stopAll stops every server started so far (stop is a no-op on a stopped one).
func stopAll(srvs []*child) {
	for _, s := range srvs {
		if s != nil {
			s.stop()
		}
	}
}

func newDialer(cfg *config, addr string) *dialer {
	return &dialer{addr: addr, spread: cfg.Spread, timeout: cfg.Timeout, width: cfg.Width, height: cfg.Height, term: cfg.Term}
}

// warm makes a few connections first so one-time costs (first key exchange, lazily built
// tables, the markdown cache) don't land in the measured phases.
func warm(ctx context.Context, cfg *config, d *dialer, marker []byte) error {
	for range 3 {
		s, err := d.open(ctx)
		if err != nil {
			return err
		}
		_, _, err = s.waitFor(marker, cfg.Timeout)
		s.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// profileConnect takes a CPU profile of the server while 8 workers connect for one phase
// time, then a heap profile whose alloc_space covers every connection so far.
func profileConnect(ctx context.Context, cfg *config, d *dialer, srv *child, marker []byte) []string {
	var notes []string
	if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
		return []string{"profile dir: " + err.Error()}
	}
	secs := max(int(cfg.PhaseTime.Seconds()), 1)
	errc := make(chan error, 1)
	go func() {
		errc <- srv.fetchProfile("profile", fmt.Sprintf("seconds=%d", secs),
			filepath.Join(cfg.ProfileDir, "cpu-connect-8.pprof"), time.Duration(secs+30)*time.Second)
	}()
	r := runConnect(ctx, cfg, d, srv, marker, 8, maxConns, time.Duration(secs)*time.Second)
	logf("%s profiled connect phase: %d connections", srv.name, r.OK)
	if err := <-errc; err != nil {
		notes = append(notes, "connect cpu profile: "+err.Error())
	}
	if err := srv.fetchProfile("heap", "gc=1", filepath.Join(cfg.ProfileDir, "heap-after-connect.pprof"), 30*time.Second); err != nil {
		notes = append(notes, "heap profile: "+err.Error())
	}
	return notes
}

// profileIdle takes a CPU profile over one idle window and a heap profile of the sessions.
func profileIdle(cfg *config, srv *child, k int) []string {
	var notes []string
	if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
		return []string{"profile dir: " + err.Error()}
	}
	secs := max(int(cfg.IdleWindow.Seconds()), 1)
	if err := srv.fetchProfile("profile", fmt.Sprintf("seconds=%d", secs),
		filepath.Join(cfg.ProfileDir, fmt.Sprintf("cpu-idle-%d.pprof", k)), time.Duration(secs+30)*time.Second); err != nil {
		notes = append(notes, "idle cpu profile: "+err.Error())
	}
	if err := srv.fetchProfile("heap", "gc=1", filepath.Join(cfg.ProfileDir, fmt.Sprintf("heap-idle-%d.pprof", k)), 30*time.Second); err != nil {
		notes = append(notes, "idle heap profile: "+err.Error())
	}
	return notes
}

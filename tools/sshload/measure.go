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

// targetSpec says how to start one server and how to recognise its first full frame.
type targetSpec struct {
	name   string
	marker string
	argv   func(addr, debugAddr string) []string
	envFor func(addr, debugAddr string) []string
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// measure runs every phase against every target, in order, one server process at a time.
func measure(ctx context.Context, cfg *config, args []string) (*report, error) {
	soft, hard, err := raiseNoFile()
	if err != nil {
		return nil, fmt.Errorf("raise RLIMIT_NOFILE: %w", err)
	}
	need := 2*max(slices.Max(append(slices.Clone(cfg.Idle), cfg.KeyLoad)), 1) + 256
	if soft < uint64(need) {
		return nil, fmt.Errorf("RLIMIT_NOFILE is %d (hard %d); %d sessions need about %d: raise the hard limit (ulimit -Hn)", soft, hard, need/2, need)
	}
	work := cfg.WorkDir
	if work == "" {
		if work, err = os.MkdirTemp("", "sshload-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	} else if err := os.MkdirAll(work, 0o700); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	rep := newReport(cfg, args, soft)
	var specs []targetSpec
	for _, t := range cfg.Targets {
		switch t {
		case "baseline", "tea":
			kind := t
			marker := "hello"
			if kind == "tea" {
				marker = teaFooter
			}
			specs = append(specs, targetSpec{name: kind, marker: marker,
				argv: func(addr, dbg string) []string {
					argv := []string{self, kind + "-server", "--addr", addr, "--debug-addr", dbg}
					if kind == "tea" && cfg.TeaFPS > 0 {
						argv = append(argv, "--fps", fmt.Sprint(cfg.TeaFPS))
					}
					return argv
				}})
		case "portfolio":
			bin := cfg.PortfolioBin
			if bin == "" {
				logf("building ./cmd/portfolio with the pprof probe")
				if bin, err = buildPortfolio(ctx, cfg.Repo, work); err != nil {
					return rep, err
				}
			}
			keyPath := filepath.Join(work, "hostkey", "portfolio_ed25519")
			specs = append(specs, targetSpec{name: "portfolio", marker: cfg.FrameMarker,
				argv: func(string, string) []string { return []string{bin} },
				envFor: func(addr, dbg string) []string {
					return append([]string{
						"PORTFOLIO_ADDR=" + addr,
						"PORTFOLIO_HOST_KEY_PATH=" + keyPath,
						"PORTFOLIO_MAX_SESSIONS=" + fmt.Sprint(maxSessions+100),
						"PORTFOLIO_MAX_SESSIONS_PER_IP=" + fmt.Sprint(maxSessions+100),
						"PORTFOLIO_RATE_LIMIT=100000/s",
						"PORTFOLIO_IDLE_TIMEOUT=30m",
						"PORTFOLIO_MAX_SESSION_DURATION=1h",
						"PORTFOLIO_LOG_LEVEL=" + cfg.LogLevel,
						"PORTFOLIO_LOG_FORMAT=" + cfg.LogFormat,
						"SSHLOAD_DEBUG_ADDR=" + dbg,
					}, cfg.PortfolioEnv...)
				}})
		}
	}
	for _, spec := range specs {
		res, err := measureTarget(ctx, cfg, work, spec)
		rep.Targets = append(rep.Targets, res)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", spec.name, err)
		}
	}
	rep.ClientCPUSeconds = selfCPU().Seconds()
	rep.evaluate(cfg)
	return rep, nil
}

func startSpec(ctx context.Context, work string, spec targetSpec, run int) (*child, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	dbg, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	var env []string
	if spec.envFor != nil {
		env = spec.envFor(addr, dbg)
	}
	logPath := filepath.Join(work, fmt.Sprintf("%s-%d.log", spec.name, run))
	return startChild(ctx, spec.name, addr, dbg, logPath, env, spec.argv(addr, dbg)...)
}

func measureTarget(ctx context.Context, cfg *config, work string, spec targetSpec) (*TargetResult, error) {
	res := &TargetResult{Name: spec.name, Marker: spec.marker}
	marker := squeeze(spec.marker)

	// Connect phases, on a fresh server process.
	if len(cfg.Workers) > 0 {
		srv, err := startSpec(ctx, work, spec, 1)
		if err != nil {
			return res, err
		}
		d := newDialer(cfg, srv.addr)
		if err := warm(ctx, cfg, d, marker); err != nil {
			srv.stop()
			return res, fmt.Errorf("warm-up (is --frame-marker %q on the first screen?): %w", spec.marker, err)
		}
		for _, w := range cfg.Workers {
			r := runConnect(ctx, cfg, d, srv, marker, w, cfg.Conns, cfg.PhaseTime)
			logf("%s connect workers=%d: %d ok %d errors, %.0f/s, frame p50 %.1f ms p99 %.1f ms, cpu %.2f ms/conn",
				spec.name, w, r.OK, r.Errors, r.PerSecond, r.FrameMS.P50, r.FrameMS.P99, r.CPUPerConn)
			if r.FirstError != "" {
				logf("%s first error: %s", spec.name, r.FirstError)
			}
			res.Connect = append(res.Connect, r)
		}
		if cfg.ProfileDir != "" && spec.name == cfg.ProfileTarget {
			// A separate, unmeasured phase: the profiler's own cost stays out of the numbers.
			res.Notes = append(res.Notes, profileConnect(ctx, cfg, d, srv, marker)...)
		}
		srv.stop()
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}

	// Idle sessions and keystrokes, on another fresh process so the connect phases' garbage
	// and peak heap don't count as per-session memory.
	levels := slices.Clone(cfg.Idle)
	if cfg.KeyLoad > 0 && cfg.Keys > 0 {
		levels = append(levels, cfg.KeyLoad)
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	if len(levels) == 0 && cfg.Keys == 0 {
		return res, nil
	}
	srv, err := startSpec(ctx, work, spec, 2)
	if err != nil {
		return res, err
	}
	defer srv.stop()
	d := newDialer(cfg, srv.addr)
	if err := warm(ctx, cfg, d, marker); err != nil {
		return res, err
	}
	time.Sleep(cfg.Settle)
	st, _ := readStatus(srv.pid())
	baseRSS := st.RSSKiB
	res.BaseRSSMiB = float64(baseRSS) / 1024
	if cfg.Keys > 0 {
		kr, err := runKeys(ctx, cfg, d, marker, 0)
		if err != nil {
			res.Notes = append(res.Notes, "keys idle: "+err.Error())
		}
		if err == nil || errors.Is(err, errPartial) {
			logf("%s keys idle: p50 %.1f ms p99 %.1f ms, bytes p50 %.0f p95 %.0f", spec.name, kr.LatencyMS.P50, kr.LatencyMS.P99, kr.Bytes.P50, kr.Bytes.P95)
			res.Keys = append(res.Keys, kr)
		}
	}
	if cfg.Keys > 0 {
		fk, err := runFirstKeys(ctx, cfg, d, marker)
		if err != nil {
			res.Notes = append(res.Notes, "first keys: "+err.Error())
		}
		if err == nil || errors.Is(err, errPartial) {
			logf("%s first key of a fresh session: p50 %.1f ms p99 %.1f ms", spec.name, fk.LatencyMS.P50, fk.LatencyMS.P99)
			res.FirstKey = &fk
		}
	}
	var open []*session
	defer func() { closeAll(open) }()
	for _, k := range levels {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		t0 := time.Now()
		open, err = openMany(ctx, cfg, d, marker, open, k)
		if err != nil {
			res.Notes = append(res.Notes, fmt.Sprintf("opening %d sessions: %v", k, err))
			return res, nil
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
	return res, nil
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

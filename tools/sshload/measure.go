package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// targetSpec says how to start one server and how to recognise its first full frame.
type targetSpec struct {
	name   string
	kind   string // "baseline", "tea" or "portfolio"
	marker string
	dir    string // the process's working directory: where a portfolio's default database lands
	argv   func(addr, debugAddr string) []string
	envFor func(addr, debugAddr string) []string
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// measure runs every phase against every target: the connect phases, then the sessions
// (phases.go), every phase taken by every target in turn.
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
	if work, err = filepath.Abs(work); err != nil {
		return nil, err
	}
	rep := newReport(cfg, args, soft)
	specs, err := targetSpecs(ctx, cfg, work)
	if err != nil {
		return rep, err
	}
	for _, spec := range specs {
		rep.Targets = append(rep.Targets, &TargetResult{Name: spec.name, Kind: spec.kind, Marker: spec.marker})
	}
	if err := connectPhases(ctx, cfg, work, specs, rep.Targets); err != nil {
		return rep, err
	}
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if err := sessionPhases(ctx, cfg, work, specs, rep.Targets); err != nil {
		return rep, err
	}
	rep.ClientCPUSeconds = selfCPU().Seconds()
	rep.evaluate(cfg)
	return rep, nil
}

// targetSpecs builds every target's spec, in the order of --targets and then --portfolio,
// building the portfolio binaries first so no compiler runs during a measurement.
func targetSpecs(ctx context.Context, cfg *config, work string) ([]targetSpec, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var specs []targetSpec
	for _, t := range cfg.Targets {
		switch t {
		case "baseline", "tea":
			kind := t
			marker := "hello"
			if kind == "tea" {
				marker = teaFooter
			}
			specs = append(specs, targetSpec{name: kind, kind: kind, marker: marker, dir: work,
				argv: func(addr, dbg string) []string {
					argv := []string{self, kind + "-server", "--addr", addr, "--debug-addr", dbg}
					if kind == "tea" && cfg.TeaFPS > 0 {
						argv = append(argv, "--fps", fmt.Sprint(cfg.TeaFPS))
					}
					return argv
				},
				envFor: func(string, string) []string { return cfg.TargetEnv[kind] }})
		case "portfolio":
			spec, err := portfolioSpec(ctx, cfg, work, "portfolio", cmp.Or(cfg.PortfolioBin, cfg.Repo))
			if err != nil {
				return nil, err
			}
			specs = append(specs, spec)
		}
	}
	for _, p := range cfg.Portfolios {
		spec, err := portfolioSpec(ctx, cfg, work, p.Name, p.Path)
		if err != nil {
			return nil, err
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

// portfolioSpec is a portfolio target named name, running the binary at path, or one built
// from the repository at path with the pprof probe. It runs in work/NAME, so that its
// default database (data/portfolio.db under the working directory) is its own.
func portfolioSpec(ctx context.Context, cfg *config, work, name, path string) (targetSpec, error) {
	dir := filepath.Join(work, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return targetSpec{}, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return targetSpec{}, fmt.Errorf("%s: %w", name, err)
	}
	bin := path
	if fi.IsDir() {
		logf("%s: building ./cmd/portfolio of %s with the pprof probe", name, path)
		if bin, err = buildPortfolio(ctx, path, dir); err != nil {
			return targetSpec{}, fmt.Errorf("%s: %w", name, err)
		}
	} else if bin, err = filepath.Abs(bin); err != nil {
		return targetSpec{}, err
	}
	keyPath := filepath.Join(dir, "hostkey", "portfolio_ed25519")
	return targetSpec{name: name, kind: "portfolio", marker: cfg.FrameMarker, dir: dir,
		argv: func(string, string) []string { return []string{bin} },
		envFor: func(addr, dbg string) []string {
			env := []string{
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
			}
			env = append(env, cfg.PortfolioEnv...)
			return append(env, cfg.TargetEnv[name]...)
		}}, nil
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
	return startChild(ctx, spec.name, addr, dbg, spec.dir, logPath, env, spec.argv(addr, dbg)...)
}

// inTurn is the order in which n targets take phase number k: each phase starts one target
// later than the one before, so no target always goes first (after the machine's quietest
// pause) or always follows the heaviest.
func inTurn(n, k int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = (k + i) % n
	}
	return order
}

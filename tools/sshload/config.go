package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// config is every knob of a measurement run. Every loop it drives is bounded by a count and
// by a time; MaxTime bounds the whole run.
type config struct {
	Targets       []string
	PortfolioBin  string
	Repo          string
	FrameMarker   string
	Workers       []int
	Conns         int
	PhaseTime     time.Duration
	Idle          []int
	KeyLoad       int
	IdleWindow    time.Duration
	Settle        time.Duration
	OpenTime      time.Duration
	Keys          int
	KeyWait       time.Duration
	KeyQuiet      time.Duration
	KeyJitter     time.Duration
	KeyTime       time.Duration
	OpenKey       string
	ScrollDown    string
	ScrollUp      string
	Width         int
	Height        int
	Term          string
	Timeout       time.Duration
	Spread        bool
	FrameMS       float64
	MaxTime       time.Duration
	JSONPath      string
	ProfileDir    string
	ProfileTarget string
	LogLevel      string
	LogFormat     string
	WorkDir       string
	TeaFPS        int
	PortfolioEnv  envList
	Portfolios    []namedPortfolio   // --portfolio NAME=PATH: more portfolio targets, measured side by side
	TargetEnv     map[string]envList // --target-env NAME:KEY=VALUE: one target's own environment
	Compare       []comparePair      // --compare NEW/OLD: which portfolio targets the comparison table sets side by side
}

// namedPortfolio is one --portfolio target: a binary, or a repository to build one from.
type namedPortfolio struct {
	Name string
	Path string
}

// comparePair is one --compare NEW/OLD: NEW's figures against OLD's.
type comparePair struct{ New, Old string }

// productRoot is where the portfolio's repository is when the tool runs the way the README says,
// from the tools module (`cd tools && go run ./sshload`): its parent directory.
const productRoot = ".."

var knownTargets = []string{"baseline", "tea", "portfolio"}

// limits that keep the tool a measuring instrument rather than a flood
const (
	maxConns    = 20000
	maxSessions = 5000
	maxWorkers  = 64
)

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("sshload", flag.ContinueOnError)
	targets := fs.String("targets", "baseline,portfolio", "servers to measure, comma-separated: "+strings.Join(knownTargets, ", ")+" (with --portfolio: baseline)")
	fs.StringVar(&c.PortfolioBin, "portfolio-bin", "", "portfolio binary to run (default: build ./cmd/portfolio from --repo with a pprof probe overlaid)")
	fs.StringVar(&c.Repo, "repo", productRoot, "the portfolio's repository root, to build ./cmd/portfolio from")
	fs.StringVar(&c.FrameMarker, "frame-marker", "q quit", "text on the portfolio's last line: seeing it means a full first frame (whitespace ignored)")
	workers := fs.String("workers", "1,4,8,16", "connect phases: concurrent workers each (1 = sequential)")
	fs.IntVar(&c.Conns, "conns", 600, "connections per connect phase (at most; the phase's CPU includes its teardown, until the server's CPU has stood still for 1.2 s (at most 5 s), so fewer inflate CPU per connection)")
	fs.DurationVar(&c.PhaseTime, "phase-time", 10*time.Second, "time bound of each connect phase")
	idle := fs.String("idle", "100,1000,2000", "idle session counts to hold open, comma-separated (empty: none)")
	fs.IntVar(&c.KeyLoad, "key-load", 1000, "sessions held open while measuring keystrokes under load (0: skip)")
	fs.DurationVar(&c.IdleWindow, "idle-window", 5*time.Second, "window over which idle CPU is measured")
	fs.DurationVar(&c.Settle, "settle", 7*time.Second, "pause after opening sessions before measuring (longer than the portfolio's sleep delay, 5s, so idle means asleep)")
	fs.DurationVar(&c.OpenTime, "open-time", 90*time.Second, "time bound for opening each batch of idle sessions")
	fs.IntVar(&c.Keys, "keys", 100, "keystrokes per keystroke phase")
	fs.DurationVar(&c.KeyWait, "key-wait", time.Second, "how long a key may go unanswered before it counts as no output")
	fs.DurationVar(&c.KeyQuiet, "key-quiet", 60*time.Millisecond, "output silence that ends one key's answer")
	fs.DurationVar(&c.KeyJitter, "key-jitter", 100*time.Millisecond, "random pause before each key, up to this long (spreads keys over the server's frame ticker)")
	fs.DurationVar(&c.KeyTime, "key-time", time.Minute, "time bound of each keystroke phase")
	fs.StringVar(&c.OpenKey, "open-key", "1", "key sent once before the scrolling keys, to leave the portfolio's cover for a section (empty: none)")
	fs.StringVar(&c.ScrollDown, "scroll-down", "j", "key that scrolls one line down")
	fs.StringVar(&c.ScrollUp, "scroll-up", "k", "key that scrolls one line up")
	fs.IntVar(&c.Width, "width", 80, "PTY width")
	fs.IntVar(&c.Height, "height", 24, "PTY height")
	fs.StringVar(&c.Term, "term", "xterm-256color", "TERM sent with the PTY request")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Second, "bound on connecting and on waiting for a first frame")
	fs.BoolVar(&c.Spread, "spread", true, "bind each connection to a different 127.0.X.Y source address")
	fs.Float64Var(&c.FrameMS, "frame-slack", 8, "how many ms the first frame's p99 may be above the bare server's (issue 12's target)")
	fs.DurationVar(&c.MaxTime, "max-time", 20*time.Minute, "bound on the whole run")
	fs.StringVar(&c.JSONPath, "json", "", "also write the results as JSON to this file")
	fs.StringVar(&c.ProfileDir, "profile-dir", "", "save CPU and heap profiles here, taken in extra phases after the measured ones (needs /debug/pprof: the built-in probe)")
	fs.StringVar(&c.ProfileTarget, "profile-target", "portfolio", "which target to profile")
	fs.StringVar(&c.LogLevel, "portfolio-log-level", "info", "PORTFOLIO_LOG_LEVEL for the portfolio under test")
	fs.StringVar(&c.LogFormat, "portfolio-log-format", "json", "PORTFOLIO_LOG_FORMAT for the portfolio under test (json: what the container image logs)")
	fs.StringVar(&c.WorkDir, "work-dir", "", "directory for logs, the built binary and host keys (default: a temporary one, removed)")
	fs.IntVar(&c.TeaFPS, "tea-fps", 0, "frame rate of the plain Bubble Tea reference app (0: Bubble Tea's default, 60)")
	fs.Var(&c.PortfolioEnv, "portfolio-env", "extra KEY=VALUE for the portfolio's environment (repeatable; wins over the tool's own)")
	fs.Func("portfolio", "NAME=PATH: one more portfolio target named NAME, PATH a binary or a repository root to build ./cmd/portfolio from with the probe (repeatable; measured side by side, every phase taken in turn by every target)", func(v string) error {
		name, path, ok := strings.Cut(v, "=")
		if !ok || path == "" {
			return fmt.Errorf("%q is not NAME=PATH", v)
		}
		if err := checkTargetName(name); err != nil {
			return err
		}
		for _, p := range c.Portfolios {
			if p.Name == name {
				return fmt.Errorf("target %q given twice", name)
			}
		}
		c.Portfolios = append(c.Portfolios, namedPortfolio{Name: name, Path: path})
		return nil
	})
	fs.Func("target-env", "NAME:KEY=VALUE for the environment of target NAME only (repeatable; wins over --portfolio-env)", func(v string) error {
		name, kv, ok := strings.Cut(v, ":")
		if !ok {
			return fmt.Errorf("%q is not NAME:KEY=VALUE", v)
		}
		if c.TargetEnv == nil {
			c.TargetEnv = map[string]envList{}
		}
		e := c.TargetEnv[name]
		if err := e.Set(kv); err != nil {
			return err
		}
		c.TargetEnv[name] = e
		return nil
	})
	compare := fs.String("compare", "", "NEW/OLD pairs of portfolio targets to set side by side, comma-separated (default: every --portfolio target after the first against the first)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: sshload [flags]\n       sshload trace|admission|memory [flags]   (each with its own --help)\n       sshload baseline-server|tea-server --addr 127.0.0.1:PORT\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "targets" })
	if len(c.Portfolios) > 0 && !explicit {
		*targets = "baseline" // the --portfolio targets replace the built one, not join it
	}
	var err error
	if c.Targets, err = parseTargets(*targets); err != nil {
		return nil, err
	}
	if c.Compare, err = parseCompare(*compare, c.portfolioNames()); err != nil {
		return nil, err
	}
	for name := range c.TargetEnv {
		if !slices.Contains(c.Targets, name) && !slices.Contains(c.portfolioNames(), name) {
			return nil, fmt.Errorf("target-env: no target %q", name)
		}
	}
	if c.Workers, err = parseInts("workers", *workers); err != nil {
		return nil, err
	}
	if c.Idle, err = parseInts("idle", *idle); err != nil {
		return nil, err
	}
	return c, c.validate()
}

// envList is a repeatable KEY=VALUE flag.
type envList []string

func (e *envList) String() string { return strings.Join(*e, " ") }

func (e *envList) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}

func parseTargets(s string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !slices.Contains(knownTargets, t) {
			return nil, fmt.Errorf("targets: unknown target %q (known: %s)", t, strings.Join(knownTargets, ", "))
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("targets: none given")
	}
	return out, nil
}

// checkTargetName keeps a --portfolio name apart from the built-in targets and usable as a
// directory name (each target runs in a directory of that name).
func checkTargetName(name string) error {
	if slices.Contains(knownTargets, name) {
		return fmt.Errorf("portfolio: %q is a built-in target's name", name)
	}
	if name == "" || len(name) > 32 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return fmt.Errorf("portfolio: name %q: want 1-32 of a-z, 0-9, - and _", name)
	}
	return nil
}

// parseCompare reads "after/before,after/nodb" over the portfolio targets, in the order
// they are measured; empty means every one after the first against the first.
func parseCompare(s string, names []string) ([]comparePair, error) {
	var out []comparePair
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, o, ok := strings.Cut(f, "/")
		if !ok || !slices.Contains(names, n) || !slices.Contains(names, o) || n == o {
			return nil, fmt.Errorf("compare: %q is not NEW/OLD of two portfolio targets (%s)", f, strings.Join(names, ", "))
		}
		out = append(out, comparePair{New: n, Old: o})
	}
	if strings.TrimSpace(s) == "" {
		for _, n := range names[min(1, len(names)):] {
			out = append(out, comparePair{New: n, Old: names[0]})
		}
	}
	return out, nil
}

// portfolioNames are the portfolio targets in the order they are measured: the built one
// (--targets portfolio), then every --portfolio.
func (c *config) portfolioNames() []string {
	var names []string
	if slices.Contains(c.Targets, "portfolio") {
		names = append(names, "portfolio")
	}
	for _, p := range c.Portfolios {
		names = append(names, p.Name)
	}
	return names
}

func parseInts(name, s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s: %q is not a positive integer", name, f)
		}
		out = append(out, n)
	}
	return out, nil
}

func (c *config) validate() error {
	for _, w := range c.Workers {
		if w > maxWorkers {
			return fmt.Errorf("workers: %d is over the limit of %d", w, maxWorkers)
		}
	}
	for _, k := range append(slices.Clone(c.Idle), c.KeyLoad) {
		if k > maxSessions {
			return fmt.Errorf("idle/key-load: %d sessions is over the limit of %d", k, maxSessions)
		}
	}
	switch {
	case c.Conns <= 0 || c.Conns > maxConns:
		return fmt.Errorf("conns: %d is outside 1..%d", c.Conns, maxConns)
	case c.KeyLoad < 0:
		return fmt.Errorf("key-load: %d is negative", c.KeyLoad)
	case c.Keys < 0 || c.Keys > 10000:
		return fmt.Errorf("keys: %d is outside 0..10000", c.Keys)
	case c.PhaseTime <= 0 || c.IdleWindow <= 0 || c.OpenTime <= 0 || c.Timeout <= 0 || c.MaxTime <= 0 || c.KeyWait <= 0 || c.KeyQuiet <= 0 || c.KeyJitter < 0 || c.KeyTime <= 0:
		return errors.New("every duration must be positive")
	case c.Width < 10 || c.Height < 5:
		return fmt.Errorf("width/height: %dx%d is too small", c.Width, c.Height)
	case strings.TrimSpace(c.FrameMarker) == "":
		return errors.New("frame-marker: empty")
	case c.TeaFPS < 0 || c.TeaFPS > 120:
		return fmt.Errorf("tea-fps: %d is outside 0..120", c.TeaFPS)
	case c.ScrollDown == "" || c.ScrollUp == "":
		return errors.New("scroll-down/scroll-up: empty")
	}
	return nil
}

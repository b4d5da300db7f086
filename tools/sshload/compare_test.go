package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestParsePortfolioTargets(t *testing.T) {
	cfg, err := parseFlags([]string{"--portfolio", "before=/tmp/before", "--portfolio", "after=/tmp/src",
		"--target-env", "after:PORTFOLIO_DATABASE=x.db", "--target-env", "after:A=b=c"})
	if err != nil {
		t.Fatal(err)
	}
	// --portfolio targets replace the built one unless --targets names it
	if !slices.Equal(cfg.Targets, []string{"baseline"}) {
		t.Errorf("targets = %q, want [baseline]", cfg.Targets)
	}
	want := []namedPortfolio{{"before", "/tmp/before"}, {"after", "/tmp/src"}}
	if !slices.Equal(cfg.Portfolios, want) {
		t.Errorf("portfolios = %+v, want %+v", cfg.Portfolios, want)
	}
	if got := cfg.TargetEnv["after"]; !slices.Equal(got, envList{"PORTFOLIO_DATABASE=x.db", "A=b=c"}) {
		t.Errorf("after's env = %q", got)
	}
	if !slices.Equal(cfg.Compare, []comparePair{{New: "after", Old: "before"}}) {
		t.Errorf("default compare = %+v, want after/before", cfg.Compare)
	}

	cfg, err = parseFlags([]string{"--targets", "baseline,portfolio", "--portfolio", "a=/x", "--portfolio", "b=/y",
		"--compare", "b/a, portfolio/b"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.portfolioNames(), []string{"portfolio", "a", "b"}) {
		t.Errorf("portfolio names = %q", cfg.portfolioNames())
	}
	if !slices.Equal(cfg.Compare, []comparePair{{"b", "a"}, {"portfolio", "b"}}) {
		t.Errorf("compare = %+v", cfg.Compare)
	}

	for _, bad := range [][]string{
		{"--portfolio", "before"},                                     // no path
		{"--portfolio", "=/x"},                                        // no name
		{"--portfolio", "tea=/x"},                                     // a built-in target's name
		{"--portfolio", "../up=/x"},                                   // not a directory name
		{"--portfolio", "a=/x", "--portfolio", "a=/y"},                // twice
		{"--portfolio", "a=/x", "--compare", "a/nope"},                // no such target
		{"--portfolio", "a=/x", "--compare", "a/a"},                   // against itself
		{"--portfolio", "a=/x", "--target-env", "b:K=V"},              // env for no target
		{"--portfolio", "a=/x", "--target-env", "a:novalue"},          // not KEY=VALUE
		{"--targets", "baseline", "--compare", "portfolio/portfolio"}, // no portfolio at all
	} {
		if _, err := parseFlags(bad); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

func TestInTurnRotates(t *testing.T) {
	for k, want := range [][]int{{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 1, 2}} {
		if got := inTurn(3, k); !slices.Equal(got, want) {
			t.Errorf("inTurn(3, %d) = %v, want %v", k, got, want)
		}
	}
}

// sample is a target with every headline figure measured.
func sample(name, kind string, perSec, cpu, frameP99, keyP99, loadP99, firstP99, rssKB, idleCPU float64) *TargetResult {
	return &TargetResult{Name: name, Kind: kind,
		Connect: []ConnectResult{
			{Workers: 1, OK: 100, FrameMS: Summary{N: 100, P99: frameP99}, CPUPerConn: cpu},
			{Workers: 8, OK: 100, PerSecond: perSec, CPUPerConn: cpu},
		},
		Keys: []KeyResult{
			{OpenSessions: 0, LatencyMS: Summary{N: 100, P99: keyP99}},
			{OpenSessions: 1000, LatencyMS: Summary{N: 100, P99: loadP99}},
		},
		FirstKey: &KeyResult{LatencyMS: Summary{N: 100, P99: firstP99}},
		Idle:     []IdleResult{{Sessions: 1000, RSSPerSessionKB: rssKB, CPUPercent: idleCPU}},
	}
}

func TestCompareWithinTolerance(t *testing.T) {
	cfg := &config{KeyLoad: 1000, Idle: []int{100, 1000}, FrameMS: 8,
		Compare: []comparePair{{New: "after", Old: "before"}}}
	rep := &report{Targets: []*TargetResult{
		sample("baseline", "baseline", 500, 1.0, 10, 1, 1, 1, 60, 0),
		sample("before", "portfolio", 300, 2.0, 20, 10, 10, 20, 100, 0),
		// connections 9 % fewer (within), CPU 11 % more (not), first frame 10 % more (within,
		// the edge), keys faster (within), fresh key 20 % slower (not), memory the same,
		// idle CPU from nothing to something (not)
		sample("after", "portfolio", 273, 2.22, 22, 5, 9, 24, 100, 0.2),
	}}
	rep.evaluate(cfg)
	if len(rep.Comparisons) != 1 {
		t.Fatalf("comparisons = %+v", rep.Comparisons)
	}
	c := rep.Comparisons[0]
	within := map[string]bool{}
	for _, f := range c.Figures {
		within[f.Name] = f.Within
	}
	want := map[string]bool{
		"connections/s, 8 workers, vs bare":      true,
		"server CPU per connection vs bare":      false,
		"first frame p99, one at a time":         true,
		"keystroke p99, no other session":        true,
		"keystroke p99, 1000 sessions open":      true,
		"first keystroke of a fresh session p99": false,
		"RSS growth per idle session, 1000 open": true,
		"CPU of 1000 idle sessions":              false,
	}
	if len(within) != len(want) {
		t.Errorf("figures = %+v", c.Figures)
	}
	for name, w := range want {
		if got, ok := within[name]; !ok || got != w {
			t.Errorf("%s: within = %v (present %v), want %v", name, got, ok, w)
		}
	}
	f := c.Figures[0]
	if f.Old != 0.6 || f.New != 273.0/500 || f.Bare == nil || *f.Bare != 1 || f.Ratio != f.New/f.Old {
		t.Errorf("connection figure = %+v", f)
	}
	// every portfolio target is checked against the targets, not only one
	subjects := map[string]int{}
	for _, ch := range rep.Checks {
		subjects[ch.Subject]++
	}
	if subjects["before"] == 0 || subjects["before"] != subjects["after"] {
		t.Errorf("checks per subject = %v", subjects)
	}
	// JSON has no NaN or Inf to choke on, even for a figure that was zero before
	if _, err := json.Marshal(rep); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.printComparisons(&out)
	for _, want := range []string{"after against before", "after/before", "within 10 %", "CPU of 1000 idle sessions"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("comparison lacks %q:\n%s", want, out.String())
		}
	}
}

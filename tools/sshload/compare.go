package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// compareTolerance is the "within 10 %" the issues ask of a change: a figure of the newer
// target may be at most this much worse than the older one's.
const compareTolerance = 0.10

// comparison sets one portfolio target's headline figures beside another's, from the same
// run (--compare NEW/OLD).
type comparison struct {
	New     string           `json:"new"`
	Old     string           `json:"old"`
	Figures []comparedFigure `json:"figures"`
}

// comparedFigure is one headline figure of both targets (and of the bare server, when it was
// measured: 1 for the figures that are ratios to it).
type comparedFigure struct {
	Name         string   `json:"name"`
	Unit         string   `json:"unit"`
	HigherBetter bool     `json:"higher_is_better"`
	Bare         *float64 `json:"bare,omitempty"`
	Old          float64  `json:"old"`
	New          float64  `json:"new"`
	Ratio        float64  `json:"new_over_old,omitempty"` // 0 when Old is 0
	Within       bool     `json:"within_tolerance"`
}

// figureValue is one headline figure of one target; ok is false when it was not measured.
type figureValue struct {
	name, unit   string
	higherBetter bool
	value        float64
	ok           bool
}

// figures are the headline figures of t (issue 16's list: connection rate and CPU per
// connection against the bare server, first frame p99, keystroke latency, idle memory and
// CPU), in a fixed order.
func (r *report) figures(cfg *config, t *TargetResult) []figureValue {
	n := 1000 // idle sessions: 1,000 when measured, else the largest count
	if idleAt(t, n) == nil && len(cfg.Idle) > 0 {
		n = cfg.Idle[len(cfg.Idle)-1]
	}
	fs := []figureValue{
		{name: "connections/s, 8 workers, vs bare", unit: "x", higherBetter: true},
		{name: "server CPU per connection vs bare", unit: "x"},
		{name: "first frame p99, one at a time", unit: "ms"},
		{name: "keystroke p99, no other session", unit: "ms"},
		{name: fmt.Sprintf("keystroke p99, %d sessions open", cfg.KeyLoad), unit: "ms"},
		{name: "first keystroke of a fresh session p99", unit: "ms"},
		{name: fmt.Sprintf("RSS growth per idle session, %d open", n), unit: "KiB"},
		{name: fmt.Sprintf("CPU of %d idle sessions", n), unit: "% core"},
	}
	set := func(i int, v float64) { fs[i].value, fs[i].ok = v, true }
	if base := r.target("baseline"); base != nil {
		if b, s := connectAt(base, 8), connectAt(t, 8); b != nil && s != nil && b.PerSecond > 0 {
			set(0, s.PerSecond/b.PerSecond)
		}
		if b, s := cpuPerConn(base), cpuPerConn(t); b > 0 && s > 0 {
			set(1, s/b)
		}
	}
	if c := connectAt(t, 1); c != nil && c.OK > 0 {
		set(2, c.FrameMS.P99)
	}
	if k := keysAt(t, 0); k != nil && k.LatencyMS.N > 0 {
		set(3, k.LatencyMS.P99)
	}
	if k := keysAt(t, cfg.KeyLoad); cfg.KeyLoad > 0 && k != nil && k.LatencyMS.N > 0 {
		set(4, k.LatencyMS.P99)
	}
	if k := t.FirstKey; k != nil && k.LatencyMS.N > 0 {
		set(5, k.LatencyMS.P99)
	}
	if ir := idleAt(t, n); ir != nil {
		set(6, ir.RSSPerSessionKB)
		set(7, ir.CPUPercent)
	}
	return fs
}

// compare sets the figures of p.New beside p.Old's; ok is false when either is missing.
func (r *report) compare(cfg *config, p comparePair) (comparison, bool) {
	nt, ot := r.target(p.New), r.target(p.Old)
	if nt == nil || ot == nil {
		return comparison{}, false
	}
	c := comparison{New: p.New, Old: p.Old}
	var bare []figureValue
	if base := r.target("baseline"); base != nil {
		bare = r.figures(cfg, base)
	}
	nf, of := r.figures(cfg, nt), r.figures(cfg, ot)
	for i := range nf {
		if !nf[i].ok || !of[i].ok {
			continue
		}
		f := comparedFigure{Name: nf[i].name, Unit: nf[i].unit, HigherBetter: nf[i].higherBetter,
			Old: of[i].value, New: nf[i].value}
		if f.Old != 0 {
			f.Ratio = f.New / f.Old
		}
		if bare != nil && bare[i].ok {
			f.Bare = &bare[i].value
		}
		if f.HigherBetter {
			f.Within = f.New >= f.Old*(1-compareTolerance)
		} else {
			f.Within = f.New <= f.Old*(1+compareTolerance)
		}
		c.Figures = append(c.Figures, f)
	}
	return c, true
}

func (r *report) printComparisons(w io.Writer) {
	for _, c := range r.Comparisons {
		fmt.Fprintf(w, "\n%s against %s, same run (within %.0f %%: %s at most %.0f %% worse than %s)\n",
			c.New, c.Old, 100*compareTolerance, c.New, 100*compareTolerance, c.Old)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "figure\tunit\tbare\t%s\t%s\t%s/%s\twithin %.0f %%\n", c.Old, c.New, c.New, c.Old, 100*compareTolerance)
		for _, f := range c.Figures {
			bare, rat, within := "-", "-", "no"
			if f.Bare != nil {
				bare = fmt.Sprintf("%.2f", *f.Bare)
			}
			if f.Ratio != 0 {
				rat = fmt.Sprintf("%.2f", f.Ratio)
			}
			if f.Within {
				within = "yes"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\n", f.Name, f.Unit, bare, f.Old, f.New, rat, within)
		}
		tw.Flush()
	}
}

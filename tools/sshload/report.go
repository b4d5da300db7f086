package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// report is the outcome of one run: the machine, the command, every target's numbers and
// the checks against the performance targets (docs/performance.md).
type report struct {
	Date             string          `json:"date"`
	NumCPU           int             `json:"nproc"`
	GoVersion        string          `json:"go_version"`
	Command          string          `json:"command"`
	NoFile           uint64          `json:"rlimit_nofile"`
	Width            int             `json:"width"`
	Height           int             `json:"height"`
	Targets          []*TargetResult `json:"targets"`
	Checks           []check         `json:"checks"`
	ClientCPUSeconds float64         `json:"client_cpu_seconds"`
}

// check is one performance target (docs/performance.md) evaluated in this run.
type check struct {
	Name    string  `json:"name"`
	Subject string  `json:"subject"`
	Value   float64 `json:"value"`
	Limit   string  `json:"limit"`
	Pass    bool    `json:"pass"`
	Detail  string  `json:"detail"`
}

func newReport(cfg *config, args []string, nofile uint64) *report {
	return &report{
		Date:      time.Now().UTC().Format(time.RFC3339),
		NumCPU:    runtime.NumCPU(),
		GoVersion: runtime.Version(),
		Command:   strings.TrimSpace("sshload " + strings.Join(args, " ")),
		NoFile:    nofile,
		Width:     cfg.Width,
		Height:    cfg.Height,
	}
}

func (r *report) target(name string) *TargetResult {
	for _, t := range r.Targets {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func connectAt(t *TargetResult, workers int) *ConnectResult {
	for i := range t.Connect {
		if t.Connect[i].Workers == workers {
			return &t.Connect[i]
		}
	}
	return nil
}

// cpuPerConn is server CPU per connection over all connect phases together.
func cpuPerConn(t *TargetResult) float64 {
	var cpu float64
	var n int
	for _, c := range t.Connect {
		cpu += c.CPUPerConn * float64(c.OK)
		n += c.OK
	}
	if n == 0 {
		return 0
	}
	return cpu / float64(n)
}

func idleAt(t *TargetResult, k int) *IdleResult {
	for i := range t.Idle {
		if t.Idle[i].Sessions == k {
			return &t.Idle[i]
		}
	}
	return nil
}

func keysAt(t *TargetResult, open int) *KeyResult {
	for i := range t.Keys {
		if t.Keys[i].OpenSessions == open {
			return &t.Keys[i]
		}
	}
	return nil
}

// evaluate compares the subject (the portfolio, else the plain tea app) with the baseline.
func (r *report) evaluate(cfg *config) {
	base := r.target("baseline")
	subj := r.target("portfolio")
	if subj == nil {
		subj = r.target("tea")
	}
	if subj == nil {
		return
	}
	add := func(name string, value float64, limit string, pass bool, detail string) {
		r.Checks = append(r.Checks, check{Name: name, Subject: subj.Name, Value: value, Limit: limit, Pass: pass, Detail: detail})
	}
	if base != nil {
		if b, s := connectAt(base, 8), connectAt(subj, 8); b != nil && s != nil && b.PerSecond > 0 {
			v := s.PerSecond / b.PerSecond
			add("connections/s, 8 workers, vs bare", v, ">= 0.60x", v >= 0.6, fmt.Sprintf("%.0f/s vs %.0f/s", s.PerSecond, b.PerSecond))
		}
		if b, s := cpuPerConn(base), cpuPerConn(subj); b > 0 && s > 0 {
			v := s / b
			add("server CPU per connection vs bare", v, "<= 2.5x", v <= 2.5, fmt.Sprintf("%.2f ms vs %.2f ms", s, b))
		}
		if b, s := connectAt(base, 1), connectAt(subj, 1); b != nil && s != nil && b.OK > 0 && s.OK > 0 {
			v := s.FrameMS.P99 - b.FrameMS.P99
			add("first frame p99 sequential, above bare", v, fmt.Sprintf("<= %.1f ms", cfg.FrameMS), v <= cfg.FrameMS,
				fmt.Sprintf("%.1f ms vs %.1f ms", s.FrameMS.P99, b.FrameMS.P99))
		}
	}
	// memory per idle session: at 1,000 sessions when measured, else the largest count
	var ir *IdleResult
	if ir = idleAt(subj, 1000); ir == nil && len(subj.Idle) > 0 {
		ir = &subj.Idle[len(subj.Idle)-1]
	}
	if ir != nil {
		add(fmt.Sprintf("resident memory per idle session (%d open)", ir.Sessions), ir.RSSPerSessionKB, "<= 300 KiB",
			ir.RSSPerSessionKB <= 300, fmt.Sprintf("%.0f MiB total", ir.RSSMiB))
	}
	if ir := idleAt(subj, 1000); ir != nil {
		add("CPU of 1,000 idle sessions", ir.CPUPercent, "<= 1% of a core", ir.CPUPercent <= 1, "")
	}
	if k := keysAt(subj, 0); k != nil && k.Bytes.N > 0 {
		add("bytes per one-line scroll p95", k.Bytes.P95, "<= 512", k.Bytes.P95 <= 512, fmt.Sprintf("p50 %.0f, max %.0f", k.Bytes.P50, k.Bytes.Max))
		add("keystroke to output p99, idle", k.LatencyMS.P99, "<= 25 ms", k.LatencyMS.P99 <= 25, fmt.Sprintf("p50 %.1f ms", k.LatencyMS.P50))
	}
	if k := keysAt(subj, 1000); k != nil && k.LatencyMS.N > 0 {
		add("keystroke to output p99, 1,000 open", k.LatencyMS.P99, "<= 30 ms", k.LatencyMS.P99 <= 30, fmt.Sprintf("p50 %.1f ms", k.LatencyMS.P50))
	}
	if k := subj.FirstKey; k != nil && k.LatencyMS.N > 0 {
		add("first keystroke of a fresh session p99", k.LatencyMS.P99, "<= 30 ms", k.LatencyMS.P99 <= 30, fmt.Sprintf("p50 %.1f ms", k.LatencyMS.P50))
	}
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\nsshload  %s  nproc=%d  %s  RLIMIT_NOFILE=%d  PTY %dx%d\n%s\n",
		r.Date, r.NumCPU, r.GoVersion, r.NoFile, r.Width, r.Height, r.Command)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "\nConnect: dial -> first full frame on screen -> close")
	fmt.Fprintln(tw, "server\tworkers\tok\terr\tconn/s\tframe p50\tp95\tp99\tfirst byte p50\tCPU ms/conn\t")
	for _, t := range r.Targets {
		for _, c := range t.Connect {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t\n", t.Name, c.Workers, c.OK, c.Errors,
				c.PerSecond, c.FrameMS.P50, c.FrameMS.P95, c.FrameMS.P99, c.FirstByteMS.P50, c.CPUPerConn)
		}
	}
	tw.Flush()

	fmt.Fprintln(w, "\nIdle interactive sessions (RSS per session = growth over the server before any session)")
	fmt.Fprintln(tw, "server\tsessions\tRSS MiB\tKiB/session\tgoroutines\tper session\tthreads\tidle CPU % core\tus/s/session\tout B/s\t")
	for _, t := range r.Targets {
		for _, i := range t.Idle {
			g, gp := "n/a", "n/a"
			if i.Goroutines >= 0 {
				g, gp = fmt.Sprint(i.Goroutines), fmt.Sprintf("%.1f", i.GoroutinesPer)
			}
			fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f\t%s\t%s\t%d\t%.1f\t%.1f\t%.0f\t\n", t.Name, i.Sessions, i.RSSMiB, i.RSSPerSessionKB,
				g, gp, i.Threads, i.CPUPercent, i.CPUPerSessionUS, i.BytesPerSec)
		}
	}
	tw.Flush()

	fmt.Fprintln(w, "\nKeystrokes: one-line scroll, key sent -> first byte back; bytes until output is quiet")
	fmt.Fprintln(tw, "server\tother sessions\tkeys\tlatency p50\tp95\tp99\tbytes p50\tp95\tmax\t")
	for _, t := range r.Targets {
		for _, k := range t.Keys {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f\t\n", t.Name, k.OpenSessions, k.LatencyMS.N,
				k.LatencyMS.P50, k.LatencyMS.P95, k.LatencyMS.P99, k.Bytes.P50, k.Bytes.P95, k.Bytes.Max)
		}
	}
	for _, t := range r.Targets {
		if k := t.FirstKey; k != nil {
			fmt.Fprintf(tw, "%s\tfresh session, first key\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f\t\n", t.Name, k.LatencyMS.N,
				k.LatencyMS.P50, k.LatencyMS.P95, k.LatencyMS.P99, k.Bytes.P50, k.Bytes.P95, k.Bytes.Max)
		}
	}
	tw.Flush()

	if len(r.Checks) > 0 {
		fmt.Fprintln(w, "\nTargets (docs/performance.md)")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "check\tsubject\tvalue\ttarget\tresult\tdetail")
		for _, c := range r.Checks {
			res := "MISS"
			if c.Pass {
				res = "pass"
			}
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%s\t%s\t%s\n", c.Name, c.Subject, c.Value, c.Limit, res, c.Detail)
		}
		tw.Flush()
	}
	for _, t := range r.Targets {
		for _, n := range t.Notes {
			fmt.Fprintf(w, "note (%s): %s\n", t.Name, n)
		}
	}
	fmt.Fprintf(w, "client (this tool) CPU: %.1f s\n", r.ClientCPUSeconds)
}

// writeJSON writes v, indented, to path: every scenario's --json.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

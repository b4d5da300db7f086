package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"text/tabwriter"
	"time"
)

// The admission scenario: the portfolio at its default admission settings (nothing the
// tool sets loosens them), a crowd from one address, and a flood from one address while
// visitors from other addresses arrive. It reports what each got: served, refused politely
// after the handshake, or refused at accept.
//
//	sshload admission                       # build ./cmd/portfolio and run both
//	sshload admission --crowd 40 --crowd-time 10s --flood-rate 80 --flood-time 5s --json out.json

// admissionConfig is the scenario's knobs; every loop is bounded by them.
type admissionConfig struct {
	PortfolioBin string
	Repo         string
	WorkDir      string
	Marker       string
	Crowd        int
	CrowdTime    time.Duration
	FloodRate    int
	FloodTime    time.Duration
	Probes       int
	Timeout      time.Duration
	JSONPath     string
	Env          envList
}

// AdmissionResult is what the visits of one scenario got.
type AdmissionResult struct {
	Scenario        string  `json:"scenario"`
	Attempts        int     `json:"attempts"`
	Served          int     `json:"served"`           // the first full frame arrived; held open
	RefusedPolitely int     `json:"refused_politely"` // the session ended before a frame (one line on stderr, exit 1)
	RefusedAtAccept int     `json:"refused_at_accept"`
	Failed          int     `json:"failed"` // timed out waiting, or a visitor from another address got no screen
	Seconds         float64 `json:"seconds"`
	FrameMS         Summary `json:"served_first_frame_ms"`
	OthersIdleMS    float64 `json:"others_first_frame_idle_ms,omitempty"`
	OthersMS        Summary `json:"others_first_frame_ms,omitempty"` // visitors from other addresses meanwhile
}

func parseAdmissionFlags(args []string) (*admissionConfig, error) {
	c := &admissionConfig{}
	fs := flag.NewFlagSet("sshload admission", flag.ContinueOnError)
	fs.StringVar(&c.PortfolioBin, "portfolio-bin", "", "portfolio binary to run (default: build ./cmd/portfolio from --repo)")
	fs.StringVar(&c.Repo, "repo", productRoot, "the portfolio's repository root, to build ./cmd/portfolio from")
	fs.StringVar(&c.WorkDir, "work-dir", "", "directory for logs, the binary and the host key (default: a temporary one, removed)")
	fs.StringVar(&c.Marker, "frame-marker", "q quit", "text on the portfolio's last line: seeing it means a full first frame")
	fs.IntVar(&c.Crowd, "crowd", 40, "visitors from one address (127.0.0.1), held open")
	fs.DurationVar(&c.CrowdTime, "crowd-time", 10*time.Second, "the crowd arrives evenly over this long")
	fs.IntVar(&c.FloodRate, "flood-rate", 80, "interactive sessions a second from one address (127.0.0.1), each held open")
	fs.DurationVar(&c.FloodTime, "flood-time", 5*time.Second, "how long the flood lasts")
	fs.IntVar(&c.Probes, "probes", 3, "visitors from other addresses during the flood's second half")
	fs.DurationVar(&c.Timeout, "timeout", 20*time.Second, "bound on connecting and on waiting for a first frame")
	fs.StringVar(&c.JSONPath, "json", "", "also write the results as JSON to this file")
	fs.Var(&c.Env, "portfolio-env", "extra KEY=VALUE for the portfolio's environment (repeatable)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.Crowd < 1 || c.Crowd > maxSessions:
		return nil, fmt.Errorf("crowd: %d is outside 1..%d", c.Crowd, maxSessions)
	case c.FloodRate < 1 || c.FloodRate > 500:
		return nil, fmt.Errorf("flood-rate: %d is outside 1..500", c.FloodRate)
	case c.FloodTime <= 0 || c.FloodTime > time.Minute || c.CrowdTime < 0 || c.CrowdTime > 5*time.Minute || c.Timeout <= 0:
		return nil, errors.New("flood-time must be within (0, 1m], crowd-time within [0, 5m], timeout positive")
	case c.FloodRate*int(c.FloodTime/time.Second) > maxSessions:
		return nil, fmt.Errorf("flood: more than %d sessions", maxSessions)
	case c.Probes < 0 || c.Probes > 20:
		return nil, fmt.Errorf("probes: %d is outside 0..20", c.Probes)
	}
	return c, nil
}

// admissionMain runs both scenarios, each on a fresh server process.
func admissionMain(ctx context.Context, args []string) error {
	cfg, err := parseAdmissionFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.CrowdTime+cfg.FloodTime+4*cfg.Timeout+2*time.Minute)
	defer cancel()
	work, bin, cleanup, err := prepare(ctx, cfg.WorkDir, "sshload-admission-", cfg.PortfolioBin, cfg.Repo)
	if err != nil {
		return err
	}
	defer cleanup()
	var results []AdmissionResult
	for i, run := range []func(context.Context, *admissionConfig, string) AdmissionResult{runCrowd, runFlood} {
		srv, err := startPortfolioDefaults(ctx, cfg, bin, work, i)
		if err != nil {
			return err
		}
		results = append(results, run(ctx, cfg, srv.addr))
		srv.stop()
	}
	printAdmission(os.Stdout, results)
	if cfg.JSONPath != "" {
		return writeJSON(cfg.JSONPath, results)
	}
	return nil
}

// startPortfolioDefaults starts the portfolio with only what it needs to run here: every
// admission limit keeps its default.
func startPortfolioDefaults(ctx context.Context, cfg *admissionConfig, bin, work string, run int) (*child, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	env := append([]string{
		"PORTFOLIO_ADDR=" + addr,
		"PORTFOLIO_HOST_KEY_PATH=" + filepath.Join(work, "hostkey", "portfolio_ed25519"),
		"PORTFOLIO_LOG_FORMAT=json",
	}, cfg.Env...)
	return startChild(ctx, "portfolio", addr, "", filepath.Join(work, fmt.Sprintf("admission-%d.log", run)), env, bin)
}

// tally collects the outcomes of concurrent visits; served sessions are kept open.
type tally struct {
	mu     sync.Mutex
	res    AdmissionResult
	frames []float64
	open   []*session
}

// visit opens one interactive session with d and counts what it got.
func (t *tally) visit(ctx context.Context, d *dialer, marker []byte) {
	start := time.Now()
	s, err := d.open(ctx)
	if err != nil {
		t.count(func(r *AdmissionResult) { r.RefusedAtAccept++ })
		return
	}
	_, full, err := s.waitFor(marker, d.timeout)
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case err == nil:
		t.res.Served++
		t.frames = append(t.frames, float64(full.Sub(start).Microseconds())/1000)
		t.open = append(t.open, s)
		return
	case errors.Is(err, io.EOF):
		t.res.RefusedPolitely++
	default:
		t.res.Failed++
	}
	s.Close()
}

func (t *tally) count(f func(*AdmissionResult)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.res)
}

// finish closes the held sessions and returns the result.
func (t *tally) finish(name string, attempts int, took time.Duration) AdmissionResult {
	closeAll(t.open)
	t.res.Scenario, t.res.Attempts, t.res.Seconds = name, attempts, took.Seconds()
	t.res.FrameMS = summarize(t.frames)
	return t.res
}

// runCrowd: Crowd visitors from 127.0.0.1, arriving evenly over CrowdTime, all held.
func runCrowd(ctx context.Context, cfg *admissionConfig, addr string) AdmissionResult {
	d := &dialer{addr: addr, timeout: cfg.Timeout, width: 80, height: 24, term: "xterm-256color"}
	marker := squeeze(cfg.Marker)
	var t tally
	var wg sync.WaitGroup
	start := time.Now()
	gap := cfg.CrowdTime / time.Duration(cfg.Crowd)
	for i := 0; i < cfg.Crowd && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); t.visit(ctx, d, marker) }()
		time.Sleep(gap)
	}
	wg.Wait()
	logf("crowd: %d visitors from one address done", cfg.Crowd)
	return t.finish("crowd from one address", cfg.Crowd, time.Since(start))
}

// runFlood: FloodRate sessions a second from 127.0.0.1 for FloodTime, each held, while
// Probes visitors from other addresses (127.0.X.Y) come one after the other.
func runFlood(ctx context.Context, cfg *admissionConfig, addr string) AdmissionResult {
	d := &dialer{addr: addr, timeout: cfg.Timeout, width: 80, height: 24, term: "xterm-256color"}
	others := &dialer{addr: addr, spread: true, timeout: cfg.Timeout, width: 80, height: 24, term: "xterm-256color"}
	marker := squeeze(cfg.Marker)
	probe := func() float64 {
		start := time.Now()
		s, err := others.open(ctx)
		if err != nil {
			return -1
		}
		defer s.Close()
		if _, full, err := s.waitFor(marker, cfg.Timeout); err == nil {
			return float64(full.Sub(start).Microseconds()) / 1000
		}
		return -1
	}
	var t tally
	t.res.OthersIdleMS = probe()
	var probes []float64 // under t.mu
	launched := 0
	var wg sync.WaitGroup
	attempts := cfg.FloodRate * int(cfg.FloodTime/time.Second)
	probeEvery := max(attempts/2/max(cfg.Probes, 1), 1)
	tick := time.NewTicker(time.Second / time.Duration(cfg.FloodRate))
	defer tick.Stop()
	start := time.Now()
	for i := 0; i < attempts && ctx.Err() == nil; i++ {
		<-tick.C
		wg.Add(1)
		go func() { defer wg.Done(); t.visit(ctx, d, marker) }()
		if i >= attempts/2 && launched < cfg.Probes && (i-attempts/2)%probeEvery == 0 {
			launched++
			wg.Add(1)
			go func() {
				defer wg.Done()
				ms := probe()
				t.mu.Lock()
				probes = append(probes, ms)
				t.mu.Unlock()
			}()
		}
	}
	wg.Wait()
	logf("flood: %d sessions from one address done", attempts)
	for _, p := range probes {
		if p < 0 {
			t.res.Failed++ // a visitor from another address who got no screen
		}
	}
	t.res.OthersMS = summarize(probes)
	return t.finish("flood from one address", attempts, time.Since(start))
}

func printAdmission(w io.Writer, results []AdmissionResult) {
	fmt.Fprintln(w, "\nAdmission at the default settings: interactive sessions, held open once served")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tattempts\tserved\trefused politely\trefused at accept\tfailed\tseconds\tframe p50 ms\tmax\tothers idle ms\tothers during ms max\t")
	for _, r := range results {
		idle, others := "-", "-"
		if r.OthersMS.N > 0 {
			idle, others = fmt.Sprintf("%.0f", r.OthersIdleMS), fmt.Sprintf("%.0f", r.OthersMS.Max)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.1f\t%.0f\t%.0f\t%s\t%s\t\n", r.Scenario, r.Attempts, r.Served,
			r.RefusedPolitely, r.RefusedAtAccept, r.Failed, r.Seconds, r.FrameMS.P50, r.FrameMS.Max, idle, others)
	}
	tw.Flush()
}

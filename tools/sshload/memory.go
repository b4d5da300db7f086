package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// The memory scenario: what one interactive session of the portfolio costs the server at a
// given window size, asleep and awake. For each size a fresh server process gets N sessions
// of that size; once they have painted and settled they are asleep (a screen starts without
// a Bubble Tea program, see docs/performance.md); then each gets one key that starts its
// program, and the cost is read again before the server's sleep delay (serverSleepAfter)
// puts the programs back to sleep. Cost is the growth over the server before any session:
// resident memory (VmRSS) and, through the pprof probe, the live heap after a forced GC.
//
//	sshload memory                                   # build ./cmd/portfolio, 200 sessions at 80x24 and 300x100
//	sshload memory --sessions 50 --sizes 160x50 --json out.json

// memoryConfig is the scenario's knobs; every loop is bounded by them.
type memoryConfig struct {
	PortfolioBin string
	Repo         string
	WorkDir      string
	Marker       string
	Sessions     int
	Sizes        []windowSize
	WakeKey      string
	Settle       time.Duration
	OpenTime     time.Duration
	Timeout      time.Duration
	JSONPath     string
	Env          envList
}

type windowSize struct{ Width, Height int }

// MemoryResult is the cost per session at one window size. KB are 1000 bytes, the unit of
// the budget's measurements in docs/performance.md.
type MemoryResult struct {
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Sessions     int     `json:"sessions"`
	BaseRSSMiB   float64 `json:"base_rss_mib"`
	Heap         bool    `json:"heap"` // the server exposes /debug/pprof: the heap columns are measured
	AsleepRSSKB  float64 `json:"asleep_rss_kb_per_session"`
	AsleepHeapKB float64 `json:"asleep_heap_kb_per_session"`
	AwakeRSSKB   float64 `json:"awake_rss_kb_per_session"`
	AwakeHeapKB  float64 `json:"awake_heap_kb_per_session"`
	WakeSeconds  float64 `json:"wake_seconds"` // first key sent to the awake reading
}

// serverSleepAfter is the portfolio's sleepAfter (server/config.go), a constant there and no
// longer a setting: the awake reading must come before it.
const serverSleepAfter = 5 * time.Second

func parseMemoryFlags(args []string) (*memoryConfig, error) {
	c := &memoryConfig{}
	fs := flag.NewFlagSet("sshload memory", flag.ContinueOnError)
	fs.StringVar(&c.PortfolioBin, "portfolio-bin", "", "portfolio binary to run (default: build ./cmd/portfolio from --repo with the pprof probe, for the heap)")
	fs.StringVar(&c.Repo, "repo", productRoot, "the portfolio's repository root, to build ./cmd/portfolio from")
	fs.StringVar(&c.WorkDir, "work-dir", "", "directory for logs, the binary and the host key (default: a temporary one, removed)")
	fs.StringVar(&c.Marker, "frame-marker", "q quit", "text on the portfolio's last line: seeing it means a full first frame")
	fs.IntVar(&c.Sessions, "sessions", 100, "sessions held open at each size (woken within the server's 5 s sleep delay: 200 took 6.8 s on 2 cores)")
	sizes := fs.String("sizes", "80x24,300x100", "window sizes, COLUMNSxROWS, comma-separated; each on a fresh server")
	fs.StringVar(&c.WakeKey, "wake-key", "1", "key sent to every session to start its program (the portfolio's first section)")
	fs.DurationVar(&c.Settle, "settle", 7*time.Second, "pause before each reading (longer than the portfolio's first-frame work)")
	fs.DurationVar(&c.OpenTime, "open-time", 2*time.Minute, "bound on opening the sessions of one size")
	fs.DurationVar(&c.Timeout, "timeout", 20*time.Second, "bound on connecting, on a first frame and on a key's answer")
	fs.StringVar(&c.JSONPath, "json", "", "also write the results as JSON to this file")
	fs.Var(&c.Env, "portfolio-env", "extra KEY=VALUE for the portfolio's environment (repeatable; wins over the tool's own)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if c.Sizes, err = parseSizes(*sizes); err != nil {
		return nil, err
	}
	switch {
	case fs.NArg() > 0:
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case c.Sessions < 1 || c.Sessions > 1000:
		return nil, fmt.Errorf("sessions: %d is outside 1..1000", c.Sessions)
	case c.WakeKey == "":
		return nil, errors.New("wake-key: empty")
	case c.Settle < 0 || c.Settle > 5*time.Minute || c.OpenTime <= 0 || c.OpenTime > 10*time.Minute || c.Timeout <= 0:
		return nil, errors.New("settle must be within [0, 5m], open-time within (0, 10m], timeout positive")
	}
	return c, nil
}

// parseSizes reads "80x24,300x100"; each size must be within what a terminal can claim.
func parseSizes(s string) ([]windowSize, error) {
	var out []windowSize
	for _, f := range strings.Split(s, ",") {
		ws, hs, ok := strings.Cut(strings.TrimSpace(f), "x")
		w, werr := strconv.Atoi(ws)
		h, herr := strconv.Atoi(hs)
		if !ok || werr != nil || herr != nil || w < 1 || h < 1 || w > 1000 || h > 1000 {
			return nil, fmt.Errorf("sizes: %q is not COLUMNSxROWS within 1x1..1000x1000", f)
		}
		out = append(out, windowSize{w, h})
	}
	return out, nil
}

// memoryMain runs the scenario at every size, each on a fresh server process, so one
// size's freed pages do not hide the next one's growth.
func memoryMain(ctx context.Context, args []string) error {
	cfg, err := parseMemoryFlags(args)
	if err != nil {
		return err
	}
	per := cfg.OpenTime + 2*cfg.Settle + serverSleepAfter + 2*time.Minute
	ctx, cancel := context.WithTimeout(ctx, time.Duration(len(cfg.Sizes))*per+3*time.Minute)
	defer cancel()
	if soft, _, err := raiseNoFile(); err != nil || soft < uint64(2*cfg.Sessions+256) {
		return fmt.Errorf("RLIMIT_NOFILE %d is too low for %d sessions (%v)", soft, cfg.Sessions, err)
	}
	work, bin, cleanup, err := prepare(ctx, cfg.WorkDir, "sshload-memory-", cfg.PortfolioBin, cfg.Repo)
	if err != nil {
		return err
	}
	defer cleanup()
	var results []MemoryResult
	for i, size := range cfg.Sizes {
		srv, err := startPortfolioForMemory(ctx, cfg, bin, work, i)
		if err != nil {
			return err
		}
		r, err := runMemorySize(ctx, cfg, srv, size)
		srv.stop()
		if err != nil {
			return fmt.Errorf("%dx%d: %w", size.Width, size.Height, err)
		}
		logf("%dx%d: %d sessions, asleep %.0f KB heap %.0f KB rss, awake %.0f KB heap %.0f KB rss per session",
			size.Width, size.Height, r.Sessions, r.AsleepHeapKB, r.AsleepRSSKB, r.AwakeHeapKB, r.AwakeRSSKB)
		results = append(results, r)
	}
	printMemory(os.Stdout, results)
	if cfg.JSONPath != "" {
		return writeJSON(cfg.JSONPath, results)
	}
	return nil
}

// startPortfolioForMemory starts the portfolio with admission limits out of the way (this
// scenario measures sessions, not the guard) and the long sleep delay.
func startPortfolioForMemory(ctx context.Context, cfg *memoryConfig, bin, work string, run int) (*child, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	dbg, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	n := fmt.Sprint(cfg.Sessions + 100)
	env := append([]string{
		"PORTFOLIO_ADDR=" + addr,
		"PORTFOLIO_HOST_KEY_PATH=" + filepath.Join(work, "hostkey", "portfolio_ed25519"),
		"PORTFOLIO_LOG_FORMAT=json",
		"PORTFOLIO_MAX_SESSIONS=" + n,
		"PORTFOLIO_MAX_SESSIONS_PER_IP=" + n,
		"PORTFOLIO_RATE_LIMIT=100000/s",
		"PORTFOLIO_IDLE_TIMEOUT=30m",
		"SSHLOAD_DEBUG_ADDR=" + dbg,
	}, cfg.Env...)
	return startChild(ctx, "portfolio", addr, dbg, work, filepath.Join(work, fmt.Sprintf("memory-%d.log", run)), env, bin)
}

// memSample is one reading of the server process.
type memSample struct {
	rssKiB int64
	heap   int64 // live heap bytes after a GC; -1 without /debug/pprof
}

func sampleMemory(srv *child) memSample {
	heap := srv.liveHeap()
	st, _ := readStatus(srv.pid())
	return memSample{rssKiB: st.RSSKiB, heap: heap}
}

// perSession is the growth from base to s per session, in KB (1000 bytes): RSS and heap.
func perSession(base, s memSample, n int) (rssKB, heapKB float64) {
	rssKB = float64(s.rssKiB-base.rssKiB) * 1024 / 1000 / float64(n)
	if base.heap >= 0 && s.heap >= 0 {
		heapKB = float64(s.heap-base.heap) / 1000 / float64(n)
	}
	return rssKB, heapKB
}

// runMemorySize opens cfg.Sessions sessions of one size on srv, reads the cost asleep, wakes
// every session with one key and reads it awake.
func runMemorySize(ctx context.Context, cfg *memoryConfig, srv *child, size windowSize) (MemoryResult, error) {
	res := MemoryResult{Width: size.Width, Height: size.Height}
	d := &dialer{addr: srv.addr, timeout: cfg.Timeout, width: size.Width, height: size.Height, term: "xterm-256color"}
	marker := squeeze(cfg.Marker)
	if err := warm(ctx, &config{Timeout: cfg.Timeout}, d, marker); err != nil {
		return res, fmt.Errorf("warm-up (is --frame-marker %q on the first screen?): %w", cfg.Marker, err)
	}
	time.Sleep(cfg.Settle)
	base := sampleMemory(srv)
	res.BaseRSSMiB = float64(base.rssKiB) / 1024
	res.Heap = base.heap >= 0
	open, err := openMany(ctx, &config{OpenTime: cfg.OpenTime, Timeout: cfg.Timeout}, d, marker, nil, cfg.Sessions)
	defer func() { closeAll(open) }()
	if err != nil {
		return res, err
	}
	res.Sessions = len(open)
	time.Sleep(cfg.Settle)
	res.AsleepRSSKB, res.AsleepHeapKB = perSession(base, sampleMemory(srv), len(open))

	t0 := time.Now()
	if err := wakeAll(ctx, open, cfg.WakeKey, cfg.Timeout); err != nil {
		return res, err
	}
	// Long enough for the programs' first frames and the GC to settle, well inside the sleep
	// delay.
	time.Sleep(min(cfg.Settle, serverSleepAfter/4))
	awake := sampleMemory(srv)
	res.WakeSeconds = time.Since(t0).Seconds()
	if time.Since(t0) >= serverSleepAfter {
		return res, fmt.Errorf("waking took %.1fs, past the server's sleep delay %s: some programs may be asleep again (try fewer --sessions)", res.WakeSeconds, serverSleepAfter)
	}
	res.AwakeRSSKB, res.AwakeHeapKB = perSession(base, awake, len(open))
	return res, nil
}

// wakeAll sends key to every session, 8 at a time, and waits for each one's answer to end.
func wakeAll(ctx context.Context, open []*session, key string, timeout time.Duration) error {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(open)) && ctx.Err() == nil; i = next.Add(1) - 1 {
				if err := wake(open[i], key, timeout); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("session %d: %w", i, err)
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

func wake(s *session, key string, timeout time.Duration) error {
	s.watch.Store(true)
	defer s.quiet()
	if _, err := s.stdin.Write([]byte(key)); err != nil {
		return fmt.Errorf("send key: %w", err)
	}
	t := time.NewTimer(timeout)
	_, err := s.next(t)
	t.Stop()
	if err != nil {
		return fmt.Errorf("no answer to %q: %w", key, err)
	}
	_, err = drainQuiet(s, 200*time.Millisecond, timeout)
	return err
}

// liveHeap forces a GC in the server and returns its HeapAlloc, read from the runtime.MemStats
// that the text heap profile ends with; -1 when the server exposes no /debug/pprof.
func (c *child) liveHeap() int64 {
	if c.debugAddr == "" {
		return -1
	}
	cl := http.Client{Timeout: 30 * time.Second}
	resp, err := cl.Get("http://" + c.debugAddr + "/debug/pprof/heap?gc=1&debug=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return -1
	}
	n, err := parseHeapAlloc(resp.Body)
	if err != nil {
		return -1
	}
	return n
}

// parseHeapAlloc finds the "# HeapAlloc = N" line of a debug=1 heap profile.
func parseHeapAlloc(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "# HeapAlloc = "); ok {
			return strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no HeapAlloc line in the heap profile")
}

func printMemory(w io.Writer, results []MemoryResult) {
	fmt.Fprintln(w, "\nMemory per interactive session (growth over the server before any session; KB = 1000 bytes)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "window\tsessions\tbase RSS MiB\tasleep heap KB\tasleep RSS KB\tawake heap KB\tawake RSS KB\tawake B/cell\t")
	for _, r := range results {
		heap := func(v float64) string {
			if !r.Heap {
				return "-"
			}
			return fmt.Sprintf("%.0f", v)
		}
		perCell := "-"
		if r.Heap {
			perCell = fmt.Sprintf("%.0f", r.AwakeHeapKB*1000/float64(r.Width*r.Height))
		}
		fmt.Fprintf(tw, "%dx%d\t%d\t%.1f\t%s\t%.0f\t%s\t%.0f\t%s\t\n", r.Width, r.Height, r.Sessions, r.BaseRSSMiB,
			heap(r.AsleepHeapKB), r.AsleepRSSKB, heap(r.AwakeHeapKB), r.AwakeRSSKB, perCell)
	}
	tw.Flush()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// ConnectResult is one connect phase: connections opened until the first full frame, then
// closed, by Workers at a time.
type ConnectResult struct {
	Workers     int     `json:"workers"`
	OK          int     `json:"ok"`
	Errors      int     `json:"errors"`
	FirstError  string  `json:"first_error,omitempty"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"conns_per_second"`
	FrameMS     Summary `json:"first_frame_ms"`         // dial to the marker on screen
	FirstByteMS Summary `json:"first_byte_ms"`          // dial to the first byte of output
	CPUPerConn  float64 `json:"server_cpu_ms_per_conn"` // utime+stime delta / OK
}

// IdleResult is K interactive sessions held open and idle.
type IdleResult struct {
	Sessions        int     `json:"sessions"`
	OpenSeconds     float64 `json:"open_seconds"`
	RSSMiB          float64 `json:"rss_mib"`
	RSSPerSessionKB float64 `json:"rss_kib_per_session"` // (RSS - RSS before any session) / K
	Goroutines      int     `json:"goroutines"`          // -1: the server exposes no count
	GoroutinesPer   float64 `json:"goroutines_per_session"`
	Threads         int64   `json:"os_threads"`
	CPUPercent      float64 `json:"idle_cpu_percent_of_one_core"`
	CPUPerSessionUS float64 `json:"idle_cpu_us_per_session_per_second"`
	BytesPerSec     float64 `json:"idle_output_bytes_per_second"` // all sessions together
}

// KeyResult is keystroke-to-output latency and the bytes each one-line scroll costs.
type KeyResult struct {
	OpenSessions int     `json:"open_sessions"` // other sessions open meanwhile
	LatencyMS    Summary `json:"latency_ms"`
	Bytes        Summary `json:"bytes_per_scroll"`
	NoOutput     int     `json:"keys_without_output"`
}

// TargetResult is everything measured against one server.
type TargetResult struct {
	Name       string          `json:"name"`
	Marker     string          `json:"marker"`
	Connect    []ConnectResult `json:"connect"`
	BaseRSSMiB float64         `json:"rss_mib_before_sessions"`
	Idle       []IdleResult    `json:"idle"`
	Keys       []KeyResult     `json:"keys"`
	FirstKey   *KeyResult      `json:"first_key,omitempty"` // the first key of fresh sessions (firstkey.go)
	Notes      []string        `json:"notes,omitempty"`
}

// runConnect opens up to n connections, workers at a time, for at most limit.
func runConnect(ctx context.Context, cfg *config, d *dialer, srv *child, marker []byte, workers, n int, limit time.Duration) ConnectResult {
	res := ConnectResult{Workers: workers}
	var (
		mu          sync.Mutex
		frames, fbs []float64
		issued      atomic.Int64
		errs        atomic.Int64
		firstErr    atomic.Value
	)
	cpu0, _ := cpuTime(srv.pid())
	start := time.Now()
	deadline := start.Add(limit)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) && issued.Add(1) <= int64(n) {
				t0 := time.Now()
				s, err := d.open(ctx)
				if err == nil {
					var first, full time.Time
					first, full, err = s.waitFor(marker, cfg.Timeout)
					s.Close()
					if err == nil {
						mu.Lock()
						frames = append(frames, ms(full.Sub(t0)))
						fbs = append(fbs, ms(first.Sub(t0)))
						mu.Unlock()
						continue
					}
				}
				errs.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	// Let the server finish tearing the sessions down: that work belongs to the connections.
	time.Sleep(500 * time.Millisecond)
	cpu1, _ := cpuTime(srv.pid())
	res.OK = len(frames)
	res.Errors = int(errs.Load())
	if e, ok := firstErr.Load().(string); ok {
		res.FirstError = e
	}
	res.Seconds = elapsed.Seconds()
	res.PerSecond = float64(res.OK) / elapsed.Seconds()
	res.FrameMS = summarize(frames)
	res.FirstByteMS = summarize(fbs)
	if res.OK > 0 {
		res.CPUPerConn = ms(cpu1-cpu0) / float64(res.OK)
	}
	return res
}

// openMany opens sessions until there are n, 8 at a time, each waited on until its first full
// frame and then left idle, its output counted and dropped.
func openMany(ctx context.Context, cfg *config, d *dialer, marker []byte, open []*session, n int) ([]*session, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.OpenTime)
	defer cancel()
	need := n - len(open)
	if need <= 0 {
		return open, nil
	}
	var (
		mu       sync.Mutex
		issued   atomic.Int64
		firstErr error
		wg       sync.WaitGroup
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && issued.Add(1) <= int64(need) {
				s, err := d.open(ctx)
				if err == nil {
					if _, _, err = s.waitFor(marker, cfg.Timeout); err != nil {
						s.Close()
					}
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				s.quiet()
				open = append(open, s)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr == nil && len(open) < n {
		firstErr = fmt.Errorf("opened %d of %d sessions in %s", len(open), n, cfg.OpenTime)
	}
	return open, firstErr
}

// measureIdle holds the open sessions idle for cfg.IdleWindow and reads the server's cost.
func measureIdle(cfg *config, srv *child, open []*session, baseRSS int64, openTook time.Duration) IdleResult {
	// Let start-up frames, GC and the scheduler settle before the window starts.
	time.Sleep(cfg.Settle)
	bytes0 := totalBytes(open)
	cpu0, _ := cpuTime(srv.pid())
	time.Sleep(cfg.IdleWindow)
	cpu1, _ := cpuTime(srv.pid())
	bytes1 := totalBytes(open)
	st, _ := readStatus(srv.pid())
	k := len(open)
	r := IdleResult{
		Sessions:    k,
		OpenSeconds: openTook.Seconds(),
		RSSMiB:      float64(st.RSSKiB) / 1024,
		Threads:     st.Threads,
		Goroutines:  srv.goroutines(),
		CPUPercent:  100 * (cpu1 - cpu0).Seconds() / cfg.IdleWindow.Seconds(),
		BytesPerSec: float64(bytes1-bytes0) / cfg.IdleWindow.Seconds(),
	}
	if k > 0 {
		r.RSSPerSessionKB = float64(st.RSSKiB-baseRSS) / float64(k)
		r.CPUPerSessionUS = 1e6 * (cpu1 - cpu0).Seconds() / cfg.IdleWindow.Seconds() / float64(k)
		if r.Goroutines >= 0 {
			r.GoroutinesPer = float64(r.Goroutines) / float64(k)
		}
	}
	return r
}

func totalBytes(open []*session) int64 {
	var n int64
	for _, s := range open {
		n += s.total.Load()
	}
	return n
}

// runKeys opens one session, waits for its first frame and for the output to go quiet, then
// sends cfg.Keys one-line scrolls one at a time: the latency is key sent to first byte back,
// the bytes are everything that arrives until the output is quiet for cfg.KeyQuiet. When a
// key gets no answer (the end of the text), the direction flips.
func runKeys(ctx context.Context, cfg *config, d *dialer, marker []byte, others int) (KeyResult, error) {
	res := KeyResult{OpenSessions: others}
	s, err := d.open(ctx)
	if err != nil {
		return res, err
	}
	defer s.Close()
	if _, _, err := s.waitFor(marker, cfg.Timeout); err != nil {
		return res, err
	}
	if _, err := drainQuiet(s, 300*time.Millisecond, cfg.Timeout); err != nil {
		return res, err
	}
	if cfg.OpenKey != "" {
		// The portfolio opens on its cover, which does not scroll: open a section first.
		// That key also starts the session's program, so the scrolls measure an awake one.
		if _, err := s.stdin.Write([]byte(cfg.OpenKey)); err != nil {
			return res, fmt.Errorf("send key: %w", err)
		}
		if _, err := drainQuiet(s, 300*time.Millisecond, cfg.Timeout); err != nil {
			return res, err
		}
	}
	keys := []string{cfg.ScrollDown, cfg.ScrollUp}
	dir, silentInRow := 0, 0
	var lat, sizes []float64
	deadline := time.Now().Add(cfg.KeyTime)
	for len(lat) < cfg.Keys && ctx.Err() == nil && time.Now().Before(deadline) {
		// A random pause, so keys land at random points of the server's frame ticker the
		// way a visitor's do. Without it every key would follow the previous answer by the
		// same quiet period and measure one fixed phase of the ticker.
		if cfg.KeyJitter > 0 {
			time.Sleep(rand.N(cfg.KeyJitter))
		}
		t0 := time.Now()
		if _, err := s.stdin.Write([]byte(keys[dir])); err != nil {
			return res, fmt.Errorf("send key: %w", err)
		}
		t := time.NewTimer(cfg.KeyWait)
		c, err := s.next(t)
		t.Stop()
		if errors.Is(err, errTimeout) {
			res.NoOutput++
			silentInRow++
			if silentInRow >= 2 {
				return res, fmt.Errorf("neither %q nor %q produce output", cfg.ScrollDown, cfg.ScrollUp)
			}
			dir = 1 - dir
			continue
		}
		if err != nil {
			return res, err
		}
		silentInRow = 0
		more, err := drainQuiet(s, cfg.KeyQuiet, cfg.Timeout)
		if err != nil {
			return res, err
		}
		lat = append(lat, ms(c.at.Sub(t0)))
		sizes = append(sizes, float64(len(c.b)+more))
	}
	res.LatencyMS = summarize(lat)
	res.Bytes = summarize(sizes)
	if len(lat) < cfg.Keys {
		return res, fmt.Errorf("%w: %d of %d keys answered within --key-time %s", errPartial, len(lat), cfg.Keys, cfg.KeyTime)
	}
	return res, nil
}

// errPartial marks a result that holds fewer samples than asked for; it is still reported.
var errPartial = errors.New("partial")

// drainQuiet reads until no output arrives for quiet (bounded by limit) and returns the bytes.
func drainQuiet(s *session, quiet, limit time.Duration) (int, error) {
	n := 0
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		t := time.NewTimer(quiet)
		c, err := s.next(t)
		t.Stop()
		if errors.Is(err, errTimeout) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += len(c.b)
	}
	return n, fmt.Errorf("output never went quiet for %s within %s", quiet, limit)
}

func closeAll(open []*session) {
	for _, s := range open {
		s.Close()
	}
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMemoryFlagsBounded(t *testing.T) {
	cfg, err := parseMemoryFlags(nil)
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if want := []windowSize{{80, 24}, {300, 100}}; len(cfg.Sizes) != 2 || cfg.Sizes[0] != want[0] || cfg.Sizes[1] != want[1] {
		t.Errorf("default sizes %v, want %v", cfg.Sizes, want)
	}
	if cfg.Sessions != 100 {
		t.Errorf("defaults: %d sessions, want 100", cfg.Sessions)
	}
	for _, bad := range [][]string{
		{"--sessions", "0"}, {"--sessions", "5000"}, {"--sizes", "80"}, {"--sizes", "80x"}, {"--sizes", "0x24"},
		{"--sizes", "80x24,2000x10"}, {"--sizes", ""}, {"--wake-key", ""}, {"--settle", "6m"},
		{"--open-time", "0s"}, {"extra"},
	} {
		if _, err := parseMemoryFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestParseHeapAlloc(t *testing.T) {
	profile := "heap profile: 3: 4096 [10: 81920] @ heap/1048576\n" +
		"1: 4096 [1: 4096] @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/x.go:1\n\n" +
		"# runtime.MemStats\n# Alloc = 123456\n# TotalAlloc = 999999\n# Sys = 7777777\n" +
		"# HeapAlloc = 123456\n# HeapSys = 8000000\n"
	n, err := parseHeapAlloc(strings.NewReader(profile))
	if err != nil || n != 123456 {
		t.Errorf("parseHeapAlloc = %d, %v; want 123456", n, err)
	}
	if _, err := parseHeapAlloc(strings.NewReader("# Alloc = 5\n")); err == nil {
		t.Error("a profile without HeapAlloc parsed")
	}
}

func TestPerSessionAndTable(t *testing.T) {
	base := memSample{rssKiB: 20000, heap: 5_000_000}
	rss, heap := perSession(base, memSample{rssKiB: 20000 + 1000*100, heap: 5_000_000 + 100*750_000}, 100)
	if rss != 1024 || heap != 750 {
		t.Errorf("perSession = %v KB rss, %v KB heap; want 1024 and 750", rss, heap)
	}
	if _, heap := perSession(memSample{heap: -1}, memSample{heap: 1 << 30}, 10); heap != 0 {
		t.Errorf("heap without a probe = %v, want 0", heap)
	}
	var out strings.Builder
	printMemory(&out, []MemoryResult{
		{Width: 80, Height: 24, Sessions: 200, BaseRSSMiB: 30.5, Heap: true, AsleepHeapKB: 120, AsleepRSSKB: 150, AwakeHeapKB: 768, AwakeRSSKB: 900},
		{Width: 300, Height: 100, Sessions: 200, BaseRSSMiB: 31, AsleepRSSKB: 140, AwakeRSSKB: 9000},
	})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("table has %d lines, want a title, a header and two rows:\n%s", len(lines), out.String())
	}
	if f := strings.Fields(lines[2]); strings.Join(f, " ") != "80x24 200 30.5 120 150 768 900 400" {
		t.Errorf("80x24 row %q", lines[2])
	}
	if f := strings.Fields(lines[3]); strings.Join(f, " ") != "300x100 200 31.0 - 140 - 9000 -" {
		t.Errorf("300x100 row without a heap %q", lines[3])
	}
}

// TestMemoryScenario runs the scenario, shortened, against the bare server: it answers the
// wake key by echoing it and serves /debug/pprof, so each session's live heap must show.
func TestMemoryScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and opens real SSH connections")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	addr, err := freeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	dbg, err := freeLoopbackAddr()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	srv, err := startChild(ctx, "baseline", addr, dbg, dir, filepath.Join(dir, "log"), nil,
		self, "baseline-server", "--addr", addr, "--debug-addr", dbg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	cfg, err := parseMemoryFlags([]string{"--sessions", "8", "--settle", "200ms",
		"--frame-marker", "hello", "--timeout", "10s"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := runMemorySize(ctx, cfg, srv, windowSize{100, 30})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	printMemory(&out, []MemoryResult{r})
	t.Log(out.String())
	if r.Width != 100 || r.Height != 30 || r.Sessions != 8 || !r.Heap || r.BaseRSSMiB <= 0 {
		t.Errorf("result %+v", r)
	}
	// An open SSH connection holds its transport's buffers and channel state: tens of KB.
	if r.AsleepHeapKB <= 1 || r.AwakeHeapKB <= 1 {
		t.Errorf("live heap per session: asleep %.1f KB, awake %.1f KB; want both above 1 KB", r.AsleepHeapKB, r.AwakeHeapKB)
	}
	if r.WakeSeconds <= 0 || r.WakeSeconds >= 30 {
		t.Errorf("wake took %.1fs", r.WakeSeconds)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for sshload when measure re-executes itself to
// start a reference server.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && strings.HasSuffix(os.Args[1], "-server") {
		if err := run(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestMeasureBaseline is a short real run against the bare server only: a few dozen
// connections, a few idle sessions and a few keystrokes, over real SSH on 127.0.0.1.
func TestMeasureBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and opens real SSH connections")
	}
	args := []string{"--targets", "baseline", "--workers", "1,4", "--conns", "30", "--phase-time", "3s",
		"--idle", "10,20", "--key-load", "20", "--keys", "10", "--idle-window", "300ms", "--settle", "100ms",
		"--work-dir", t.TempDir(), "--max-time", "30s"}
	cfg, err := parseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := measure(ctx, cfg, args)
	if err != nil {
		t.Fatal(err)
	}
	base := rep.target("baseline")
	if base == nil {
		t.Fatal("no baseline result")
	}
	if len(base.Connect) != 2 {
		t.Fatalf("connect phases = %d, want 2", len(base.Connect))
	}
	for _, c := range base.Connect {
		if c.OK != 30 || c.Errors != 0 {
			t.Errorf("workers=%d: ok %d errors %d (%s), want 30 and 0", c.Workers, c.OK, c.Errors, c.FirstError)
		}
		if c.FrameMS.P50 <= 0 || c.FrameMS.P99 < c.FrameMS.P50 || c.FirstByteMS.P50 > c.FrameMS.P50 {
			t.Errorf("workers=%d: implausible latencies %+v / %+v", c.Workers, c.FrameMS, c.FirstByteMS)
		}
		if c.PerSecond <= 0 {
			t.Errorf("workers=%d: %v conns/s", c.Workers, c.PerSecond)
		}
	}
	if cpuPerConn(base) <= 0 {
		t.Errorf("no server CPU measured for 60 connections")
	}
	if len(base.Idle) != 2 || base.Idle[0].Sessions != 10 || base.Idle[1].Sessions != 20 {
		t.Fatalf("idle = %+v", base.Idle)
	}
	for _, i := range base.Idle {
		if i.RSSMiB <= 0 || i.Threads <= 0 {
			t.Errorf("idle %d: rss %v threads %v", i.Sessions, i.RSSMiB, i.Threads)
		}
		// the baseline serves /debug/pprof: each session holds at least its handler goroutine
		if i.Goroutines < i.Sessions {
			t.Errorf("idle %d: %d goroutines", i.Sessions, i.Goroutines)
		}
	}
	if len(base.Keys) != 2 || base.Keys[0].OpenSessions != 0 || base.Keys[1].OpenSessions != 20 {
		t.Fatalf("keys = %+v (notes %q)", base.Keys, base.Notes)
	}
	for _, k := range base.Keys {
		// the baseline echoes: one byte back per key
		if k.LatencyMS.N != 10 || k.Bytes.P50 != 1 || k.Bytes.Max != 1 {
			t.Errorf("keys with %d open: %+v bytes %+v", k.OpenSessions, k.LatencyMS, k.Bytes)
		}
	}
	var out bytes.Buffer
	rep.print(&out)
	for _, want := range []string{"Connect:", "Idle interactive sessions", "Keystrokes:", "baseline"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestMeasureTeaApp checks the first-frame marker and keystroke measurement against real
// Bubble Tea output, whose cell renderer compresses blanks into cursor moves.
func TestMeasureTeaApp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and opens real SSH connections")
	}
	args := []string{"--targets", "tea", "--workers", "2", "--conns", "6", "--idle", "", "--key-load", "0",
		"--keys", "4", "--key-jitter", "20ms", "--settle", "100ms", "--work-dir", t.TempDir(), "--max-time", "30s"}
	cfg, err := parseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := measure(ctx, cfg, args)
	if err != nil {
		t.Fatal(err)
	}
	tea := rep.target("tea")
	if c := tea.Connect[0]; c.OK != 6 || c.Errors != 0 {
		t.Errorf("connect: ok %d errors %d (%s)", c.OK, c.Errors, c.FirstError)
	}
	if len(tea.Keys) != 1 {
		t.Fatalf("keys = %+v (notes %q)", tea.Keys, tea.Notes)
	}
	// one line of scroll redraws part of the screen: more than an echo, far less than a frame
	if k := tea.Keys[0]; k.LatencyMS.N != 4 || k.Bytes.Min < 8 || k.Bytes.Max > 2048 {
		t.Errorf("keys: latency %+v bytes %+v", k.LatencyMS, k.Bytes)
	}
}

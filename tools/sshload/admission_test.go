package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAdmissionFlagsBounded(t *testing.T) {
	if _, err := parseAdmissionFlags(nil); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, bad := range [][]string{
		{"--crowd", "0"}, {"--crowd", "100000"}, {"--flood-rate", "1000"}, {"--flood-time", "2m"},
		{"--flood-rate", "500", "--flood-time", "20s"}, {"--probes", "50"}, {"extra"},
	} {
		if _, err := parseAdmissionFlags(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestAdmissionScenarios runs both scenarios, shortened, against the bare server, which
// refuses nobody: every visit must be counted as served and the probes measured.
func TestAdmissionScenarios(t *testing.T) {
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
	srv, err := startChild(ctx, "baseline", addr, dbg, filepath.Join(t.TempDir(), "log"), nil,
		self, "baseline-server", "--addr", addr, "--debug-addr", dbg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	cfg, err := parseAdmissionFlags([]string{"--crowd", "6", "--crowd-time", "600ms", "--flood-rate", "20", "--flood-time", "1s",
		"--probes", "2", "--frame-marker", "hello", "--timeout", "10s"})
	if err != nil {
		t.Fatal(err)
	}
	crowd := runCrowd(ctx, cfg, addr)
	flood := runFlood(ctx, cfg, addr)
	var out strings.Builder
	printAdmission(&out, []AdmissionResult{crowd, flood})
	t.Log(out.String())
	if crowd.Attempts != 6 || crowd.Served != 6 || crowd.FrameMS.N != 6 {
		t.Errorf("crowd: %+v", crowd)
	}
	if flood.Attempts != 20 || flood.Served != 20 || flood.RefusedAtAccept+flood.RefusedPolitely+flood.Failed != 0 {
		t.Errorf("flood: %+v", flood)
	}
	if flood.OthersMS.N != 2 || flood.OthersMS.Min <= 0 || flood.OthersIdleMS <= 0 {
		t.Errorf("probes from other addresses: idle %v, during %+v", flood.OthersIdleMS, flood.OthersMS)
	}
}

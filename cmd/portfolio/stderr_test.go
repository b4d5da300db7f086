package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunCapturesStderrBeforeServing: with a JSON log, what is written to os.Stderr once the
// server is listening (a session's panic report, here written by the test after the
// "listening" event, as a session would be after Serve started it) comes out as one JSON log
// event. os.Stderr is swapped before Serve starts, so under -race this test also fails if
// the swap is made while sessions may already be writing.
func TestRunCapturesStderrBeforeServing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &watchedLog{grew: make(chan struct{}, 1)}
	args := []string{"--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(t.TempDir(), "key"), "--log-format", "json"}
	done := make(chan int, 1)
	go func() { done <- run(ctx, cancel, args, nil, io.Discard, logs) }()
	logs.waitFor(t, `"listening"`)
	fmt.Fprintln(os.Stderr, "panic: from a session")
	logs.waitFor(t, "from a session")
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Errorf("not one JSON object: %q", line)
		}
	}
}

// watchedLog is a log a test can wait on: each write wakes waitFor.
type watchedLog struct {
	syncWriter
	grew chan struct{}
}

func (w *watchedLog) Write(p []byte) (int, error) {
	n, err := w.syncWriter.Write(p)
	select {
	case w.grew <- struct{}{}:
	default:
	}
	return n, err
}

// waitFor returns once the log holds text, failing the test after 30 seconds.
func (w *watchedLog) waitFor(t *testing.T, text string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for !strings.Contains(w.String(), text) {
		select {
		case <-w.grew:
		case <-timeout:
			t.Fatalf("the log lacks %q:\n%s", text, w.String())
		}
	}
}

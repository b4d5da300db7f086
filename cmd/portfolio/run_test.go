package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"portfolio/config"
)

const hint = "run portfolio --help for every setting\n"

// TestRunBadSettings: through the binary's own entry point, a bad setting is exit status 2
// and exactly two lines on stderr, the error naming the flag or variable the value came
// from, then the hint; nothing else (no usage).
func TestRunBadSettings(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--max-sessions", "0"}, map[string]string{"PORTFOLIO_MAX_SESSIONS": "60"}, "--max-sessions 0: must be from 1 to 100000"},
		{nil, map[string]string{"PORTFOLIO_MAX_SESSIONS": "0"}, "PORTFOLIO_MAX_SESSIONS=0: must be from 1 to 100000"},
		{nil, map[string]string{"PORTFOLIO_SHUTDOWN_TIMEOUT": "1ns"}, "PORTFOLIO_SHUTDOWN_TIMEOUT=1ns: must be from 1s to 1h"},
		{nil, map[string]string{"PORTFOLIO_DATABASE": "mysql://db"}, "PORTFOLIO_DATABASE=mysql://db: want a file path (SQLite) or a postgres:// or postgresql:// URL"},
		{[]string{"--idle-timeout=1ms"}, nil, "--idle-timeout 1ms: must be from 10s to 24h"},
		{[]string{"--max-sessions", "lots"}, nil, "--max-sessions lots: want a whole number (1 to 100000)"},
		{[]string{"--idle", "5s"}, nil, "unknown flag --idle (did you mean --idle-timeout?)"},
		{[]string{"serve"}, nil, `unexpected argument "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), func() {}, tt.args, env(tt.env), &stdout, &stderr)
			if code != 2 || stderr.String() != "portfolio: "+tt.want+"\n"+hint || stdout.Len() != 0 {
				t.Errorf("exit %d, stderr:\n%s\nstdout:\n%s\nwant exit 2 and stderr:\nportfolio: %s\n%s", code, stderr.String(), stdout.String(), tt.want, hint)
			}
		})
	}
	// A typo behind an error is shown with it.
	var stderr bytes.Buffer
	code := run(context.Background(), func() {}, nil, env(map[string]string{"PORTFOLIO_MAX_SESSION": "5", "PORTFOLIO_MAX_SESSIONS": "0"}), io.Discard, &stderr)
	want := "portfolio: warning: PORTFOLIO_MAX_SESSION is not a setting and is ignored; did you mean PORTFOLIO_MAX_SESSIONS?\n" +
		"portfolio: PORTFOLIO_MAX_SESSIONS=0: must be from 1 to 100000\n" + hint
	if code != 2 || stderr.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr.String(), want)
	}
}

// TestRunHelp: --help goes to stdout, every setting in it, exit status 0.
func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), func() {}, []string{"--help"}, nil, &stdout, &stderr); code != 0 || stderr.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	for _, want := range []string{"Usage:", "portfolio preview", "portfolio stats [FILE]"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	for _, s := range config.Settings() {
		if !strings.Contains(stdout.String(), s.Env) {
			t.Errorf("--help lacks %s", s.Env)
		}
	}
}

// TestRunWarnsOfUnknownVariables: a typo in a variable's name does not stop the server; it
// is logged at warn with the name meant, and the server runs with what it knows.
func TestRunWarnsOfUnknownVariables(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncWriter{}
	vars := env(map[string]string{"PORTFOLIO_MAX_SESSION": "5"})
	args := []string{"--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(t.TempDir(), "key")}
	done := make(chan int, 1)
	go func() { done <- run(ctx, cancel, args, vars, io.Discard, logs) }()
	if !logs.waitFor(30*time.Second, func(s string) bool { return strings.Contains(s, "listening") }) {
		t.Fatalf("no listening event:\n%s", logs.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(logs.String(), "unknown setting ignored name=PORTFOLIO_MAX_SESSION did_you_mean=PORTFOLIO_MAX_SESSIONS") {
		t.Errorf("no warning naming the typo and the setting meant:\n%s", logs.String())
	}
}

// TestBuiltBinary runs the built command: a bad flag's two lines, and the warnings for a
// typo and a removed setting from a server that then starts and stops on SIGTERM.
func TestBuiltBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "portfolio")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "--max-sessions", "0")
	cmd.Env = []string{"PORTFOLIO_MAX_SESSIONS=60"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 2 || stderr.String() != "portfolio: --max-sessions 0: must be from 1 to 100000\n"+hint {
		t.Errorf("--max-sessions 0: exit %d (%v), stderr:\n%s", code, err, stderr.String())
	}

	// A setting that became a constant (PORTFOLIO_RATE_BURST) is warned about like a typo,
	// and the server starts: an old deployment keeps working.
	cmd = exec.Command(bin, "--addr", "127.0.0.1:0", "--database", filepath.Join(t.TempDir(), "portfolio.db"), "--host-key-path", filepath.Join(t.TempDir(), "key"))
	cmd.Env = []string{"PORTFOLIO_MAX_SESSION=5", "PORTFOLIO_RATE_BURST=5"}
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	var lines []string
	sc := bufio.NewScanner(pipe)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.Contains(sc.Text(), "listening") {
			break
		}
	}
	log := strings.Join(lines, "\n")
	if !strings.Contains(log, "WARN") || !strings.Contains(log, "unknown setting ignored name=PORTFOLIO_MAX_SESSION did_you_mean=PORTFOLIO_MAX_SESSIONS") {
		t.Errorf("no warning for the typo:\n%s", log)
	}
	if !strings.Contains(log, "unknown setting ignored name=PORTFOLIO_RATE_BURST did_you_mean=PORTFOLIO_RATE_LIMIT") {
		t.Errorf("no warning for the removed setting:\n%s", log)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go func() { _, _ = io.Copy(io.Discard, pipe) }()
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\n%s", err, log)
	}
}

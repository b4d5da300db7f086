package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binary  string // the portfolio binary TestMain built
	missing []string
)

func TestMain(m *testing.M) {
	for _, tool := range []string{"ssh", "ssh-keyscan", "ssh-keygen", "tmux"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	dir, err := os.MkdirTemp("", "portfolio-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if len(missing) == 0 {
			binary = filepath.Join(dir, "portfolio")
			build := exec.Command("go", "build", "-o", binary, "portfolio/cmd/portfolio")
			build.Stdout, build.Stderr = os.Stderr, os.Stderr
			if err := build.Run(); err != nil {
				fmt.Fprintln(os.Stderr, "build portfolio:", err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// needTools skips the test on a developer's machine without the tools, and fails it in CI.
func needTools(t *testing.T) {
	t.Helper()
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("end-to-end tests need %s on PATH (apt-get install openssh-client tmux)", strings.Join(missing, ", "))
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set, so this is a failure")
	}
	t.Skip(msg)
}

// process is one running portfolio process.
type process struct {
	cmd    *exec.Cmd
	addr   string // 127.0.0.1:PORT
	port   string
	mu     sync.Mutex
	events []map[string]any
	lines  []string      // the raw log, for portfolio stats
	grew   chan struct{} // closed (and replaced) when a line is added: waitLog's event
	exited chan struct{}
	err    error // the process's exit, once exited is closed
}

// start runs the binary with a JSON log on 127.0.0.1:0 and waits for its "listening" event.
func start(t *testing.T, stateDir string, args ...string) *process {
	t.Helper()
	all := append([]string{"--addr", "127.0.0.1:0", "--log-format", "json",
		"--host-key-path", filepath.Join(stateDir, "ssh", "host_ed25519")}, args...)
	cmd := exec.Command(binary, all...)
	cmd.Dir = stateDir
	cmd.Env = append(os.Environ(), "PORTFOLIO_RATE_LIMIT=100/s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &process{cmd: cmd, grew: make(chan struct{}), exited: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		// The whole log first: Wait closes the pipe, and lines not yet read would be lost.
		s.readLog(stderr, listening)
		s.err = cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.exited
	})
	select {
	case s.addr = <-listening:
		s.port = s.addr[strings.LastIndex(s.addr, ":")+1:]
	case <-s.exited:
		t.Fatalf("portfolio exited at start: %v; log: %v", s.err, s.log())
	case <-time.After(20 * time.Second):
		t.Fatalf("portfolio did not start listening; log: %v", s.log())
	}
	return s
}

func (s *process) readLog(r io.Reader, listening chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			e = map[string]any{"msg": "NOT JSON", "line": sc.Text()}
		}
		s.mu.Lock()
		s.events = append(s.events, e)
		s.lines = append(s.lines, sc.Text())
		close(s.grew)
		s.grew = make(chan struct{})
		s.mu.Unlock()
		if e["msg"] == "listening" {
			listening <- e["addr"].(string)
		}
	}
}

func (s *process) log() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.events...)
}

// rawLog is the process's log as it wrote it, one line each.
func (s *process) rawLog() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n") + "\n"
}

// waitLog waits until the log has an event that satisfies ok and returns the first one; it
// wakes on every new line, and fails the test after within.
func (s *process) waitLog(t *testing.T, what string, within time.Duration, ok func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.After(within)
	for seen := 0; ; {
		s.mu.Lock()
		events, grew := s.events[seen:], s.grew
		s.mu.Unlock()
		for _, e := range events {
			if ok(e) {
				return e
			}
		}
		seen += len(events)
		select {
		case <-grew:
		case <-s.exited:
			s.mu.Lock()
			more := len(s.events) > seen
			s.mu.Unlock()
			if !more {
				t.Fatalf("no %s: the server exited (%v); log: %v", what, s.err, s.log())
			}
		case <-deadline:
			t.Fatalf("no %s within %s; log: %v", what, within, s.log())
		}
	}
}

func (s *process) event(msg string) map[string]any {
	for _, e := range s.log() {
		if e["msg"] == msg {
			return e
		}
	}
	return nil
}

// sshArgs are the OpenSSH options for a throwaway host on 127.0.0.1.
func (s *process) sshArgs(extra ...string) []string {
	return append([]string{
		"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
		"-o", "BatchMode=yes", "-F", "/dev/null", "-p", s.port,
	}, append(extra, "127.0.0.1")...)
}

// ssh runs the OpenSSH client without a terminal and returns stdout, stderr and the status.
func (s *process) ssh(t *testing.T, flags []string, command ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", append(s.sshArgs(flags...), command...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &stdout, &stderr, nil
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("ssh: %v", err)
	}
	return stdout.String(), stderr.String(), code
}

// terminate sends SIGTERM and waits for the process to exit.
func (s *process) terminate(t *testing.T, within time.Duration) (time.Duration, int) {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(within):
		t.Fatalf("still running %s after SIGTERM", within)
	}
	return time.Since(start), s.cmd.ProcessState.ExitCode()
}

// tmux is a private tmux server (its own socket) with one window running a command.
type tmux struct {
	socket string
}

func newTmux(t *testing.T, width, height int, env []string, command string) *tmux {
	t.Helper()
	tm := &tmux{socket: fmt.Sprintf("portfolio-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	args := []string{"-L", tm.socket, "-f", "/dev/null", "new-session", "-d", "-s", "e2e",
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// The trailing sleep keeps the pane open after ssh exits, so the test can read what
	// the terminal shows afterwards.
	args = append(args, command+`; echo "EXIT=$?"; sleep 120`)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (tm *tmux) screen(t *testing.T) string { return tm.run(t, "capture-pane", "-p", "-t", "e2e") }

func (tm *tmux) keys(t *testing.T, keys ...string) {
	tm.run(t, append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// waitScreen waits until the screen satisfies ok and returns it.
func (tm *tmux) waitScreen(t *testing.T, what string, within time.Duration, ok func(string) bool) string {
	t.Helper()
	var screen string
	if !poll(within, func() bool { screen = tm.screen(t); return ok(screen) }) {
		t.Fatalf("screen never showed %s within %s:\n%s", what, within, screen)
	}
	return screen
}

// poll asks ok every 50 ms until it holds (true) or within has passed (false). It is for
// state that can only be asked for, a tmux pane or /metrics, which announce no change; what
// the server logs is awaited as an event (waitLog).
func poll(within time.Duration, ok func() bool) bool {
	deadline := time.After(within)
	tick := time.NewTicker(50 * time.Millisecond) // each look at a pane runs tmux
	defer tick.Stop()
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			return ok()
		}
	}
	return true
}

func (tm *tmux) waitFor(t *testing.T, text string, within time.Duration) string {
	t.Helper()
	return tm.waitScreen(t, fmt.Sprintf("%q", text), within, func(s string) bool { return strings.Contains(s, text) })
}

// sshCommand is the shell command tmux runs to connect.
func (s *process) sshCommand(extra ...string) string {
	return "ssh " + strings.Join(s.sshArgs(extra...), " ")
}

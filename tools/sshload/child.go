package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is one server process the tool started and will stop.
type child struct {
	name      string
	addr      string // SSH address
	debugAddr string // /debug/pprof, "" when the server has none
	cmd       *exec.Cmd
	exited    chan struct{}
	logPath   string
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// startChild starts argv with extra environment, stdout and stderr to logPath, and waits until
// the SSH address answers with an SSH banner.
func startChild(ctx context.Context, name, addr, debugAddr, logPath string, env []string, argv ...string) (*child, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, addr: addr, debugAddr: debugAddr, cmd: cmd, exited: make(chan struct{}), logPath: logPath}
	go func() { _ = cmd.Wait(); logf.Close(); close(c.exited) }()
	if err := c.waitReady(ctx, 20*time.Second); err != nil {
		c.stop()
		return nil, fmt.Errorf("%s did not start (log %s): %w", name, logPath, err)
	}
	return c, nil
}

// waitReady polls until the server sends its SSH identification line.
func (c *child) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		select {
		case <-c.exited:
			return errors.New("process exited")
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
		last = probeBanner(ctx, c.addr)
		if last == nil {
			return nil
		}
	}
}

func probeBanner(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "SSH-") {
		return fmt.Errorf("not an SSH server: %q", line)
	}
	return nil
}

// stop sends SIGTERM, waits up to 5 s, then kills. Only this process, by its own PID.
func (c *child) stop() {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

// goroutines reads the goroutine count from /debug/pprof/goroutine?debug=1, whose first line
// is "goroutine profile: total N". -1 when the server exposes no debug address.
func (c *child) goroutines() int {
	if c.debugAddr == "" {
		return -1
	}
	cl := http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get("http://" + c.debugAddr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	_, n, ok := strings.Cut(strings.TrimSpace(line), "total ")
	if !ok {
		return -1
	}
	v, err := strconv.Atoi(n)
	if err != nil {
		return -1
	}
	return v
}

// fetchProfile saves /debug/pprof/<name>?<query> to path.
func (c *child) fetchProfile(name, query, path string, timeout time.Duration) error {
	if c.debugAddr == "" {
		return errors.New("no debug address")
	}
	cl := http.Client{Timeout: timeout}
	resp, err := cl.Get("http://" + c.debugAddr + "/debug/pprof/" + name + "?" + query)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile %s: %s", name, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// probeSource is compiled into the portfolio binary through `go build -overlay` (the repo's
// own files are untouched): it serves /debug/pprof on SSHLOAD_DEBUG_ADDR so the tool can count
// goroutines and take CPU and heap profiles of the real server under load.
const probeSource = `package main

import (
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	if addr := os.Getenv("SSHLOAD_DEBUG_ADDR"); addr != "" {
		go func() { _ = http.ListenAndServe(addr, nil) }()
	}
}
`

// buildPortfolio builds ./cmd/portfolio from repo into dir with the probe file overlaid.
func buildPortfolio(ctx context.Context, repo, dir string) (string, error) {
	pkgDir, err := filepath.Abs(filepath.Join(repo, "cmd", "portfolio"))
	if err != nil {
		return "", err
	}
	probe := filepath.Join(dir, "sshload_probe.go")
	if err := os.WriteFile(probe, []byte(probeSource), 0o600); err != nil {
		return "", err
	}
	ov, err := json.Marshal(map[string]map[string]string{
		"Replace": {filepath.Join(pkgDir, "zz_sshload_probe.go"): probe},
	})
	if err != nil {
		return "", err
	}
	ovPath := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ovPath, ov, 0o600); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "portfolio")
	cmd := exec.CommandContext(ctx, "go", "build", "-overlay", ovPath, "-o", bin, "./cmd/portfolio")
	cmd.Dir = repo
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build ./cmd/portfolio: %w\n%s", err, out)
	}
	return bin, nil
}

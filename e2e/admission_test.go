package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server"
)

// defaults are the flags that undo the harness's generous environment: the production
// defaults of every admission setting, whatever main's Defaults say today.
func defaults() []string {
	d := server.Defaults()
	return []string{"--rate-limit", d.RateLimit.String(),
		"--max-sessions-per-ip", fmt.Sprint(d.MaxSessionsPerIP), "--max-sessions", fmt.Sprint(d.MaxSessions)}
}

// heldVisit is an interactive visit held open: a PTY session that has shown the first screen.
type heldVisit struct {
	close func()
	took  time.Duration
	err   error
}

// TestCrowdFromOneAddress: 40 visitors from one address within 10 s (a talk shows the ssh
// command on a slide; a mobile carrier's NAT) all get in and stay in, at the default settings.
func TestCrowdFromOneAddress(t *testing.T) {
	needTools(t)
	title := site(t).Settings.Title
	srv := start(t, t.TempDir(), defaults()...)
	const crowd = 40
	visitors := make([]heldVisit, crowd)
	var wg sync.WaitGroup
	begin := time.Now()
	for i := range crowd {
		wg.Add(1)
		go func() {
			defer wg.Done()
			visitors[i] = holdScreen(srv, "127.0.0.1", title)
		}()
		time.Sleep(200 * time.Millisecond) // the crowd's pace, not a wait: 40 arrivals over 8 s
	}
	wg.Wait()
	var in int
	var worst time.Duration
	for i, v := range visitors {
		if v.err != nil {
			t.Errorf("visitor %d: %v", i+1, v.err)
			continue
		}
		in++
		worst = max(worst, v.took)
	}
	t.Logf("crowd: %d of %d visitors from 127.0.0.1 in within %s; slowest first screen %s",
		in, crowd, time.Since(begin).Round(time.Millisecond), worst.Round(time.Millisecond))
	for _, v := range visitors {
		if v.close != nil {
			v.close()
		}
	}
}

// TestCrowdReadingTheHostKeyPrompt: 40 first-time visitors behind one address connect at the
// same moment and all read the host-key prompt for 3 s before they answer: 40 handshakes from
// one address in flight at once, none of them a visit yet. All get in.
func TestCrowdReadingTheHostKeyPrompt(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir(), defaults()...)
	const crowd, reading = 40, 3 * time.Second
	errs := make([]error, crowd)
	var wg sync.WaitGroup
	for i := range crowd {
		wg.Go(func() {
			conn, err := dialFrom(srv, "127.0.0.1")
			if err != nil {
				errs[i] = err
				return
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(reading + 30*time.Second))
			cc, chans, reqs, err := gossh.NewClientConn(conn, srv.addr, &gossh.ClientConfig{
				User: "visitor",
				HostKeyCallback: func(string, net.Addr, gossh.PublicKey) error {
					time.Sleep(reading) // a person reading "Are you sure you want to continue connecting?": the scenario
					return nil
				},
			})
			if err != nil {
				errs[i] = err
				return
			}
			client := gossh.NewClient(cc, chans, reqs)
			defer client.Close()
			sess, err := client.NewSession()
			if err != nil {
				errs[i] = err
				return
			}
			out, err := sess.Output("help")
			if err != nil || !strings.Contains(string(out), "Usage") {
				errs[i] = fmt.Errorf("help: %v, %q", err, out)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("visitor %d: %v", i+1, err)
		}
	}
}

// TestQuickVisitsFromOneAddress: a newcomer trying the commands, twelve in a row.
func TestQuickVisitsFromOneAddress(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir(), defaults()...)
	for i := range 12 {
		stdout, stderr, code := srv.ssh(t, []string{"-T"}, "help")
		if code != 0 || !strings.Contains(stdout, "Usage") {
			t.Fatalf("visit %d: status %d, stdout %q, stderr %q", i+1, code, stdout, stderr)
		}
	}
}

// TestKeyscanTwiceThenFingerprint: ssh-keyscan with its default key types (one connection
// per type, none of which logs in) twice, and then a visit: all succeed.
func TestKeyscanTwiceThenFingerprint(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir(), defaults()...)
	for i := range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, "ssh-keyscan", "-p", srv.port, "127.0.0.1").Output()
		cancel()
		if err != nil || !strings.Contains(string(out), "ssh-ed25519 ") {
			t.Fatalf("ssh-keyscan %d: %v, %q", i+1, err, out)
		}
	}
	stdout, stderr, code := srv.ssh(t, nil, "fingerprint")
	if code != 0 || !strings.Contains(stdout, "SHA256:") {
		t.Fatalf("ssh fingerprint after two scans: status %d, %q %q", code, stdout, stderr)
	}
}

// TestHostKeyPromptAnsweredLate: a first-time visitor reads OpenSSH's host-key prompt for
// 18 s, longer than the handshake timeout, answers "yes" and gets in.
func TestHostKeyPromptAnsweredLate(t *testing.T) {
	needTools(t)
	dir := t.TempDir()
	srv := start(t, dir, defaults()...)
	knownHosts := filepath.Join(dir, "known_hosts") // fresh: the host is unknown
	tm := newTmux(t, 100, 30, nil, fmt.Sprintf(
		"ssh -F /dev/null -o UserKnownHostsFile=%s -o StrictHostKeyChecking=ask -o LogLevel=ERROR -p %s 127.0.0.1 help",
		knownHosts, srv.port))
	tm.waitFor(t, "Are you sure you want to continue connecting", 20*time.Second)
	const reading = 18 * time.Second
	time.Sleep(reading) // a person reading the prompt: the scenario, not a wait for an event
	tm.keys(t, "yes", "Enter")
	screen := tm.waitScreen(t, "the help and EXIT=0", 20*time.Second, func(s string) bool {
		return strings.Contains(s, "Usage") && strings.Contains(s, "EXIT=0")
	})
	if strings.Contains(screen, "Broken pipe") || strings.Contains(screen, "Connection closed") {
		t.Fatalf("cut off after reading the prompt:\n%s", screen)
	}
	for _, e := range srv.log() {
		if e["msg"] == "ssh peer dropped" {
			t.Errorf("dropped: %v", e)
		}
	}
}

// holdScreen connects from the loopback address from, asks for a 100x30 terminal and waits
// for the title, then keeps the visit open until close is called.
func holdScreen(srv *process, from, title string) heldVisit {
	start := time.Now()
	v, err := openScreen(srv, from, title, 30*time.Second)
	if err != nil {
		return heldVisit{err: err}
	}
	return heldVisit{close: v, took: time.Since(start)}
}

// dialFrom opens a TCP connection to srv from a loopback address of choice.
func dialFrom(srv *process, from string) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	return d.Dial("tcp", srv.addr)
}

// TestConnectionsForgottenWhenTheyEnd: visitors who leave, after a plain answer or by
// closing the connection under an open screen, leave nothing in the guard: /metrics shows no
// connection tracked right after they have gone, and no "no session" drop is reported once the
// no-session timeout has passed (every ended connection used to be kept that long and then
// logged as dropped).
func TestConnectionsForgottenWhenTheyEnd(t *testing.T) {
	needTools(t)
	title := site(t).Settings.Title
	srv := start(t, t.TempDir(), append(defaults(), "--http-addr", "127.0.0.1:0")...)
	for range 3 {
		if _, stderr, code := srv.ssh(t, nil, "help"); code != 0 {
			t.Fatalf("help: %d %q", code, stderr)
		}
		closeFn, err := openScreen(srv, "127.0.0.1", title, 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		closeFn() // the visitor's connection goes while the screen is open
	}
	metric := func(name string) string {
		body := scrape(t, srv)
		for _, line := range strings.Split(body, "\n") {
			if v, ok := strings.CutPrefix(line, name+" "); ok {
				return v
			}
		}
		t.Fatalf("/metrics has no %s:\n%s", name, body)
		return ""
	}
	if !poll(5*time.Second, func() bool { return metric("portfolio_guard_connections") == "0" }) {
		t.Fatalf("the guard still tracks %s connections after every visitor left", metric("portfolio_guard_connections"))
	}
	// That no ended connection is dropped later for having no session is the guard's
	// TestConnectionForgottenWhenItEnds: the no-session timeout is a fixed minute.
	for _, e := range srv.log() {
		if e["msg"] == "ssh peer dropped" {
			t.Errorf("logged: %v", e)
		}
	}
}

// scrape returns the /metrics page of srv's HTTP listener.
func scrape(t *testing.T, srv *process) string {
	t.Helper()
	addr, _ := srv.event("listening")["http"].(string)
	if addr == "" {
		t.Fatal("the server has no HTTP listener")
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

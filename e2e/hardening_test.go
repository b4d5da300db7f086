package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server"
	"portfolio/server/guard"
)

// firstScreen connects from the loopback address from with x/crypto/ssh, asks for a 100x30
// terminal and returns how long it took until the site's title was on the screen.
func firstScreen(t *testing.T, srv *process, from, title string) time.Duration {
	t.Helper()
	start := time.Now()
	closeFn, err := openScreen(srv, from, title, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	closeFn()
	return took
}

// openScreen connects from the loopback address from with x/crypto/ssh, asks for a 100x30
// terminal and waits until the site's title is on the screen. The visit stays open, its
// output read and dropped, until close is called.
func openScreen(srv *process, from, title string, within time.Duration) (closeFn func(), err error) {
	conn, err := dialFrom(srv, from)
	if err != nil {
		return nil, fmt.Errorf("dial from %s: %w", from, err)
	}
	_ = conn.SetDeadline(time.Now().Add(within))
	cc, chans, reqs, err := gossh.NewClientConn(conn, srv.addr, &gossh.ClientConfig{
		User: "visitor", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: within,
	})
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("handshake from %s: %w", from, err)
	}
	client := gossh.NewClient(cc, chans, reqs)
	fail := func(err error) (func(), error) {
		_ = client.Close()
		return nil, err
	}
	sess, err := client.NewSession()
	if err != nil {
		return fail(fmt.Errorf("session from %s: %w", from, err))
	}
	if err := sess.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		return fail(err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return fail(err)
	}
	stderr, err := sess.StderrPipe()
	if err != nil {
		return fail(err)
	}
	if err := sess.Shell(); err != nil {
		return fail(err)
	}
	var screen bytes.Buffer
	buf := make([]byte, 32<<10)
	for !strings.Contains(screen.String(), title) {
		n, err := out.Read(buf)
		screen.Write(buf[:n])
		if err != nil {
			msg, _ := io.ReadAll(stderr)
			return fail(fmt.Errorf("no first screen for the visitor from %s: %v; stderr %q", from, err, msg))
		}
	}
	_ = conn.SetDeadline(time.Time{})
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return func() { _ = client.Close() }, nil
}

// TestFloodFromOneAddress: 1,000 rapid connections from 127.0.0.1 that log in and open no
// session, with a strict budget (2/s and the fixed burst of 64, per source, checked at
// accept time; none of them is a visit, so each spends a token), while a visitor from
// 127.0.0.2 gets the first screen about as fast as on an idle server.
func TestFloodFromOneAddress(t *testing.T) {
	needTools(t)
	title := site(t).Settings.Title
	// Flags beat the harness's generous environment.
	srv := start(t, t.TempDir(), "--rate-limit", "2/s")

	idle := firstScreen(t, srv, "127.0.0.2", title)

	const total, workers = 1000, 50
	var next, refused, handshakes atomic.Int64
	var wg sync.WaitGroup
	floodStart := time.Now()
	deadline := floodStart.Add(60 * time.Second)
	underWay := make(chan struct{}) // closed when a quarter of the flood has been sent
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1)
				if n == total/4 {
					close(underWay)
				}
				if n > total || !time.Now().Before(deadline) {
					return
				}
				conn, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
				if err != nil {
					refused.Add(1)
					continue
				}
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				cc, chans, reqs, err := gossh.NewClientConn(conn, srv.addr, &gossh.ClientConfig{
					User: "flood", HostKeyCallback: gossh.InsecureIgnoreHostKey(),
				})
				if err != nil {
					refused.Add(1)
					_ = conn.Close()
					continue
				}
				handshakes.Add(1)
				_ = gossh.NewClient(cc, chans, reqs).Close()
			}
		}()
	}
	// The visitor arrives while the flood is under way.
	select {
	case <-underWay:
	case <-time.After(60 * time.Second):
		t.Fatal("the flood never got a quarter of the way")
	}
	during := firstScreen(t, srv, "127.0.0.2", title)
	wg.Wait()
	flood := time.Since(floodStart)

	t.Logf("flood: %d connections from 127.0.0.1 in %s (%.0f/s): %d refused before the handshake, %d got through",
		total, flood.Round(time.Millisecond), float64(total)/flood.Seconds(), refused.Load(), handshakes.Load())
	t.Logf("visitor from 127.0.0.2: first screen in %s on the idle server, %s during the flood",
		idle.Round(time.Millisecond), during.Round(time.Millisecond))
	if n := next.Load(); n < total {
		t.Fatalf("only %d connections within 60s", n)
	}
	// The burst and 2/s over the flood's duration, with room for timing.
	if allowed := int64(guard.RateBurst + 2*flood.Seconds() + 4); handshakes.Load() > allowed {
		t.Errorf("%d flood connections got through the handshake, the rate allows about %d", handshakes.Load(), allowed)
	}
	if limit := 3 * time.Second; during > limit || during > idle+2*time.Second {
		t.Errorf("the other visitor's first screen took %s during the flood (%s idle)", during, idle)
	}
}

// TestWeakAlgorithmsRefusedByOpenSSH: the real client offering only what ssh-audit fails is
// refused; the same client with its defaults gets in.
func TestWeakAlgorithmsRefusedByOpenSSH(t *testing.T) {
	needTools(t)
	srv := start(t, t.TempDir())
	for _, tt := range []struct {
		options []string
		want    string
	}{
		{[]string{"KexAlgorithms=diffie-hellman-group14-sha1"}, "no matching key exchange method"},
		// With an AEAD cipher no MAC is used: offer a cipher that needs one.
		{[]string{"Ciphers=aes128-ctr", "MACs=hmac-sha1"}, "no matching MAC"},
		{[]string{"Ciphers=aes128-ctr", "MACs=hmac-sha2-256"}, "no matching MAC"}, // not ETM
		{[]string{"Ciphers=aes128-cbc"}, "no matching cipher"},
		{[]string{"HostKeyAlgorithms=rsa-sha2-512"}, "no matching host key type"},
	} {
		t.Run(strings.Join(tt.options, ","), func(t *testing.T) {
			// LogLevel first: the first value given wins, and the harness's ERROR would hide
			// OpenSSH's "Unable to negotiate" line.
			args := []string{"-o", "LogLevel=INFO"}
			for _, o := range tt.options {
				args = append(args, "-o", o)
			}
			cmd := exec.Command("ssh", append(append(args, srv.sshArgs()...), "help")...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.ExitCode() != 255 || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("ssh %v: %v, stderr %q; want status 255 and %q", args, err, stderr.String(), tt.want)
			}
		})
	}
	if stdout, stderr, code := srv.ssh(t, nil, "help"); code != 0 || !strings.Contains(stdout, "Usage") {
		t.Fatalf("default ssh: status %d, %q %q", code, stdout, stderr)
	}
}

// TestSSHAudit runs ssh-audit against the binary: no algorithm it fails or warns about,
// except that older ssh-audit releases (Debian's 2.5) do not know the newest ones yet.
func TestSSHAudit(t *testing.T) {
	needTools(t)
	if _, err := exec.LookPath("ssh-audit"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ssh-audit is not installed (apt-get install ssh-audit); CI is set, so this is a failure")
		}
		t.Skip("ssh-audit is not installed (apt-get install ssh-audit)")
	}
	srv := start(t, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, "ssh-audit", "-n", "-p", srv.port, "127.0.0.1").CombinedOutput()
	report := string(out)
	if !strings.Contains(report, "(kex) curve25519-sha256") {
		t.Fatalf("ssh-audit did not audit the server:\n%s", report)
	}
	unknown := regexp.MustCompile(`-- \[warn\] unknown algorithm`)
	for _, line := range strings.Split(report, "\n") {
		if strings.Contains(line, "[fail]") || strings.Contains(line, "[warn]") && !unknown.MatchString(line) {
			t.Errorf("ssh-audit: %s", line)
		}
	}
	t.Logf("ssh-audit:\n%s", report)
}

// floodOutcome is what one flood connection got.
type floodOutcome int

const (
	floodServed         floodOutcome = iota // a screen, held open
	floodRefusedAccept                      // closed before the handshake
	floodRefusedSession                     // a polite line and exit status 1
)

// floodSession opens an interactive session from 127.0.0.1 and holds it until done is closed.
// A refusal after the handshake returns what the server wrote on stderr.
func floodSession(srv *process, done <-chan struct{}) (floodOutcome, string) {
	conn, err := dialFrom(srv, "127.0.0.1")
	if err != nil {
		return floodRefusedAccept, ""
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	cc, chans, reqs, err := gossh.NewClientConn(conn, srv.addr, &gossh.ClientConfig{
		User: "flood", HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		return floodRefusedAccept, ""
	}
	client := gossh.NewClient(cc, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return floodRefusedSession, ""
	}
	out, _ := sess.StdoutPipe()
	stderr, _ := sess.StderrPipe()
	// Held open, as a flood that means to hold its sessions would: a session whose input has
	// ended is closed as soon as its screen sleeps, and screens start asleep.
	in, _ := sess.StdinPipe()
	defer in.Close()
	if sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}) != nil || sess.Shell() != nil {
		return floodRefusedSession, ""
	}
	buf := make([]byte, 4096)
	if n, _ := out.Read(buf); n == 0 {
		msg, _ := io.ReadAll(stderr)
		return floodRefusedSession, string(msg)
	}
	_ = conn.SetDeadline(time.Time{})
	go func() { _, _ = io.Copy(io.Discard, out) }()
	<-done
	return floodServed, ""
}

// TestFloodOfHeldSessionsAtDefaults: at the default settings, one address opens interactive
// sessions at 80 a second and holds every one it gets; it is served until the server is
// contended and politely refused after that, then refused at accept once its budget is
// spent, while visitors from other addresses still get their first screen about as fast as
// on an idle server.
func TestFloodOfHeldSessionsAtDefaults(t *testing.T) {
	needTools(t)
	title := site(t).Settings.Title
	srv := start(t, t.TempDir(), defaults()...)
	idle := firstScreen(t, srv, "127.0.0.2", title)

	const rate, seconds = 80, 5
	done := make(chan struct{})
	var counts [3]atomic.Int64
	var mu sync.Mutex
	refusals := map[string]int{} // what the politely refused were told
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / rate)
	floodStart := time.Now()
	var during []time.Duration
	others := []string{"127.0.0.3", "127.0.0.4", "127.0.0.5"}
	for i := 0; i < rate*seconds; i++ {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcome, msg := floodSession(srv, done)
			counts[outcome].Add(1)
			if outcome == floodRefusedSession {
				mu.Lock()
				refusals[msg]++
				mu.Unlock()
			}
		}()
		// Other visitors arrive while the flood is under way and the server holds the most.
		if i >= rate*seconds/2 && len(during) < len(others) && i%rate == 0 {
			during = append(during, firstScreen(t, srv, others[len(during)], title))
		}
	}
	tick.Stop()
	for len(during) < len(others) {
		during = append(during, firstScreen(t, srv, others[len(during)], title))
	}
	floodTime := time.Since(floodStart)
	close(done)
	wg.Wait()
	served, atAccept, polite := counts[floodServed].Load(), counts[floodRefusedAccept].Load(), counts[floodRefusedSession].Load()
	t.Logf("flood: %d interactive sessions from 127.0.0.1 at %d/s in %s: %d served and held, %d refused politely after the handshake, %d refused at accept",
		rate*seconds, rate, floodTime.Round(time.Millisecond), served, polite, atAccept)
	t.Logf("other visitors: first screen %s on the idle server, %v during the flood", idle.Round(time.Millisecond), during)
	d := server.Defaults()
	if limit := int64(d.MaxSessions); served > limit {
		t.Errorf("%d flood sessions held, more than PORTFOLIO_MAX_SESSIONS %d", served, limit)
	}
	// While the server has room, even a flood's address is served: it is held to its share
	// only once three quarters of the server are taken (PORTFOLIO_CONTENDED_SESSIONS).
	if contended := int64(d.MaxSessions * 3 / 4); served < contended {
		t.Errorf("only %d flood sessions served: the address was held to a share before the server was contended (%d open)", served, contended)
	}
	for i, took := range during {
		if limit := 3 * time.Second; took > limit || took > idle+2*time.Second {
			t.Errorf("visitor from %s: first screen in %s during the flood (%s idle)", others[i], took, idle)
		}
	}
	// A visitor refused after the handshake is told why, in one line.
	for msg, n := range refusals {
		if line := strings.TrimSpace(msg); line != server.ErrTooManyFromYou.Error() && line != server.ErrServerBusy.Error() || strings.Contains(line, "\n") {
			t.Errorf("%d politely refused flood sessions were told %q", n, msg)
		}
	}
	if polite == 0 {
		t.Error("no flood session was refused after the handshake: the share never applied")
	}
	// Refusals at accept are logged at info, once a minute per source.
	var lines int
	for _, e := range srv.log() {
		if e["msg"] == "ssh connection refused" {
			lines++
			if e["level"] != "info" || e["remote"] != "127.0.0.1" || e["reason"] != "rate_limit" {
				t.Errorf("refusal logged as %v", e)
			}
		}
	}
	if atAccept > 0 && lines != 1 {
		t.Errorf("%d refusals at accept logged in %d lines, want 1 (once a minute per source)", atAccept, lines)
	}
}

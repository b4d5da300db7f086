package server

import (
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
)

func TestRefusedRequests(t *testing.T) {
	ts := newTestServer(t, nil)
	client := ts.dial(t, "")

	t.Run("local port forwarding", func(t *testing.T) {
		if c, err := client.Dial("tcp", ts.addr); err == nil {
			c.Close()
			t.Fatal("direct-tcpip channel was accepted")
		}
	})
	t.Run("remote port forwarding", func(t *testing.T) {
		if l, err := client.Listen("tcp", "127.0.0.1:0"); err == nil {
			l.Close()
			t.Fatal("tcpip-forward was accepted")
		}
	})
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req"} {
		t.Run(req, func(t *testing.T) {
			sess := newSessionSoon(t, client)
			defer sess.Close()
			ok, err := sess.SendRequest(req, true, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				t.Fatalf("%s was accepted", req)
			}
		})
	}
	for _, sub := range []string{"sftp", "scp"} {
		t.Run("subsystem "+sub, func(t *testing.T) {
			sess := newSessionSoon(t, client)
			defer sess.Close()
			if err := sess.RequestSubsystem(sub); err == nil {
				t.Fatalf("subsystem %s was accepted", sub)
			}
		})
	}
	t.Run("x11 channel", func(t *testing.T) {
		if _, _, err := client.OpenChannel("x11", nil); err == nil {
			t.Fatal("x11 channel was accepted")
		}
	})
	// After all that, the connection still serves.
	out, err := newSessionSoon(t, client).Output("help")
	if err != nil || !strings.Contains(string(out), "Usage:") {
		t.Fatalf("help after refusals: %v %q", err, out)
	}
}

// newSessionSoon opens a session on a connection whose earlier sessions the client has just
// closed: the server frees their slots (two per connection) when it has seen the close, which
// on a loaded machine can come after the next request.
func newSessionSoon(t *testing.T, client *gossh.Client) *gossh.Session {
	t.Helper()
	var (
		sess *gossh.Session
		err  error
	)
	poll(3*time.Second, func() bool {
		sess, err = client.NewSession()
		return err == nil || !strings.Contains(err.Error(), "too many sessions")
	})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func TestCapPerAddress(t *testing.T) {
	// Contended from the first session on: each address is held to its share of one.
	ts := newTestServer(t, func(c *Config) { c.MaxSessions = 10; c.MaxSessionsPerIP = 1; c.ContendedSessions = 1 })
	site := testSite(t)
	first := ts.openTerm(t, "", "", nil)
	first.waitFor(t, site.Settings.Title, 5*time.Second)

	r := ts.run(t, "", "help")
	if r.code != 1 || r.stderr != ErrTooManyFromYou.Error()+"\n\r" && strings.TrimSpace(r.stderr) != ErrTooManyFromYou.Error() {
		t.Fatalf("over the per-address cap: status %d, stderr %q", r.code, r.stderr)
	}
	if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("the refusal should be one line: %q", r.stderr)
	}
	if r := ts.run(t, "127.0.0.2", "help"); r.code != 0 {
		t.Errorf("another address should be unaffected: %d %q", r.code, r.stderr)
	}
	if !first.alive() {
		t.Fatal("the session under the cap was affected")
	}
	first.press(t, "q")
	if code := first.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("first session exit status %d", code)
	}
	// Its slot is free again.
	waitUntil(t, func() bool { return ts.run(t, "", "help").code == 0 })
}

func TestCapTotal(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxSessions = 1; c.MaxSessionsPerIP = 1 })
	site := testSite(t)
	first := ts.openTerm(t, "127.0.0.1", "", nil)
	first.waitFor(t, site.Settings.Title, 5*time.Second)
	r := ts.run(t, "127.0.0.3", "")
	if r.code != 1 || strings.TrimSpace(r.stderr) != ErrServerBusy.Error() || r.stdout != "" {
		t.Fatalf("over the total cap: status %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	first.press(t, "q")
	if code := first.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("first session exit status %d", code)
	}
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 2 })
	var rejected, interactive int
	for _, e := range ts.logs.find(t, "session end") {
		switch e["kind"] {
		case "rejected":
			rejected++
			if e["reason"] != "too_many_sessions" {
				t.Errorf("rejected reason %v", e["reason"])
			}
		case "interactive":
			interactive++
		}
	}
	if rejected != 1 || interactive != 1 {
		t.Errorf("logged %d rejected and %d interactive session ends, want 1 and 1", rejected, interactive)
	}
}

// TestRateLimit: the one per-source budget works at accept time and only connections that do
// not become visits spend it. Once spent, a source's connections are closed before the SSH
// handshake; other sources are unaffected.
func TestRateLimit(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.RateLimit = Rate{Events: 1, Per: time.Hour} },
		withGuard(func(l *guard.Limits) { l.RateBurst = 2 }))
	for i := range 5 {
		if r := ts.run(t, "", "help"); r.code != 0 {
			t.Fatalf("visit %d (visits give their token back): %d %q", i+1, r.code, r.stderr)
		}
	}
	for i := range 2 {
		if err := ts.handshake("127.0.0.1"); err != nil {
			t.Fatalf("connection %d without a session, within the burst: %v", i+1, err)
		}
	}
	if err := ts.handshake("127.0.0.1"); err == nil {
		t.Fatal("a connection over the rate got through the handshake")
	}
	if r := ts.run(t, "127.0.0.2", "help"); r.code != 0 {
		t.Fatalf("another source should be unaffected: %d %q", r.code, r.stderr)
	}
	if st := ts.guard.Stats(); st.RateLimited != 1 {
		t.Errorf("guard stats %+v, want one connection refused for its rate", st)
	}
}

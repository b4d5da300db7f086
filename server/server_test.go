package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/content"
	"portfolio/ui"
)

func TestPlainAnswers(t *testing.T) {
	ts := newTestServer(t, nil)
	site := testSite(t)
	marker := filepath.Join(t.TempDir(), "executed")

	tests := []struct {
		name, cmd  string
		code       int
		wantOut    []string
		wantErr    string
		wantNoOut  bool
		allSection bool
	}{
		{name: "shell without pty: the whole narrative", cmd: "", allSection: true},
		{name: "plain", cmd: "plain", allSection: true},
		{name: "one section", cmd: "certification", wantOut: []string{site.Sections[1].Title, firstSentence(site.Sections[1].Plain)}},
		{name: "help lists commands and slugs", cmd: "help", wantOut: append([]string{"Usage:", "help", "ssh -T"}, site.Slugs()...)},
		{name: "fingerprint", cmd: "fingerprint", wantOut: []string{ts.key.Fingerprint}},
		{name: "json", cmd: "json", wantOut: []string{`"title"`, site.Sections[0].Slug}},
		{name: "vcard without contact details", cmd: "vcard", code: 1, wantErr: "no contact details", wantNoOut: true},
		{name: "unknown word", cmd: "nope", code: 1, wantErr: `unknown command "nope"`, wantNoOut: true},
		{name: "two words", cmd: "education certification", code: 1, wantErr: "unknown command", wantNoOut: true},
		{name: "never executed", cmd: "touch " + marker, code: 1, wantErr: "unknown command", wantNoOut: true},
		{name: "shell syntax", cmd: "education; touch " + marker, code: 1, wantErr: "unknown command", wantNoOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.run(t, "", tt.cmd)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, "\x1b") {
				t.Errorf("plain answer holds an escape sequence: %q", r.stdout)
			}
			if tt.allSection {
				if r.stdout != site.PlainText(content.PlainWidth) {
					t.Errorf("stdout is not the whole narrative:\n%s", r.stdout)
				}
				for _, sec := range site.Sections {
					if !strings.Contains(r.stdout, sec.Title) {
						t.Errorf("narrative lacks section %q", sec.Title)
					}
				}
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			if tt.wantErr != "" && !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.wantErr)
			}
			if tt.wantNoOut && r.stdout != "" {
				t.Errorf("stdout should be empty, got %q", r.stdout)
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a visitor's command was executed")
	}
}

func firstSentence(s string) string {
	s, _, _ = strings.Cut(s, ".")
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

func TestPTYGetsTheUI(t *testing.T) {
	ts := newTestServer(t, nil)
	site := testSite(t)
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, site.Sections[0].Title, 5*time.Second)
	if !strings.Contains(tm.output(), "\x1b[?1049h") {
		t.Error("the UI did not switch to the alternate screen")
	}
	tm.press(t, "q")
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("q: exit status %d, want 0", code)
	}
	out := tm.output()
	goodbye := ui.New(site, nil, ui.Options{}).Goodbye()
	restored := strings.LastIndex(out, "\x1b[?1049l")
	if restored < 0 {
		t.Fatalf("the alternate screen was never left:\n%q", out)
	}
	if !strings.Contains(out[restored:], strings.TrimSpace(goodbye)) {
		t.Errorf("goodbye %q not printed after the screen was restored:\n%q", goodbye, out[restored:])
	}
}

// recordOptions captures the ui.Options the server builds for each visitor.
type recordOptions struct {
	mu   sync.Mutex
	opts []ui.Options
}

func (r *recordOptions) option(site *content.Site) Option {
	return func(s *Server) {
		s.newModel = func(o ui.Options) tea.Model {
			r.mu.Lock()
			r.opts = append(r.opts, o)
			r.mu.Unlock()
			return ui.New(site, nil, o)
		}
	}
}

func (r *recordOptions) last(t *testing.T) ui.Options {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.opts) == 0 {
		t.Fatal("no model was built")
	}
	return r.opts[len(r.opts)-1]
}

func TestUIOptionsFromTheVisitor(t *testing.T) {
	site := testSite(t)
	rec := &recordOptions{}
	ts := newTestServer(t, nil, rec.option(site))
	tests := []struct {
		name        string
		cmd         string
		env         map[string]string
		wantSection string
		wantNotice  bool
		wantASCII   bool
		wantAccess  bool
	}{
		{name: "no command", cmd: ""},
		{name: "known slug opens that section", cmd: "road-ahead", wantSection: "road-ahead"},
		{name: "unknown slug: first section and a notice", cmd: "nowhere", wantNotice: true},
		{name: "UTF-8 locale", env: map[string]string{"LANG": "en_GB.UTF-8"}},
		{name: "C locale falls back to ASCII", env: map[string]string{"LANG": "C"}, wantASCII: true},
		{name: "LC_ALL beats LANG", env: map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "POSIX"}, wantASCII: true},
		{name: "LC_CTYPE beats LANG", env: map[string]string{"LANG": "C", "LC_CTYPE": "de_DE.utf8"}},
		{name: "plain with a terminal opens the accessible view", cmd: "plain", wantAccess: true},
		{name: "NO_COLOR asks for the accessible view", env: map[string]string{"NO_COLOR": "1"}, wantAccess: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := ts.openTerm(t, "", tt.cmd, tt.env)
			tm.waitFor(t, site.Settings.Title, 5*time.Second)
			o := rec.last(t)
			if o.Width != 100 || o.Height != 30 {
				t.Errorf("size %dx%d, want the PTY's 100x30", o.Width, o.Height)
			}
			wantProfile := colorprofile.ANSI256 // for TERM=xterm-256color
			if tt.env["NO_COLOR"] != "" {
				wantProfile = colorprofile.Ascii
			}
			if o.Profile != wantProfile {
				t.Errorf("profile %v, want %v", o.Profile, wantProfile)
			}
			if o.Section != tt.wantSection {
				t.Errorf("section %q, want %q", o.Section, tt.wantSection)
			}
			if (o.Notice != "") != tt.wantNotice {
				t.Errorf("notice %q, want one: %v", o.Notice, tt.wantNotice)
			}
			if o.ASCII != tt.wantASCII {
				t.Errorf("ASCII %v, want %v", o.ASCII, tt.wantASCII)
			}
			if o.Accessible != tt.wantAccess {
				t.Errorf("Accessible %v, want %v", o.Accessible, tt.wantAccess)
			}
			tm.press(t, "q")
			if code := tm.exit(t, 5*time.Second); code != 0 {
				t.Errorf("exit status %d", code)
			}
		})
	}
}

func TestTextCommandsWithAPTY(t *testing.T) {
	ts := newTestServer(t, nil)
	tm := ts.openTerm(t, "", "help", nil)
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if out := tm.output(); !strings.Contains(out, "Usage:") || strings.Contains(out, "\x1b[?1049h") {
		t.Fatalf("help with a PTY should be text, not the UI:\n%q", out)
	}
}

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
	deadline := time.Now().Add(3 * time.Second)
	for {
		sess, err := client.NewSession()
		if err == nil {
			return sess
		}
		if !strings.Contains(err.Error(), "too many sessions") || time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestCapPerAddress(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxSessions = 10; c.MaxSessionsPerIP = 1 })
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
		case kindRejected:
			rejected++
			if e["reason"] != "too_many_sessions" {
				t.Errorf("rejected reason %v", e["reason"])
			}
		case kindInteractive:
			interactive++
		}
	}
	if rejected != 1 || interactive != 1 {
		t.Errorf("logged %d rejected and %d interactive session ends, want 1 and 1", rejected, interactive)
	}
}

// TestRateLimit: the one per-source limiter works at accept time. Over the rate, a source's
// connections are closed before the SSH handshake; other sources are unaffected.
func TestRateLimit(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.RateLimit = Rate{Events: 1, Per: time.Hour}; c.RateBurst = 2 })
	for i := range 2 {
		if r := ts.run(t, "", "help"); r.code != 0 {
			t.Fatalf("session %d within the burst: %d %q", i+1, r.code, r.stderr)
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

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("condition not met within 5s")
}

// panicky is a model that panics when asked to: in Update on "p", in a command on "c", in
// View after "v", and in a command inside a tea.Sequence on "s".
type panicky struct {
	inner     tea.Model
	viewPanic bool
}

func (m panicky) Init() tea.Cmd { return m.inner.Init() }
func (m panicky) View() tea.View {
	if m.viewPanic {
		panic("boom in View")
	}
	return m.inner.View()
}

func (m panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "p":
			panic("boom in Update")
		case "c":
			return m, func() tea.Msg { panic("boom in a command") }
		case "v":
			m.viewPanic = true
			return m, nil
		case "s":
			return m, tea.Sequence(func() tea.Msg { return nil }, func() tea.Msg { panic("boom in a sequence") })
		}
	}
	next, cmd := m.inner.Update(msg)
	return panicky{inner: next}, cmd
}

func TestPanicEndsOnlyThatSession(t *testing.T) {
	site := testSite(t)
	panicInHandler := func(next ssh.Handler) ssh.Handler {
		return func(s ssh.Session) {
			if s.RawCommand() == "education" {
				panic("boom in a handler")
			}
			next(s)
		}
	}
	ts := newTestServer(t, nil, WithMiddleware(wish.Middleware(panicInHandler)), func(s *Server) {
		s.newModel = func(o ui.Options) tea.Model { return panicky{inner: ui.New(site, nil, o)} }
	})
	bystander := ts.openTerm(t, "", "", nil)
	bystander.waitFor(t, site.Settings.Title, 5*time.Second)

	for _, tc := range []struct{ name, key, logged string }{
		{"panic in Update", "p", "boom in Update"},
		{"panic in a Bubble Tea command", "c", "boom in a command"},
		{"panic in View", "v", "boom in View"},
		// Out of panicWatch's reach: Bubble Tea's own catching is the backstop.
		{"panic in a sequenced command", "s", "unknown: caught by Bubble Tea"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			victim := ts.openTerm(t, "", "", nil)
			victim.waitFor(t, site.Settings.Title, 5*time.Second)
			victim.press(t, tc.key)
			if code := victim.exit(t, 5*time.Second); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if !strings.Contains(victim.output(), apology) {
				t.Errorf("no apology:\n%q", victim.output())
			}
			var found bool
			for _, e := range ts.logs.find(t, "ui panic") {
				value, _ := e["panic"].(string)
				if value == tc.logged && strings.Contains(e["stack"].(string), "panicky") ||
					strings.HasPrefix(value, "unknown") && strings.HasPrefix(tc.logged, "unknown") {
					found = true
				}
			}
			if !found {
				t.Errorf("no \"ui panic\" log with the value and stack for %q:\n%s", tc.logged, ts.logs.String())
			}
		})
	}
	t.Run("panic in a handler", func(t *testing.T) {
		r := ts.run(t, "", "education")
		if r.code != 1 || !strings.Contains(r.stderr, apology) {
			t.Fatalf("status %d, stderr %q", r.code, r.stderr)
		}
		if len(ts.logs.find(t, "session panic")) != 1 {
			t.Errorf("want one \"session panic\" log:\n%s", ts.logs.String())
		}
	})

	if !bystander.alive() {
		t.Fatal("a panic in another session ended this one")
	}
	bystander.press(t, "q")
	if code := bystander.exit(t, 5*time.Second); code != 0 {
		t.Fatalf("bystander exit status %d", code)
	}
	if r := ts.run(t, "", "help"); r.code != 0 {
		t.Fatal("the server stopped answering after the panics")
	}
	waitUntil(t, func() bool {
		panics := 0
		for _, e := range ts.logs.find(t, "session end") {
			if e["reason"] == "panic" {
				panics++
			}
		}
		return panics == 5 // the end event follows the exit status the client saw
	})
}

// ticker redraws every 20ms forever: output never stops, like a clock in the corner.
type ticker struct{ n int }

type tickMsg struct{}

func tick() tea.Cmd {
	return tea.Tick(20*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m ticker) Init() tea.Cmd { return tick() }
func (m ticker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		m.n++
		return m, tick()
	case tea.KeyPressMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m ticker) View() tea.View { return tea.NewView("tick " + strings.Repeat("#", m.n%50)) }

func withTicker(s *Server) { s.newModel = func(ui.Options) tea.Model { return ticker{} } }

func TestIdleTimeoutCountsInputNotOutput(t *testing.T) {
	const idle = 400 * time.Millisecond
	ts := newTestServer(t, func(c *Config) { c.IdleTimeout = idle }, withTicker)

	t.Run("typing keeps the session open", func(t *testing.T) {
		tm := ts.openTerm(t, "", "", nil)
		tm.waitFor(t, "tick", 5*time.Second)
		for range 8 { // 8 x 100ms: twice the timeout
			time.Sleep(100 * time.Millisecond)
			tm.press(t, "x")
		}
		if !tm.alive() {
			t.Fatalf("session ended although the visitor kept typing:\n%q", tm.output())
		}
		tm.press(t, "q")
		if code := tm.exit(t, 5*time.Second); code != 0 {
			t.Fatalf("exit status %d", code)
		}
	})
	t.Run("a ticking screen without input times out", func(t *testing.T) {
		start := time.Now()
		tm := ts.openTerm(t, "", "", nil)
		if code := tm.exit(t, 5*time.Second); code != 0 {
			t.Errorf("exit status %d", code)
		}
		if took := time.Since(start); took < idle {
			t.Errorf("ended after %s, before the idle timeout", took)
		}
		if !strings.Contains(tm.output(), "without a key press") {
			t.Errorf("no idle message:\n%q", tm.output())
		}
	})
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 2 })
	var reasons []any
	for _, e := range ts.logs.find(t, "session end") {
		reasons = append(reasons, e["reason"])
	}
	if len(reasons) != 2 || reasons[0] != "quit" || reasons[1] != "idle" {
		t.Errorf("end reasons %v, want [quit idle]", reasons)
	}
}

func TestMaxSessionDuration(t *testing.T) {
	ts := newTestServer(t, func(c *Config) { c.MaxSessionDuration = 300 * time.Millisecond }, withTicker)
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, "tick", 5*time.Second)
	stop := make(chan struct{})
	go func() { // an active visitor: still cut off at the limit
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				_, _ = tm.stdin.Write([]byte("x"))
			}
		}
	}()
	defer close(stop)
	if code := tm.exit(t, 5*time.Second); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if !strings.Contains(tm.output(), "time limit") {
		t.Errorf("no time-limit message:\n%q", tm.output())
	}
}

func TestShutdownTellsVisitors(t *testing.T) {
	ts := newTestServer(t, nil)
	site := testSite(t)
	a := ts.openTerm(t, "", "", nil)
	b := ts.openTerm(t, "127.0.0.2", "certification", nil)
	a.waitFor(t, site.Settings.Title, 5*time.Second)
	b.waitFor(t, site.Settings.Title, 5*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("shutdown took %s with two sessions that leave at once", took)
	}
	for _, tm := range []*term{a, b} {
		tm.exit(t, 2*time.Second)
		if !strings.Contains(tm.output(), msgRestarting) {
			t.Errorf("no restart message:\n%q", tm.output())
		}
	}
	if _, err := (&netDialer{}).dial(ts.addr); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

func TestShutdownDeadline(t *testing.T) {
	// A visitor whose program cannot quit (it ignores everything) is cut off at the deadline.
	ts := newTestServer(t, nil, func(s *Server) {
		s.newModel = func(ui.Options) tea.Model { return stubborn{} }
	})
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, "stubborn", 5*time.Second)
	time.Sleep(200 * time.Millisecond) // wedged by now
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := ts.Shutdown(ctx); err == nil {
		t.Error("shutdown reported success although a session had to be cut off")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("shutdown took %s, deadline 300ms", took)
	}
	select {
	case <-tm.waited:
	case <-time.After(2 * time.Second):
		t.Fatal("the session outlived the shutdown deadline")
	}
}

// stubborn wedges its event loop once the screen is up, so it can never process a quit.
type stubborn struct{}

type wedgeMsg struct{}

func (stubborn) Init() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return wedgeMsg{} })
}
func (stubborn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(wedgeMsg); ok {
		select {} // never returns
	}
	return stubborn{}, nil
}
func (stubborn) View() tea.View { return tea.NewView("stubborn") }

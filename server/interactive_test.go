package server

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/content"
	"portfolio/ui"
)

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
		{name: "unknown slug: first section and a notice", cmd: "nowhere", wantSection: "nowhere", wantNotice: true},
		{name: "UTF-8 locale", env: map[string]string{"LANG": "en_GB.UTF-8"}},
		{name: "C locale falls back to ASCII", env: map[string]string{"LANG": "C"}, wantASCII: true},
		{name: "LC_ALL beats LANG", env: map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "POSIX"}, wantASCII: true},
		{name: "LC_CTYPE beats LANG", env: map[string]string{"LANG": "C", "LC_CTYPE": "de_DE.utf8"}},
		{name: "plain with a terminal opens the accessible view", cmd: "plain", wantAccess: true},
		{name: "NO_COLOR keeps the standard layout, without colour", env: map[string]string{"NO_COLOR": "1"}},
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

// ticker redraws every 20ms forever: output never stops, like a clock in the corner.
type ticker struct{ n int }

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

type tickMsg struct{}

func tick() tea.Cmd {
	return tea.Tick(20*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

func withTicker(s *Server) { s.newModel = func(ui.Options) tea.Model { return ticker{} } }

func TestIdleTimeoutCountsInputNotOutput(t *testing.T) {
	const idle = 400 * time.Millisecond
	ts := newTestServer(t, func(c *Config) { c.IdleTimeout = idle }, withTicker)

	t.Run("typing keeps the session open", func(t *testing.T) {
		tm := ts.openTerm(t, "", "", nil)
		tm.waitFor(t, "tick", 5*time.Second)
		for range 8 { // 8 x 100ms: twice the timeout
			// The pace of the typing is what is under test (a key every quarter of the
			// idle timeout), not a wait for something to happen.
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

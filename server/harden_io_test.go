package server

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"portfolio/server/guard"
	"portfolio/ui"
)

// flooder is a model that repaints its whole (clamped 300x100) screen on every frame: a
// session that produces output as fast as the renderer allows.
type flooder struct{ n int }

func (m flooder) Init() tea.Cmd { return tick() }

func (m flooder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tickMsg); ok {
		m.n++
		return m, tea.Tick(time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
	}
	return m, nil
}

func (m flooder) View() tea.View {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b strings.Builder
	for row := range 100 {
		for col := range 300 {
			b.WriteByte(letters[(m.n+row*7+col)%len(letters)])
		}
		b.WriteByte('\n')
	}
	return tea.NewView(b.String())
}

// TestStalledReaderDropped: a client that stops reading (its channel window stays at zero)
// does not hold its session: the blocked write times out and the connection is dropped.
func TestStalledReaderDropped(t *testing.T) {
	const limit = 300 * time.Millisecond
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.WriteTimeout = limit }), func(s *Server) {
		s.newModel = func(ui.Options) tea.Model { return flooder{} }
	})
	client := ts.dial(t, "")
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 100, 300, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	// Never read: the gossh client stops opening the channel window once its 2 MB are full.
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan struct{})
	go func() { _ = client.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the client that stopped reading is still connected after 20s")
	}
	t.Logf("client that stopped reading dropped %s after it connected (write timeout %s)", time.Since(start).Round(time.Millisecond), limit)
	waitUntil(t, func() bool { return len(ts.logs.find(t, "session end")) == 1 })
	if ts.guard.Stats().WriteTimeouts < 1 {
		t.Errorf("guard stats %+v: no write timeout counted", ts.guard.Stats())
	}
	if len(ts.logs.find(t, "ssh peer dropped")) == 0 {
		t.Error("the drop was not logged")
	}
}

// TestReadRateLimited: one connection's input is read at guard.ReadRate at most (here shortened).
func TestReadRateLimited(t *testing.T) {
	const rate = 16 << 10
	ts := newTestServer(t, nil, withGuard(func(l *guard.Limits) { l.ReadRate, l.ReadBurst = rate, 4<<10 }), withTicker)
	client := ts.dial(t, "")
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sess.Stdout = io.Discard
	stdin, _ := sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const input = 32 << 10
	if _, err := stdin.Write(bytes.Repeat([]byte("x"), input)); err != nil {
		t.Fatal(err)
	}
	// The reply to this request comes after the server has read everything before it.
	if _, _, err := client.SendRequest("ping@portfolio.test", true, nil); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("%d KB of input read in %s at a %d KB/s limit", input>>10, took.Round(time.Millisecond), rate>>10)
	if want := time.Duration(float64(input-8192) / rate * float64(time.Second)); took < want {
		t.Errorf("read %d KB in %s: faster than the limit allows (%s)", input>>10, took, want)
	}
}

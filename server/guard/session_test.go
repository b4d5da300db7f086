package guard

import (
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// holdHandler keeps every session open until the connection ends (not
// until stdin's EOF: the gossh client sends one at once when it has no
// stdin).
func holdHandler(s ssh.Session) { <-s.Context().Done() }

// sessionsOpen gives a handler that records its connection's state and then runs h, and the
// count of session channels that connection has open now, as the guard keeps it (0 before the
// first session): what a test waits on when a slot is released on the server's goroutines.
func sessionsOpen(g *Guard, h ssh.Handler) (ssh.Handler, func() int) {
	var st atomic.Pointer[connState]
	return func(s ssh.Session) {
			st.CompareAndSwap(nil, g.stateOf(s.Context(), nil))
			h(s)
		}, func() int {
			s := st.Load()
			if s == nil {
				return 0
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.open
		}
}

func TestThirdSessionRefused(t *testing.T) {
	g := newGuard(t, Config{})
	handler, openNow := sessionsOpen(g, holdHandler)
	c := dial(t, startServer(t, g, handler))
	var open []*gossh.Session
	for i := range 2 {
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		if err := s.Shell(); err != nil {
			t.Fatalf("shell %d: %v", i+1, err)
		}
		open = append(open, s)
	}
	_, err := c.NewSession()
	var oce *gossh.OpenChannelError
	if err == nil || !asOpenChannelError(err, &oce) || oce.Reason != gossh.ResourceShortage {
		t.Fatalf("third session: got %v, want a ResourceShortage rejection", err)
	}
	// Closing one frees its slot.
	_ = open[0].Close()
	waitUntil(t, "the closed session's slot is freed", 2*time.Second, func() bool { return openNow() == 1 })
	s, err := c.NewSession()
	if err != nil {
		t.Fatalf("a session after one closed: %v", err)
	}
	_ = s.Close()
	if got := g.Stats().SessionsRefused; got < 1 {
		t.Fatalf("SessionsRefused = %d", got)
	}
}

func asOpenChannelError(err error, target **gossh.OpenChannelError) bool {
	oce, ok := err.(*gossh.OpenChannelError)
	if ok {
		*target = oce
	}
	return ok
}

func TestSessionsTotalPerConnection(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.MaxSessions, l.MaxSessionsTotal = 1, 3 }})
	handler, openNow := sessionsOpen(g, func(s ssh.Session) {})
	c := dial(t, startServer(t, g, handler))
	slotFree := func() bool { return openNow() == 0 } // the previous session's is released on the server's side
	for i := range 3 {
		waitUntil(t, "the previous session's slot is released", 2*time.Second, slotFree)
		s, err := c.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		_ = s.Run("")
		_ = s.Close()
	}
	// Refused for the total, not because the one slot is still taken.
	waitUntil(t, "the third session's slot is released", 2*time.Second, slotFree)
	if _, err := c.NewSession(); err == nil {
		t.Fatal("fourth session in the connection's life was accepted")
	}
}

// envHandler reports the session's environment.
func envHandler(got chan<- []string) ssh.Handler {
	return func(s ssh.Session) { got <- s.Environ() }
}

func TestEnvBounded(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.MaxEnv, l.MaxEnvBytes = 4, 64 }})
	got := make(chan []string, 1)
	c := dial(t, startServer(t, g, envHandler(got)))
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Setenv("LONG", strings.Repeat("x", 30<<10)); err == nil {
		t.Fatal("a 30 KB env value was accepted")
	}
	// The refused one counted: three more fit in MaxEnv.
	for i := range 3 {
		if err := s.Setenv("K"+string(rune('A'+i)), "v"); err != nil {
			t.Fatalf("env %d refused: %v", i, err)
		}
	}
	for range 1000 {
		if err := s.Setenv("MORE", "v"); err == nil {
			t.Fatal("env beyond MaxEnv accepted")
		}
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	env := <-got
	if len(env) != 3 {
		t.Fatalf("session environment %q, want the 3 accepted", env)
	}
}

func TestForwardingRequestsRefused(t *testing.T) {
	for _, guarded := range []bool{false, true} {
		var g *Guard
		if guarded {
			g = newGuard(t, Config{})
		}
		c := dial(t, startServer(t, g, holdHandler))
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		agentOK, err := s.SendRequest("auth-agent-req@openssh.com", true, nil)
		if err != nil {
			t.Fatal(err)
		}
		x11 := gossh.Marshal(struct {
			Single   bool
			Protocol string
			Cookie   string
			Screen   uint32
		}{false, "MIT-MAGIC-COOKIE-1", "00", 0})
		x11OK, err := s.SendRequest("x11-req", true, x11)
		if err != nil {
			t.Fatal(err)
		}
		if !guarded {
			// The unguarded server says yes to agent forwarding: this is
			// what the guard changes.
			if !agentOK {
				t.Fatal("baseline: expected the ssh package to accept agent forwarding")
			}
			_ = s.Close()
			continue
		}
		if agentOK || x11OK {
			t.Fatalf("agent %v, x11 %v: want both refused", agentOK, x11OK)
		}
		if err := s.RequestSubsystem("sftp"); err == nil {
			t.Fatal("sftp subsystem accepted")
		}
		_ = s.Close()
		// Port forwarding: a direct-tcpip channel and a tcpip-forward
		// global request.
		if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
			t.Fatal("direct-tcpip accepted")
		}
		if _, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
			t.Fatal("tcpip-forward accepted")
		}
	}
}

// sizeHandler reports the pty size and then every window change.
func sizeHandler(sizes chan ssh.Window) ssh.Handler {
	return func(s ssh.Session) {
		pty, winch, ok := s.Pty()
		if !ok {
			return
		}
		sizes <- pty.Window
		go func() { _, _ = io.Copy(io.Discard, s) }()
		for {
			select {
			case <-s.Context().Done():
				return
			case w, ok := <-winch:
				if !ok {
					return
				}
				select {
				case sizes <- w:
				default: // the test only wants the latest
					select {
					case <-sizes:
					default:
					}
					sizes <- w
				}
			}
		}
	}
}

func TestPtySizeClamped(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.MaxSessions = 10 }})
	ptys := make(chan ssh.Pty, 1)
	c := dial(t, startServer(t, g, func(s ssh.Session) {
		pty, _, _ := s.Pty()
		ptys <- pty
		<-s.Context().Done()
	}))
	for _, tt := range []struct{ w, h, wantW, wantH int }{
		{65535, 65535, MaxWidth, MaxHeight},
		{0, 0, DefaultWidth, DefaultHeight},
		{100, 30, 100, 30},
	} {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPty(strings.Repeat("xterm\x1b[31m\n", 100), tt.h, tt.w, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		pty := <-ptys
		if w := pty.Window; w.Width != tt.wantW || w.Height != tt.wantH {
			t.Fatalf("pty-req %dx%d: session saw %dx%d, want %dx%d", tt.w, tt.h, w.Width, w.Height, tt.wantW, tt.wantH)
		}
		if want := Sanitize(strings.Repeat("xterm", 100), MaxTermBytes); pty.Term != want {
			t.Fatalf("TERM %q, want %q", pty.Term, want)
		}
		_ = s.Close() // 3 sessions in all, open or not: within MaxSessions and the total
	}
}

func TestWindowChangeStorm(t *testing.T) {
	// The default read rate would pace 20,000 requests (about 1.6 MB) over
	// some 25 seconds, which is its job but not this test's.
	g := newGuard(t, Config{Tune: func(l *Limits) { l.ReadRate, l.ReadBurst = 64<<20, 1<<20 }})
	sizes := make(chan ssh.Window, 1)
	c := dial(t, startServer(t, g, sizeHandler(sizes)))
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	<-sizes
	start := time.Now()
	const n = 20000
	for i := range n {
		if err := s.WindowChange(1000+i, 65535); err != nil {
			t.Fatalf("window-change %d: %v", i, err)
		}
	}
	_ = s.WindowChange(0, 0) // refused, must not become the size
	if err := s.WindowChange(40, 132); err != nil {
		t.Fatal(err)
	}
	// The final size arrives, clamped sizes only before it.
	deadline := time.After(10 * time.Second)
	for {
		select {
		case w := <-sizes:
			if w.Width > MaxWidth || w.Height > MaxHeight || w.Width <= 0 {
				t.Fatalf("unclamped size reached the session: %+v", w)
			}
			if w.Width == 132 && w.Height == 40 {
				t.Logf("%d window-changes in %v, %d coalesced before reaching the session",
					n+2, time.Since(start), g.Stats().ResizesCoalesced)
				// The connection still works.
				if _, _, err := c.SendRequest("ping@test", true, nil); err != nil {
					t.Fatalf("connection dead after the storm: %v", err)
				}
				return
			}
		case <-deadline:
			t.Fatal("final size never arrived")
		}
	}
}

// TestExecCommandBounded: an exec request's command up to MaxCommandBytes runs; a byte more
// is refused.
func TestExecCommandBounded(t *testing.T) {
	g := newGuard(t, Config{Tune: func(l *Limits) { l.MaxCommandBytes = 100 }})
	ran := make(chan string, 2)
	c := dial(t, startServer(t, g, func(s ssh.Session) { ran <- s.RawCommand() }))
	for _, n := range []int{101, 100} {
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		err = s.Start(strings.Repeat("x", n))
		if n > 100 && err == nil {
			t.Fatalf("a %d-byte command was accepted over a limit of 100", n)
		}
		if n <= 100 {
			if err != nil {
				t.Fatalf("a %d-byte command was refused: %v", n, err)
			}
			if got := <-ran; len(got) != n {
				t.Fatalf("the handler ran %d bytes, want %d", len(got), n)
			}
		}
		_ = s.Close()
	}
}

package guard

import (
	"strings"
	"testing"
	"time"

	"charm.land/ssh"
)

// TestConnectionForgottenWhenItEnds: a visitor who closes the connection
// while a session is still being served leaves nothing behind: the
// guard stops tracking the connection at once, and no no-session timer is
// armed by the session handler returning afterwards (it used to be: every
// such connection was kept for NoSessionTimeout and then reported as a
// "no session" drop).
func TestConnectionForgottenWhenItEnds(t *testing.T) {
	const noSession = 200 * time.Millisecond
	g := newGuard(t, Config{Tune: func(l *Limits) { l.NoSessionTimeout = noSession }})
	handlerDone := make(chan struct{}, 8)
	addr := startServer(t, g, func(s ssh.Session) {
		defer func() { handlerDone <- struct{}{} }()
		<-s.Context().Done() // served until the connection goes
	})
	const visits = 5
	for range visits {
		c := dial(t, addr)
		s, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Shell(); err != nil {
			t.Fatal(err)
		}
		_ = c.Close() // the visitor goes while the session is open
	}
	for range visits {
		select {
		case <-handlerDone:
		case <-time.After(5 * time.Second):
			t.Fatal("a session handler did not return after its connection closed")
		}
	}
	waitUntil(t, "the guard stops tracking the closed connections", 2*time.Second,
		func() bool { return g.Stats().Connections == 0 })
	// What must not happen is a timer firing: nothing announces that one did not, so the
	// test lets the time pass in which a re-armed one would.
	time.Sleep(4 * noSession)
	if st := g.Stats(); st.NoSession != 0 || st.Connections != 0 || st.Startups != 0 {
		t.Fatalf("stats %+v: a timer outlived its connection", st)
	}
	for _, gr := range ourGoroutines() {
		if strings.Contains(gr, "time.") || strings.Contains(gr, "guard.") {
			t.Errorf("left behind:\n%s", gr)
		}
	}
}

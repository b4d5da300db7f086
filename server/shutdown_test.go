package server

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"portfolio/ui"
)

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
	wedged := make(chan struct{})
	ts := newTestServer(t, nil, func(s *Server) {
		s.newModel = func(ui.Options) tea.Model { return stubborn{wedged} }
	})
	tm := ts.openTerm(t, "", "", nil)
	tm.waitFor(t, "stubborn", 5*time.Second)
	select {
	case <-wedged:
	case <-time.After(5 * time.Second):
		t.Fatal("the program never wedged")
	}
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
type stubborn struct{ wedged chan struct{} } // closed as Update wedges

func (stubborn) Init() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return wedgeMsg{} })
}

func (m stubborn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(wedgeMsg); ok {
		close(m.wedged)
		select {} // never returns
	}
	return m, nil
}

func (stubborn) View() tea.View { return tea.NewView("stubborn") }

type wedgeMsg struct{}

package server

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"portfolio/ui"
)

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
	ts := newTestServer(t, nil, func(s *Server) {
		s.newModel = func(o ui.Options) tea.Model {
			if o.Section == "education" { // ssh -t HOST education
				panic("boom in a handler")
			}
			return panicky{inner: ui.New(site, nil, o)}
		}
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
		victim := ts.openTerm(t, "", "education", nil)
		if code := victim.exit(t, 5*time.Second); code != 1 || !strings.Contains(victim.output(), apology) {
			t.Fatalf("status %d, output %q", code, victim.output())
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

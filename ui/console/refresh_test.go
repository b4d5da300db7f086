package console

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"portfolio/store"
)

// step hands msg to m and returns the next model and the one message its command makes
// (a load's answer or a scheduled tick), without running further.
func step(t *testing.T, m Model, msg tea.Msg) (Model, tea.Msg) {
	t.Helper()
	next, cmd := m.Update(msg)
	if cmd == nil {
		return next.(Model), nil
	}
	return next.(Model), cmd()
}

// TestNowRefreshes: on Now, each tick reloads the sessions and the answer schedules the
// next tick, so a visitor who arrives appears without a key; off Now and the first screen,
// or after a screen change, the old chain's tick does nothing.
func TestNowRefreshes(t *testing.T) {
	st := openStore(t)
	fill(t, st)
	m := press(t, newModel(t, st, 80, 24, colorprofile.TrueColor, true), "2")
	gen := m.gen
	if err := st.PutPresence(context.Background(), []store.Presence{{Machine: "fra-1", Session: "new", Addr: "192.0.2.77",
		Client: "SSH-2.0-OpenSSH_9.9", Term: "xterm-kitty", Width: 90, Height: 30, Section: "certification",
		Started: clock.Add(-5 * time.Second), Seen: clock}}); err != nil {
		t.Fatal(err)
	}
	m, msg := step(t, m, tickMsg{gen: gen})
	if _, ok := msg.(presentMsg); !ok {
		t.Fatalf("a tick on Now loads %T, want presentMsg", msg)
	}
	m, msg = step(t, m, msg)
	if tick, ok := msg.(ticked); !ok || tick.msg != (tickMsg{gen: gen}) {
		t.Fatalf("the sessions' answer schedules %#v, want the next tick of chain %d", msg, gen)
	}
	if s := textScreen(t, m); !strings.Contains(s, "3 sessions open on 2 machines") || !strings.Contains(s, "certification") {
		t.Errorf("the new session is not shown after a tick:\n%s", s)
	}

	// Another screen: the chain stops at its next tick.
	m = press(t, m, "4")
	if _, msg = step(t, m, tickMsg{gen: gen}); msg != nil {
		t.Errorf("an old tick on the inbox made %T, want nothing", msg)
	}
	// A load of the old chain arriving late schedules nothing either.
	if _, msg = step(t, m, presentMsg{gen: gen}); msg != nil {
		t.Errorf("an old chain's answer made %T, want nothing", msg)
	}
}

// TestResumedRestartsRefresh: a woken screen's new program gets the model back through
// Resumed; its Init loads again (the old program's tick died with it) and does not ask for
// the background again.
func TestResumedRestartsRefresh(t *testing.T) {
	st := openStore(t)
	fill(t, st)
	m := press(t, newModel(t, st, 80, 24, colorprofile.TrueColor, true), "2")
	r := m.Resumed().(Model)
	msg := r.Init()()
	if _, ok := msg.(presentMsg); !ok {
		t.Fatalf("a resumed console's Init gives %T, want only the sessions' load", msg)
	}
}

func TestTooSmall(t *testing.T) {
	st := openStore(t)
	m := newModel(t, st, 39, 11, colorprofile.ASCII, true)
	if s := textScreen(t, m); !strings.Contains(s, "Please enlarge your window") || !strings.Contains(s, "40x12. It is 39x11") {
		t.Errorf("39x11:\n%s", s)
	}
	m = newModel(t, st, 40, 12, colorprofile.ASCII, true)
	if s := textScreen(t, m); !strings.Contains(s, "Reading now") {
		t.Errorf("40x12 is not drawn:\n%s", s)
	}
}

// TestKeys: numbers, tab and shift+tab move between screens; ? shows every key; q quits.
func TestKeys(t *testing.T) {
	st := openStore(t)
	fill(t, st)
	m := newModel(t, st, 80, 24, colorprofile.TrueColor, true)
	for _, c := range []struct {
		key  string
		want screen
	}{{"3", visitsScreen}, {"tab", inboxScreen}, {"tab", homeScreen}, {"1", homeScreen}, {"4", inboxScreen}} {
		m = press(t, m, c.key)
		if m.active != c.want {
			t.Fatalf("after %s: screen %d, want %d", c.key, m.active, c.want)
		}
	}
	m = press(t, m, "?")
	if s := textScreen(t, m); !strings.Contains(s, "approve (guestbook)") || !strings.Contains(s, "next screen") {
		t.Errorf("? does not list the keys:\n%s", s)
	}
	m = press(t, m, "esc")
	if m.showHelp {
		t.Error("esc does not close the help")
	}
	m = press(t, m, "3", "right")
	if m.visits.period != 1 || !strings.Contains(textScreen(t, m), "Sections 7 days") {
		t.Errorf("right on Visits: period %d\n%s", m.visits.period, textScreen(t, m))
	}
	if _, cmd := m.Update(keyPress(t, "q")); cmd == nil || !isQuit(cmd) {
		t.Error("q does not quit")
	}

	// At 40x12 the help does not fit: it scrolls to its last key.
	small := press(t, newModel(t, st, 40, 12, colorprofile.ASCII, true), "?", "G")
	if s := textScreen(t, small); !strings.Contains(s, "copy reply-to") {
		t.Errorf("the help does not scroll to its end at 40x12:\n%s", s)
	}
	if small = press(t, small, "?"); small.offsets[homeScreen] != 0 || !strings.Contains(textScreen(t, small), "Reading now") {
		t.Errorf("closing the help does not bring the screen back:\n%s", textScreen(t, small))
	}
}

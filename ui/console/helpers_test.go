package console

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"

	"portfolio/store"
)

// clock is the tests' fixed now: every time in the fixture is relative to it.
var clock = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// hostile is text a visitor might send to take over the owner's terminal: a screen clear,
// a clipboard write (OSC 52), a disguised link (OSC 8), a DCS query, an 8-bit CSI, a
// right-to-left override, and an escape written as a character reference (which must stay
// literal: nothing decodes it).
const hostile = "x\x1b[2Jy\x1b]52;c;cHduZWQ=\x07z\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\" +
	"\x1bP1$qm\x1b\\\u009b31mred\u202eevil&#x1b;[2J"

// openStore opens a new SQLite store in a temporary directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "portfolio.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fill writes what the goldens show: messages in every state, sessions open on two
// machines (one the owner's own), and visits over 30 days.
func fill(t testing.TB, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	take := func(d store.Draft, at time.Time) int64 {
		t.Helper()
		id, _, err := st.TakeMessage(ctx, d, at)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	old := take(store.Draft{Text: "Thanks for the talk at the meetup.\nThe slides helped.", Name: "Grace",
		ReplyTo: "grace@example.com", Source: "a", Addr: "198.51.100.x", Client: "SSH-2.0-OpenSSH_9.6",
		Channels: []string{"webhook"}}, clock.Add(-50*time.Hour))
	mid := take(store.Draft{Text: "Would you sign my guestbook? Lovely portfolio.", Name: "Linus", Guestbook: true,
		Source: "b", Addr: "203.0.113.x", Client: "SSH-2.0-PuTTY_Release_0.81",
		Channels: []string{"webhook", "email"}}, clock.Add(-3*time.Hour))
	take(store.Draft{Text: "Hello! I read the whole road-ahead section; are you hiring?\nBest, Ada",
		Name: "Ada", ReplyTo: "ada@example.com", Source: "c", Addr: "192.0.2.x", Client: "SSH-2.0-OpenSSH_10.0",
		Channels: []string{"webhook", "email"}}, clock.Add(-20*time.Minute))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Reply(ctx, old, "Thank you, Grace!", false))
	ds, err := st.DueDeliveries(ctx, clock, 10)
	must(err)
	for _, d := range ds {
		switch {
		case d.MessageID == old:
			must(st.DeliverySent(ctx, d.ID, clock.Add(-49*time.Hour)))
		case d.MessageID == mid && d.Channel == "email":
			must(st.DeliveryFailed(ctx, d.ID, "550 mailbox unavailable", time.Time{}))
		case d.MessageID == mid:
			must(st.DeliverySent(ctx, d.ID, clock.Add(-3*time.Hour)))
		}
	}
	must(st.PutPresence(ctx, []store.Presence{
		{Machine: "fra-1", Session: "s1", Addr: "192.0.2.x", Client: "SSH-2.0-OpenSSH_9.6", Term: "xterm-256color",
			Width: 120, Height: 40, Section: "education", Started: clock.Add(-754 * time.Second), Seen: clock},
		{Machine: "ams-2", Session: "s2", Addr: "2001:db8::x", Client: "SSH-2.0-Termius_7.0", Term: "xterm",
			Width: 48, Height: 20, Section: "road-ahead", Started: clock.Add(-42 * time.Second), Seen: clock},
		{Machine: "fra-1", Session: "own", Addr: "192.0.2.x", Client: "SSH-2.0-OpenSSH_9.6", Term: "tmux-256color",
			Width: 80, Height: 24, Section: "console", Started: clock.Add(-time.Minute), Seen: clock},
		{Machine: "ams-2", Session: "gone", Addr: "198.51.100.x", Client: "SSH-2.0-Go", Term: "xterm",
			Width: 80, Height: 24, Section: "education", Started: clock.Add(-time.Hour), Seen: clock.Add(-time.Minute)},
	}))
	visit := func(ago time.Duration, d time.Duration, kind string, pty bool, cmd, client string, secs ...store.SectionTime) store.Visit {
		return store.Visit{Machine: "fra-1", Session: fmt.Sprint("v", ago, d, kind, cmd, client, len(secs)), Start: clock.Add(-ago),
			Duration: d, Kind: kind, PTY: pty, Command: cmd, Client: client, Keys: 12, Reason: "quit", Sections: secs}
	}
	sec := func(slug string, d time.Duration) store.SectionTime { return store.SectionTime{Slug: slug, Time: d} }
	must(st.AddVisits(ctx, []store.Visit{
		visit(2*time.Hour, 4*time.Minute, "interactive", true, "", "SSH-2.0-OpenSSH_9.6", sec("education", 3*time.Minute), sec("road-ahead", time.Minute)),
		visit(90*time.Minute, 2*time.Minute, "interactive", true, "", "SSH-2.0-PuTTY_Release_0.81", sec("why-certification", 2*time.Minute)),
		visit(time.Hour, 2*time.Second, "plain", false, "education", "SSH-2.0-OpenSSH_9.6", sec("education", 0)),
		visit(30*time.Minute, time.Second, "plain", false, "", "SSH-2.0-Go"),
		func() store.Visit {
			v := visit(10*time.Minute, 0, "rejected", false, "", "SSH-2.0-Go")
			v.Reason = "too_many_from_address"
			return v
		}(),
		visit(3*24*time.Hour, 6*time.Minute, "interactive", true, "", "SSH-2.0-OpenSSH_9.6", sec("education", 5*time.Minute), sec("road-ahead", time.Minute)),
		visit(20*24*time.Hour, 9*time.Minute, "interactive", true, "", "SSH-2.0-Termius_7.0", sec("road-ahead", 9*time.Minute)),
		visit(20*24*time.Hour, time.Minute, "owner", true, "", "SSH-2.0-OpenSSH_9.6"),
	}))
}

// newModel is the console over st at a size, loaded as the program would load it.
func newModel(t testing.TB, st *store.Store, w, h int, p colorprofile.Profile, dark bool) Model {
	t.Helper()
	m := New(st, Options{Width: w, Height: h, Profile: p, DarkBackground: dark, Session: "own",
		Now: func() time.Time { return clock }})
	m.after = scheduleTick
	return run(t, m, m.Init())
}

// ticked is what a scheduled tick becomes in the tests: run drops it, a test that wants
// the tick sends tickMsg itself.
type ticked struct{ msg tea.Msg }

func scheduleTick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return ticked{fn(clock)} }
}

// run runs cmd as Bubble Tea would and hands its messages to m, until nothing is left to
// run (ticks are not run: see ticked).
func run(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	if cmd == nil {
		return m
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil, ticked:
		return m
	case tea.BatchMsg:
		for _, c := range msg {
			m = run(t, m, c)
		}
		return m
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice { // tea.Sequence's
		for i := range v.Len() {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
				m = run(t, m, c)
			}
		}
		return m
	}
	next, cmd := m.Update(msg)
	return run(t, next.(Model), cmd)
}

// press sends keys in order and runs what they start.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(keyPress(t, k))
		m = run(t, next.(Model), cmd)
	}
	return m
}

func keyPress(t testing.TB, name string) tea.KeyPressMsg {
	t.Helper()
	named := map[string]tea.Key{
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
		"tab": {Code: tea.KeyTab}, "esc": {Code: tea.KeyEscape}, "enter": {Code: tea.KeyEnter},
		"ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "space": {Code: tea.KeySpace, Text: " "},
	}
	k, ok := named[name]
	if !ok {
		r := []rune(name)
		if len(r) != 1 {
			t.Fatalf("unknown key %q", name)
		}
		k = tea.Key{Code: r[0], Text: name}
		if r[0] >= 'A' && r[0] <= 'Z' {
			k.Code, k.ShiftedCode, k.Mod = r[0]+('a'-'A'), r[0], tea.ModShift
		}
	}
	return tea.KeyPressMsg(k)
}

// typeText types s into the model, a key a rune.
func typeText(t testing.TB, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		k := tea.Key{Code: r, Text: string(r)}
		if r == ' ' {
			k.Code = tea.KeySpace
		}
		next, cmd := m.Update(tea.KeyPressMsg(k))
		m = run(t, next.(Model), cmd)
	}
	return m
}

// styledScreen is what the owner sees, styles included: the view downsampled to p as
// Bubble Tea does, drawn by a terminal emulator, its cells rendered back with their
// styles, trailing blanks trimmed (as ui's goldens are).
func styledScreen(t testing.TB, m Model, p colorprofile.Profile) string {
	t.Helper()
	var buf bytes.Buffer
	w := &colorprofile.Writer{Forward: &buf, Profile: p}
	if _, err := w.WriteString(strings.ReplaceAll(m.View().Content, "\n", "\r\n")); err != nil {
		t.Fatal(err)
	}
	e := vt.NewEmulator(m.width, m.height)
	defer e.Close()
	if _, err := e.Write(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return trimLines(e.Render())
}

// textScreen is the text on the emulator's screen.
func textScreen(t testing.TB, m Model) string {
	t.Helper()
	e := vt.NewEmulator(m.width, m.height)
	defer e.Close()
	if _, err := e.WriteString(strings.ReplaceAll(m.View().Content, "\n", "\r\n")); err != nil {
		t.Fatal(err)
	}
	return trimLines(e.String())
}

func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

package ui

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"

	"portfolio/content"
)

// testSite is the embedded portfolio, the one visitors see.
func testSite(t testing.TB) *content.Site {
	t.Helper()
	s, err := content.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withLinks returns a copy of site with contact links set.
func withLinks(site *content.Site) *content.Site {
	c := *site
	c.Settings.Links = content.Links{Email: "me@example.com", GitHub: "github.com/example"}
	return &c
}

func newTestModel(t testing.TB, w, h int, p colorprofile.Profile, ascii bool) Model {
	t.Helper()
	return New(testSite(t), NewRenderer(0), Options{Width: w, Height: h, Profile: p, DarkBackground: true, ASCII: ascii})
}

// keyPress builds the key event a terminal sends for a key name as Bubble Tea spells it.
func keyPress(t testing.TB, name string) tea.KeyPressMsg {
	t.Helper()
	named := map[string]tea.Key{
		"right": {Code: tea.KeyRight}, "left": {Code: tea.KeyLeft}, "up": {Code: tea.KeyUp},
		"down": {Code: tea.KeyDown}, "pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown},
		"home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "esc": {Code: tea.KeyEscape},
		"space": {Code: tea.KeySpace, Text: " "}, "enter": {Code: tea.KeyEnter},
		"backspace": {Code: tea.KeyBackspace},
		"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl}, "ctrl+d": {Code: 'd', Mod: tea.ModCtrl},
		"ctrl+u": {Code: 'u', Mod: tea.ModCtrl}, "ctrl+r": {Code: 'r', Mod: tea.ModCtrl},
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
	msg := tea.KeyPressMsg(k)
	if msg.String() != name {
		t.Fatalf("key %q builds as %q", name, msg.String())
	}
	return msg
}

// press sends keys to m in order, failing if any of them quits.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		next, cmd := m.Update(keyPress(t, k))
		if quits(cmd) {
			t.Fatalf("key %q quit", k)
		}
		m = next.(Model)
	}
	return m
}

func update(m Model, msg tea.Msg) Model {
	next, _ := m.Update(msg)
	return next.(Model)
}

// quits reports whether cmd, run as Bubble Tea would (sequences and batches included),
// produces tea.QuitMsg.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	msg := cmd()
	if _, ok := msg.(tea.QuitMsg); ok {
		return true
	}
	// tea.Sequence and tea.Batch return unexported slices of commands.
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice {
		for i := range v.Len() {
			if c, ok := v.Index(i).Interface().(tea.Cmd); ok && quits(c) {
				return true
			}
		}
	}
	return false
}

// screen is what the visitor sees: the view drawn by a terminal emulator of the window's
// size, as plain text, trailing spaces trimmed.
func screen(t testing.TB, m Model) string {
	t.Helper()
	e := vt.NewEmulator(m.width, m.height)
	defer e.Close()
	if _, err := e.WriteString(strings.ReplaceAll(m.View().Content, "\n", "\r\n")); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(e.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func sizeMsg(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// styledScreen is what the visitor sees, styles included: the view downsampled to profile
// as Bubble Tea does, drawn by a terminal emulator, and the emulator's cells rendered back
// to text with escape sequences, trailing blanks trimmed.
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
	lines := strings.Split(e.Render(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

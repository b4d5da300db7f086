package ui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"portfolio/content"
)

func TestSectionKeys(t *testing.T) {
	tests := []struct {
		keys []string
		want string
	}{
		{[]string{"enter"}, "education"}, // the cover's way in
		{[]string{"right"}, "education"},
		{[]string{"l", "l"}, "certification"},
		{[]string{"tab", "tab"}, "certification"},
		{[]string{"l", "l", "l"}, "road-ahead"},
		{[]string{"l", "l", "l", "l", "l"}, "education"}, // past the last: the cover, then the first
		{[]string{"left"}, "road-ahead"},                 // back from the cover: the last
		{[]string{"h"}, "road-ahead"},
		{[]string{"shift+tab"}, "road-ahead"},
		{[]string{"3", "h"}, "certification"},
		{[]string{"2"}, "certification"},
		{[]string{"3"}, "road-ahead"},
		{[]string{"3", "1"}, "education"},
		{[]string{"1", "9"}, "education"}, // no ninth section: nothing happens
		{[]string{"2", "0", "1"}, "education"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m := press(t, newTestModel(t, 80, 24, colorprofile.ASCII, false), tt.keys...)
			if m.active == coverIndex {
				t.Fatalf("%v: still on the cover", tt.keys)
			}
			if got := m.site.Sections[m.active].Slug; got != tt.want {
				t.Fatalf("active = %s, want %s", got, tt.want)
			}
			title := m.site.Sections[m.active].Title
			if s := screen(t, m); !strings.Contains(s, "["+fmt.Sprint(m.active+1)+" "+title+"]") {
				t.Fatalf("active tab not marked on screen:\n%s", s)
			}
		})
	}
}

func TestScrollKeys(t *testing.T) {
	base := press(t, newTestModel(t, 80, 16, colorprofile.ASCII, false), "3") // the longest section
	bodyH := base.bodyHeight()
	maxOff := base.maxOffset()
	if maxOff < bodyH {
		t.Fatalf("section too short to test paging: %d lines, body %d", len(base.page.lines), bodyH)
	}
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"down"}, 1},
		{[]string{"j"}, 1},
		{[]string{"j", "j", "up"}, 1},
		{[]string{"j", "j", "k"}, 1},
		{[]string{"up"}, 0}, // already at the top
		{[]string{"pgdown"}, bodyH - 1},
		{[]string{"space"}, bodyH - 1},
		{[]string{"f"}, bodyH - 1},
		{[]string{"G", "pgup"}, maxOff - (bodyH - 1)},
		{[]string{"G", "b"}, maxOff - (bodyH - 1)},
		{[]string{"ctrl+d"}, bodyH / 2},
		{[]string{"d", "u"}, 0},
		{[]string{"d", "ctrl+u"}, 0},
		{[]string{"G"}, maxOff},
		{[]string{"end"}, maxOff},
		{[]string{"G", "j"}, maxOff}, // never past the end
		{[]string{"G", "g"}, 0},
		{[]string{"G", "home"}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, ","), func(t *testing.T) {
			m := press(t, base, tt.keys...)
			if got := m.offset(); got != tt.want {
				t.Fatalf("offset = %d, want %d", got, tt.want)
			}
			// The first body row on screen is the page line at the offset.
			rows := strings.Split(screen(t, m), "\n")
			want := strings.TrimRight(m.page.plain[tt.want], " ")
			if got := rows[len(m.chrome.top)]; got != want {
				t.Fatalf("first body row = %q, want %q", got, want)
			}
		})
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "esc", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			m := newTestModel(t, 80, 24, colorprofile.TrueColor, false)
			_, cmd := m.Update(keyPress(t, k))
			if !quits(cmd) {
				t.Fatalf("%s does not quit", k)
			}
		})
	}
	// Other keys do not quit.
	m := newTestModel(t, 80, 24, colorprofile.TrueColor, false)
	for _, k := range []string{"x", "enter", "Q"} {
		if _, cmd := m.Update(keyPress(t, k)); quits(cmd) {
			t.Fatalf("%s quits", k)
		}
	}
}

func TestMouse(t *testing.T) {
	m := press(t, newTestModel(t, 80, 24, colorprofile.TrueColor, false), "3")
	if v := m.View(); v.MouseMode != tea.MouseModeNone || !v.AltScreen {
		t.Fatalf("mouse mode %v, alt screen %v: clicks must stay with the terminal", v.MouseMode, v.AltScreen)
	}
	// The wheel arrives as arrow keys in alternate scroll mode, which Init turns on.
	if init := fmt.Sprint(runAll(m.Init())); !strings.Contains(init, "\x1b[?1007h") || !strings.Contains(init, "\x1b[?2048h") {
		t.Fatal("Init does not enable alternate scroll mode and in-band resize")
	}
	m = update(m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if m.offset() != wheelLines {
		t.Fatalf("wheel down: offset %d", m.offset())
	}
	m = update(m, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if m.offset() != 0 {
		t.Fatalf("wheel up: offset %d", m.offset())
	}
	// Quitting restores the visitor's own setting before the program ends.
	_, cmd := m.Update(keyPress(t, "q"))
	if !strings.Contains(fmt.Sprint(runAll(cmd)), terminalModesRestore) {
		t.Fatal("quit does not restore alternate scroll mode")
	}
}

// runAll runs a command tree (batches and sequences) and returns every message, skipping
// commands that would wait on a terminal.
func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	var out []tea.Msg
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			out = append(out, runAll(c)...)
		}
	default:
		if s, ok := asCmds(msg); ok {
			for _, c := range s {
				out = append(out, runAll(c)...)
			}
		} else {
			out = append(out, msg)
		}
	}
	return out
}

// asCmds unpacks tea.Sequence's unexported []Cmd message.
func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice {
		return nil, false
	}
	var cmds []tea.Cmd
	for i := range v.Len() {
		c, ok := v.Index(i).Interface().(tea.Cmd)
		if !ok {
			return nil, false
		}
		cmds = append(cmds, c)
	}
	return cmds, true
}

func TestScrollMemoryPerSection(t *testing.T) {
	m := newTestModel(t, 80, 16, colorprofile.ASCII, false)
	m = press(t, m, "1", "j", "j", "j") // education: 3
	m = press(t, m, "l", "j", "j")      // certification: 2
	m = press(t, m, "l", "G")           // road ahead: end
	m = press(t, m, "1")                // back to education
	if m.offset() != 3 {
		t.Fatalf("education offset %d, want 3", m.offset())
	}
	m = press(t, m, "2")
	if m.offset() != 2 {
		t.Fatalf("certification offset %d, want 2", m.offset())
	}
	m = press(t, m, "3")
	if m.offset() != m.maxOffset() || m.offset() == 0 {
		t.Fatalf("road-ahead offset %d, want the end %d", m.offset(), m.maxOffset())
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

// TestASCIIFallback: in a non-UTF-8 locale nothing on any screen is outside ASCII: rules,
// bullets, dashes, arrows in the help, the owner's em dashes.
func TestASCIIFallback(t *testing.T) {
	for _, prof := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ASCII} {
		m := New(withLinks(testSite(t)), nil, Options{Width: 80, Height: 24, Profile: prof, ASCII: true})
		for _, keys := range [][]string{nil, {"?"}, {"2", "G"}, {"3", "G", "?"}} {
			mm := press(t, m, keys...)
			if c := mm.View().Content; !isASCII(c) {
				t.Fatalf("%v %v: non-ASCII on screen:\n%s", prof, keys, c)
			}
		}
		if s := screen(t, press(t, m, "1")); !strings.Contains(s, "science--it chose me") {
			t.Fatalf("em dash not spelled as --:\n%s", s)
		}
	}
	// And a UTF-8 visitor keeps the real characters.
	m := press(t, newTestModel(t, 80, 24, colorprofile.TrueColor, false), "1")
	if c := m.View().Content; !strings.Contains(c, "—") || !strings.Contains(c, "─") || !strings.Contains(c, "·") {
		t.Fatal("UTF-8 visitor lost the typography")
	}
}

// TestActiveTabWithoutColour: with no colour at all the active tab is still marked, by
// brackets on every profile and by bold where attributes survive.
func TestActiveTabWithoutColour(t *testing.T) {
	for _, prof := range []colorprofile.Profile{colorprofile.ASCII, colorprofile.NoTTY} {
		m := press(t, newTestModel(t, 80, 24, prof, false), "2")
		c := m.View().Content
		if strings.Contains(c, "\x1b[38;") || strings.Contains(c, "\x1b[48;") {
			t.Fatalf("%v: colour in view", prof)
		}
		if !strings.Contains(screen(t, m), "[2 Why Certification]") {
			t.Fatalf("%v: no bracketed active tab", prof)
		}
		if !strings.Contains(c, "\x1b[1m[2 Why Certification]") {
			t.Fatalf("%v: active tab not bold: %q", prof, strings.Split(c, "\n")[1])
		}
	}
}

func TestColourFollowsTerminal(t *testing.T) {
	m := newTestModel(t, 80, 24, colorprofile.TrueColor, false)
	dark := m.View().Content
	if !strings.Contains(dark, "\x1b[1;38;2;183;156;255m") {
		t.Fatal("dark title colour missing")
	}
	light := update(m, tea.BackgroundColorMsg{Color: colorWhite{}}).View().Content
	if light == dark || !strings.Contains(light, "\x1b[1;38;2;78;34;195m") {
		t.Fatal("a light background did not restyle")
	}
	plain := update(m, tea.ColorProfileMsg{Profile: colorprofile.ASCII}).View().Content
	if strings.Contains(plain, "\x1b[38;") || strings.Contains(plain, "\x1b[48;") {
		t.Fatal("colour left after the terminal said it has none")
	}
	// NoTTY: the body spells emphasis out, because no attribute survives.
	notty := press(t, update(m, tea.ColorProfileMsg{Profile: colorprofile.NoTTY}), "3", "G")
	if !strings.Contains(screen(t, notty), "**That's where I want to be.") {
		t.Fatalf("no emphasis markers without attributes:\n%s", screen(t, notty))
	}
}

type colorWhite struct{}

func (colorWhite) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestNotice(t *testing.T) {
	m := New(testSite(t), nil, Options{Width: 80, Height: 24, Profile: colorprofile.ASCII, Section: "nope"})
	if s := screen(t, m); !strings.Contains(s, `No section "nope"`) || !strings.Contains(s, "[1 Education") {
		t.Fatalf("unknown section:\n%s", s)
	}
	if s := screen(t, press(t, m, "j")); strings.Contains(s, "No section") {
		t.Fatal("notice stays after a key")
	}
	m = New(testSite(t), nil, Options{Width: 80, Height: 24, Section: "road-ahead", Notice: "Welcome back"})
	if s := screen(t, m); !strings.Contains(s, "Welcome back") || !strings.Contains(s, "3 The Road Ahead") || m.active != 2 {
		t.Fatalf("section and notice:\n%s", s)
	}
}

func TestContactLinks(t *testing.T) {
	site := withLinks(testSite(t))
	colour := press(t, New(site, nil, Options{Width: 80, Height: 24, Profile: colorprofile.TrueColor}), "3", "G")
	c := colour.View().Content
	if !strings.Contains(c, ansi.SetHyperlink("mailto:me@example.com")) || !strings.Contains(c, "me@example.com"+ansi.ResetHyperlink()) {
		t.Fatalf("no OSC 8 link with colour on:\n%q", c)
	}
	for _, prof := range []colorprofile.Profile{colorprofile.ASCII, colorprofile.NoTTY} {
		m := press(t, New(site, nil, Options{Width: 80, Height: 24, Profile: prof}), "3", "G")
		if strings.Contains(m.View().Content, "\x1b]8;") {
			t.Fatalf("%v: hyperlink without colour", prof)
		}
		if s := screen(t, m); !strings.Contains(s, "Email   me@example.com") || !strings.Contains(s, "GitHub  github.com/example") {
			t.Fatalf("%v: plain links missing:\n%s", prof, s)
		}
	}
}

func TestStats(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	m := New(testSite(t), nil, Options{Width: 80, Height: 24, Now: clock.now})
	clock.advance(time.Minute) // the cover is not a section: its time is not counted
	m = press(t, m, "1")
	clock.advance(10 * time.Second)
	m = press(t, m, "j", "3")
	clock.advance(5 * time.Second)
	m = press(t, m, "1")
	clock.advance(2 * time.Second)
	got := m.Stats()
	want := Stats{Sections: []SectionStat{{"education", 12 * time.Second}, {"road-ahead", 5 * time.Second}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Stats() = %+v, want %+v", got, want)
	}
}

// TestEmptySite: a site without sections (content.Load refuses one, but the UI must not rely
// on that) draws a screen and answers keys without panicking.
func TestEmptySite(t *testing.T) {
	site := &content.Site{Settings: content.Settings{Title: "t"}}
	for _, acc := range []bool{false, true} {
		m := New(site, nil, Options{Width: 80, Height: 24, Accessible: acc})
		m = press(t, m, "l", "j", "G", "2", "?", "a", "/", "x", "enter", "n")
		assertFits(t, m)
		_ = m.Stats()
		_ = m.Goodbye()
	}
}

// A model resumed by a later program keeps its place and leaves the terminal's modes alone:
// asking again would save "on" over the visitor's own setting, which quitting restores.
func TestResumedKeepsStateAndModes(t *testing.T) {
	m := press(t, newTestModel(t, 80, 24, colorprofile.TrueColor, false), "3", "1", "j", "j")
	if m.active != 0 || m.offset() != 2 {
		t.Fatalf("setup: section %d offset %d", m.active, m.offset())
	}
	r, ok := m.Resumed().(Model)
	if !ok {
		t.Fatalf("Resumed returned %T", m.Resumed())
	}
	if r.Init() != nil {
		t.Errorf("a resumed model's Init sends %v", runAll(r.Init()))
	}
	if r.active != 0 || r.offset() != 2 || r.View().Content != m.View().Content {
		t.Errorf("resumed at section %d offset %d, want 0 and 2 with the same screen", r.active, r.offset())
	}
	_, cmd := r.Update(keyPress(t, "q"))
	if !strings.Contains(fmt.Sprint(runAll(cmd)), terminalModesRestore) {
		t.Error("quitting a resumed model does not restore the modes the first program set")
	}
}

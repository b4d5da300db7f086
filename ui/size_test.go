package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

func TestResizeReflows(t *testing.T) {
	m := press(t, newTestModel(t, 120, 30, colorprofile.ASCII, false), "1")
	wide := len(m.page.lines)
	m = update(m, tea.WindowSizeMsg{Width: 50, Height: 30})
	narrow := len(m.page.lines)
	if narrow <= wide {
		t.Fatalf("narrowing did not reflow: %d lines at 120, %d at 50", wide, narrow)
	}
	assertFits(t, m)
	// Scrolled to the end, then made taller: the offset clamps to the new, shorter range.
	m = press(t, m, "G")
	m = update(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	if m.offset() != m.maxOffset() {
		t.Fatalf("offset %d beyond max %d after resize", m.offset(), m.maxOffset())
	}
	assertFits(t, m)
}

func TestTooSmall(t *testing.T) {
	m := press(t, newTestModel(t, 80, 24, colorprofile.ASCII, false), "1")
	for _, sz := range [][2]int{{39, 24}, {80, 11}, {39, 11}, {20, 5}} {
		small := update(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		s := screen(t, small)
		if !strings.Contains(s, "Please enlarge") || !strings.Contains(s, "40x12") {
			t.Fatalf("%dx%d:\n%s", sz[0], sz[1], s)
		}
		assertFits(t, small)
		// Keys still work, and quitting too.
		small = press(t, small, "l")
		if _, cmd := small.Update(keyPress(t, "q")); !quits(cmd) {
			t.Fatal("q does not quit on the small screen")
		}
		back := update(small, tea.WindowSizeMsg{Width: 80, Height: 24})
		if s := screen(t, back); !strings.Contains(s, "[2 Why Certification]") {
			t.Fatalf("after enlarging:\n%s", s)
		}
	}
}

// TestViewAnySize draws every kind of size, degenerate and huge, with help open and shut,
// and checks nothing panics and nothing spills past the window.
func TestViewAnySize(t *testing.T) {
	sizes := [][2]int{{0, 0}, {1, 1}, {0, 24}, {80, 0}, {2, 40}, {40, 12}, {41, 13}, {57, 19},
		{80, 24}, {81, 25}, {200, 60}, {1000, 500}, {4000, 3}}
	for _, prof := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.NoTTY} {
		for _, sz := range sizes {
			m := newTestModel(t, sz[0], sz[1], prof, false)
			for _, keys := range [][]string{nil, {"?"}, {"3", "G"}, {"?", "2", "G"}} {
				mm := press(t, m, keys...)
				assertFits(t, mm)
			}
		}
	}
}

// assertFits checks the view never has more lines than the window or lines wider than it
// (a terminal would wrap them into garbage), and fills the window exactly when it fits.
func assertFits(t *testing.T, m Model) {
	t.Helper()
	c := m.View().Content
	if c == "" {
		if m.width > 0 && m.height > 0 {
			t.Fatalf("%dx%d: empty view", m.width, m.height)
		}
		return
	}
	lines := strings.Split(c, "\n")
	if len(lines) > m.height {
		t.Fatalf("%dx%d: %d lines", m.width, m.height, len(lines))
	}
	// The frame is centred: as many rows above it as below it (one fewer when odd).
	if want := (m.height-m.frameHeight())/2 + m.frameHeight(); !m.tooSmall() && m.page != nil && len(lines) != want {
		t.Fatalf("%dx%d: %d lines, want %d (a frame of %d, centred)", m.width, m.height, len(lines), want, m.frameHeight())
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			t.Fatalf("%dx%d: line %d is %d wide: %q", m.width, m.height, i, w, l)
		}
	}
}

// TestResizeKeepsPlace: narrowing the window keeps roughly the same text at the top.
func TestResizeKeepsPlace(t *testing.T) {
	m := press(t, newTestModel(t, 80, 16, colorprofile.ASCII, false), "3", "d", "d")
	before := len(m.page.lines)
	frac := float64(m.offset()) / float64(before)
	m = update(m, sizeMsg(50, 16))
	after := float64(m.offset()) / float64(len(m.page.lines))
	if m.offset() == 0 || after < frac-0.1 || after > frac+0.1 {
		t.Fatalf("offset %d of %d after resize (was %.2f of the page)", m.offset(), len(m.page.lines), frac)
	}
}

package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// TestGolden pins the screens a visitor sees at three sizes, with no colour in an ASCII
// locale (drawn through a terminal emulator: the text on screen) and in true colour (the
// view itself, escape sequences included), on arrival and after switching to each section.
// Run `go test ./ui -run TestGolden -update` to rewrite them, then read the diff.
func TestGolden(t *testing.T) {
	variants := []struct {
		name    string
		profile colorprofile.Profile
		ascii   bool
		render  func(testing.TB, Model) string
	}{
		{"ascii", colorprofile.ASCII, true, screen},
		{"truecolor", colorprofile.TrueColor, false, func(_ testing.TB, m Model) string { return m.View().Content }},
	}
	sizes := [][2]int{{40, 12}, {80, 24}, {160, 45}}
	for _, v := range variants {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", v.name, sz[0], sz[1]), func(t *testing.T) {
				m := newTestModel(t, sz[0], sz[1], v.profile, v.ascii)
				t.Run("first", func(t *testing.T) { golden.RequireEqual(t, v.render(t, m)) })
				for i, sec := range m.site.Sections {
					t.Run(fmt.Sprintf("section-%d-%s", i+1, sec.Slug), func(t *testing.T) {
						golden.RequireEqual(t, v.render(t, press(t, m, fmt.Sprint(i+1))))
					})
				}
			})
		}
	}
}

// TestGoldenAccessible pins the accessible layout as the visitor (or their screen reader)
// gets it: every section at 80x24.
func TestGoldenAccessible(t *testing.T) {
	m := New(testSite(t), nil, Options{Width: 80, Height: 24, Profile: colorprofile.TrueColor, Accessible: true})
	for i, sec := range m.site.Sections {
		t.Run(fmt.Sprintf("section-%d-%s", i+1, sec.Slug), func(t *testing.T) {
			golden.RequireEqual(t, screen(t, press(t, m, fmt.Sprint(i+1))))
		})
	}
}

// goldenVariants are the terminals the designed screens are pinned for: a dark true-colour
// terminal, a light 256-colour one, a dark 16-colour one (PuTTY, the Linux console) and
// NO_COLOR (attributes only).
var goldenVariants = []struct {
	name    string
	profile colorprofile.Profile
	dark    bool
}{
	{"truecolor-dark", colorprofile.TrueColor, true},
	{"256-light", colorprofile.ANSI256, false},
	{"16-dark", colorprofile.ANSI, true},
	{"nocolor", colorprofile.ASCII, true},
}

// TestGoldenScreens pins the cover, a section, its end, the help and the contact card (the
// end of the last section with links set) at four sizes in four kinds of terminal, as a
// terminal emulator shows them after Bubble Tea's downsampling: each golden is the
// emulator's screen re-rendered with its cells' styles (render one with freeze to look).
func TestGoldenScreens(t *testing.T) {
	for _, v := range goldenVariants {
		for _, sz := range [][2]int{{40, 12}, {80, 24}, {120, 40}, {200, 60}} {
			t.Run(fmt.Sprintf("%s/%dx%d", v.name, sz[0], sz[1]), func(t *testing.T) {
				opts := Options{Width: sz[0], Height: sz[1], Profile: v.profile, DarkBackground: v.dark}
				m := New(testSite(t), NewRenderer(0), opts)
				screens := []struct {
					name string
					m    Model
				}{
					{"cover", m},
					{"section", press(t, m, "1")},
					{"section-end", press(t, m, "1", "G")},
					{"help", press(t, m, "1", "?")},
					{"contact", press(t, New(withLinks(testSite(t)), NewRenderer(0), opts), "3", "G")},
				}
				for _, s := range screens {
					t.Run(s.name, func(t *testing.T) { golden.RequireEqual(t, styledScreen(t, s.m, v.profile)) })
				}
			})
		}
	}
}

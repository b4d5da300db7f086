package console

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenScreens pins the console's screens (the first screen, Now, Visits, the inbox
// and a message opened) at 40x12, 80x24 and 120x40, over a real SQLite store, in the
// terminals ui's goldens use: true colour on dark, 256 colours on light, 16 colours on dark
// and no colour. Each golden is the emulator's screen re-rendered with its cells' styles
// (freeze --language ansi renders one to look at). `go test ./ui/console -update` rewrites
// them; read the diff.
func TestGoldenScreens(t *testing.T) {
	variants := []struct {
		name    string
		profile colorprofile.Profile
		dark    bool
	}{
		{"truecolor-dark", colorprofile.TrueColor, true},
		{"256-light", colorprofile.ANSI256, false},
		{"16-dark", colorprofile.ANSI, true},
		{"nocolor", colorprofile.ASCII, true},
	}
	for _, v := range variants {
		for _, sz := range [][2]int{{40, 12}, {80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", v.name, sz[0], sz[1]), func(t *testing.T) {
				// A store each: opening a message marks it read.
				st := openStore(t)
				fill(t, st)
				m := newModel(t, st, sz[0], sz[1], v.profile, v.dark)
				screens := []struct {
					name string
					m    Model
				}{
					{"home", m},
					{"now", press(t, m, "2")},
					{"visits", press(t, m, "3")},
					{"inbox", press(t, m, "4")},
				}
				screens = append(screens, struct {
					name string
					m    Model
				}{"message", press(t, m, "4", "down", "enter")})
				for _, s := range screens {
					t.Run(s.name, func(t *testing.T) { golden.RequireEqual(t, styledScreen(t, s.m, v.profile)) })
				}
			})
		}
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

func TestHelpToggle(t *testing.T) {
	m := press(t, newTestModel(t, 80, 24, colorprofile.ASCII, false), "1")
	if s := screen(t, m); strings.Contains(s, "previous section") || !strings.Contains(s, "? help") {
		t.Fatalf("short help:\n%s", s)
	}
	m = press(t, m, "?")
	s := screen(t, m)
	// A titled panel, keys in groups, in words a first-time visitor knows.
	for _, want := range []string{"Keys", "Sections", "Reading", "Search", "Other", "previous section",
		"go to that section", "back to the cover", "down a page", "half a page", "to the top", "q esc", "? esc close"} {
		if !strings.Contains(s, want) {
			t.Fatalf("help lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "S-tab") || strings.Contains(s, "My coding odyssey") {
		t.Fatalf("help has jargon or the body shows through:\n%s", s)
	}
	closed := press(t, m, "?")
	if strings.Contains(screen(t, closed), "previous section") || closed.showHelp {
		t.Fatal("? did not close the help")
	}
	// esc closes the help before it quits.
	next, cmd := m.Update(keyPress(t, "esc"))
	if quits(cmd) || next.(Model).showHelp {
		t.Fatal("esc with the help open did not just close it")
	}
}

// TestHelpScrolls: at 40x12 the panel does not fit; it scrolls to its last key and the
// footer says how to close it.
func TestHelpScrolls(t *testing.T) {
	m := press(t, newTestModel(t, 40, 12, colorprofile.ASCII, false), "?")
	s := screen(t, m)
	if strings.Contains(s, "leave") || !strings.Contains(s, "esc close") || !strings.Contains(s, "Keys") {
		t.Fatalf("help at 40x12:\n%s", s)
	}
	end := press(t, m, "G")
	if s := screen(t, end); !strings.Contains(s, "q esc") || !strings.Contains(s, "leave") || !strings.Contains(s, "end") {
		t.Fatalf("help scrolled to the end:\n%s", s)
	}
	if back := press(t, end, "?", "?"); back.offset() != 0 {
		t.Fatalf("help reopened at offset %d", back.offset())
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

func accessibleModel(t *testing.T, w, h int) Model {
	t.Helper()
	return New(testSite(t), nil, Options{Width: w, Height: h, Profile: colorprofile.TrueColor, DarkBackground: true, Accessible: true, Section: "education"})
}

// assertAccessible checks a screen has no colour, no box drawing or other decoration a
// screen reader would read out, and starts at the left edge.
func assertAccessible(t *testing.T, m Model) {
	t.Helper()
	c := m.View().Content
	if strings.Contains(c, "\x1b[38;") || strings.Contains(c, "\x1b[48;") || strings.Contains(c, "\x1b]8;") {
		t.Fatalf("colour or hyperlinks in accessible mode: %q", c)
	}
	for _, r := range c {
		if (r >= 0x2500 && r <= 0x259F) || strings.ContainsRune("▸·•←→↑↓▏…", r) {
			t.Fatalf("decoration %q in accessible mode:\n%s", r, c)
		}
	}
	s := screen(t, m)
	for _, bad := range []string{"**", "## ", "[1 ", "[2 "} {
		if strings.Contains(s, bad) {
			t.Fatalf("%q read aloud in accessible mode:\n%s", bad, s)
		}
	}
	for i, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "  ") {
			t.Fatalf("line %d indented: %q", i, l)
		}
	}
}

func TestAccessibleMode(t *testing.T) {
	m := accessibleModel(t, 160, 30)
	assertAccessible(t, m)
	s := screen(t, m)
	for _, want := range []string{"portfolio.example.dev - Backend & data engineer", "Section 1 of 3: Education & Origins.",
		", the whole section."} {
		if !strings.Contains(s, want) {
			t.Fatalf("missing %q:\n%s", want, s)
		}
	}
	// Position in words as the visitor moves.
	m = press(t, update(m, sizeMsg(80, 16)), "3")
	assertAccessible(t, m)
	if s := screen(t, m); !strings.Contains(s, "Section 3 of 3: The Road Ahead.") || !strings.Contains(s, ", top of section.") {
		t.Fatalf("section 3:\n%s", s)
	}
	m = press(t, m, "j", "j", "j")
	if s := screen(t, m); !strings.Contains(s, "Lines 4 to ") || !strings.Contains(s, " percent.") {
		t.Fatalf("scrolled:\n%s", s)
	}
	m = press(t, m, "G")
	if s := screen(t, m); !strings.Contains(s, "end of section.") || !strings.Contains(s, "That's where I'm going.") {
		t.Fatalf("end:\n%s", s)
	}
	// Help is a list, one key a line.
	h := press(t, m, "?")
	assertAccessible(t, h)
	if s := screen(t, h); !strings.Contains(s, "\nq esc: leave") || !strings.Contains(s, "\na: accessible") {
		t.Fatalf("help:\n%s", s)
	}
	// Search announces matches in words.
	f := typeSearch(t, m, "snowflake")
	assertAccessible(t, f)
	if s := screen(t, f); !strings.Contains(s, "Match 1 of 1.") || !strings.Contains(s, "Section 2 of 3") {
		t.Fatalf("search:\n%s", s)
	}
}

func TestAccessibleToggle(t *testing.T) {
	m := newTestModel(t, 100, 24, colorprofile.TrueColor, false)
	m = press(t, m, "2", "j")
	on := press(t, m, "a")
	assertAccessible(t, on)
	if on.active != 1 {
		t.Fatal("toggling lost the section")
	}
	off := press(t, on, "a")
	if c := off.View().Content; !strings.Contains(c, "─") || !strings.Contains(c, "\x1b[38;") {
		t.Fatal("standard view not restored")
	}
	// Accessible mode at every size stays inside the window.
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {40, 12}, {41, 12}, {80, 24}, {300, 100}} {
		mm := accessibleModel(t, sz[0], sz[1])
		for _, keys := range [][]string{nil, {"?"}, {"3", "G"}} {
			assertFits(t, press(t, mm, keys...))
		}
	}
}

// TestAccessibleCover: the accessible view opens on the overview too, in sentences.
func TestAccessibleCover(t *testing.T) {
	m := New(testSite(t), nil, Options{Width: 60, Height: 30, Profile: colorprofile.TrueColor, Accessible: true})
	assertAccessible(t, m)
	s := screen(t, m)
	for _, want := range []string{"Cover: what there is to read.", "Overview: 3 sections.", "Section 1: Education & Origins, 1 minute.",
		"My coding odyssey began in 2012", "Press enter to start reading"} {
		if !strings.Contains(s, want) {
			t.Fatalf("accessible cover lacks %q:\n%s", want, s)
		}
	}
}

// TestAccessibleSmallWindow: the linear layout works in windows the standard one refuses.
func TestAccessibleSmallWindow(t *testing.T) {
	m := accessibleModel(t, 24, 8)
	assertAccessible(t, m)
	assertFits(t, m)
	if s := screen(t, m); strings.Contains(s, "enlarge") || !strings.Contains(s, "Section 1 of 3") {
		t.Fatalf("24x8:\n%s", s)
	}
	if s := screen(t, update(m, sizeMsg(19, 8))); !strings.Contains(s, "20x6") {
		t.Fatalf("19x8:\n%s", s)
	}
}

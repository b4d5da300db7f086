package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// TestCover: the first screen is the cover (whose portfolio, every section with its summary
// and reading time, how to start); 0 comes back to it; a slug still opens its section.
func TestCover(t *testing.T) {
	m := newTestModel(t, 80, 24, colorprofile.ASCII, false)
	if m.active != coverIndex {
		t.Fatalf("first screen is section %d, want the cover", m.active)
	}
	s := screen(t, m)
	for _, want := range []string{"portfolio.example.dev", "Backend & data engineer", "3 sections",
		"1  Education & Origins", "My coding odyssey began in 2012", "2  Why Certification", "3  The Road Ahead",
		"1 min", "enter or → to start", "Cover"} {
		if !strings.Contains(s, want) {
			t.Errorf("cover lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Get in touch") {
		t.Errorf("contact card with no links set:\n%s", s)
	}
	if s := screen(t, New(withLinks(testSite(t)), nil, Options{Width: 80, Height: 30, Profile: colorprofile.ASCII})); !strings.Contains(s, "Get in touch") || !strings.Contains(s, "me@example.com") {
		t.Errorf("cover with links lacks the card:\n%s", s)
	}
	if back := press(t, m, "2", "0"); back.active != coverIndex {
		t.Fatalf("0 went to section %d, want the cover", back.active)
	}
	if help := screen(t, press(t, m, "?")); !strings.Contains(help, "back to the cover") {
		t.Fatalf("help does not say how to return to the cover:\n%s", help)
	}
	deep := New(testSite(t), nil, Options{Width: 80, Height: 24, Section: "certification"})
	if deep.active != 1 {
		t.Fatalf("deep link opened %d, want section 2", deep.active)
	}
}

// TestCoverSummaryCut: a summary is the section's first sentence, cut with an ellipsis when
// it does not fit the line.
func TestCoverSummaryCut(t *testing.T) {
	s := screen(t, newTestModel(t, 40, 24, colorprofile.TrueColor, false))
	if !strings.Contains(s, "My coding odyssey began in 2012,…") {
		t.Fatalf("summary not cut to fit at 40 columns:\n%s", s)
	}
}

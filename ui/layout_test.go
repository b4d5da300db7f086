package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/vt"
)

// TestNoColorKeepsLayout: NO_COLOR (colorprofile.Ascii) draws the standard layout, rules,
// tabs and footer, with no colour at all: emphasis is bold, underline and reverse.
func TestNoColorKeepsLayout(t *testing.T) {
	m := press(t, newTestModel(t, 80, 24, colorprofile.ASCII, false), "1")
	var buf bytes.Buffer
	w := &colorprofile.Writer{Forward: &buf, Profile: colorprofile.ASCII}
	if _, err := w.WriteString(m.View().Content); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// No SGR colour parameter (30-37, 38, 40-47, 48, 90-97, 100-107) anywhere.
	for _, seq := range strings.SplitAfter(out, "m") {
		i := strings.LastIndex(seq, "\x1b[")
		if i < 0 {
			continue
		}
		for _, p := range strings.Split(strings.TrimSuffix(seq[i+2:], "m"), ";") {
			if len(p) >= 2 && strings.ContainsRune("349", rune(p[0])) && p != "39" && p != "49" || strings.HasPrefix(p, "10") {
				t.Fatalf("colour parameter %s in %q", p, seq[i:])
			}
		}
	}
	s := screen(t, m)
	for _, want := range []string{"─", "[1 Education & Origins]", "2 Why Certification", "Section 1 of 3", "? help"} {
		if !strings.Contains(s, want) {
			t.Errorf("NO_COLOR screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Section 1 of 3:") || strings.Contains(s, "Lines 1 to") {
		t.Errorf("NO_COLOR switched to the accessible layout:\n%s", s)
	}
	if !strings.Contains(out, "\x1b[4m\x1b[1m[1 Education & Origins]") {
		t.Errorf("the active tab is not bold and underlined without colour:\n%q", strings.Split(out, "\n")[1])
	}
}

// TestCurrentMatchDistinct: after a search, in every kind of terminal, the current match
// looks different from the other matches, and both from plain text, in the cells a terminal
// emulator draws after Bubble Tea's downsampling. Without any attribute (NoTTY) the margin
// marker is what shows it.
func TestCurrentMatchDistinct(t *testing.T) {
	variants := []struct {
		name       string
		profile    colorprofile.Profile
		accessible bool
	}{
		{"truecolor", colorprofile.TrueColor, false},
		{"256", colorprofile.ANSI256, false},
		{"16", colorprofile.ANSI, false},
		{"nocolor", colorprofile.ASCII, false},
		{"accessible", colorprofile.TrueColor, true},
		{"accessible-nocolor", colorprofile.ASCII, true},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			m := New(testSite(t), NewRenderer(0), Options{Width: 80, Height: 40, Profile: v.profile, DarkBackground: true, Accessible: v.accessible, Section: "education"})
			m = typeSearch(t, m, "python")
			m = press(t, m, "n") // the second match: the current one is not simply the first
			s := &m.search
			if len(s.matches) < 3 {
				t.Fatalf("%d matches for python", len(s.matches))
			}
			var buf bytes.Buffer
			w := &colorprofile.Writer{Forward: &buf, Profile: v.profile}
			if _, err := w.WriteString(strings.ReplaceAll(m.View().Content, "\n", "\r\n")); err != nil {
				t.Fatal(err)
			}
			e := vt.NewEmulator(m.width, m.height)
			defer e.Close()
			if _, err := e.Write(buf.Bytes()); err != nil {
				t.Fatal(err)
			}
			top := len(m.chrome.top)
			if !m.accessible {
				top += (m.height - m.frameHeight()) / 2
			}
			cell := func(mt match) (x, y int) {
				return len(m.chrome.pad) + mt.col, top + mt.line - m.offset()
			}
			cx, cy := cell(s.matches[s.cur])
			cur := e.CellAt(cx, cy)
			if !strings.EqualFold(cur.Content, "p") {
				t.Fatalf("cell (%d,%d) holds %q, not the current match:\n%s", cx, cy, cur.Content, screen(t, m))
			}
			plainCell := e.CellAt(cx, cy-1) // the line above the match, in a paragraph
			for i, mt := range s.matches {
				if i == s.cur || mt.sec != m.active {
					continue
				}
				ox, oy := cell(mt)
				if oy < top || oy >= top+m.bodyHeight() {
					continue
				}
				other := e.CellAt(ox, oy)
				if cur.Style.Equal(&other.Style) {
					t.Errorf("current match at (%d,%d) looks like match %d at (%d,%d): %+v", cx, cy, i, ox, oy, cur.Style)
				}
				if other.Style.Equal(&plainCell.Style) && v.profile != colorprofile.NoTTY {
					t.Errorf("match %d is not highlighted: %+v", i, other.Style)
				}
			}
			if cur.Style.Equal(&plainCell.Style) {
				t.Errorf("current match not highlighted: %+v", cur.Style)
			}
			// The marker in the margin survives a terminal without attributes.
			if row := strings.Split(screen(t, m), "\n")[cy]; !strings.HasPrefix(strings.TrimLeft(row, " "), m.g.marker) && !m.accessible {
				t.Errorf("no marker on the current match's line: %q", row)
			}
		})
	}
}

// TestNoLongBlankRuns: between the header and the footer no screen has more than 12 blank
// rows in a row, at any size: the frame follows the text and is centred.
func TestNoLongBlankRuns(t *testing.T) {
	for _, sz := range [][2]int{{200, 60}, {120, 40}, {80, 24}, {300, 100}, {90, 70}} {
		for _, site := range []string{"plain", "links"} {
			t.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], site), func(t *testing.T) {
				st := testSite(t)
				if site == "links" {
					st = withLinks(st)
				}
				m := New(st, NewRenderer(0), Options{Width: sz[0], Height: sz[1], Profile: colorprofile.TrueColor, DarkBackground: true})
				screens := map[string]Model{"cover": m, "help": press(t, m, "?"), "search": typeSearch(t, m, "data")}
				for i := range st.Sections {
					n := fmt.Sprint(i + 1)
					screens["section "+n] = press(t, m, n)
					screens["section "+n+" end"] = press(t, m, n, "G")
				}
				for name, sm := range screens {
					rows := strings.Split(screen(t, sm), "\n")
					first, last := -1, -1
					for i, r := range rows {
						if strings.TrimSpace(r) != "" {
							if first < 0 {
								first = i
							}
							last = i
						}
					}
					run, worst := 0, 0
					for _, r := range rows[first : last+1] {
						if strings.TrimSpace(r) == "" {
							run++
							worst = max(worst, run)
						} else {
							run = 0
						}
					}
					if worst > 12 {
						t.Errorf("%s: %d blank rows in a row between header and footer:\n%s", name, worst, strings.Join(rows, "\n"))
					}
				}
			})
		}
	}
}

// TestEnlargeNotClipped: in a window too small for the layout the request to enlarge it is
// wrapped to the window, never cut.
func TestEnlargeNotClipped(t *testing.T) {
	for _, sz := range [][2]int{{20, 5}, {39, 11}, {12, 8}} {
		m := newTestModel(t, sz[0], sz[1], colorprofile.TrueColor, false)
		words := strings.Join(strings.Fields(screen(t, m)), " ")
		if !strings.Contains(words, "Please enlarge your window to at least 40x12.") {
			t.Errorf("%dx%d: %q", sz[0], sz[1], words)
		}
		assertFits(t, m)
	}
}

// TestRail: a window at least 120 columns wide shows the sections beside the text, with how
// much of each the visitor has read, and the contact links; a narrower one does not.
func TestRail(t *testing.T) {
	m := New(withLinks(testSite(t)), NewRenderer(0), Options{Width: 130, Height: 20, Profile: colorprofile.TrueColor, DarkBackground: true})
	m = press(t, m, "3", "j")
	s := screen(t, m)
	for _, want := range []string{"Contents", "1 Education", "2 Certification", "3 Road Ahead", "Get in touch", "me@example.com"} {
		if !strings.Contains(s, want) {
			t.Fatalf("rail lacks %q:\n%s", want, s)
		}
	}
	read := m.read[2]
	if read <= 0 || read >= 100 || !strings.Contains(s, fmt.Sprintf("%d%%", read)) || m.read[0] != 0 {
		t.Fatalf("rail progress %v:\n%s", m.read, s)
	}
	if end := press(t, m, "G"); !strings.Contains(screen(t, end), "✓") {
		t.Fatalf("a section read to the end is not ticked:\n%s", screen(t, end))
	}
	wide := screen(t, press(t, update(m, sizeMsg(200, 40)), "j"))
	for _, r := range strings.Split(wide, "\n") {
		if at := strings.Index(r, "Contents"); at >= 0 && at != 60-railMaxWidth+2 {
			t.Fatalf("rail at column %d, not beside the text: %q", at, r)
		}
	}
	narrow := press(t, update(m, sizeMsg(119, 20)), "j")
	if s := screen(t, narrow); strings.Contains(s, "Contents") {
		t.Fatalf("rail at 119 columns:\n%s", s)
	}
	assertFits(t, m)
}
